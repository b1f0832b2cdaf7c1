"""Shared fixtures: bank folders, the CLI runner, and store fixtures. Every store test runs
on SQLite and, when HIRING_TEST_PG_URL is set, on PostgreSQL too (each test in its own fresh
schema). ``small_bank`` is a writable copy of the folder; ``small_bank_loaded`` the loaded Bank."""

from __future__ import annotations

import os
import shutil
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from typer.testing import CliRunner

FIXTURES = Path(__file__).parent / "fixtures"
SMALL_BANK = FIXTURES / "small_bank"
PG_URL = os.environ.get("HIRING_TEST_PG_URL")
DATABASES = ["sqlite"] + (["postgresql"] if PG_URL else [])


@pytest.fixture
def small_bank(tmp_path: Path) -> Path:
    """A writable copy of the small test bank (five-point and 0-3 scales, en + da)."""
    target = tmp_path / "bank"
    shutil.copytree(SMALL_BANK, target)
    return target


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


def invoke(runner: CliRunner, *args: str, **kwargs: object):  # type: ignore[no-untyped-def]
    """Run the CLI in-process; ``--traceback`` is not passed so user errors stay one line."""
    from hiring.cli import app

    return runner.invoke(app, list(args), **kwargs)  # type: ignore[arg-type]


@pytest.fixture(autouse=True, scope="session")
def _private_folders(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """Keep the bank cache and the default database out of the user's folders during tests.

    A command run without ``--db`` (``guide batch`` records interviews) would otherwise
    write to the user's real ``~/.local/share/hiring/hiring.db``, and a newer schema left
    there by another checkout failed this suite. Session-wide, so module-scoped fixtures
    use them too.
    """
    base = tmp_path_factory.getbasetemp()
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("HIRING_CACHE_DIR", str(base / "cache"))
        patch.setenv("XDG_DATA_HOME", str(base / "data"))
        patch.delenv("HIRING_DB", raising=False)
        # An empty hiring.toml, so one in a parent of the checkout cannot change the tests.
        # (In a folder of its own: tests look for one upwards from their tmp_path.)
        (base / "config").mkdir(exist_ok=True)
        empty = base / "config" / "hiring.toml"
        empty.write_text("", encoding="utf-8")
        patch.setenv("HIRING_CONFIG", str(empty))
        yield


def _pg_url_with_schema(base: str, schema: str) -> str:
    # libpq's "options" sets search_path for every connection made with this URL, so
    # subprocesses given the URL land in the same isolated schema.
    separator = "&" if "?" in base else "?"
    return f"{base}{separator}options=-csearch_path%3D{schema}"


@pytest.fixture(params=DATABASES)
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A fresh, empty database: a SQLite file, or a new PostgreSQL schema dropped after."""
    if request.param == "sqlite":
        yield str(tmp_path / "hiring.db")
        return
    with fresh_pg_schema("hiring_test") as url:
        yield url


@contextmanager
def fresh_pg_schema(prefix: str) -> Iterator[str]:
    """A URL of ``HIRING_TEST_PG_URL``'s database whose search path is a new schema of its
    own, dropped afterwards."""
    import psycopg

    assert PG_URL is not None
    schema = f"{prefix}_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(PG_URL, autocommit=True) as admin:
        admin.execute(f'CREATE SCHEMA "{schema}"')
    try:
        yield _pg_url_with_schema(PG_URL, schema)
    finally:
        with psycopg.connect(PG_URL, autocommit=True) as admin:
            admin.execute(f'DROP SCHEMA "{schema}" CASCADE')


@contextmanager
def small_tmpfs(folder: Path, size: str) -> Iterator[Path]:
    """``folder`` as a tmpfs of ``size`` (e.g. "2m"): a real full disk (needs root; the
    test is skipped without it)."""
    import subprocess

    folder.mkdir()
    try:
        subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(folder)],
                       check=True, capture_output=True)
    except (OSError, subprocess.CalledProcessError):
        pytest.skip("needs root to mount a tmpfs")
    try:
        yield folder
    finally:
        subprocess.run(["umount", str(folder)], check=True)


@pytest.fixture(scope="session")
def small_bank_loaded():  # type: ignore[no-untyped-def]
    from hiring.bank import load_bank

    return load_bank([SMALL_BANK])


@pytest.fixture
def store(db_url: str):  # type: ignore[no-untyped-def]
    from hiring.store import open_store

    opened = open_store(db_url)
    yield opened
    opened.close()


@pytest.fixture
def shrunk_bank(tmp_path: Path) -> Path:
    """The small bank after its role stopped rating teamwork."""
    folder = tmp_path / "bank"
    shutil.copytree(SMALL_BANK, folder)
    role = folder / "roles" / "inbound-agent.yaml"
    role.write_text(
        role.read_text(encoding="utf-8").replace("    - {id: teamwork, weight: 1.0}\n", ""),
        encoding="utf-8",
    )
    return folder
