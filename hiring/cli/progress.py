"""Progress on stderr for commands that can take a while on large data.

``with progress("building the report", quiet) as step: step("reading the database")``
shows a spinner, the current step and the time elapsed on stderr, and removes it when the
command is done. Silent when stderr is not a terminal (a script, a pipe, a log file) and
with ``--quiet``: then rich is not even imported.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Annotated

import typer

from hiring.progress import Step

QuietOption = Annotated[
    bool,
    typer.Option("--quiet", "-q",
                 help="No progress on stderr (shown only when stderr is a terminal anyway)."),
]


def _silent(step: str) -> None:
    pass


def shows_progress(quiet: bool) -> bool:
    return not quiet and sys.stderr.isatty()


@contextmanager
def progress(description: str, quiet: bool = False) -> Iterator[Step]:
    """A transient spinner line on stderr; the yielded function names the current step."""
    if not shows_progress(quiet):
        yield _silent
        return
    from rich.console import Console
    from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

    with Progress(SpinnerColumn(), TextColumn("{task.description}"), TimeElapsedColumn(),
                  console=Console(stderr=True), transient=True) as bar:
        task = bar.add_task(description, total=None)

        def step(text: str) -> None:
            bar.update(task, description=f"{description}: {text}")

        yield step
