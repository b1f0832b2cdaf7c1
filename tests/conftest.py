"""Shared fixtures. Store fixtures: every store test runs on SQLite and, when
HIRING_TEST_PG_URL is set, on PostgreSQL too (each test in its own fresh schema)."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

SMALL_BANK = Path(__file__).parent / "fixtures" / "small_bank"
PG_URL = os.environ.get("HIRING_TEST_PG_URL")
DATABASES = ["sqlite"] + (["postgresql"] if PG_URL else [])


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
    import psycopg

    assert PG_URL is not None
    schema = f"hiring_test_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(PG_URL, autocommit=True) as admin:
        admin.execute(f'CREATE SCHEMA "{schema}"')
    try:
        yield _pg_url_with_schema(PG_URL, schema)
    finally:
        with psycopg.connect(PG_URL, autocommit=True) as admin:
            admin.execute(f'DROP SCHEMA "{schema}" CASCADE')


@pytest.fixture(scope="session")
def small_bank():  # type: ignore[no-untyped-def]
    from hiring.bank import load_bank

    return load_bank([SMALL_BANK])


@pytest.fixture
def store(db_url: str):  # type: ignore[no-untyped-def]
    from hiring.store import open_store

    opened = open_store(db_url)
    yield opened
    opened.close()
