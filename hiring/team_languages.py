"""The bank folders whose own languages (``strings.<lang>.po``) are in use.

Kept apart from ``hiring.render`` so that saying which folders are in use (every command
that loads a bank) imports nothing: a catalog is read only when its language's strings are
asked for (``hiring.render.catalogs``).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path


class InUse:
    """The folders in use, who is told what falls back to English, and a generation
    number (new per :func:`use_bank_folders` call: catalogs are read again)."""

    __slots__ = ("folders", "warn", "generation")

    def __init__(self, folders: tuple[Path, ...] = (), warn: Callable[[str], None] | None = None,
                 generation: int = 0) -> None:
        self.folders, self.warn, self.generation = folders, warn, generation


_in_use = InUse()


def use_bank_folders(folders: Sequence[Path], warn: Callable[[str], None] | None = None
                     ) -> None:
    """Make the languages the bank ``folders`` add known to ``ui_strings``; ``warn`` is told,
    once per catalog, how many strings fall back to English (default: ``warnings``)."""
    global _in_use
    _in_use = InUse(tuple(Path(folder) for folder in folders), warn, _in_use.generation + 1)


def in_use() -> InUse:
    return _in_use
