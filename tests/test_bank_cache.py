"""The validated-bank cache: keyed by the exact bytes, never stale, never fatal."""

from __future__ import annotations

import os
from pathlib import Path

from hiring.bank import load_bank
from tests.test_bank_validate import TEAMWORK, edit


def cache_files() -> list[Path]:
    return sorted(Path(os.environ["HIRING_CACHE_DIR"]).glob("bank-*.pickle"))


def test_second_load_comes_from_the_cache_and_edits_invalidate_it(small_bank: Path) -> None:
    before = set(cache_files())
    first = load_bank([small_bank])
    written = set(cache_files()) - before
    assert len(written) == 1
    again = load_bank([small_bank])
    assert again.version == first.version
    assert set(cache_files()) - before == written  # nothing new: it was a hit

    edit(small_bank, TEAMWORK, "name: {en: Teamwork,", "name: {en: Working together,")
    changed = load_bank([small_bank])
    assert changed.competencies["teamwork"].name["en"] == "Working together"
    assert changed.version != first.version


def test_a_corrupt_cache_entry_is_rebuilt(small_bank: Path) -> None:
    before = set(cache_files())
    load_bank([small_bank])
    (entry,) = set(cache_files()) - before
    entry.write_bytes(b"not a pickle")
    bank = load_bank([small_bank])
    assert sorted(bank.competencies) == ["avoiding-arguments", "teamwork"]
    assert entry.read_bytes() != b"not a pickle"


def test_an_invalid_bank_is_never_cached(small_bank: Path) -> None:
    import pytest

    from hiring.errors import BankError

    edit(small_bank, TEAMWORK, "  kind: strength", "  kind: strong")
    before = set(cache_files())
    for _ in range(2):
        with pytest.raises(BankError):
            load_bank([small_bank])
    assert set(cache_files()) == before
