"""Start-up: hiring's quick commands against ``python -c "import typer"``.

Targets: ``hiring --help`` and ``hiring bank list`` within 2x the wall time of importing
typer (foundation issue); ``hiring score set`` end to end, on SQLite, within 2.5x (ratings
issue). Run: python -m benchmarks.bench_startup [--runs 21]
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
from pathlib import Path

from benchmarks.timing import ROOT, child_environment, interleaved_medians

SMALL_BANK = ROOT / "tests" / "fixtures" / "small_bank"

# The same global options and one command with two options, doing nothing: what Typer itself
# costs to parse a command line.
TYPER_FLOOR = """
from pathlib import Path
from typing import Annotated
import typer
app = typer.Typer()
@app.callback()
def root(bank: Annotated[list[Path] | None, typer.Option("--bank")] = None,
         db: Annotated[str | None, typer.Option("--db")] = None, traceback: bool = False) -> None:
    pass
@app.command("list")
def list_(lang: str = "en", as_json: Annotated[bool, typer.Option("--json")] = False) -> None:
    pass
@app.command("other")
def other() -> None:
    pass
app(["list"])
"""

TARGETS = {"hiring --help": 2.0, "hiring bank list": 2.0, "hiring score set": 2.5}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=21)
    runs = parser.parse_args().runs
    python = sys.executable
    with tempfile.TemporaryDirectory() as folder:
        db = str(Path(folder) / "startup.db")
        hiring = [python, "-m", "hiring", "--bank", str(SMALL_BANK), "--db", db]
        subprocess.run([*hiring, "candidate", "add", "Bench Candidate"], check=True,
                       stdout=subprocess.DEVNULL, env=child_environment())
        medians = interleaved_medians(
            {
                "python -c 'import typer'": [python, "-c", "import typer"],
                "empty Typer app, 2 options": [python, "-c", TYPER_FLOOR],
                "hiring --help": [python, "-m", "hiring", "--help"],
                "hiring bank list": [python, "-m", "hiring", "bank", "list"],
                # Same score each time: an audited update, a realistic end-to-end write.
                "hiring score set": [*hiring, "score", "set", "--candidate", "Bench Candidate",
                                     "--interviewer", "Bench", "--competency", "teamwork",
                                     "--score", "3", "--round", "panel"],
            },
            runs,
        )
    baseline = medians["python -c 'import typer'"]
    print(f"medians of {runs} interleaved runs, each a fresh process")
    for label, seconds in medians.items():
        ratio = seconds / baseline
        line = f"{label:<28} {seconds * 1000:7.1f} ms  {ratio:4.2f}x"
        if label in TARGETS:
            verdict = "OK" if ratio <= TARGETS[label] else "SLOW"
            line += f"  (target <= {TARGETS[label]}x) {verdict}"
        print(line)


if __name__ == "__main__":
    main()
