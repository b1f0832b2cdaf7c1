"""The system libraries WeasyPrint loads, found once per system instead of once per run.

Loading Pango, HarfBuzz and fontconfig, cffi asks ``ctypes.util.find_library`` for each name
WeasyPrint tries; on Linux every answer runs ``ldconfig -p`` and often ``gcc``, and most
names it tries do not exist here (``libharfbuzz-vector-0.dll``): 22 lookups, 0.14 s of the
0.35 s WeasyPrint takes to import, in every process that writes a PDF (each guide, each
batch or report worker). The answers only change when the linker's cache or
``LD_LIBRARY_PATH`` does, so they are kept in the cache folder keyed by both.

Only sonames (``libpango-1.0.so.0``) or "none" are kept and used: ``dlopen`` looks a soname
up in the system's own library folders, so an edited cache can name no file to load.
"""

from __future__ import annotations

import os
import re
import sys
from typing import Any

_SONAME = re.compile(r"lib[A-Za-z0-9_.+-]+\.so(\.[0-9]+)*")
_LINKER_CACHE = "/etc/ld.so.cache"


def remember_library_lookups() -> None:
    """Answer ``ctypes.util.find_library`` from the cache where it can (Linux with a
    linker cache; elsewhere nothing changes). Idempotent."""
    import ctypes.util

    if sys.platform != "linux" or getattr(ctypes.util.find_library, "hiring_cached", False):
        return
    try:
        linker = os.stat(_LINKER_CACHE)
    except OSError:
        return
    import platform

    from hiring.cache import cache_path, load_cached, store_cached

    path = cache_path("find-library", [
        f"{linker.st_mtime_ns}:{linker.st_size}:{linker.st_ino}".encode(),
        os.environ.get("LD_LIBRARY_PATH", "").encode(), platform.machine().encode()])
    cached: dict[str, str | None] = load_cached(path, dict[str, str | None]) or {}
    known = {name: found for name, found in cached.items()
             if found is None or _SONAME.fullmatch(found)}
    original = ctypes.util.find_library

    def find_library(name: str) -> str | None:
        if name not in known:
            found = original(name)
            if found is not None and not _SONAME.fullmatch(found):
                return found  # a path: used, never kept
            known[name] = found
            store_cached(path, known)
        return known[name]

    setattr(find_library, "hiring_cached", True)  # noqa: B010
    module: Any = ctypes.util
    module.find_library = find_library
