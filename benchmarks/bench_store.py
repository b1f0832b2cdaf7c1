"""Store speed: ``score import`` of 100,000 rows into SQLite (target within 5 s) and
``score set`` end to end (target within 2.5x the wall time of ``python -c "import typer"``).

Run: python -m benchmarks.bench_store
"""

from __future__ import annotations

import csv
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
SMALL_BANK = REPO / "tests" / "fixtures" / "small_bank"
IMPORT_ROWS = 100_000
IMPORT_TARGET_S = 5.0
SET_TARGET_RATIO = 2.5
RUNS = 15
MINIMAL_TYPER_APP = """from typing import Annotated
import typer
app = typer.Typer()
@app.command()
def main(score: Annotated[int, typer.Option("--score")] = 1) -> None:
    typer.echo(score)
app()
"""


def _write_scores(path: Path, rows: int) -> None:
    # 5,000 candidates x 10 interviewers x 2 competencies (one on 1-5, one on 0-3).
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["candidate", "interviewer", "competency", "score", "note", "round"])
        written = 0
        candidate = 0
        while written < rows:
            for interviewer in range(10):
                for competency, top in (("teamwork", 5), ("avoiding-arguments", 3)):
                    if written == rows:
                        return
                    score = (candidate + interviewer) % top + (1 if top == 5 else 0)
                    writer.writerow([f"Candidate {candidate}", f"Interviewer {interviewer}",
                                     competency, score, f"evidence {written}", "interview"])
                    written += 1
            candidate += 1


def _hiring(db: Path, *args: str) -> list[str]:
    return [sys.executable, "-m", "hiring", "--bank", str(SMALL_BANK), "--db", str(db), *args]


def _wall(command: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run(command, check=True, cwd=REPO, stdout=subprocess.DEVNULL)
    return time.perf_counter() - start


def bench_import(folder: Path) -> float:
    source = folder / "scores.csv"
    _write_scores(source, IMPORT_ROWS)
    db = folder / "import.db"
    seconds = _wall(_hiring(db, "score", "import", str(source), "--create-candidates"))
    print(f"score import, {IMPORT_ROWS:,} rows into SQLite (end to end): {seconds:.2f} s "
          f"(target {IMPORT_TARGET_S:.1f} s) {'OK' if seconds <= IMPORT_TARGET_S else 'SLOW'}")
    return seconds


def bench_set(folder: Path) -> float:
    db = folder / "set.db"
    subprocess.run(_hiring(db, "candidate", "add", "Bench Candidate"), check=True, cwd=REPO,
                   stdout=subprocess.DEVNULL)
    typer_times = [_wall([sys.executable, "-c", "import typer"]) for _ in range(RUNS)]
    set_times = [
        _wall(_hiring(db, "score", "set", "--candidate", "Bench Candidate", "--interviewer",
                      "Bench", "--competency", "teamwork", "--score", str(1 + run % 5)))
        for run in range(RUNS)
    ]
    # Context: any Typer command with one int option pays for Typer's parameter adapters
    # (which import pydantic) on top of "import typer".
    floor = folder / "one_option.py"
    floor.write_text(MINIMAL_TYPER_APP, encoding="utf-8")
    floor_times = [_wall([sys.executable, str(floor), "--score", "3"]) for _ in range(RUNS)]
    typer_s, set_s = statistics.median(typer_times), statistics.median(set_times)
    floor_s = statistics.median(floor_times)
    ratio = set_s / typer_s
    print(f"python -c 'import typer': median {typer_s * 1000:.0f} ms over {RUNS} runs")
    print(f"a 6-line Typer app with one int option: median {floor_s * 1000:.0f} ms = "
          f"{floor_s / typer_s:.2f}x (the floor for any Typer command)")
    print(f"hiring score set (end to end, SQLite): median {set_s * 1000:.0f} ms = {ratio:.2f}x "
          f"(target {SET_TARGET_RATIO}x) {'OK' if ratio <= SET_TARGET_RATIO else 'SLOW'}")
    return ratio


def main() -> None:
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        bench_import(folder)
        bench_set(folder)


if __name__ == "__main__":
    main()
