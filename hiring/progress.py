"""Progress steps: long library functions name each step they start through a ``Step``
(the CLI shows them on stderr, ``hiring.cli.progress``); ``no_progress`` shows nothing."""

from __future__ import annotations

from collections.abc import Callable

Step = Callable[[str], None]


def no_progress(step: str) -> None:
    """The default ``Step``: no progress display."""
