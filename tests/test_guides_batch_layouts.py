"""A batch of PDF guides lays out each (round, language) once for the whole batch, not
once per worker, and sends the layout with its rows (issue 28); a layout that fails fails
its rows alone, each with its own error, and leaves no file.

The scheduling is watched in-process: the process pool is replaced by one that runs each
task in this process, in order, so every call can be counted (real WeasyPrint, real
pypdf, real files; the spawned workers themselves are covered by test_guides_batch)."""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import Future
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader

from hiring.guides import batch
from hiring.guides.batch import BatchOptions, run_batch
from hiring.guides.batch_rows import read_candidates

FIVE = Path(__file__).parent / "fixtures" / "five_lang_bank"


class InProcessPool:
    """Runs each submitted task at once in this process (a stand-in for the worker pool)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        self.tasks: list[str] = []

    def __enter__(self) -> InProcessPool:
        return self

    def __exit__(self, *exc: object) -> None:
        return None

    def submit(self, task: Callable[..., Any], *args: Any) -> Future[Any]:
        future: Future[Any] = Future()
        try:
            future.set_result(task(*args))
        except Exception as error:  # noqa: BLE001 - as a worker's failure reaches the parent
            future.set_exception(error)
        return future


def test_each_layout_is_made_once_and_sent_with_its_rows(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from hiring.render import stamp

    made: list[str] = []
    sent: dict[str, bool] = {}
    layout_once, stamped = stamp.layout_once, batch.build_row_stamped

    def counting_layout(*args: Any, **kwargs: Any) -> Any:
        made.append("layout")
        return layout_once(*args, **kwargs)

    def watching_row(row: Any, out: Path, options: Any, shared: Any = None) -> Any:
        assert row.name not in sent  # each row built once
        sent[row.name] = shared is not None
        if shared is not None:
            batch._WORKER_LAYOUTS.clear()  # as in another worker: only what the task brings
        return stamped(row, out, options, shared)

    monkeypatch.setattr(stamp, "layout_once", counting_layout)
    monkeypatch.setattr(batch, "build_row_stamped", watching_row)
    monkeypatch.setattr(batch, "ProcessPoolExecutor", InProcessPool)
    batch._WORKER_LAYOUTS.clear()
    csv = tmp_path / "people.csv"
    csv.write_text("name,lang,round\nAnna Berg,en,screen\nOle Dahl,da,screen\n"
                   "Eva Lund,en,screen\nIvan Petrov,ru,nope\nMia Holm,da,screen\n",
                   encoding="utf-8")
    rows, _ = read_candidates(csv)
    options = BatchOptions(role="inbound-agent", bank_dirs=[FIVE])
    results = run_batch(rows, tmp_path / "out", options, workers=2)
    # en and da laid out once each for 4 rows: the first row of each (a worker's share of
    # 2 rows) stamped in the layout's own task, the other sent the layout; the bad round
    # tried by its row alone.
    assert made == ["layout", "layout"]
    assert sent == {"Anna Berg": False, "Ole Dahl": False, "Eva Lund": True,
                    "Ivan Petrov": False, "Mia Holm": True}
    errors = {r.name: r.error for r in results}
    assert errors.pop("Ivan Petrov") is not None and "nope" in str(results[3].error)
    assert set(errors.values()) == {None}
    written = sorted(p.name for p in (tmp_path / "out").glob("*.pdf"))
    assert written == ["anna-berg-screen-en.pdf", "eva-lund-screen-en.pdf",
                       "mia-holm-screen-da.pdf", "ole-dahl-screen-da.pdf"]
    for result in results:
        if result.path is not None:  # each guide carries its own candidate's name
            text = "".join(page.extract_text() for page in PdfReader(result.path).pages)
            assert result.name in text
            others = {r.name for r in results} - {result.name}
            assert not any(other in text for other in others)
    batch._WORKER_LAYOUTS.clear()


def test_a_layouts_rows_go_to_its_worker_and_an_idle_worker_takes_over(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    pools: list[InProcessPool] = []
    by_pool: dict[str, int] = {}  # row name -> the pool (worker) that stamped it
    shared_sent: dict[str, bool] = {}
    layout_round, stamped = batch.layout_round, batch.build_row_stamped

    class Worker(InProcessPool):
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__()
            pools.append(self)

        def submit(self, task: Callable[..., Any], *args: Any) -> Future[Any]:
            if task is watching_layout:
                by_pool.update({row.name: pools.index(self) for row, _ in args[3]})
            elif task is watching_row:
                by_pool[args[0].name] = pools.index(self)
            return super().submit(task, *args)

    def watching_layout(*args: Any) -> Any:
        return layout_round(*args)

    def watching_row(row: Any, out: Path, options: Any, shared: Any = None) -> Any:
        shared_sent[row.name] = shared is not None
        return stamped(row, out, options, shared)

    monkeypatch.setattr(batch, "layout_round", watching_layout)
    monkeypatch.setattr(batch, "build_row_stamped", watching_row)
    monkeypatch.setattr(batch, "ProcessPoolExecutor", Worker)
    batch._WORKER_LAYOUTS.clear()
    csv = tmp_path / "people.csv"
    csv.write_text("name,lang,round\n" + "".join(
        f"En {i},en,screen\nDa {i},da,screen\n" for i in range(3)) + "".join(
        f"Late {i},en,panel\n" for i in range(6)), encoding="utf-8")
    rows, _ = read_candidates(csv)
    options = BatchOptions(role="inbound-agent", bank_dirs=[FIVE])
    results = run_batch(rows, tmp_path / "out", options, workers=2)
    assert [r.error for r in results] == [None] * len(rows)
    assert len(pools) == 2
    # Each layout's rows stamped by the worker that laid it out ...
    assert {by_pool[f"En {i}"] for i in range(3)} == {by_pool["En 0"]}
    assert {by_pool[f"Da {i}"] for i in range(3)} == {by_pool["Da 0"]}
    assert by_pool["En 0"] != by_pool["Da 0"]
    # ... until one has nothing left: it takes over rows of the other's layout, sent with
    # the task (the third layout, panel, went to the first worker free: 6 rows, 2 workers).
    late = {by_pool[f"Late {i}"] for i in range(6)}
    assert late == {0, 1}
    assert any(shared_sent[f"Late {i}"] for i in range(6) if by_pool[f"Late {i}"]
               != by_pool["Late 0"])
    batch._WORKER_LAYOUTS.clear()


def test_the_longest_layout_is_started_first(tmp_path: Path) -> None:
    # Chinese lays out slowest (batch._SLOW_LAYOUT_LANGUAGES): started first, it cannot be
    # the last long task of a batch while the other worker idles. One real worker: the
    # results come back in the order the layouts were started.
    batch._WORKER_LAYOUTS.clear()
    csv = tmp_path / "people.csv"
    csv.write_text("name,lang\nAnna Berg,en\nOle Dahl,da\nLi Wei,zh\n", encoding="utf-8")
    rows, _ = read_candidates(csv)
    finished: list[str] = []
    results = run_batch(rows, tmp_path / "out", BatchOptions(
        role="inbound-agent", bank_dirs=[FIVE], round="panel"), workers=1,
        on_result=lambda result: finished.append(result.name))
    assert [r.error for r in results] == [None, None, None]
    assert finished[0] == "Li Wei" and sorted(finished) == ["Anna Berg", "Li Wei", "Ole Dahl"]


def test_a_batch_says_which_urls_writing_its_shared_layout_refused(tmp_path: Path) -> None:
    # A file outside the roots, named by an override template, is refused and said for
    # every stamped guide of a batch, as for a one-off guide; nothing of it is embedded.
    templates = tmp_path / "templates"
    templates.mkdir()
    (templates / "guide.html.j2").write_text(
        '{% extends "base.html.j2" %}{% block content %}'
        '<link rel="attachment" href="file:///etc/passwd" title="passwd">'
        '<p>Override for {{ guide.candidate }}</p>{% endblock %}', encoding="utf-8")
    csv = tmp_path / "people.csv"
    csv.write_text("name,lang\nAnna Berg,en\nOle Dahl,en\n", encoding="utf-8")
    rows, _ = read_candidates(csv)
    batch._WORKER_LAYOUTS.clear()
    results = run_batch(rows, tmp_path / "out", BatchOptions(
        role="inbound-agent", bank_dirs=[FIVE], round="panel", templates_dir=templates),
        workers=1)
    assert [r.error for r in results] == [None, None]
    for result in results:
        assert any("file:///etc/passwd" in warning for warning in result.warnings), result
        assert result.path is not None and b"root:" not in result.path.read_bytes()
