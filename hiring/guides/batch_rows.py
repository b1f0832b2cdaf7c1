"""What a batch builds: its options, its rows (read from a CSV or .xlsx of candidates) and
each row's file name, ``<candidate>-<round>-<interviewer>-<lang>.<fmt>``."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from hiring.spreadsheets import TableOptions, check_columns, read_table


@dataclass(frozen=True)
class CandidateRow:
    line: int  # line number in the CSV file (header is line 1)
    name: str
    interviewer: str | None = None
    lang: str | None = None
    round: str | None = None
    # The store's candidate (rows from a stage decision: then ``line`` is this id too).
    candidate_id: int | None = None


@dataclass(frozen=True)
class BatchOptions:
    role: str
    bank_dirs: list[Path] = field(default_factory=list)
    round: str | None = None
    lang: str = "en"
    question_set: str = "default"
    fmt: str = "pdf"
    paper: str = "a4"
    date: dt.date | None = None
    templates_dir: Path | None = None
    fillable: bool = False



def read_candidates(
    path: Path, reading: TableOptions | None = None
) -> tuple[list[CandidateRow], list[str]]:
    """Rows of a candidates table (CSV or .xlsx) and one problem per bad row ("line N: ...")."""
    table = read_table(path, reading)  # quoted newlines and U+2028 stay inside their cell
    check_columns(table, ("name", "interviewer", "lang", "round"), ("name",))
    rows: list[CandidateRow] = []
    problems: list[str] = []
    for record in table.rows:
        values = {k: v.strip() for k, v in record.cells.items()}
        if not values.get("name"):
            problems.append(f"line {record.line}: empty name")
            continue
        rows.append(
            CandidateRow(
                line=record.line,
                name=values["name"],
                interviewer=values.get("interviewer") or None,
                lang=values.get("lang") or None,
                round=values.get("round") or None,
            )
        )
    return rows, problems


def file_stem(name: str) -> str:
    """A file-name-safe form of a candidate's name (letters of any script kept)."""
    text = unicodedata.normalize("NFKC", name)
    text = "".join(ch if ch.isalnum() else "-" for ch in text).lower()
    return re.sub(r"-{2,}", "-", text).strip("-")[:60] or "candidate"


def _named_paths(
    rows: list[CandidateRow], out_dir: Path, options: BatchOptions
) -> tuple[list[Path], list[str]]:
    used: dict[str, int] = {}  # file name -> the line that has it
    paths, warnings = [], []
    for row in rows:
        parts = (file_stem(row.name), row.round or options.round,
                 file_stem(row.interviewer) if row.interviewer else None,
                 row.lang or options.lang)
        stem = "-".join(part for part in parts if part)
        chosen, number = f"{stem}.{options.fmt}", 2
        while chosen in used:
            chosen, number = f"{stem}-{number}.{options.fmt}", number + 1
        if number > 2:
            warnings.append(
                f"line {row.line}: {stem}.{options.fmt} is line {used[f'{stem}.{options.fmt}']}'s "
                f"name too (same candidate, round, interviewer and language?): written as "
                f"{chosen}"
            )
        used[chosen] = row.line
        paths.append(out_dir / chosen)
    return paths, warnings


def output_paths(rows: list[CandidateRow], out_dir: Path, options: BatchOptions) -> list[Path]:
    """One distinct file per row, ``<candidate>-<round>-<interviewer>-<lang>.<fmt>`` (each a
    slug; no interviewer part when the row names none), numbered on collisions."""
    return _named_paths(rows, out_dir, options)[0]


def name_collisions(rows: list[CandidateRow], options: BatchOptions) -> list[str]:
    """One warning per row whose file name another row has already (it gets a number)."""
    return _named_paths(rows, Path("."), options)[1]
