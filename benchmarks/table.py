"""Issue 28's table in one run (``make bench``): each row as a ratio against its anchor.

Run: python -m benchmarks.table [--runs 3] [--large] [--only ROW ...]

Every command runs as a fresh process, ours and its anchor interleaved (ours, anchor, ours,
anchor, ...) after one warm-up each, and the medians are compared. Two figures per run:
CPU time (user + sys of the process and everything it started, from the kernel's
accounting of reaped children) and wall time. On a shared machine CPU time is the one to
read: wall time grows with everyone else's load, CPU time much less. On PostgreSQL the
server's own CPU for the session is added (read from /proc when the server runs on this
machine; otherwise only the client's is counted, and the row says so).

Rows and anchors:

- report compare, 500 candidates (PDF)    vs the ``weasyprint`` CLI on the report's HTML
- stats reliability, 10,000 candidates    vs the numpy floor: the same statistics from
                                            arrays in memory (``RatingTable`` + reliability)
- score import, 100,000 rows, PostgreSQL  vs the same import into SQLite
- guide batch, 40 guides (one round, 5 languages): 2 workers vs 1
- guide batch, 20 guides in 10 layouts (5 languages x 2 rounds): 2 workers vs 1
- one short guide (ru, 6 pages)           vs the ``weasyprint`` CLI on its HTML
- report compare on PostgreSQL, 10,000 candidates (only with ``--large``: minutes)
- start-up: ``score set`` (SQLite) and ``score list`` (PostgreSQL) vs ``import typer``

The ``weasyprint`` CLI anchors write what ours writes: a tagged PDF/UA-1
(``--pdf-variant pdf/ua-1``; hiring's guides and reports are PDF/UA-1 since issue 23).
An untagged PDF costs the engine less (no structure tree, marked content or PDF/UA
metadata: 0-0.1 s of a short guide's 0.9 s, measured on 7 December 2026), so comparing
our tagged file with an untagged one would charge WeasyPrint's own tagging to hiring.
In the guide and 500-candidate report rows the untagged CLI is still run, interleaved
with the other two, and ours against it is printed at the end of the line ("also vs the
untagged CLI"), so that comparison stays in sight (the ``--large`` row runs once each and
has the tagged anchor only).

For the batch rows the speed-up is given twice: by wall time, and by CPU along the
critical path (the parent's CPU plus the busiest worker's), which is what two free cores
would give. The load average is printed with every row.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from benchmarks.timing import ROOT, child_environment

SMALL_BANK = ROOT / "tests" / "fixtures" / "small_bank"
FIVE_BANK = ROOT / "tests" / "fixtures" / "five_lang_bank"
PG_NAME = "hiring_bench_table"  # application_name of the measured PostgreSQL sessions
NUMPY_FLOOR = """
from benchmarks.bench_stats import synthetic_ratings
from hiring.scoring.rating_table import RatingTable
from hiring.scoring.reliability import reliability_report
c, i, k, s, specs = synthetic_ratings({n}, 6)
reliability_report(RatingTable.build(c, i, k, s, specs))
"""


@dataclass
class Run:
    wall: float
    cpu: float
    server_cpu: float = 0.0
    memory: float = 0.0  # MB: the peak of the process tree's summed RSS, sampled

    @property
    def total_cpu(self) -> float:
        return self.cpu + self.server_cpu


def load() -> str:
    return "load {:.1f} {:.1f} {:.1f}".format(*os.getloadavg())


@contextmanager
def server_cpu(enabled: bool) -> Iterator[dict[int, float]]:
    """CPU seconds of each PostgreSQL backend named ``PG_NAME`` while the block runs."""
    seen: dict[int, float] = {}
    if not enabled:
        yield seen
        return
    import psycopg

    stop = threading.Event()
    tick = os.sysconf("SC_CLK_TCK")
    url = os.environ["HIRING_TEST_PG_URL"]

    def watch() -> None:
        with psycopg.connect(url, autocommit=True) as watcher:
            while not stop.is_set():
                for (pid,) in watcher.execute(
                        "SELECT pid FROM pg_stat_activity WHERE application_name = %s",
                        (PG_NAME,)).fetchall():
                    try:
                        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
                    except OSError:
                        continue
                    seen[pid] = (int(fields[11]) + int(fields[12])) / tick
                time.sleep(0.05)

    thread = threading.Thread(target=watch, daemon=True)
    thread.start()
    try:
        yield seen
    finally:
        stop.set()
        thread.join()


def _tree_rss(pid: int) -> int:
    """Resident kB of ``pid`` and every process under it (0 once it is gone)."""
    total, stack = 0, [str(pid)]
    while stack:
        current = stack.pop()
        try:
            status = Path(f"/proc/{current}/status").read_text()
            total += int(next(line.split()[1] for line in status.splitlines()
                              if line.startswith("VmRSS:")))
            for children in Path(f"/proc/{current}/task").glob("*/children"):
                stack.extend(children.read_text().split())
        except (OSError, StopIteration, ValueError):
            continue
    return total


def run(command: Sequence[str], pg: bool = False) -> Run:
    """One fresh process: its wall and CPU time (with the children it reaped) and the peak
    of its process tree's memory (workers included), sampled every 20 ms."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    peak = [0]
    with server_cpu(pg) as seen:
        process = subprocess.Popen(list(command), cwd=ROOT, stdout=subprocess.DEVNULL,
                                   env=child_environment())
        done = threading.Event()

        def sample() -> None:  # beside the wait, so the wall time is not rounded up
            while not done.wait(0.02):
                peak[0] = max(peak[0], _tree_rss(process.pid))

        sampler = threading.Thread(target=sample, daemon=True)
        sampler.start()
        returncode = process.wait()
        wall = time.perf_counter() - start
        done.set()
        sampler.join()
        if returncode:
            raise subprocess.CalledProcessError(returncode, command)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return Run(wall, cpu, sum(seen.values()), peak[0] / 1024)


def interleaved(commands: Sequence[Sequence[str]], runs: int,
                pg: Sequence[bool] | None = None,
                setup: Callable[[], None] | None = None) -> list[Run]:
    """Medians of ``runs`` interleaved runs of each command, after one warm-up each."""
    samples: list[list[Run]] = [[] for _ in commands]
    for attempt in range(runs + 1):
        for index, command in enumerate(commands):
            if setup is not None:
                setup()
            sample = run(command, pg[index] if pg is not None else False)
            if attempt:
                samples[index].append(sample)

    def median(items: list[Run]) -> Run:
        return Run(statistics.median(r.wall for r in items),
                   statistics.median(r.cpu for r in items),
                   statistics.median(r.server_cpu for r in items),
                   max(r.memory for r in items))

    return [median(items) for items in samples]


def paired(ours: Sequence[str], anchor: Sequence[str], runs: int, pg: tuple[bool, bool] = (
        False, False), setup: Callable[[], None] | None = None) -> tuple[Run, Run]:
    """Medians of ``runs`` interleaved runs of each, after one warm-up each."""
    mine, theirs = interleaved([ours, anchor], runs, pg, setup)
    return mine, theirs


def row(label: str, ours: Run, anchor: Run, anchor_label: str, target: str,
        extra: tuple[str, Run] | None = None) -> None:
    """One line of the table; ``extra``: a second anchor, its ratio printed after the load."""
    ratio_cpu = ours.total_cpu / anchor.total_cpu
    ratio_wall = ours.wall / anchor.wall
    server = (f" (the server's {ours.server_cpu:.2f} s included)" if ours.server_cpu else "")
    also = ""
    if extra is not None:
        extra_label, other = extra
        also = (f" | also vs {extra_label}: CPU {other.total_cpu:.2f} s, ratio CPU "
                f"{ours.total_cpu / other.total_cpu:.2f}x")
    memory = f", peak memory {ours.memory:.0f} MB" if ours.memory else ""
    print(f"{label}: CPU {ours.total_cpu:.2f} s{server}, wall {ours.wall:.2f} s{memory} | "
          f"{anchor_label}: CPU {anchor.total_cpu:.2f} s, wall {anchor.wall:.2f} s | "
          f"ratio CPU {ratio_cpu:.2f}x, wall {ratio_wall:.2f}x | target {target} | {load()}"
          f"{also}", flush=True)


def hiring(bank: Path, db: str, *args: str) -> list[str]:
    return [sys.executable, "-m", "hiring", "--bank", str(bank), "--db", db, *args]


# What hiring writes by default (hiring.render.pdf.DEFAULT_PDF_VARIANT): the anchors too.
TAGGED = "pdf/ua-1"
TAGGED_ANCHOR = "weasyprint CLI on its HTML (pdf/ua-1)"
UNTAGGED_ANCHOR = "the untagged CLI"


def weasyprint(html: Path, pdf: Path, variant: str | None = TAGGED) -> list[str]:
    """The ``weasyprint`` CLI writing ``variant`` (None: a plain untagged PDF)."""
    import shutil

    found = shutil.which("weasyprint") or str(Path(sys.executable).parent / "weasyprint")
    return [found, *(["--pdf-variant", variant] if variant else []), str(html), str(pdf)]


def pg_schema_url(name: str) -> str:
    base = os.environ["HIRING_TEST_PG_URL"]
    separator = "&" if "?" in base else "?"
    return f"{base}{separator}options=-csearch_path%3D{name}&application_name={PG_NAME}"


@contextmanager
def pg_schema() -> Iterator[str]:
    import psycopg

    base = os.environ["HIRING_TEST_PG_URL"]
    name = f"bench_table_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(base, autocommit=True) as admin:
        admin.execute(f'CREATE SCHEMA "{name}"')
    try:
        yield pg_schema_url(name)
    finally:
        with psycopg.connect(base, autocommit=True) as admin:
            admin.execute(f'DROP SCHEMA "{name}" CASCADE')


# -- rows -------------------------------------------------------------------------------
def report_row(work: Path, runs: int) -> None:
    from benchmarks.bench_reports import ROLE, fill_store, write_bank

    bank = write_bank(work / "report-bank")
    db = work / "report-500.db"
    fill_store(db, 500)
    html = work / "compare.html"
    subprocess.run(hiring(bank, str(db), "report", "compare", "--role", ROLE, "--round",
                          "panel", "--out", str(html)), check=True, cwd=ROOT,
                   stdout=subprocess.DEVNULL, env=child_environment())
    compare = hiring(bank, str(db), "report", "compare", "--role", ROLE, "--round", "panel",
                     "--out", str(work / "compare.pdf"))
    ours, one, anchor, untagged = interleaved([
        compare, [*compare, "--workers", "1"], weasyprint(html, work / "weasy.pdf"),
        weasyprint(html, work / "weasy-untagged.pdf", None)], runs)
    row("report compare, 500 candidates (parts in parallel, the default)", ours, anchor,
        TAGGED_ANCHOR, "12 s, 600 MB", (UNTAGGED_ANCHOR, untagged))
    row("report compare, 500 candidates, --workers 1", one, anchor, TAGGED_ANCHOR,
        "12 s, 600 MB")


def stats_row(work: Path, runs: int) -> None:
    from benchmarks.bench_reports import ROLE, fill_store, write_bank

    bank = write_bank(work / "stats-bank")
    db = work / "stats-10000.db"
    fill_store(db, 10_000)
    ours, anchor = paired(
        hiring(bank, str(db), "stats", "reliability", "--role", ROLE, "--json"),
        [sys.executable, "-c", NUMPY_FLOOR.format(n=10_000)], runs)
    row("stats reliability, 10,000 candidates", ours, anchor, "numpy floor",
        "2 s (the floor: 1.4-1.55 s, so <= 1.3x)")


def import_row(work: Path, runs: int) -> None:
    from benchmarks.bench_store import IMPORT_ROWS, _write_scores

    if not os.environ.get("HIRING_TEST_PG_URL"):
        print("score import, PostgreSQL: skipped (set HIRING_TEST_PG_URL)")
        return
    source = work / "scores.csv"
    _write_scores(source, IMPORT_ROWS)
    pg_runs: list[Run] = []
    lite_runs: list[Run] = []
    for attempt in range(runs + 1):
        with pg_schema() as url:
            run(hiring(SMALL_BANK, url, "candidate", "list"))  # the schema made, untimed
            sample = run(hiring(SMALL_BANK, url, "score", "import", str(source),
                                "--create-candidates"), pg=True)
        lite = work / f"import-{attempt}.db"
        lite_sample = run(hiring(SMALL_BANK, str(lite), "score", "import", str(source),
                                 "--create-candidates"))
        if attempt:
            pg_runs.append(sample)
            lite_runs.append(lite_sample)
    pick = len(pg_runs) // 2
    ours = sorted(pg_runs, key=lambda r: r.total_cpu)[pick]
    anchor = sorted(lite_runs, key=lambda r: r.cpu)[pick]
    row(f"score import, {IMPORT_ROWS:,} rows, PostgreSQL", ours, anchor,
        "the same into SQLite", "5 s (SQLite 3.9 s, so <= 1.3x)")


BATCH_CHILD = """
import json, os, sys, tempfile, threading, time, resource
from pathlib import Path
from hiring.guides.batch import BatchOptions, run_batch
from hiring.guides.batch_rows import read_candidates

def main(mode, workers):
    langs = ["en", "da", "ru", "bg", "zh"]
    bank = Path({bank!r})
    with tempfile.TemporaryDirectory() as folder:
        csv = Path(folder) / "people.csv"
        if mode == "one":
            csv.write_text("name,lang\\n" + "".join(
                f"Person {{i}},{{langs[i % 5]}}\\n" for i in range(40)), encoding="utf-8")
            options = BatchOptions(role="inbound-agent", bank_dirs=[bank], round="panel")
        else:
            csv.write_text("name,lang,round\\n" + "".join(
                f"Person {{i}},{{langs[i % 5]}},{{('screen', 'panel')[(i // 5) % 2]}}\\n"
                for i in range(20)), encoding="utf-8")
            options = BatchOptions(role="inbound-agent", bank_dirs=[bank])
        rows, _ = read_candidates(csv)
        seen, stop, tick = {{}}, threading.Event(), os.sysconf("SC_CLK_TCK")

        def watch():
            while not stop.is_set():
                for name in Path(f"/proc/{{os.getpid()}}/task").glob("*/children"):
                    for pid in name.read_text().split():
                        try:
                            stat = Path(f"/proc/{{pid}}/stat").read_text()
                        except OSError:
                            continue
                        fields = stat.rsplit(")", 1)[1].split()
                        seen[pid] = (int(fields[11]) + int(fields[12])) / tick
                time.sleep(0.05)

        thread = threading.Thread(target=watch, daemon=True)
        thread.start()
        start, before = time.perf_counter(), time.process_time()
        results = run_batch(rows, Path(folder) / "out", options, workers=workers)
        wall, parent = time.perf_counter() - start, time.process_time() - before
        stop.set()
        thread.join()
        assert not [r.error for r in results if r.error]
        print(json.dumps({{"wall": wall, "parent": parent, "workers": sorted(seen.values())}}))

if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]))
"""


def batch_child(mode: str, workers: int) -> dict[str, float]:
    done = subprocess.run(
        [sys.executable, "-c", BATCH_CHILD.format(bank=str(FIVE_BANK)), mode, str(workers)],
        check=True, cwd=ROOT, capture_output=True, text=True, env=child_environment())
    found = json.loads(done.stdout.strip().splitlines()[-1])
    return {"wall": found["wall"],
            "critical": found["parent"] + max(found["workers"], default=0.0),
            "cpu": found["parent"] + sum(found["workers"])}


def batch_row(mode: str, label: str, runs: int) -> None:
    samples: dict[int, list[dict[str, float]]] = {1: [], 2: []}
    for attempt in range(runs + 1):
        for workers in (1, 2):
            sample = batch_child(mode, workers)
            if attempt:
                samples[workers].append(sample)
    med = {w: {k: statistics.median(s[k] for s in samples[w]) for k in samples[w][0]}
           for w in samples}
    print(f"{label}: 1 worker wall {med[1]['wall']:.2f} s, CPU {med[1]['cpu']:.2f} s | "
          f"2 workers wall {med[2]['wall']:.2f} s, CPU {med[2]['cpu']:.2f} s, critical path "
          f"{med[2]['critical']:.2f} s | speed-up wall {med[1]['wall'] / med[2]['wall']:.2f}x, "
          f"CPU critical path {med[1]['critical'] / med[2]['critical']:.2f}x | target 1.7x | "
          f"{load()}", flush=True)


def guide_row(work: Path, runs: int) -> None:
    from hiring.bank import load_bank
    from hiring.guides.build import render_guide_html
    from hiring.guides.context import GuideRequest, build_guide

    bank = load_bank([FIVE_BANK])
    request = GuideRequest(role="inbound-agent", round="panel", candidate="Иван Петров",
                           lang="ru")
    html = work / "guide-ru.html"
    html.write_text(render_guide_html(build_guide(bank, request)), encoding="utf-8")
    ours, anchor, untagged = interleaved([
        [sys.executable, "-m", "hiring", "--bank", str(FIVE_BANK), "guide", "build", "--role",
         "inbound-agent", "--round", "panel", "--candidate", "Иван Петров", "--lang", "ru",
         "--no-record", "--out", str(work / "ours-ru.pdf")],
        weasyprint(html, work / "theirs-ru.pdf"),
        weasyprint(html, work / "theirs-ru-untagged.pdf", None)], runs)
    row("one guide (ru, panel)", ours, anchor, TAGGED_ANCHOR, "1.15x",
        (UNTAGGED_ANCHOR, untagged))


def large_report_row(work: Path) -> None:
    """The 10,000-candidate report on PostgreSQL against its absolute target. No CLI anchor:
    the HTML report lists every candidate in full (the PDF is a shortlist document), so the
    ``weasyprint`` CLI on it lays out another, far larger document (seen: over 9 GB and
    5 minutes without finishing)."""
    if not os.environ.get("HIRING_TEST_PG_URL"):
        print("report compare on PostgreSQL, 10,000 candidates: skipped (HIRING_TEST_PG_URL)")
        return
    from pypdf import PdfReader

    from benchmarks.bench_reports import (
        LARGE_COMPETENCIES,
        LARGE_PANEL,
        LARGE_ROLE,
        fill_store,
        write_bank,
    )

    bank = write_bank(work / "large-bank")
    lite = work / "large.db"
    # Issue 28's pool: 10,000 candidates x 2 interviewers x 5 competencies = 100,000
    # ratings (as bench_reports.py's large bench).
    fill_store(lite, 10_000, role=LARGE_ROLE, competencies=LARGE_COMPETENCIES,
               panel=LARGE_PANEL)
    with pg_schema() as url:
        subprocess.run(hiring(bank, str(lite), "db", "copy", "--to", url), check=True,
                       cwd=ROOT, stdout=subprocess.DEVNULL, env=child_environment())
        compare = hiring(bank, url, "report", "compare", "--role", LARGE_ROLE, "--out",
                         str(work / "large.pdf"))
        for label, command in (("parts in parallel, the default", compare),
                               ("--workers 1", [*compare, "--workers", "1"])):
            ours = run(command, pg=True)
            pages = len(PdfReader(work / "large.pdf").pages)
            print(f"report compare, PostgreSQL, 10,000 candidates (100,000 ratings), {label}: CPU "
                  f"{ours.total_cpu:.2f} s (the server's {ours.server_cpu:.2f} s included), "
                  f"wall {ours.wall:.2f} s, peak memory {ours.memory:.0f} MB, {pages} pages | "
                  f"target 60 s, 1 GB | {load()}", flush=True)


def startup_row(work: Path, runs: int) -> None:
    db = str(work / "startup.db")
    subprocess.run(hiring(SMALL_BANK, db, "candidate", "add", "Bench Candidate"), check=True,
                   cwd=ROOT, stdout=subprocess.DEVNULL, env=child_environment())
    ours, anchor = paired(
        hiring(SMALL_BANK, db, "score", "set", "--candidate", "Bench Candidate",
               "--interviewer", "Bench", "--competency", "teamwork", "--score", "3",
               "--round", "panel"),
        [sys.executable, "-c", "import typer"], runs)
    row("start-up: score set (SQLite)", ours, anchor, "import typer", "2.0x with margin")
    if not os.environ.get("HIRING_TEST_PG_URL"):
        print("start-up: score list (PostgreSQL): skipped (set HIRING_TEST_PG_URL)")
        return
    with pg_schema() as url:
        run(hiring(SMALL_BANK, url, "candidate", "add", "Bench Candidate"))
        ours, anchor = paired(hiring(SMALL_BANK, url, "score", "list", "--candidate", "1"),
                              [sys.executable, "-c", "import typer"], runs, pg=(True, False))
    row("start-up: score list (PostgreSQL)", ours, anchor, "import typer", "3.2x")


ROWS = ("report", "stats", "import", "batch-one", "batch-many", "guide", "large", "startup")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3, help="runs of each (after a warm-up)")
    parser.add_argument("--large", action="store_true",
                        help="also the 10,000-candidate report on PostgreSQL (minutes)")
    parser.add_argument("--only", nargs="+", choices=ROWS)
    args = parser.parse_args()
    chosen = args.only or [r for r in ROWS if r != "large" or args.large]
    print(f"issue 28's table: {os.cpu_count()} cores, {load()}; medians of {args.runs} "
          "interleaved runs (fresh processes) after a warm-up", flush=True)
    with tempfile.TemporaryDirectory() as folder:
        work = Path(folder)
        steps: dict[str, Callable[[], None]] = {
            "report": lambda: report_row(work, max(1, args.runs // 3)),
            "stats": lambda: stats_row(work, args.runs),
            "import": lambda: import_row(work, max(1, args.runs // 2)),
            "batch-one": lambda: batch_row("one", "guide batch, 40 guides of one round",
                                           max(1, args.runs // 2)),
            "batch-many": lambda: batch_row("many", "guide batch, 20 guides in 10 layouts",
                                            max(1, args.runs // 2)),
            "guide": lambda: guide_row(work, args.runs),
            "large": lambda: large_report_row(work),
            "startup": lambda: startup_row(work, args.runs * 3),
        }
        for name in chosen:
            steps[name]()


if __name__ == "__main__":
    main()
