"""Issue 21, items 1-2: the cache folder holds data, checked before use, and costs speed only.

A replaced template cache file ran code (Jinja's bytecode cache is marshal and pickle); an
edited bank entry was used as it was; a wrong type in it was a traceback; a read-only cache
folder stopped ``guide build --fillable``.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import SMALL_BANK

ROOT = Path(__file__).parent.parent


def hiring(*args: str, cache: Path, check: bool = True) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "HIRING_CACHE_DIR": str(cache)}
    done = subprocess.run([sys.executable, "-m", "hiring", *args], capture_output=True,
                          text=True, cwd=ROOT, env=env, check=False)
    if check:
        assert done.returncode == 0, (done.stdout, done.stderr)
        assert "Traceback" not in done.stderr
    return done


class _Exploit:
    def __init__(self, marker: Path) -> None:
        self.marker = str(marker)

    def __reduce__(self):  # type: ignore[no-untyped-def]
        return (open, (self.marker, "w"))


def _jinja_cache_names(templates: Path) -> list[str]:
    """The file names Jinja's FileSystemBytecodeCache reads for each bundled template."""
    names = []
    for path in templates.rglob("*"):
        if path.is_file():
            name = path.relative_to(templates).as_posix()
            key = hashlib.sha1(name.encode("utf-8"))
            key.update(("|" + os.path.normpath(str(templates / name))).encode("utf-8"))
            names.append(f"__jinja2_{key.hexdigest()}.cache")
    return names


def test_a_planted_template_cache_file_runs_no_code(tmp_path: Path) -> None:
    import jinja2.bccache

    from hiring.paths import bundled_templates_dir

    cache = tmp_path / "cache"
    out = tmp_path / "guide.html"
    hiring("--bank", str(SMALL_BANK), "guide", "build", "--role", "inbound-agent",
           "--out", str(out), cache=cache)
    kept = sorted(path.name for path in cache.rglob("__jinja2_*"))
    marker = tmp_path / "ran"
    folder = cache / "templates"
    folder.mkdir(parents=True, exist_ok=True)
    payload = jinja2.bccache.bc_magic + pickle.dumps(_Exploit(marker))
    names = _jinja_cache_names(bundled_templates_dir().resolve())
    assert any(name.startswith("__jinja2_") for name in names)
    for name in names:
        (folder / name).write_bytes(payload)
    out.unlink()
    hiring("--bank", str(SMALL_BANK), "guide", "build", "--role", "inbound-agent",
           "--out", str(out), cache=cache)
    assert out.exists()
    assert not marker.exists()  # the bytecode cache of the old code unpickled and ran it
    assert kept == [], "no compiled template is kept on disk"


def _bank_entry(cache: Path) -> Path:
    (entry,) = cache.glob("bank-*.json")
    return entry


def test_an_edited_bank_entry_is_a_miss(tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    first = hiring("--bank", str(SMALL_BANK), "bank", "list", cache=cache).stdout
    entry = _bank_entry(cache)
    head, _, body = entry.read_bytes().partition(b"\n")
    assert b"Inbound" in body
    entry.write_bytes(head + b"\n" + body.replace(b"Inbound", b"TAMPERED ROLE NAME"))
    again = hiring("--bank", str(SMALL_BANK), "bank", "list", cache=cache).stdout
    assert "TAMPERED" not in again
    assert again == first
    assert b"TAMPERED" not in entry.read_bytes()  # rebuilt from the bank


def test_an_entry_of_the_wrong_types_is_a_miss_even_with_a_right_checksum(
    tmp_path: Path,
) -> None:
    from hiring.cache import FORMAT, _checksum

    cache = tmp_path / "cache"
    first = hiring("--bank", str(SMALL_BANK), "bank", "list", cache=cache).stdout
    entry = _bank_entry(cache)
    _, _, body = entry.read_bytes().partition(b"\n")
    assert b'"min":1' in body
    for bad in (b'"min":"x"', b'"min":true', b'"min":null'):
        tampered = body.replace(b'"min":1', bad, 1)
        entry.write_bytes(f"{FORMAT} {_checksum(entry, tampered)}\n".encode() + tampered)
        done = hiring("--bank", str(SMALL_BANK), "bank", "list", cache=cache)
        assert done.stdout == first  # "min": "x" was a TypeError traceback


def test_an_entry_with_a_field_missing_is_a_miss(tmp_path: Path) -> None:
    from hiring.bank.models import Scale
    from hiring.cache import FORMAT, _checksum, load_cached

    entry = tmp_path / "scale.json"
    body = b'{"o":"Scale","id":"five","min":1,"max":5,"labels":{"d":[]}}'  # no "anchored"
    entry.write_bytes(f"{FORMAT} {_checksum(entry, body)}\n".encode() + body)
    os.chmod(entry, 0o600)
    assert load_cached(entry, Scale) is None
    whole = body[:-1] + b',"anchored":null,"meets":null}'
    entry.write_bytes(f"{FORMAT} {_checksum(entry, whole)}\n".encode() + whole)
    loaded = load_cached(entry, Scale)
    assert loaded is not None and loaded.points == [1, 2, 3, 4, 5]


def test_an_entry_others_may_write_or_copied_under_another_name_is_a_miss(
    tmp_path: Path,
) -> None:
    from hiring.cache import load_cached, store_cached

    entry = tmp_path / "cache" / "a.json"
    store_cached(entry, {"a": "1"})
    assert oct(entry.stat().st_mode & 0o777) == oct(0o600)
    assert load_cached(entry, dict[str, str]) == {"a": "1"}
    assert load_cached(entry, dict[str, int]) is None  # another schema
    os.chmod(entry, 0o664)
    assert load_cached(entry, dict[str, str]) is None  # a group could have written it
    os.chmod(entry, 0o600)
    os.chmod(entry.parent, 0o777)
    assert load_cached(entry, dict[str, str]) is None  # anyone could have replaced it
    os.chmod(entry.parent, 0o700)
    other = entry.with_name("b.json")
    other.write_bytes(entry.read_bytes())
    os.chmod(other, 0o600)
    assert load_cached(other, dict[str, str]) is None  # the checksum covers its name
    link = entry.with_name("c.json")
    link.symlink_to(entry)
    assert load_cached(link, dict[str, str]) is None


def test_a_group_writable_cache_folder_of_ours_is_closed_to_others(tmp_path: Path) -> None:
    from hiring.cache import load_cached, store_cached

    folder = tmp_path / "shared"
    folder.mkdir()
    os.chmod(folder, 0o775)  # a umask of 002 makes folders like this
    store_cached(folder / "x.json", ["a"])
    assert folder.stat().st_mode & 0o022 == 0
    assert load_cached(folder / "x.json", list[str]) == ["a"]


def test_a_read_only_cache_costs_speed_only(tmp_path: Path) -> None:
    """The cache folder cannot be made (its parent is a file): even root cannot write it."""
    import shutil

    if shutil.which("fc-match") is None:
        pytest.skip("needs fontconfig for the form-field font")
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    out = tmp_path / "guide.pdf"
    done = hiring("--bank", str(SMALL_BANK), "guide", "build", "--role", "inbound-agent",
                  "--fillable", "--out", str(out), cache=blocker / "cache", check=False)
    # The old code: "cannot write the form-field font to .../fonts", exit 1.
    assert done.returncode == 0, done.stderr
    assert out.stat().st_size > 1000
    assert blocker.read_text() == "not a folder"


def test_a_replaced_form_field_font_is_made_again(tmp_path: Path,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    import shutil

    from hiring.render.fonts import field_font

    if shutil.which("fc-match") is None:
        pytest.skip("needs fontconfig for the form-field font")
    monkeypatch.setenv("HIRING_CACHE_DIR", str(tmp_path / "cache"))
    font = field_font("en")
    assert font is not None
    made = font.read_bytes()
    assert field_font("en") == font and font.read_bytes() == made  # kept: a hit
    font.write_bytes(b"not a font")
    again = field_font("en")
    assert again is not None
    remade = again.read_bytes()
    assert remade != b"not a font" and len(remade) == len(made)  # (its head table dates it)
