"""WeasyPrint's system libraries are found once per system (hiring.render.libraries): a
second process that writes a PDF runs no ``ldconfig`` or ``gcc``; a cache entry naming a
path instead of a soname is never used; a changed ``LD_LIBRARY_PATH`` looks again. Real
processes, the real linker cache and the real cache folder."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.skipif(
    sys.platform != "linux" or not Path("/etc/ld.so.cache").exists(),
    reason="the lookups are kept on Linux with a linker cache only")

# Counts the processes the import starts (find_library runs ldconfig and gcc through
# subprocess), then prints the count and what harfbuzz was found as.
CHILD = """
import ctypes.util, json, subprocess
started = []
real = subprocess.Popen.__init__
def counting(self, args, *rest, **options):
    started.append(str(args[0] if isinstance(args, (list, tuple)) else args))
    real(self, args, *rest, **options)
subprocess.Popen.__init__ = counting
import hiring.render.pdf
import weasyprint
from weasyprint.text.fonts import FontConfiguration
FontConfiguration()
print(json.dumps({"started": started, "harfbuzz": ctypes.util.find_library("harfbuzz")}))
"""


def _child(cache: Path, **env: str) -> dict[str, object]:
    environment = {**os.environ, "HIRING_CACHE_DIR": str(cache), **env}
    done = subprocess.run([sys.executable, "-c", CHILD], capture_output=True, text=True,
                          check=True, env=environment)
    return json.loads(done.stdout.strip().splitlines()[-1])  # type: ignore[no-any-return]


def test_a_second_process_finds_the_libraries_without_running_anything(tmp_path: Path) -> None:
    first = _child(tmp_path)
    assert len(first["started"]) >= 10  # type: ignore[arg-type]
    assert first["harfbuzz"] == "libharfbuzz.so.0"
    second = _child(tmp_path)
    assert second["started"] == [] and second["harfbuzz"] == "libharfbuzz.so.0"
    # Another LD_LIBRARY_PATH may find other libraries: looked up again.
    third = _child(tmp_path, LD_LIBRARY_PATH=str(tmp_path))
    assert len(third["started"]) >= 10  # type: ignore[arg-type]


def test_a_cached_path_is_never_loaded(tmp_path: Path) -> None:
    _child(tmp_path)
    (entry,) = tmp_path.glob("find-library-*.json")
    # Edited the way the tool writes it (checksum and all), naming a file to load.
    from hiring import cache

    value = cache.load_cached(entry, dict[str, str | None])
    assert value is not None and value["harfbuzz"] == "libharfbuzz.so.0"
    value["harfbuzz"] = str(tmp_path / "libharfbuzz.so.0")
    cache.store_cached(entry, value)
    assert cache.load_cached(entry, dict[str, str | None]) == value
    found = _child(tmp_path)
    assert found["harfbuzz"] == "libharfbuzz.so.0"
    assert any("ldconfig" in command or "gcc" in command or "cc" in command
               for command in found["started"])  # type: ignore[union-attr]
