"""The validated-bank cache: keyed by the exact bytes, never stale, never fatal."""

from __future__ import annotations

import os
from pathlib import Path

from hiring.bank import load_bank
from tests.test_bank_validate import TEAMWORK, edit


def cache_files() -> list[Path]:
    return sorted(Path(os.environ["HIRING_CACHE_DIR"]).glob("bank-*.json"))


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
    entry.write_bytes(b"not an entry")
    bank = load_bank([small_bank])
    assert sorted(bank.competencies) == ["avoiding-arguments", "teamwork"]
    assert entry.read_bytes() != b"not an entry"


def test_an_invalid_bank_is_never_cached(small_bank: Path) -> None:
    import pytest

    from hiring.errors import BankError

    edit(small_bank, TEAMWORK, "  kind: strength", "  kind: strong")
    before = set(cache_files())
    for _ in range(2):
        with pytest.raises(BankError):
            load_bank([small_bank])
    assert set(cache_files()) == before


def test_cache_names_follow_every_byte_and_part_boundary() -> None:
    from hiring.cache import cache_path

    base = cache_path("strings", [b"ab", b"c"])
    assert base == cache_path("strings", [b"ab", b"c"])
    assert base.name.startswith("strings-") and base.suffix == ".json"
    assert base != cache_path("strings", [b"a", b"bc"])  # same bytes, other split
    assert base != cache_path("strings", [b"ab", b"d"])
    assert base != cache_path("bank", [b"ab", b"c"])


def test_cache_entries_of_another_type_or_unwritable_are_not_errors(tmp_path: Path) -> None:
    from hiring.cache import load_cached, store_cached

    entry = tmp_path / "entry.json"
    assert load_cached(entry, dict) is None  # missing
    store_cached(entry, {"a": 1})
    assert load_cached(entry, dict) == {"a": 1}
    assert load_cached(entry, list) is None  # not what the caller expects
    blocker = tmp_path / "file"
    blocker.write_text("x")
    store_cached(blocker / "entry.json", {"a": 1})  # its folder is a file: no cache, no error
    assert blocker.read_text() == "x"


def test_ui_strings_come_from_the_cache_once_parsed(tmp_path: Path) -> None:
    import subprocess
    import sys

    code = (
        "import sys\n"
        "from hiring.render.strings import ui_strings\n"
        "assert ui_strings('da')['signature'] == 'Underskrift'\n"
        "print('yaml' in sys.modules)\n"
    )
    env = {**os.environ, "HIRING_CACHE_DIR": str(tmp_path)}
    runs = [
        subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                       env=env, check=True).stdout.strip()
        for _ in range(2)
    ]
    assert runs == ["True", "False"]  # parsed with PyYAML once, then loaded from the cache
    assert len(list(tmp_path.glob("strings-*.json"))) == 1


def test_one_languages_ui_strings_are_read_without_the_others(tmp_path: Path) -> None:
    import subprocess
    import sys

    code = (
        "from hiring.render.strings import _all_strings, ui_strings\n"
        "assert ui_strings('ru')['signature'] == 'Подпись'\n"
        "assert ui_strings('da')['signature'] == 'Underskrift'\n"
        "print(_all_strings.cache_info().currsize)\n"
    )
    env = {**os.environ, "HIRING_CACHE_DIR": str(tmp_path)}
    runs = [
        subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                       env=env, check=True).stdout.strip()
        for _ in range(2)
    ]
    # Every language's strings were read to make the two entries, then only each one's.
    assert runs == ["1", "0"]
    assert len(list(tmp_path.glob("ui-strings-ru-*.json"))) == 1
    assert len(list(tmp_path.glob("ui-strings-da-*.json"))) == 1


def test_a_cached_bank_is_a_hit_equal_to_the_validated_one(small_bank: Path) -> None:
    from hiring.bank.models import Bank
    from hiring.cache import load_cached

    before = set(cache_files())
    bank = load_bank([small_bank])
    (entry,) = set(cache_files()) - before
    cached = load_cached(entry, Bank)
    assert cached is not None and cached == bank
    assert cached.scales.keys() == bank.scales.keys()
    scale = next(iter(cached.scales.values()))
    assert all(isinstance(point, int) for point in scale.labels)  # int keys stay ints


def test_a_replaced_cache_entry_cannot_run_code(small_bank: Path, tmp_path: Path) -> None:
    import pickle
    import subprocess
    import sys

    from hiring.bank.load import _cache_file, bank_files

    load_bank([small_bank])
    entry = _cache_file([small_bank], bank_files([small_bank])[0])  # the entry bank list reads
    assert entry is not None and entry.exists()
    marker = tmp_path / "ran"

    class Exploit:
        def __reduce__(self):  # type: ignore[no-untyped-def]
            return (open, (str(marker), "w"))

    entry.write_bytes(pickle.dumps(Exploit()))
    done = subprocess.run(
        [sys.executable, "-m", "hiring", "--bank", str(small_bank), "bank", "list"],
        capture_output=True, text=True, env=dict(os.environ), check=False,
    )
    assert done.returncode == 0, done.stderr
    assert not marker.exists()  # the old pickle cache created this file
    assert "teamwork" in done.stdout or "inbound-agent" in done.stdout


def test_entries_naming_other_classes_or_fields_are_misses(tmp_path: Path) -> None:
    from hiring.bank.models import Bank
    from hiring.cache import FORMAT, load_cached

    entry = tmp_path / "bank.json"
    for body in (
        '{"o":"Popen","args":["touch","x"]}',  # not a dataclass of hiring.bank.models
        '{"o":"Bank","folders":[],"__class__":1}',  # a field Bank does not have
        '{"o":"Scale","id":"x"}',  # a dataclass, but not the Bank the caller expects
        '{"d":[[[1],2]]}',  # a dict key that is a list
        "[1,2",  # not JSON
    ):
        entry.write_text(FORMAT + "\n" + body, encoding="utf-8")
        assert load_cached(entry, Bank) is None, body
