"""Store speed: ``score import`` of 100,000 rows into SQLite (target within 5 s).

``score set`` end to end (target within 2.5x ``python -c "import typer"``) is measured with
the other start-up figures in ``benchmarks.bench_startup``.

Run: python -m benchmarks.bench_store
"""

from __future__ import annotations

import csv
import sys
import tempfile
from pathlib import Path

from benchmarks.timing import ROOT, wall_time

SMALL_BANK = ROOT / "tests" / "fixtures" / "small_bank"
IMPORT_ROWS = 100_000
IMPORT_TARGET_S = 5.0


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
                                     competency, score, f"evidence {written}", "panel"])
                    written += 1
            candidate += 1


def _hiring(db: Path, *args: str) -> list[str]:
    return [sys.executable, "-m", "hiring", "--bank", str(SMALL_BANK), "--db", str(db), *args]


def bench_import(folder: Path) -> float:
    source = folder / "scores.csv"
    _write_scores(source, IMPORT_ROWS)
    db = folder / "import.db"
    seconds = wall_time(_hiring(db, "score", "import", str(source), "--create-candidates"))
    print(f"score import, {IMPORT_ROWS:,} rows into SQLite (end to end): {seconds:.2f} s "
          f"(target {IMPORT_TARGET_S:.1f} s) {'OK' if seconds <= IMPORT_TARGET_S else 'SLOW'}")
    return seconds


def main() -> None:
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        bench_import(folder)
    print("score set end to end: see python -m benchmarks.bench_startup")


if __name__ == "__main__":
    main()
