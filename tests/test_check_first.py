"""Check first, then write: guide build refuses before any byte of any output."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from typer.testing import CliRunner

from hiring.cli import app
from tests.conftest import SMALL_BANK


def run(*args: str):  # type: ignore[no-untyped-def]
    return CliRunner().invoke(app, ["--bank", str(SMALL_BANK), *args])


def build(db: Path | str, out: Path, *extra: str):  # type: ignore[no-untyped-def]
    return run("--db", str(db), "guide", "build", "--role", "inbound-agent", "--out", str(out),
               *extra)


def refused(result, message: str) -> None:  # type: ignore[no-untyped-def]
    assert result.exit_code == 1, (result.stdout, result.stderr)
    assert "Traceback" not in result.output
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and message in lines[0], lines


def no_output(folder: Path) -> None:
    assert sorted(p.name for p in folder.iterdir() if not p.name.startswith("hiring.db")) == []


@pytest.mark.parametrize("fmt", ["md", "pdf"])
def test_ambiguous_candidate_writes_nothing(tmp_path: Path, fmt: str, db_url: str) -> None:
    db = db_url  # SQLite and, when configured, PostgreSQL
    for _ in range(2):
        added = run("--db", str(db), "candidate", "add", "Ann Lee", "--allow-same-name")
        assert added.exit_code == 0
    out_dir = tmp_path / "out"
    out_dir.mkdir()
    result = build(db, out_dir / f"g.{fmt}", "--candidate", "Ann Lee", "--interviewer", "Bo")
    refused(result, "2 candidates are called 'Ann Lee' (ids 1, 2): use the id")
    no_output(out_dir)


def test_erased_candidate_writes_nothing(tmp_path: Path) -> None:
    db = tmp_path / "hiring.db"
    assert run("--db", str(db), "candidate", "add", "Ann Lee", "--allow-same-name").exit_code == 0
    assert run("--db", str(db), "candidate", "erase", "1", "--yes").exit_code == 0
    out_dir = tmp_path / "out"
    out_dir.mkdir()
    refused(build(db, out_dir / "g.md", "--candidate", "1", "--interviewer", "Bo"), "erased")
    no_output(out_dir)


def test_newer_schema_writes_nothing(tmp_path: Path) -> None:
    db = tmp_path / "hiring.db"
    assert run("--db", str(db), "candidate", "add", "Ann Lee", "--allow-same-name").exit_code == 0
    with sqlite3.connect(db) as connection:
        connection.execute("UPDATE schema_version SET version = 999")
    out_dir = tmp_path / "out"
    out_dir.mkdir()
    result = build(db, out_dir / "g.md", "--candidate", "Ann Lee", "--interviewer", "Bo")
    refused(result, "newer hiring")
    no_output(out_dir)


@pytest.mark.parametrize(
    ("option", "name"),
    [
        ("--candidate", "Ann\x1b[2J Lee"),  # a terminal escape
        ("--candidate", "Ann \u202eeeL"),  # right-to-left override: shows 'Lee' backwards
        ("--interviewer", "Bo\u2028Ek"),  # a line separator
    ],
)
def test_names_with_control_characters_write_nothing(
    tmp_path: Path, option: str, name: str
) -> None:
    out_dir = tmp_path / "out"
    out_dir.mkdir()
    for record in ("--record", "--no-record"):
        result = build(tmp_path / "hiring.db", out_dir / "g.md", option, name, record)
        refused(result, "contains a control character")
        no_output(out_dir)


def test_manifest_path_that_is_a_folder_writes_nothing(tmp_path: Path) -> None:
    out_dir = tmp_path / "out"
    out_dir.mkdir()
    (out_dir / "g.md.manifest.json").mkdir()
    result = build(tmp_path / "hiring.db", out_dir / "g.md", "--no-record")
    refused(result, "g.md.manifest.json: it is a folder")
    assert sorted(p.name for p in out_dir.iterdir()) == ["g.md.manifest.json"]
