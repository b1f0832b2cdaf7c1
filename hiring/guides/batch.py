"""Many guides from a CSV of candidates, in worker processes (the rows, their options and
file names: ``hiring.guides.batch_rows``).

Workers start with ``spawn`` (WeasyPrint is not fork-safe once imported) and each keeps
its own bank, font configuration and parsed stylesheet for every guide it builds. One
bad row never stops the others: each result carries its own error.

PDF guides share their round's layout: every (round, language) the rows need is laid out
once, by whichever worker is free (one task per layout, all handed out before any row, each
stamping its first row too), and its other rows are then stamped with their names. Each
worker is a pool of its own, so the batch chooses who does what: a layout's rows go to the
worker that made it (its fonts loaded and its PDF parsed: in another worker the first row of
a Chinese layout costs three times as much), and a worker with nothing left takes over rows
of another's layout, the layout sent with the task. So two workers split the layouts and
the rows between them, for one round and for many alike, instead of each laying out every
round it meets, and neither waits while the other has rows left.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from hiring.bank.models import Bank
from hiring.errors import HiringError, InputError
from hiring.files import StagedFile
from hiring.guides.batch_rows import (
    BatchOptions,
    CandidateRow,
    output_paths,
)

if TYPE_CHECKING:
    from hiring.guides.context import Guide


@dataclass
class BatchResult:
    line: int
    name: str
    path: Path | None = None
    error: str | None = None
    warnings: list[str] = field(default_factory=list)
    handout: Path | None = None  # written exercises: the candidate's hand-out
    # Written by the worker under temporary names; the parent records, then moves them in.
    staged: list[StagedFile] = field(default_factory=list)
    manifest: dict[str, Any] | None = None


_WORKER_BANK: Bank | None = None


def _worker_bank(bank_dirs: list[Path]) -> Bank:
    global _WORKER_BANK
    if _WORKER_BANK is None:
        from hiring.bank import load_bank
        from hiring.team_languages import use_bank_folders

        _WORKER_BANK = load_bank(bank_dirs or None)
        # The bank's own languages; what falls back to English the parent has said.
        use_bank_folders(bank_dirs, warn=_said_by_the_parent)
    return _WORKER_BANK


def _said_by_the_parent(note: str) -> None:
    """Workers do not repeat the fallback note: ``build_batch`` said it once, first."""


def build_row(row: CandidateRow, out: Path, options: BatchOptions) -> BatchResult:
    """Build one row's guide; a ``HiringError`` becomes the result's error."""
    from hiring.guides.build import write_guide
    from hiring.guides.context import GuideRequest

    request = GuideRequest(
        role=options.role, round=row.round or options.round, candidate=row.name,
        candidate_id=row.candidate_id, interviewer=row.interviewer, lang=row.lang or options.lang,
        question_set=options.question_set, date=options.date, paper=options.paper,
    )
    try:
        written = write_guide(_worker_bank(options.bank_dirs), request, out, options.fmt,
                              options.templates_dir, fillable=options.fillable,
                              stage_only=True)
    except HiringError as error:
        return BatchResult(row.line, row.name, error=str(error))
    return BatchResult(row.line, row.name, path=written.path, warnings=written.warnings,
                       handout=written.handout_path, staged=written.staged,
                       manifest=written.guide.manifest())


def check_batch_outputs(
    rows: list[CandidateRow], out_dir: Path, options: BatchOptions
) -> list[Path]:
    """Every guide's, manifest's and hand-out's path, each checked
    (``hiring.files.check_output``) before any worker starts: not into a bank or templates
    folder, not onto a folder."""
    from hiring.files import check_output
    from hiring.guides.build import manifest_path_for
    from hiring.guides.handout import handout_path_for

    paths = output_paths(rows, Path(out_dir), options)
    for path in paths:
        check_output(path, "--out-dir")
        check_output(manifest_path_for(path), "--out-dir")
        check_output(handout_path_for(path), "--out-dir")  # written only for written rounds
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
    from hiring.files import set_owner

    set_owner(parent)  # temporary files a killed batch leaves are removed by the next one
    from hiring.processes import skip_collections_at_exit

    skip_collections_at_exit()


# One shared layout per (round, language) per worker: the guide laid out with blank name
# spots, stamped with each row's names (see hiring.render.stamp).
LayoutKey = tuple[str | None, str]  # (round, language)
_WORKER_LAYOUTS: dict[LayoutKey, tuple[Any, ...]] = {}


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


def _warm_up(bank_dirs: list[Path]) -> None:
    """A worker's first task: what every PDF guide needs, loaded while another worker may
    already lay out (and so that every worker starts with the batch: the pool starts a
    worker only for a task no running one is free for)."""
    from hiring.render.libraries import remember_library_lookups

    remember_library_lookups()  # before WeasyPrint loads its libraries
    import weasyprint  # noqa: F401

    from hiring.render import stamp  # noqa: F401

    _worker_bank(bank_dirs)


def layout_round(round_id: str | None, lang: str, options: BatchOptions,
                 rows: list[tuple[CandidateRow, Path]]) -> tuple[tuple[Any, ...],
                                                               list[BatchResult]]:
    """A worker's task: the round's layout in ``lang`` (see ``_round_layout``), then
    ``rows`` (its first) stamped here, with nothing to send, parse or load fonts for again;
    gives the layout, to send with each of its other rows' tasks (without the parsed PDF),
    and the results of ``rows``."""
    import dataclasses

    bank = _worker_bank(options.bank_dirs)
    layout, roots, fonts = _round_layout(bank, round_id, lang, options)
    results = [build_row_stamped(row, out, options) for row, out in rows]
    return (dataclasses.replace(layout, _reader=None), roots, fonts), results


def build_row_stamped(row: CandidateRow, out: Path, options: BatchOptions,
                      shared: tuple[Any, ...] | None = None) -> BatchResult:
    """Build one row's PDF guide by stamping its names onto the round's layout (``shared``,
    made by ``layout_round`` in any worker; else this worker's own); a full build when the
    templates mark no name spots (an overriding template), so no guide ever lacks its
    names."""
    from hiring.files import discard, stage_file
    from hiring.guides.build import MANIFEST_ATTACHMENT, manifest_path_for, manifest_text
    from hiring.guides.context import GuideRequest, build_guide
    from hiring.guides.handout import handout_path_for
    from hiring.render.stamp import stamp
    from hiring.render.strings import ui_strings

    bank = _worker_bank(options.bank_dirs)
    lang = row.lang or options.lang
    round_id = row.round or options.round
    if shared is not None and (round_id, lang) not in _WORKER_LAYOUTS:
        _WORKER_LAYOUTS[(round_id, lang)] = shared
    staged: list[StagedFile] = []
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
        handout = _round_handout(guide, options)
        staged.append(stage_file(out, data))
        staged.append(stage_file(manifest_path_for(out), manifest))
        if handout is not None:
            staged.append(stage_file(handout_path_for(out), handout))
    except HiringError as error:
        discard(staged)
        return BatchResult(row.line, row.name, error=str(error))
    except BaseException:
        discard(staged)
        raise
    return BatchResult(row.line, row.name, path=out, warnings=list(layout.warnings),
                       handout=handout_path_for(out) if handout is not None else None,
                       staged=staged, manifest=guide.manifest())


# The hand-out names no candidate: one rendering per (round, language) per worker.
_WORKER_HANDOUTS: dict[tuple[str, str], bytes | str | None] = {}


def _round_handout(guide: Guide, options: BatchOptions) -> bytes | str | None:
    from hiring.guides.handout import handout_questions, render_handout

    key = (guide.round_id, guide.lang)
    if key not in _WORKER_HANDOUTS:
        _WORKER_HANDOUTS[key] = (
            render_handout(guide, options.fmt, options.templates_dir)[0]
            if handout_questions(guide) else None
        )
    return _WORKER_HANDOUTS[key]


@contextmanager
def _stops_held() -> Iterator[None]:
    """Ctrl-C and SIGTERM wait until the block is done, then act as they would have (the
    batch stops as usual). Handlers, not a signal mask: the pool's threads would take a
    masked signal for the process."""
    import signal
    import threading

    if threading.current_thread() is not threading.main_thread():
        yield
        return
    caught: list[int] = []

    def hold(signum: int, frame: object) -> None:
        caught.append(signum)

    previous: dict[int, Any] = {number: signal.signal(number, hold)
                                for number in (signal.SIGINT, signal.SIGTERM)}
    try:
        yield
    finally:
        for number, handler in previous.items():
            signal.signal(number, handler)
        if caught:
            handler = previous[caught[0]]
            if callable(handler):
                handler(caught[0], None)
            elif handler == signal.SIG_DFL:
                os.kill(os.getpid(), caught[0])


def _done(result: BatchResult) -> Future[BatchResult]:
    finished: Future[BatchResult] = Future()
    finished.set_result(result)
    return finished


def _submit(pool: ProcessPoolExecutor, task: Callable[..., Any], *args: Any) -> Future[Any]:
    """``pool.submit``, or a failed future when the pool broke (its worker crashed): the
    row then fails with that error like the rows already queued."""
    try:
        return pool.submit(task, *args)
    except RuntimeError as error:  # BrokenProcessPool, or shutting down
        failed: Future[Any] = Future()
        failed.set_exception(error)
        return failed


# Laying out a guide in Chinese took 1.5 times as long as in the other languages here
# (0.65 s against 0.33-0.46 s for a round of the five-language test bank), and stamping
# each further row about a sixth of a layout.
_SLOW_LAYOUT_LANGUAGES = {"zh": 1.5}
_ROW_COST = 0.15


def _layout_cost(key: LayoutKey, rows: int) -> float:
    """A layout's expected work, in layouts of an average language: its own and its rows'."""
    return _SLOW_LAYOUT_LANGUAGES.get(key[1], 1.0) * (1 + _ROW_COST * (rows - 1))


@dataclass
class _Worker:
    """One worker process, in a pool of its own, so the batch chooses what each does."""

    pool: ProcessPoolExecutor
    queued: set[Future[Any]] = field(default_factory=set)  # sent, not finished
    keys: set[LayoutKey] = field(default_factory=set)  # the layouts it holds


def run_batch(
    rows: list[CandidateRow],
    out_dir: Path,
    options: BatchOptions,
    *,
    workers: int | None = None,
    on_result: Callable[[BatchResult], None] | None = None,
    commit: Callable[[BatchResult], None] | None = None,
) -> list[BatchResult]:
    """Build every row's guide in ``workers`` processes (default: all cores).

    Results come back in row order; ``on_result`` is called as each one finishes. On Ctrl-C
    (or SIGTERM turned into KeyboardInterrupt by the CLI) nothing new starts, the guides
    being written finish, and ``BatchInterrupted`` carries every finished row's result.

    Workers write each row's files under temporary names; as each row finishes, this
    process calls ``commit`` (which records them in the database) and only then moves them
    in, so every guide on disk is recorded, even when the batch is killed; a row whose
    commit fails has its files removed and its error set. Temporary files a killed batch
    left in ``out_dir`` are removed when the next batch starts.
    """
    import multiprocessing

    if not rows:
        return []
    from hiring.files import discard, publish, remove_stale_staged

    out_dir = Path(out_dir)
    paths = check_batch_outputs(rows, out_dir, options)
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise InputError(f"cannot create {out_dir}: {error.strerror or error}") from None
    remove_stale_staged(out_dir)
    from hiring.render.catalogs import speaks
    from hiring.render.strings import ui_strings

    for lang in sorted({row.lang or options.lang for row in rows}):
        if speaks(lang):  # a team's catalog: read and checked, its fallback said, once here
            ui_strings(lang)
    count = max(1, min(workers or os.cpu_count() or 1, len(rows)))
    results: dict[int, BatchResult] = {}
    context = multiprocessing.get_context("spawn")

    def collect(future: Future[BatchResult], row: CandidateRow) -> None:
        # Ctrl-C and SIGTERM wait until the row is recorded, moved in and counted, or
        # none of these: never a guide on disk without its record, nor the reverse.
        with _stops_held():
            settle(future, row)

    def settle(future: Future[BatchResult], row: CandidateRow) -> None:
        try:
            result = future.result()
        except Exception as error:  # a crashed worker fails its row, not the batch
            result = BatchResult(row.line, row.name, error=f"{type(error).__name__}: {error}")
        if result.error is None and result.staged:
            try:
                if commit is not None:
                    commit(result)  # recorded first: no guide on disk goes unrecorded
                publish(result.staged)
            except HiringError as error:
                discard(result.staged)
                result = BatchResult(row.line, row.name, error=str(error))
            except BaseException:
                discard(result.staged)
                raise
        results[row.line] = result
        if on_result is not None:
            on_result(result)

    pending: dict[Future[BatchResult], CandidateRow] = {}
    layouts: dict[Future[Any], LayoutKey] = {}
    # Not yet sent to a worker: rows of other formats, PDF layouts (each with the rows of
    # its round and language), and rows whose layout is made (with the layout, or None
    # when it failed: each row then tries again, its result carrying the error).
    other_rows: list[tuple[CandidateRow, Path]] = []
    waiting: dict[LayoutKey, list[tuple[CandidateRow, Path]]] = {}
    ready: dict[LayoutKey, list[tuple[CandidateRow, Path]]] = {}
    shared: dict[LayoutKey, Any] = {}
    laid: set[LayoutKey] = set()  # layouts sent to a worker
    warming: set[Future[Any]] = set()

    def next_task(worker: _Worker, steal: bool
                  ) -> tuple[Future[Any], CandidateRow | LayoutKey] | None:
        """What ``worker`` does next: a layout while any is left, then the rows of its own
        layouts (its fonts loaded, its PDF parsed); with ``steal``, the rows of another
        worker's layout, the one with most rows left."""
        if other_rows:
            row, path = other_rows.pop(0)
            return _submit(worker.pool, build_row, row, path, options), row
        left = [key for key in waiting if key not in laid]
        if left:
            # The longest work first, so no long layout is the last one started.
            key = max(left, key=lambda k: _layout_cost(k, len(waiting[k])))
            laid.add(key)
            worker.keys.add(key)  # the layout's worker stamps its first row
            return _submit(worker.pool, layout_round, *key, options, waiting[key][:1]), key
        # Its own with fewest rows left first, and another's with most: a worker taking
        # over rows takes few layouts, and the other finishes whole layouts meanwhile.
        mine = sorted((k for k in worker.keys if ready.get(k)), key=lambda k: len(ready[k]))
        others = sorted((k for k in ready if ready[k]), key=lambda k: -len(ready[k]))
        for key in (mine or (others if steal else []))[:1]:
            worker.keys.add(key)
            row, path = ready[key].pop(0)
            return _submit(worker.pool, build_row_stamped, row, path, options,
                           shared[key]), row
        return None

    def feed() -> None:
        """Give every worker work up to two tasks ahead (one running, one queued); then a
        worker with nothing left to do takes over a row of another's."""
        for steal in (False, True):
            for worker in processes:
                while len(worker.queued) < (1 if steal else 2):
                    task = next_task(worker, steal)
                    if task is None:
                        break
                    future, what = task
                    worker.queued.add(future)
                    if isinstance(what, CandidateRow):
                        pending[future] = what
                    else:
                        layouts[future] = what

    def send_rows(layout: Future[Any], key: LayoutKey) -> None:
        """The layout's own row settled; its other rows made ready, with the layout."""
        keyed = waiting.pop(key)
        shared[key] = None
        if not layout.cancelled() and layout.exception() is None:
            shared[key], stamped = layout.result()
            for (row, _), result in zip(keyed, stamped, strict=False):
                collect(_done(result), row)
            keyed = keyed[len(stamped):]
        ready[key] = keyed

    interrupted = False
    with ExitStack() as stack:
        processes = [_Worker(stack.enter_context(ProcessPoolExecutor(
            max_workers=1, mp_context=context, initializer=_worker_start,
            initargs=(os.getpid(),)))) for _ in range(count)]
        try:
            for row, path in zip(rows, paths, strict=True):
                if options.fmt != "pdf":
                    other_rows.append((row, path))
                    continue
                key = (row.round or options.round, row.lang or options.lang)
                waiting.setdefault(key, []).append((row, path))
            if waiting:  # every worker started now, and warmed up (imports, bank)
                for worker in processes:
                    warm_up = _submit(worker.pool, _warm_up, options.bank_dirs)
                    worker.queued.add(warm_up)
                    warming.add(warm_up)
            with _stops_held():  # every task sent is known to be pending
                feed()
            while pending or layouts:
                running: list[Future[Any]] = [*pending, *layouts, *warming]
                done, _ = wait(running, return_when=FIRST_COMPLETED)
                for worker in processes:
                    worker.queued -= done
                warming -= done
                for future in done:
                    if future in layouts:
                        # Held: the layout's rows are settled and made ready before a
                        # Ctrl-C or SIGTERM stops the batch.
                        with _stops_held():
                            send_rows(future, layouts.pop(future))
                    elif future in pending:
                        collect(future, pending.pop(future))
                with _stops_held():
                    feed()
        except KeyboardInterrupt:
            interrupted = True
            unstarted: list[Future[Any]] = [*pending, *layouts]
            for future in unstarted:
                future.cancel()
        # Leaving the block waits for the guides being written: they finish atomically.
    if interrupted:
        for future, row in pending.items():
            if future.done() and not future.cancelled():
                collect(future, row)
        for layout, key in layouts.items():  # rows stamped with their layout, finished
            if layout.done() and not layout.cancelled() and layout.exception() is None:
                for (row, _), result in zip(waiting[key], layout.result()[1], strict=False):
                    collect(_done(result), row)
        raise BatchInterrupted([results[row.line] for row in rows if row.line in results])
    return [results[row.line] for row in rows]
