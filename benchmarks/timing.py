"""Wall time of whole commands, as fresh processes, compared fairly.

- Commands are interleaved (a, b, c, a, b, c, ...) so drifts in machine load hit all alike,
  and each is run once first to warm the file cache; medians are reported.
- ``PYTHONDONTWRITEBYTECODE`` is removed from the children's environment. Some machines set
  it, and then hiring's own modules are compiled from source on every run (about 35 ms)
  while the libraries it is compared with load the bytecode pip compiled at install time.
  An installed hiring has its bytecode too.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import time
from collections.abc import Mapping, Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def child_environment() -> dict[str, str]:
    """The environment the measured commands run in (see the module docstring)."""
    env = dict(os.environ)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    return env


def wall_time(command: Sequence[str], env: Mapping[str, str] | None = None) -> float:
    """Seconds one run of ``command`` takes; fails if the command does."""
    start = time.perf_counter()
    subprocess.run(
        list(command), check=True, cwd=ROOT, stdout=subprocess.DEVNULL,
        env=dict(env) if env is not None else child_environment(),
    )
    return time.perf_counter() - start


def interleaved_medians(commands: Mapping[str, Sequence[str]], runs: int) -> dict[str, float]:
    """Median wall time of each command over ``runs`` interleaved runs, after one warm-up."""
    env = child_environment()
    samples: dict[str, list[float]] = {label: [] for label in commands}
    for command in commands.values():
        wall_time(command, env)
    for _ in range(runs):
        for label, command in commands.items():
            samples[label].append(wall_time(command, env))
    return {label: statistics.median(times) for label, times in samples.items()}
