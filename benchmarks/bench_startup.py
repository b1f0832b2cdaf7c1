"""Start-up: `hiring --help` and `hiring bank list` against `python -c "import typer"`.

Target: within 2x the wall time of importing typer. Run: python -m benchmarks.bench_startup
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import time


def wall_time(args: list[str], repeat: int = 15) -> float:
    """Median wall time of a fresh interpreter running ``args`` (seconds)."""
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        subprocess.run([sys.executable, *args], check=True, capture_output=True)
        samples.append(time.perf_counter() - start)
    return statistics.median(samples)


# The same global options and one command with two options, doing nothing: what Typer itself
# costs to parse a command line (Typer >= 0.22 builds pydantic adapters for every parameter).
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


def main() -> None:
    baseline = wall_time(["-c", "import typer"])
    print(f"python -c 'import typer'   {baseline * 1000:7.1f} ms")
    floor = wall_time(["-c", TYPER_FLOOR])
    ratio = floor / baseline
    print(f"empty Typer app, 2 options {floor * 1000:7.1f} ms  {ratio:4.2f}x (Typer's own floor)")
    for label, args in [
        ("hiring --help", ["-m", "hiring", "--help"]),
        ("hiring bank list", ["-m", "hiring", "bank", "list"]),
    ]:
        seconds = wall_time(args)
        print(f"{label:<26} {seconds * 1000:7.1f} ms  {seconds / baseline:4.2f}x (target <= 2x)")


if __name__ == "__main__":
    main()
