"""Many guides from a CSV of candidates, in worker processes.

Workers start with ``spawn`` (WeasyPrint is not fork-safe once imported) and each keeps
its own bank, font configuration and parsed stylesheet for every guide it builds. One
bad row never stops the others: each result carries its own error.
"""

from __future__ import annotations

import csv
import datetime as dt
import os
import re
import unicodedata
from collections.abc import Callable
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from hiring.bank.models import Bank
from hiring.errors import HiringError, InputError


@dataclass(frozen=True)
class CandidateRow:
    line: int  # line number in the CSV file (header is line 1)
    name: str
    interviewer: str | None = None
    lang: str | None = None
    round: str | None = None


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


@dataclass
class BatchResult:
    line: int
    name: str
    path: Path | None = None
    error: str | None = None
    warnings: list[str] = field(default_factory=list)


def read_candidates(path: Path) -> tuple[list[CandidateRow], list[str]]:
    """Rows of a candidates CSV and one problem per bad row ("line N: ...")."""
    try:
        with open(path, newline="", encoding="utf-8-sig") as handle:
            text = handle.read()
    except OSError as error:
        raise InputError(f"cannot read {path}: {error.strerror}") from None
    except UnicodeDecodeError:
        raise InputError(f"{path} is not UTF-8 text") from None
    reader = csv.DictReader(text.splitlines())
    columns = [c.strip().lower() for c in reader.fieldnames or []]
    if "name" not in columns:
        raise InputError(f"{path}: line 1: expected a 'name' column (found: {', '.join(columns)})")
    reader.fieldnames = columns
    rows: list[CandidateRow] = []
    problems: list[str] = []
    for record in reader:
        line = reader.line_num
        if None in record:
            problems.append(f"line {line}: more fields than columns")
            continue
        values = {k: (v or "").strip() for k, v in record.items()}
        if not values.get("name"):
            problems.append(f"line {line}: empty name")
            continue
        rows.append(
            CandidateRow(
                line=line,
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


def output_paths(rows: list[CandidateRow], out_dir: Path, options: BatchOptions) -> list[Path]:
    """One distinct file per row: <name>-<round>-<lang>.<fmt>, numbered on collisions."""
    used: set[str] = set()
    paths = []
    for row in rows:
        stem = "-".join(
            part for part in (file_stem(row.name), row.round or options.round,
                              row.lang or options.lang) if part
        )
        candidate_name, number = f"{stem}.{options.fmt}", 2
        while candidate_name in used:
            candidate_name, number = f"{stem}-{number}.{options.fmt}", number + 1
        used.add(candidate_name)
        paths.append(out_dir / candidate_name)
    return paths


_WORKER_BANK: Bank | None = None


def _worker_bank(bank_dirs: list[Path]) -> Bank:
    global _WORKER_BANK
    if _WORKER_BANK is None:
        from hiring.bank import load_bank

        _WORKER_BANK = load_bank(bank_dirs or None)
    return _WORKER_BANK


def build_row(row: CandidateRow, out: Path, options: BatchOptions) -> BatchResult:
    """Build one row's guide; a ``HiringError`` becomes the result's error."""
    from hiring.guides.build import write_guide
    from hiring.guides.context import GuideRequest

    request = GuideRequest(
        role=options.role, round=row.round or options.round, candidate=row.name,
        interviewer=row.interviewer, lang=row.lang or options.lang,
        question_set=options.question_set, date=options.date, paper=options.paper,
    )
    try:
        written = write_guide(_worker_bank(options.bank_dirs), request, out, options.fmt,
                              options.templates_dir, fillable=options.fillable)
    except HiringError as error:
        return BatchResult(row.line, row.name, error=str(error))
    return BatchResult(row.line, row.name, path=written.path, warnings=written.warnings)


# One shared layout per (round, language) per worker: the guide laid out with blank name
# spots, stamped with each row's names (see hiring.render.stamp).
_WORKER_LAYOUTS: dict[tuple[str | None, str], tuple[Any, ...]] = {}


def _round_layout(bank: Bank, round_id: str | None, lang: str, options: BatchOptions
                  ) -> tuple[Any, ...]:
    key = (round_id, lang)
    if key not in _WORKER_LAYOUTS:
        from hiring.guides.build import guide_pdf_inputs
        from hiring.guides.context import GuideRequest, build_guide
        from hiring.render.fonts import require_font
        from hiring.render.stamp import layout_once

        base = build_guide(bank, GuideRequest(
            role=options.role, round=round_id, lang=lang, question_set=options.question_set,
            date=options.date, paper=options.paper,
        ))
        html, roots, stylesheets = guide_pdf_inputs(
            base, options.templates_dir, fillable=options.fillable, blank_names=True
        )
        layout = layout_once(
            html, roots=roots, stylesheets=stylesheets, pdf_forms=options.fillable
        )
        _WORKER_LAYOUTS[key] = (layout, roots, require_font(lang))
    return _WORKER_LAYOUTS[key]


def build_row_stamped(row: CandidateRow, out: Path, options: BatchOptions) -> BatchResult:
    """Build one row's PDF guide by stamping its names onto this worker's layout of the
    round; a full build when the templates mark no name spots (an overriding template),
    so no guide ever lacks its names."""
    from hiring.files import write_atomic
    from hiring.guides.build import MANIFEST_ATTACHMENT, manifest_path_for, manifest_text
    from hiring.guides.context import GuideRequest, build_guide
    from hiring.render.stamp import stamp
    from hiring.render.strings import ui_strings

    bank = _worker_bank(options.bank_dirs)
    lang = row.lang or options.lang
    round_id = row.round or options.round
    try:
        guide = build_guide(bank, GuideRequest(
            role=options.role, round=round_id, candidate=row.name, interviewer=row.interviewer,
            lang=lang, question_set=options.question_set, date=options.date,
            paper=options.paper,
        ))
        layout, roots, fonts = _round_layout(bank, round_id, lang, options)
        if not {"stamp-header", "stamp-candidate"} <= {spot.kind for spot in layout.spots}:
            return build_row(row, out, options)
        t = ui_strings(lang)
        candidate = guide.candidate or t["not_given"]
        manifest = manifest_text(guide)
        data = stamp(
            layout,
            {
                "stamp-header": f"{candidate} · {guide.role_name} · {guide.round_name}",
                "stamp-candidate": candidate,
                "stamp-interviewer": guide.interviewer or t["not_given"],
            },
            roots=roots,
            font_stack=fonts,
            metadata={
                "/Title": " · ".join((t["guide_title"], guide.role_name, candidate)),
                "/Author": guide.interviewer or guide.role_name,
            },
            attachments=[(MANIFEST_ATTACHMENT, manifest)] if options.fillable else [],
            field_values={"interviewer": guide.interviewer or ""} if options.fillable else None,
        )
        write_atomic(out, data)
        write_atomic(manifest_path_for(out), manifest)
    except HiringError as error:
        return BatchResult(row.line, row.name, error=str(error))
    return BatchResult(row.line, row.name, path=out, warnings=list(layout.warnings))


def run_batch(
    rows: list[CandidateRow],
    out_dir: Path,
    options: BatchOptions,
    *,
    workers: int | None = None,
    on_result: Callable[[BatchResult], None] | None = None,
) -> list[BatchResult]:
    """Build every row's guide in ``workers`` processes (default: all cores).

    Results come back in row order; ``on_result`` is called as each one finishes.
    """
    import multiprocessing

    if not rows:
        return []
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    paths = output_paths(rows, out_dir, options)
    count = max(1, min(workers or os.cpu_count() or 1, len(rows)))
    results: dict[int, BatchResult] = {}
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(max_workers=count, mp_context=context) as pool:
        pending: dict[Future[BatchResult], CandidateRow] = {
            pool.submit(build_row_stamped if options.fmt == "pdf" else build_row,
                        row, path, options): row
            for row, path in zip(rows, paths, strict=True)
        }
        try:
            while pending:
                done, _ = wait(pending, return_when=FIRST_COMPLETED)
                for future in done:
                    row = pending.pop(future)
                    try:
                        result = future.result()
                    except Exception as error:  # a crashed worker fails its row, not the batch
                        message = f"{type(error).__name__}: {error}"
                        result = BatchResult(row.line, row.name, error=message)
                    results[row.line] = result
                    if on_result is not None:
                        on_result(result)
        except BaseException:
            # Interrupted (Ctrl-C, SIGTERM turned into KeyboardInterrupt by the CLI): start
            # nothing new; guides already being written finish (atomically) as the pool exits.
            for future in pending:
                future.cancel()
            raise
    return [results[row.line] for row in rows]
