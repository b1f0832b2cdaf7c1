"""Atomic output: whole file or nothing, with the usual file mode."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from hiring.files import write_atomic


def test_write_atomic_writes_whole_file_with_umask_mode(tmp_path: Path) -> None:
    old = os.umask(0o022)
    try:
        target = write_atomic(tmp_path / "sub" / "out.txt", "héllo\n")
    finally:
        os.umask(old)
    assert target.read_bytes() == "héllo\n".encode()
    # The module reads the umask once at import; under the usual 022 that gives 0644.
    assert stat.S_IMODE(target.stat().st_mode) & 0o044 == 0o044
    assert list(target.parent.glob("*.tmp")) == []


def test_a_failed_rename_leaves_no_temporary(tmp_path: Path) -> None:
    target = tmp_path / "taken"
    target.mkdir()
    (target / "keep.txt").write_text("old", encoding="utf-8")
    from hiring.errors import InputError

    with pytest.raises(InputError, match="cannot write .*taken: it is a folder"):
        write_atomic(target, b"new")  # cannot replace a folder with a file
    assert (target / "keep.txt").read_text(encoding="utf-8") == "old"
    assert list(tmp_path.glob(".*.tmp")) == []


@pytest.mark.parametrize(
    ("text", "safe"),
    [
        ("=HYPERLINK(\"http://x\")", "'=HYPERLINK(\"http://x\")"),
        ("+1", "'+1"),
        ("- concern: argued", "'- concern: argued"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tcmd", "'\tcmd"),
        ("Calm, clear answer", "Calm, clear answer"),
        ("'quoted", "'quoted"),
    ],
)
def test_spreadsheet_safe_round_trip(text: str, safe: str) -> None:
    from hiring.files import from_spreadsheet_safe, spreadsheet_safe

    assert spreadsheet_safe(text) == safe
    assert from_spreadsheet_safe(spreadsheet_safe(text)) == text
