"""Opening the store for use: connect, bring the schema up to date, finish an erasure left
pending.

It sits above ``db`` (connections and SQL), ``schema`` (migrations) and ``erasure``, so that
``db`` imports neither of them and no import goes back up the store.
"""

from __future__ import annotations

import os
from pathlib import Path

from hiring.errors import StoreError
from hiring.store.db import Store, check_target, connect, default_db_path
from hiring.store.erasure import finish_erasures
from hiring.store.schema import SCHEMA_VERSION, migrate, version_number

# PostgreSQL's code for a missing table: a new database, or one from before erasures_pending.
_UNDEFINED_TABLE = "42P01"


def open_store(target: str | os.PathLike[str] | None = None, *, migrate_now: bool = True
               ) -> Store:
    """Open (and create or migrate) the database at a path or ``postgresql://`` URL.

    ``None`` means ``HIRING_DB`` if set, else :func:`default_db_path`. ``migrate_now=False``
    leaves the schema to the caller (a restore migrates inside its own transaction).
    """
    default = target is None and not os.environ.get("HIRING_DB")
    if target is None:
        target = os.environ.get("HIRING_DB") or default_db_path()
    text = os.fspath(target)
    check_target(text, create_folder=default)
    if default:
        try:
            Path(text).parent.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            raise StoreError(
                f"cannot create the folder {Path(text).parent}: {error.strerror}"
            ) from None
    store = connect(text)
    if not migrate_now:
        return store
    try:
        pending = _pending_if_current(store)
        if pending is None:
            migrate(store)
            pending = store.one("SELECT 1 FROM erasures_pending LIMIT 1") is not None
        if pending:
            # An erase could not remove every old copy (a reader was open): finish it now.
            # Best effort: an erasure that cannot finish (a damaged file, an id the server
            # refuses) must never keep 'db export' or a listing from opening the database;
            # it stays pending, and erase says so when run again.
            try:
                finish_erasures(store)
            except Exception:  # noqa: BLE001 - see above; the command itself reports faults
                pass
    except BaseException:
        store.close()
        raise
    return store


def _pending_if_current(store: Store) -> bool | None:
    """On PostgreSQL, in one round trip instead of four: whether an erasure is pending, when
    the schema is up to date; ``session_user`` is kept on the store for the team's rules.

    None on SQLite (no round trips to save), and when the schema is not current (missing
    tables, an older or a newer version): then ``migrate`` checks, refuses or migrates as
    it always does.
    """
    if store.dialect != "postgresql":
        return None
    try:
        row = store.one("SELECT (SELECT MAX(version) FROM schema_version), "
                        "EXISTS (SELECT 1 FROM erasures_pending), session_user")
    except StoreError as error:
        if getattr(error.__cause__, "sqlstate", None) == _UNDEFINED_TABLE:
            return None
        raise
    assert row is not None  # a SELECT without FROM gives one row
    store.session_user = str(row[2])
    if version_number(store, row[0]) != SCHEMA_VERSION:
        return None
    return bool(row[1])
