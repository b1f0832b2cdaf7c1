"""Many guides from a CSV of candidates, in worker processes.

Workers start with ``spawn`` (WeasyPrint is not fork-safe once imported) and each keeps
its own bank, font configuration and parsed stylesheet for every guide it builds. One
bad row never stops the others: each result carries its own error.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import unicodedata
from collections.abc import Callable
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from dataclasses import dataclass, field
from pathlib import Path

from hiring.bank.models import Bank
from hiring.errors import HiringError, InputError
from hiring.tables import TableOptions, check_columns, read_table


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
    seed: int = 0
    fmt: str = "pdf"
    paper: str = "a4"
    date: dt.date | None = None
    templates_dir: Path | None = None


@dataclass
class BatchResult:
    line: int
    name: str
    path: Path | None = None
    error: str | None = None
    warnings: list[str] = field(default_factory=list)


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
        interviewer=row.interviewer, lang=row.lang or options.lang, seed=options.seed,
        date=options.date, paper=options.paper,
    )
    try:
        written = write_guide(_worker_bank(options.bank_dirs), request, out, options.fmt,
                              options.templates_dir)
    except HiringError as error:
        return BatchResult(row.line, row.name, error=str(error))
    return BatchResult(row.line, row.name, path=written.path, warnings=written.warnings)


def check_batch_outputs(
    rows: list[CandidateRow], out_dir: Path, options: BatchOptions
) -> list[Path]:
    """Every guide's and manifest's path, each checked (``hiring.files.check_output``)
    before any worker starts: not into a bank or templates folder, not onto a folder."""
    from hiring.files import check_output
    from hiring.guides.build import manifest_path_for

    paths = output_paths(rows, Path(out_dir), options)
    for path in paths:
        check_output(path, "--out-dir")
        check_output(manifest_path_for(path), "--out-dir")
    return paths


class BatchInterrupted(Exception):
    """Ctrl-C or SIGTERM stopped a batch: ``results`` holds the rows that were finished
    (the guides being written at that moment are finished first; nothing new is started)."""

    def __init__(self, results: list[BatchResult]) -> None:
        super().__init__(f"interrupted after {len(results)} guide(s)")
        self.results = results


def _worker_start(parent: int) -> None:
    """In each worker: die with the parent, and leave Ctrl-C to the parent.

    A worker whose parent was killed (SIGKILL) would otherwise wait on its task queue for
    good. On Linux the kernel kills it (PR_SET_PDEATHSIG); elsewhere a thread watches the
    parent's id. Ctrl-C reaches the whole process group: the parent decides what stops.
    """
    import signal
    import sys
    import threading
    import time

    signal.signal(signal.SIGINT, signal.SIG_IGN)
    if sys.platform.startswith("linux"):
        import ctypes

        pr_set_pdeathsig = 1
        ctypes.CDLL(None, use_errno=True).prctl(pr_set_pdeathsig, signal.SIGKILL)
    else:  # pragma: no cover - Linux is where the tests run

        def watch() -> None:
            while os.getppid() == parent:
                time.sleep(1)
            os._exit(1)

        threading.Thread(target=watch, daemon=True).start()
    if os.getppid() != parent:  # the parent died before the signal was armed
        os._exit(1)


def run_batch(
    rows: list[CandidateRow],
    out_dir: Path,
    options: BatchOptions,
    *,
    workers: int | None = None,
    on_result: Callable[[BatchResult], None] | None = None,
) -> list[BatchResult]:
    """Build every row's guide in ``workers`` processes (default: all cores).

    Results come back in row order; ``on_result`` is called as each one finishes. On Ctrl-C
    (or SIGTERM turned into KeyboardInterrupt by the CLI) nothing new starts, the guides
    being written finish, and ``BatchInterrupted`` carries every finished row's result.
    """
    import multiprocessing

    if not rows:
        return []
    out_dir = Path(out_dir)
    paths = check_batch_outputs(rows, out_dir, options)
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise InputError(f"cannot create {out_dir}: {error.strerror or error}") from None
    count = max(1, min(workers or os.cpu_count() or 1, len(rows)))
    results: dict[int, BatchResult] = {}
    context = multiprocessing.get_context("spawn")

    def collect(future: Future[BatchResult], row: CandidateRow) -> None:
        try:
            result = future.result()
        except Exception as error:  # a crashed worker fails its row, not the batch
            result = BatchResult(row.line, row.name, error=f"{type(error).__name__}: {error}")
        results[row.line] = result
        if on_result is not None:
            on_result(result)

    pending: dict[Future[BatchResult], CandidateRow] = {}
    interrupted = False
    with ProcessPoolExecutor(max_workers=count, mp_context=context,
                             initializer=_worker_start, initargs=(os.getpid(),)) as pool:
        try:
            for row, path in zip(rows, paths, strict=True):
                pending[pool.submit(build_row, row, path, options)] = row
            while pending:
                done, _ = wait(pending, return_when=FIRST_COMPLETED)
                for future in done:
                    collect(future, pending.pop(future))
        except KeyboardInterrupt:
            interrupted = True
            for future in pending:
                future.cancel()
        # Leaving the block waits for the guides being written: they finish atomically.
    if interrupted:
        for future, row in pending.items():
            if future.done() and not future.cancelled():
                collect(future, row)
        raise BatchInterrupted([results[row.line] for row in rows if row.line in results])
    return [results[row.line] for row in rows]
