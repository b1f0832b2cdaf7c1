"""Where the data goes: ``--db`` is a file path in an existing folder or a PostgreSQL URL.

Issue 12, case 8: ``--db postgress://...`` used to create a SQLite file under
``./postgress:/...`` and ``--db /no/such/dir/x.db`` created the folders.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from typer.testing import CliRunner

from hiring.cli import app
from tests.conftest import SMALL_BANK


def _run(*args: str, env: dict[str, str] | None = None):  # type: ignore[no-untyped-def]
    return CliRunner().invoke(app, ["--bank", str(SMALL_BANK), *args], env=env)


def _files_under(folder: Path) -> list[Path]:
    return sorted(path for path in folder.rglob("*"))


@pytest.mark.parametrize(
    "target",
    [
        "postgress://postgres@127.0.0.1/test",
        "mysql://x",
        "sqlite:///hiring.db",
        "postgresq://user:secret@host/db",
        "http://example.com/hiring.db",
    ],
)
def test_unknown_scheme_is_refused_and_nothing_is_created(
    target: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("HIRING_DB", raising=False)
    result = _run("--db", target, "candidate", "add", "Ann Lee")
    assert result.exit_code == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, lines
    assert lines[0].startswith("Error: ")
    assert "file path" in lines[0] and "postgresql://" in lines[0] and "postgres://" in lines[0]
    assert "secret" not in lines[0]  # a password in a mistyped URL is not echoed
    assert _files_under(tmp_path) == []


def test_unknown_scheme_in_the_environment_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    result = _run("candidate", "list", env={"HIRING_DB": "postgress://localhost/team"})
    assert result.exit_code == 1
    assert "'postgress:' is not a database" in result.stderr
    assert _files_under(tmp_path) == []


def test_a_path_in_a_missing_folder_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("HIRING_DB", raising=False)
    target = tmp_path / "no" / "such" / "dir" / "x.db"
    result = _run("--db", str(target), "candidate", "add", "Ann Lee")
    assert result.exit_code == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and f"the folder {target.parent} does not exist" in lines[0], lines
    assert not (tmp_path / "no").exists()


def test_a_path_in_an_existing_folder_and_a_relative_path_work(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("HIRING_DB", raising=False)
    assert _run("--db", "team.db", "candidate", "add", "Ann Lee").exit_code == 0
    assert (tmp_path / "team.db").is_file()
    (tmp_path / "sub").mkdir()
    assert _run("--db", str(tmp_path / "sub" / "x.db"), "candidate", "list").exit_code == 0
    assert (tmp_path / "sub" / "x.db").is_file()


def test_the_default_location_folder_is_created(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("HIRING_DB", raising=False)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    from hiring.store.db import default_db_path

    expected = default_db_path()
    assert str(expected).startswith(str(tmp_path / "data"))
    result = _run("candidate", "add", "Ann Lee")
    assert result.exit_code == 0, result.stderr
    assert expected.is_file()


@pytest.mark.skipif(not os.environ.get("HIRING_TEST_PG_URL"), reason="needs PostgreSQL")
def test_postgres_scheme_spelling_is_accepted(db_url: str) -> None:
    if not db_url.startswith("postgresql://"):
        pytest.skip("PostgreSQL only")
    short = "postgres://" + db_url.removeprefix("postgresql://")
    assert _run("--db", short, "candidate", "add", "Ann Lee").exit_code == 0
    listed = _run("--db", db_url, "candidate", "list", "--json")
    assert '"Ann Lee"' in listed.stdout
