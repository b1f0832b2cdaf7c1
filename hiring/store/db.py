"""One connection API over SQLite (default) and PostgreSQL (shared team databases).

The store speaks plain DB-API with SQL that both databases accept, written once with
``:name`` parameters (translated to psycopg's ``%(name)s``). It does not use SQLAlchemy:
importing SQLAlchemy alone takes about 3x as long as importing Typer, and ``score set``
must start within 2.5x of Typer (see ``benchmarks/bench_store.py``).

SQLite settings on every connection: WAL (readers never block the writer), a 30 s busy
timeout, foreign keys, ``secure_delete`` (erased names are zeroed, not left in free
pages). Write transactions start with ``BEGIN IMMEDIATE``: a deferred transaction that
reads and then writes fails at once with SQLITE_BUSY when another writer got in
between, whatever the timeout. SQLite's WAL needs one machine (no network file
systems); teams on several machines use PostgreSQL.
"""

from __future__ import annotations

import os
import re
import sqlite3
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Literal

from hiring.errors import StoreError

BUSY_TIMEOUT_MS = 30_000
_NAMED_PARAM = re.compile(r"(?<![:\w]):([A-Za-z_]\w*)")

Dialect = Literal["sqlite", "postgresql"]


def default_db_path() -> Path:
    """Where the database lives when neither ``--db`` nor ``HIRING_DB`` is given."""
    import platformdirs

    return platformdirs.user_data_path("hiring") / "hiring.db"


def now_iso() -> str:
    """A UTC timestamp as ISO-8601 text (sortable as text on both databases)."""
    return datetime.now(UTC).isoformat(timespec="microseconds")


def is_postgres_url(target: str) -> bool:
    return target.startswith(("postgresql://", "postgres://", "postgresql+psycopg://"))


# A scheme: letters then ':' ("postgresql:h", "mysql://", "file:x.db"). One letter is a
# Windows drive ("C:\\hiring.db"), not a scheme.
_SCHEME = re.compile(r"^([A-Za-z][A-Za-z0-9+.-]+):")


def sqlite_path(target: str | os.PathLike[str]) -> Path | None:
    """The SQLite file a ``--db`` names, or None for a PostgreSQL URL.

    Accepted: a path, or a ``file:`` URI (``file:x.db``, ``file:///srv/x.db``), which SQLite
    itself would open as a URI: it is resolved here to the path it names, so every guard
    (no ``--out`` onto the database, no copy into its own -wal) compares real files.
    Anything else with a scheme (``postgresql:h``, ``postgres:``, ``mysql://``) is refused
    before a file is created; a file whose name has a colon is written ``./name:x.db``.
    """
    text = os.fspath(target)
    if is_postgres_url(text):
        return None
    scheme = _SCHEME.match(text)
    if scheme is None:
        return Path(text).expanduser()
    if scheme[1].lower() == "file":
        from urllib.parse import unquote, urlsplit

        parts = urlsplit(text)
        if parts.query or parts.fragment:
            raise StoreError(
                f"--db '{_redact(text)}': a file: URI with options ('?...') is not supported; "
                "give the file's path"
            )
        if parts.netloc not in ("", "localhost"):
            raise StoreError(
                f"--db '{_redact(text)}': a file: URI on another host ({parts.netloc}) is not "
                "supported; give the file's path"
            )
        path = unquote(parts.path)
        if not path:
            raise StoreError(f"--db '{text}': the file: URI names no file")
        return Path(path).expanduser()
    raise StoreError(
        f"--db '{_redact(text)}': '{scheme[1]}:' is not a database this hiring opens; "
        "give a SQLite file path, a file: URI or a postgresql:// (or postgres://) URL "
        "(a file whose name has a colon: ./name)"
    )


def check_target(target: str, *, create_folder: bool = False) -> None:
    """Refuse a ``--db`` that is neither a file path in an existing folder (or a ``file:``
    URI naming one) nor a PostgreSQL URL, before anything is created.

    A typo'd scheme (``postgress://``, ``postgresql:host``) would otherwise open a SQLite
    file under ``./postgress:/``, and the team's scores would never reach the shared
    database.
    """
    path = sqlite_path(target)
    if path is None or create_folder:
        return
    if not path.parent.is_dir():
        raise StoreError(
            f"--db '{target}': the folder {path.parent} does not exist; create it first "
            "(only the default location's folder is created)"
        )


class Store:
    """An open database. Use ``write()`` / ``read()`` for transactions."""

    def __init__(self, connection: Any, dialect: Dialect, location: str) -> None:
        self.connection = connection
        self.dialect: Dialect = dialect
        self.location = location
        self.path: Path | None = None if dialect == "postgresql" else Path(location)
        # PostgreSQL's session_user (who the rules apply to), once read: it cannot change
        # for the life of the connection. Read with the schema version when the store is
        # opened, saving a round trip (``hiring.store.opening``).
        self.session_user: str | None = None
        self._in_transaction = False

    # -- SQL -----------------------------------------------------------------------------
    def _sql(self, sql: str) -> str:
        if self.dialect == "postgresql":
            return _NAMED_PARAM.sub(r"%(\1)s", sql)
        return sql

    def execute(self, sql: str, params: Mapping[str, Any] | None = None) -> Any:
        with self.driver_errors():
            cursor = self.connection.cursor()
            cursor.execute(self._sql(sql), dict(params or {}))
            return cursor

    def executemany(self, sql: str, rows: Iterable[Mapping[str, Any]]) -> None:
        rows = list(rows)
        if rows:
            with self.driver_errors():
                self.connection.cursor().executemany(self._sql(sql), rows)

    def all(self, sql: str, params: Mapping[str, Any] | None = None) -> list[tuple[Any, ...]]:
        cursor = self.execute(sql, params)
        with self.driver_errors():
            return [tuple(row) for row in cursor.fetchall()]

    def one(self, sql: str, params: Mapping[str, Any] | None = None) -> tuple[Any, ...] | None:
        cursor = self.execute(sql, params)
        with self.driver_errors():
            row = cursor.fetchone()
        return None if row is None else tuple(row)

    @contextmanager
    def driver_errors(self) -> Iterator[None]:
        """Turn a database driver's error into one ``StoreError`` line saying what to do."""
        try:
            yield
        except Exception as error:
            if not _is_driver_error(error) or _is_integrity_error(error):
                raise
            raise StoreError(describe_database_error(self.location, error)) from error

    def insert_id(self, sql: str, params: Mapping[str, Any]) -> int:
        """Run an ``INSERT ... RETURNING id`` and give the new id."""
        row = self.execute(sql, params).fetchone()
        return int(row[0])

    @property
    def for_update(self) -> str:
        """Row-lock suffix for a SELECT inside a write (SQLite already holds the write lock)."""
        return " FOR UPDATE" if self.dialect == "postgresql" else ""

    # -- transactions --------------------------------------------------------------------
    @contextmanager
    def write(self) -> Iterator[Store]:
        """A short write transaction, taking the write lock up front on SQLite."""
        with self._transaction("BEGIN IMMEDIATE" if self.dialect == "sqlite" else "BEGIN"):
            yield self

    @contextmanager
    def read(self) -> Iterator[Store]:
        """A consistent snapshot for multi-query reads."""
        with self._transaction("BEGIN"):
            yield self

    @contextmanager
    def _transaction(self, begin: str) -> Iterator[None]:
        if self._in_transaction:  # nested: part of the outer transaction
            yield
            return
        with self.driver_errors():
            self.connection.cursor().execute(begin)
        self._in_transaction = True
        try:
            yield
            # Explicit COMMIT: both connections run in autocommit mode, so the driver never
            # opens a transaction behind our back. A failed COMMIT (disk full) rolls back.
            with self.driver_errors():
                self.connection.cursor().execute("COMMIT")
        except BaseException as error:
            self._in_transaction = False
            try:
                self.connection.cursor().execute("ROLLBACK")
            except Exception:  # nothing open (COMMIT failed and SQLite rolled back), or gone
                pass
            if _is_driver_error(error) and not _is_integrity_error(error):
                raise StoreError(describe_database_error(self.location, error)) from error
            raise
        self._in_transaction = False

    def close(self) -> None:
        self.connection.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _is_driver_error(error: BaseException) -> bool:
    """An error of sqlite3 or psycopg (without importing psycopg)."""
    if isinstance(error, sqlite3.Error):
        return True
    return any(cls.__module__.startswith("psycopg") for cls in type(error).__mro__)


def _is_integrity_error(error: BaseException) -> bool:
    """A broken constraint: a bug or a race the caller handles, not a fault of the file."""
    return any(cls.__name__ == "IntegrityError" for cls in type(error).__mro__)


def describe_database_error(location: str, error: BaseException, *, committed: bool = False
                            ) -> str:
    """One line for a database fault: what happened to which database, and what to do.
    ``committed``: the fault came after the change was committed (compacting after an
    erase), so the line must not say that nothing was saved.

    >>> describe_database_error("h.db", sqlite3.OperationalError("database is locked"))
    'the database h.db is locked: another program held it for over 30 s; try again'
    """
    text = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
    lower = text.lower()
    saved = "the change itself is saved" if committed else "nothing was saved"
    if "disk is full" in lower or "no space" in lower or "file too large" in lower:
        return (f"cannot write the database {location}: the disk is full (or a file size "
                f"limit was reached); {saved}: free some space and try again")
    if "malformed" in lower or "not a database" in lower or "disk image" in lower:
        return (f"the database {location} is damaged ({text}): recover it with "
                f"'sqlite3 {location} .recover | sqlite3 recovered.db', or restore your last "
                "backup with 'hiring --db NEW.db db import BACKUP.json' ('hiring db export' "
                "writes one)")
    if "no schema has been selected" in lower:
        return (f"the database {location} refused: this login has no rights on the hiring "
                "tables there (a recruiter adds you with 'hiring team add NAME --role ROLE "
                "--login LOGIN'; the owner runs 'hiring db init-team' once)")
    if "permission denied" in lower or "row-level security" in lower:
        return (f"the database {location} refused: {text} (the server enforces the team's "
                "roles: 'hiring whoami' shows yours)")
    if "locked" in lower or "busy" in lower:
        return (f"the database {location} is locked: another program held it for over "
                f"{BUSY_TIMEOUT_MS // 1000} s; try again")
    if "readonly" in lower or "read-only" in lower:
        return (f"cannot write the database {location}: it, or its -wal/-shm file beside it, "
                f"is read-only; {saved}: fix the files' permissions")
    if "disk i/o" in lower or "unable to open" in lower:
        return (f"cannot use the database {location} ({text}): the disk may be full or a file "
                f"size limit reached, or its -wal/-shm file unusable; {saved}")
    return f"database error ({location}): {text}"


def _connect_sqlite(path: Path) -> Store:
    path = path.expanduser()
    try:
        # isolation_level=None: we issue BEGIN IMMEDIATE ourselves (sqlite3 would BEGIN
        # deferred behind our back otherwise).
        name = str(path)
        if name.startswith("file:"):  # a file named so, not a URI (SQLite may read URIs)
            name = os.path.abspath(name)
        connection = sqlite3.connect(name, timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None)
        cursor = connection.cursor()
        cursor.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA journal_mode = WAL")
        cursor.execute("PRAGMA foreign_keys = ON")
        cursor.execute("PRAGMA secure_delete = ON")
    except OSError as error:
        raise StoreError(f"cannot open the database {path}: {error.strerror}") from None
    except sqlite3.Error as error:
        raise StoreError(describe_database_error(str(path), error)) from None
    from hiring.files import protect_file

    for suffix in ("", "-wal", "-shm", "-journal"):  # no --out may replace these
        protect_file(path.with_name(path.name + suffix), "the database in use")
    return Store(connection, "sqlite", str(path))


def _connect_postgres(url: str) -> Store:
    import psycopg

    conninfo = re.sub(r"^postgres(ql)?(\+psycopg)?://", "postgresql://", url)
    try:
        connection = psycopg.connect(conninfo, autocommit=True, connect_timeout=10)
    except psycopg.Error as error:
        first_line = str(error).strip().splitlines()[0] if str(error).strip() else "error"
        raise StoreError(f"cannot connect to PostgreSQL: {first_line}") from None
    return Store(connection, "postgresql", _redact(url))


def _redact(url: str) -> str:
    return re.sub(r"//([^:/@]+):[^@]*@", r"//\1:***@", url)


def connect(target: str) -> Store:
    """A connection to a SQLite file (a path or ``file:`` URI) or a ``postgresql://`` URL as
    it is, not migrated (``hiring.store.opening.open_store`` opens the store for use)."""
    path = sqlite_path(target)
    return _connect_postgres(target) if path is None else _connect_sqlite(path)


def placeholders(prefix: str, values: Sequence[Any]) -> tuple[str, dict[str, Any]]:
    """``(:p0, :p1, ...)`` and its parameters, for ``IN`` lists."""
    names = [f"{prefix}{index}" for index in range(len(values))]
    return ", ".join(f":{name}" for name in names), dict(zip(names, values, strict=True))
