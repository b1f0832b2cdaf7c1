"""Atomic file output: a killed run never leaves a half-written file under the real name."""

from __future__ import annotations

import os
from pathlib import Path


def temp_path_for(path: Path) -> Path:
    """The temporary name ``path`` is written under before the rename (same folder)."""
    return path.with_name(f".{path.name}.{os.getpid()}.tmp")


def write_atomic(path: Path, data: bytes | str) -> Path:
    """Write ``data`` to ``path`` via a temporary file in the same folder, then rename.

    The rename is atomic on the same file system, so readers see the old file or the
    complete new one, never a truncated one.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    payload = data.encode("utf-8") if isinstance(data, str) else data
    temp = temp_path_for(path)
    try:
        with open(temp, "wb") as handle:
            handle.write(payload)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temp, path)
    except BaseException:
        temp.unlink(missing_ok=True)
        raise
    return path
