"""Results that are slow to parse or validate, kept in the user's cache folder.

An entry is named by a hash of everything it was made from (the exact bytes of the source
files, and hiring's version), so a changed source is a miss, never a stale hit. Entries are
written atomically; a corrupt or unreadable one is rebuilt; a read-only or full cache folder
only costs speed. Only what validated is cached.

>>> path = cache_path("strings", [b"...the file's bytes..."])
>>> value = load_cached(path, dict)  # None on a miss
"""

from __future__ import annotations

import hashlib
import pickle
from collections.abc import Iterable
from pathlib import Path
from typing import TypeVar

T = TypeVar("T")


def cache_path(kind: str, parts: Iterable[bytes]) -> Path:
    """The cache file for a ``kind`` of result made from ``parts`` (bytes, in order)."""
    from hiring import __version__
    from hiring.paths import cache_dir

    digest = hashlib.sha256(f"{kind}\0{__version__}\0{pickle.HIGHEST_PROTOCOL}\0".encode())
    for part in parts:
        # Length-prefixed, so two different lists of parts never hash alike.
        digest.update(len(part).to_bytes(8, "big") + part)
    return cache_dir() / f"{kind}-{digest.hexdigest()[:32]}.pickle"


def load_cached(path: Path, expected: type[T]) -> T | None:
    """The cached value at ``path`` if there is one of the ``expected`` type, else None."""
    try:
        with path.open("rb") as stream:
            value = pickle.load(stream)
    except Exception:  # noqa: BLE001 - a missing or broken entry is rebuilt, never fatal
        return None
    return value if isinstance(value, expected) else None


def store_cached(path: Path, value: object) -> None:
    """Keep ``value`` at ``path`` for next time; failing to is not an error."""
    from hiring.errors import HiringError
    from hiring.files import write_atomic

    try:
        write_atomic(path, pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL))
    except (OSError, HiringError):
        pass
