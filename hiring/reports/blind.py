"""Blind review: candidates as codes in a random order, names taken out of the notes.

``blind_report_data(data, seed)`` -> (``ReportData`` where every candidate is a code
``C-01``, ``C-02``, ... assigned in a random order drawn from ``seed``, with the ids
renumbered to the code numbers, and every candidate's name and name parts replaced by
``[name]`` in rating and consensus notes; the ``BlindKey`` that maps codes back). The
whole report, its attachments included, is then built from the blinded data, so no
part of it can show a name. ``key_csv(key)`` is the key file the manager opens after
deciding. This follows the anonymised, randomised review of de-biased hiring tools
(Applied).

Choices: a name part is any run of letters of 2 or more characters in a candidate's
name ("Anna-Maria Berg" -> "Anna-Maria", "Anna", "Maria", "Berg"), matched as a whole
word, case-insensitively, in every note (a note may mention another candidate). The
same seed and the same candidates give the same codes; without ``--seed`` a random seed
is drawn and written to the key, so the report can be made again. Erased candidates'
ratings (anonymous already) get negative ids so they never meet a code's id.
"""

from __future__ import annotations

import csv
import dataclasses
import io
import re
from dataclasses import dataclass

from hiring.files import spreadsheet_safe
from hiring.reports.data import CandidateRef, ReportData

REDACTED = "[name]"


@dataclass(frozen=True)
class BlindKey:
    seed: int
    rows: list[tuple[str, int, str]]  # (code, candidate id in the store, name)


def name_parts(name: str) -> list[str]:
    """The full name and each part of it worth hiding (2+ letters), longest first."""
    parts = {name.strip()}
    for word in re.split(r"\s+", name.strip()):
        parts.add(word)
        parts.update(re.findall(r"[^\W\d_]{2,}", word))
    return sorted((p for p in parts if len(p) >= 2), key=lambda p: (-len(p), p))


def name_pattern(names: list[str]) -> re.Pattern[str] | None:
    """One regex matching any of the names or their parts as a whole word."""
    parts = sorted({p for n in names for p in name_parts(n)}, key=lambda p: (-len(p), p))
    if not parts:
        return None
    alternatives = "|".join(re.escape(p) for p in parts)
    return re.compile(rf"(?<!\w)(?:{alternatives})(?!\w)", re.IGNORECASE)


def scrub(text: str | None, pattern: re.Pattern[str] | None) -> str | None:
    if text is None or pattern is None:
        return text
    return pattern.sub(REDACTED, text)


def blind_report_data(data: ReportData, seed: int) -> tuple[ReportData, BlindKey]:
    """``data`` with codes for names and names out of the notes (see module docstring)."""
    import numpy as np

    order = np.random.default_rng(seed).permutation(len(data.candidates))
    width = max(2, len(str(len(data.candidates))))
    code_of: dict[int, int] = {}  # store id -> code number
    for number, position in enumerate(order, start=1):
        code_of[data.candidates[int(position)].id] = number
    codes = {cid: f"C-{n:0{width}d}" for cid, n in code_of.items()}
    pattern = name_pattern([c.name for c in data.candidates])
    erased_ids = {r.candidate_id for r in data.erased_ratings}
    erased_of = {cid: -(i + 1) for i, cid in enumerate(sorted(erased_ids))}

    blinded = dataclasses.replace(
        data,
        candidates=sorted((CandidateRef(code_of[c.id], codes[c.id]) for c in data.candidates),
                          key=lambda c: c.id),
        ratings=[r._replace(candidate_id=code_of[r.candidate_id], note=scrub(r.note, pattern))
                 for r in data.ratings],
        recommendations=[r._replace(candidate_id=code_of[r.candidate_id])
                         for r in data.recommendations],
        consensus=[r._replace(candidate_id=code_of[r.candidate_id], note=scrub(r.note, pattern))
                   for r in data.consensus],
        interviews=[r._replace(candidate_id=code_of[r.candidate_id]) for r in data.interviews],
        erased_ratings=[r._replace(candidate_id=erased_of[r.candidate_id], note=None)
                        for r in data.erased_ratings],
    )
    key = BlindKey(seed, sorted((codes[c.id], c.id, c.name) for c in data.candidates))
    return blinded, key


def key_csv(key: BlindKey) -> str:
    """The code key as CSV: code, candidate id, name (and the seed, to make it again)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(("code", "candidate_id", "name"))
    for code, cid, name in key.rows:
        writer.writerow((code, cid, spreadsheet_safe(name)))
    writer.writerow(())
    writer.writerow(("seed", key.seed, ""))
    return buffer.getvalue()
