"""Issue 21, items 5, 7 and 9: a tampered backup is refused by the rules of the commands that
write each value; erase deletes only files that are still what hiring wrote; ``--db`` means
one file (``file:`` URIs resolved for every guard) or a PostgreSQL URL; a refused restore
leaves no database behind. On SQLite and, with HIRING_TEST_PG_URL, on PostgreSQL."""

from __future__ import annotations

import hashlib
import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from tests.cli_helpers import ok, run
from tests.conftest import SMALL_BANK


@pytest.fixture(scope="module")
def backup_data(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """A real backup: a candidate with a rating, an interview and an erasure pending row."""
    folder = tmp_path_factory.mktemp("source")
    db = str(folder / "source.db")
    ok(db, "candidate", "add", "Kim Berg", "--role", "inbound-agent")
    ok(db, "score", "set", "--round", "panel", "--candidate", "Kim Berg", "--interviewer",
       "Ann", "--competency", "teamwork", "--score", "3", "--note", "fine")
    ok(db, "db", "export", str(folder / "backup.json"))
    data = json.loads((folder / "backup.json").read_text(encoding="utf-8"))
    assert data["tables"]["candidates"]["rows"]
    return data


def _table(data: dict[str, Any], name: str) -> dict[str, Any]:
    return data["tables"][name]  # type: ignore[no-any-return]


def _set(data: dict[str, Any], table: str, column: str, value: Any, row: int = 0) -> None:
    entry = _table(data, table)
    entry["rows"][row][entry["columns"].index(column)] = value


def _tables_in(db_url: str) -> list[str]:
    if "://" not in db_url:
        if not Path(db_url).exists():
            return []
        with sqlite3.connect(db_url) as connection:
            return [r[0] for r in connection.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table'")]
    import psycopg

    with psycopg.connect(db_url) as connection:
        return [r[0] for r in connection.execute(
            "SELECT table_name FROM information_schema.tables "
            "WHERE table_schema = current_schema()")]


def _import(db_url: str, tmp_path: Path, data: dict[str, Any] | str) -> Any:
    path = tmp_path / "tampered.json"
    text = data if isinstance(data, str) else json.dumps(data)
    path.write_text(text, encoding="utf-8")
    return run(db_url, "db", "import", str(path))


def _refused(result: Any, *needles: str) -> str:
    assert result.exit_code == 1, (result.stdout, result.stderr)
    assert "Traceback" not in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    lines = result.stderr.strip().splitlines()
    assert lines[-1].startswith("Error: "), lines
    for needle in needles:
        assert needle in result.stderr, result.stderr
    return result.stderr


BAD_VALUES = [
    ("candidates", "name", "Ann\x1b]0;TITLE\x07", "control character (0x1b)"),
    ("candidates", "name", "nnA\u202e", "control character (0x202e)"),
    ("candidates", "name", "Ann\nBerg", "control character (0xa)"),
    ("candidates", "name", "A" * 1_000_000, "1,000,000 characters"),
    ("candidates", "name", "Kim \ud800", "lone surrogate"),
    ("candidates", "status", "deleted", "not one of active, erased"),
    ("candidates", "created", "not a date", "not an ISO-8601 date"),
    ("candidates", "email", "not-an-address", "not an e-mail address"),
    ("interviews", "competencies", "{not json", "is not JSON"),
    ("interviews", "interviewer", "Ann\x1b[2J", "control character"),
    ("ratings", "note", "x" * 5000, "the limit is 4000"),
    ("ratings", "created", "yesterday", "not an ISO-8601 date"),
    ("ratings", "score", 2**70, "too large"),
    ("audit", "actor", "\u202eevil", "control character"),
    ("audit", "id", [], "must be a whole number"),  # found by the fuzz suite: a traceback
]


@pytest.mark.parametrize(("table", "column", "value", "reason"), BAD_VALUES)
def test_a_tampered_value_is_refused_with_its_row(
    db_url: str, tmp_path: Path, backup_data: dict[str, Any], table: str, column: str,
    value: Any, reason: str,
) -> None:
    data = json.loads(json.dumps(backup_data))
    _set(data, table, column, value)
    stderr = _refused(_import(db_url, tmp_path, data), f"{table} row 1: '{column}'", reason)
    assert "\x1b" not in stderr and "\u202e" not in stderr
    assert _tables_in(db_url) == []  # nothing created: not even an empty schema


def test_a_backup_nested_100000_deep_is_one_line(db_url: str, tmp_path: Path) -> None:
    result = _import(db_url, tmp_path, "[" * 100_000 + "]" * 100_000)
    _refused(result, "nests too deeply")
    assert len(result.stderr.strip().splitlines()) == 1


def test_an_erasure_with_a_transaction_id_that_is_not_one_is_refused(
    db_url: str, tmp_path: Path, backup_data: dict[str, Any]
) -> None:
    data = json.loads(json.dumps(backup_data))
    _table(data, "erasures_pending")["rows"] = [[1, "2026-01-01T00:00:00+00:00", "abc"]]
    _refused(_import(db_url, tmp_path, data), "erasures_pending row 1: 'xid'", "digits")
    assert _tables_in(db_url) == []


def _file_row(data: dict[str, Any], path: Path, size: int | None, digest: str | None) -> None:
    entry = _table(data, "candidate_files")
    values = {"id": 1, "candidate_id": 1, "path": str(path), "kind": "guide",
              "created": "2026-01-01T00:00:00+00:00", "size": size, "sha256": digest}
    columns = entry["columns"]
    entry["rows"] = [[values.get(name) for name in columns]]


def test_a_restored_file_row_cannot_make_erase_delete_another_file(
    db_url: str, tmp_path: Path, backup_data: dict[str, Any]
) -> None:
    victim = tmp_path / "outside" / "notes.txt"
    victim.parent.mkdir()
    victim.write_text("the user's own file", encoding="utf-8")
    data = json.loads(json.dumps(backup_data))
    body = victim.read_bytes()
    _file_row(data, victim, len(body), hashlib.sha256(body).hexdigest())
    result = _import(db_url, tmp_path, data)
    if result.exit_code == 0:  # the old code restored it, and erase deleted the file
        run(db_url, "candidate", "erase", "1", "--yes", "--delete-files")
    else:
        _refused(result, "candidate_files row 1", "a guide file ends in .pdf")
    assert victim.read_text(encoding="utf-8") == "the user's own file"


def test_erase_deletes_only_a_file_whose_size_and_checksum_still_match(
    db_url: str, tmp_path: Path, backup_data: dict[str, Any]
) -> None:
    victim = tmp_path / "outside" / "report.pdf"  # named like a guide, but not the one recorded
    victim.parent.mkdir()
    victim.write_bytes(b"%PDF-1.7 the user's report")
    data = json.loads(json.dumps(backup_data))
    _file_row(data, victim, len(b"%PDF-1.7 a guide"), hashlib.sha256(b"%PDF-1.7 a guide")
              .hexdigest())
    result = _import(db_url, tmp_path, data)
    assert result.exit_code == 0, result.stderr
    erased = run(db_url, "candidate", "erase", "1", "--yes", "--delete-files")
    assert erased.exit_code == 3, (erased.stdout, erased.stderr)
    assert f"could not delete {victim}: it changed since hiring wrote it" in erased.stderr
    assert victim.read_bytes() == b"%PDF-1.7 the user's report"


def test_erase_deletes_the_guide_it_wrote_and_keeps_one_edited_since(
    db_url: str, tmp_path: Path
) -> None:
    for name in ("Ann", "Bo"):
        ok(db_url, "candidate", "add", name, "--role", "inbound-agent")
        ok(db_url, "guide", "build", "--role", "inbound-agent", "--candidate", name,
           "--interviewer", "Kim", "--format", "md", "--out", str(tmp_path / f"{name}.md"))
    (tmp_path / "Bo.md").write_text("edited by hand", encoding="utf-8")
    first = run(db_url, "candidate", "erase", "1", "--yes", "--delete-files")
    assert first.exit_code == 0, first.stderr
    assert not (tmp_path / "Ann.md").exists()
    assert not (tmp_path / "Ann.md.manifest.json").exists()
    second = run(db_url, "candidate", "erase", "2", "--yes", "--delete-files")
    assert second.exit_code == 3
    assert (tmp_path / "Bo.md").read_text(encoding="utf-8") == "edited by hand"
    assert not (tmp_path / "Bo.md.manifest.json").exists()


def test_a_restore_that_fails_while_writing_leaves_no_schema_behind(db_url: str) -> None:
    """A row the checks let through but the database refuses (a rating of no interview,
    bypassing check_backup): the schema, made in the same transaction, goes too."""
    from hiring.errors import HiringError
    from hiring.store.backup import Backup, restore_into
    from hiring.store.schema import SCHEMA_VERSION, schema_tables

    backup = Backup(schema_version=SCHEMA_VERSION)
    for table in schema_tables():
        backup.tables[table.name] = (table.column_names, [])
    columns = ["id", "interview_id", "competency", "score", "created", "updated"]
    backup.tables["ratings"] = (columns, [(1, 99, "teamwork", 3, "2026-01-01", "2026-01-01")])
    with pytest.raises((HiringError, Exception)):  # noqa: B017 - the driver's refusal
        restore_into(db_url, backup)
    assert _tables_in(db_url) == []


# -- where data goes: --db -----------------------------------------------------------------


def hiring_in(folder: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {key: value for key, value in os.environ.items() if key != "HIRING_DB"}
    env["PYTHONPATH"] = str(Path(__file__).parent.parent)  # this checkout, from any folder
    return subprocess.run([sys.executable, "-m", "hiring", "--bank", str(SMALL_BANK), *args],
                          capture_output=True, text=True, cwd=folder, env=env, check=False)


def _one_error(done: subprocess.CompletedProcess[str], needle: str) -> None:
    assert done.returncode == 1, (done.stdout, done.stderr)
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("Error: ") and needle in lines[0], lines


def test_a_file_uri_db_is_guarded_as_the_file_it_names(tmp_path: Path) -> None:
    assert hiring_in(tmp_path, "--db", "file:x.db", "candidate", "add", "Kim").returncode == 0
    assert (tmp_path / "x.db").is_file()
    assert not (tmp_path / "file:x.db").exists()
    _one_error(hiring_in(tmp_path, "--db", "file:x.db", "db", "export", "x.db"),
               "it is the database in use")
    _one_error(hiring_in(tmp_path, "--db", f"file://{tmp_path}/x.db", "db", "export",
                         str(tmp_path / "x.db-wal")), "it is the database in use")
    listed = hiring_in(tmp_path, "--db", str(tmp_path / "x.db"), "candidate", "list", "--json")
    assert [c["name"] for c in json.loads(listed.stdout)] == ["Kim"]  # the database is intact
    _one_error(hiring_in(tmp_path, "--db", "file:x.db?mode=memory", "candidate", "list"),
               "options")


@pytest.mark.parametrize("target", ["postgresql:h", "postgres:", "mysql://h/db", "sqlite:x.db",
                                    "postgresql:/srv/db"])
def test_a_db_with_another_scheme_is_refused_and_creates_nothing(
    tmp_path: Path, target: str
) -> None:
    _one_error(hiring_in(tmp_path, "--db", target, "candidate", "list"),
               "is not a database this hiring opens")
    assert list(tmp_path.iterdir()) == []


def test_db_copy_into_the_sources_own_wal_is_refused(tmp_path: Path) -> None:
    source = tmp_path / "s.db"
    assert hiring_in(tmp_path, "--db", str(source), "candidate", "add", "Kim").returncode == 0
    for target in ("s.db-wal", "s.db-shm", "file:s.db", str(source)):
        _one_error(hiring_in(tmp_path, "--db", str(source), "db", "copy", "--to", target),
                   "cannot copy into")
    listed = hiring_in(tmp_path, "--db", str(source), "candidate", "list", "--json")
    assert [c["name"] for c in json.loads(listed.stdout)] == ["Kim"]
