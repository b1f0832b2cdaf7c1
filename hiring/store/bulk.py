"""Many rows written in one statement: on PostgreSQL by COPY into a temporary table, then
one set-based statement; on SQLite by ``executemany`` (in-process, already fast).

COPY goes into the temporary table, never into the real one: the set-based ``INSERT ...
SELECT`` (or ``UPDATE ... FROM``) that follows runs with the caller's rights, so the
table's checks, keys, row-level security policies and triggers (the audit trigger that
sets who wrote a row) apply to every row as they would to single INSERTs, and everything
stays inside the caller's transaction: all or nothing. The temporary table is dropped at
commit or rollback.

    insert_rows(store, "ratings", ("interview_id", "competency", "score"), rows)
    update_rows(store, "ratings", "id", ("score", "note"), rows)  # rows: (id, score, note)
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Sequence
from typing import Any

from hiring.store.db import Store

_names = itertools.count()


def _quoted(columns: Sequence[str]) -> str:
    return ", ".join(f'"{column}"' for column in columns)


def copy_into_temporary(store: Store, table: str, columns: Sequence[str],
                        rows: Iterable[Sequence[Any]]) -> str:
    """PostgreSQL: a new temporary table with ``table``'s ``columns`` (their types, no
    constraints: the statement that reads it applies them) holding ``rows``, written by
    COPY; its name. Dropped at the end of the transaction."""
    name = f"hiring_bulk_{next(_names)}"
    # The column types from the catalog (readable by every login, whatever it may read).
    types = dict(store.all(
        "SELECT a.attname, format_type(a.atttypid, a.atttypmod) FROM pg_attribute a "
        "WHERE a.attrelid = to_regclass(:table) AND a.attnum > 0 AND NOT a.attisdropped",
        {"table": table},
    ))
    missing = [column for column in columns if column not in types]
    if missing:
        raise ValueError(f"{table} has no column {', '.join(missing)}")
    definition = ", ".join(f'"{column}" {types[column]}' for column in columns)
    store.execute(f"CREATE TEMPORARY TABLE {name} ({definition}) ON COMMIT DROP")
    with store.driver_errors():
        cursor = store.connection.cursor()
        with cursor.copy(f"COPY {name} ({_quoted(columns)}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
    return name


def insert_rows(store: Store, table: str, columns: Sequence[str],
                rows: Sequence[Sequence[Any]], on_conflict: str = "",
                returning: str = "") -> list[tuple[Any, ...]]:
    """INSERT ``rows`` (tuples in ``columns``' order) into ``table`` in one statement;
    ``on_conflict`` e.g. ``ON CONFLICT (a, b) DO NOTHING``; ``returning`` e.g. ``id, name``
    gives those of the inserted rows (in no particular order)."""
    if not rows:
        return []
    tail = f" {on_conflict}" if on_conflict else ""
    if store.dialect == "postgresql":
        source = copy_into_temporary(store, table, columns, rows)
        sql = (f'INSERT INTO "{table}" ({_quoted(columns)}) '
               f"SELECT {_quoted(columns)} FROM {source}{tail}")
        if returning:
            return store.all(f"{sql} RETURNING {returning}")
        store.execute(sql)
        return []
    # SQLite, in-process: executemany with the tuples as they are.
    marks = ", ".join("?" for _ in columns)
    sql = f'INSERT INTO "{table}" ({_quoted(columns)}) VALUES ({marks}){tail}'
    with store.driver_errors():
        cursor = store.connection.cursor()
        if returning:
            return [tuple(cursor.execute(f"{sql} RETURNING {returning}", row).fetchone())
                    for row in rows]
        cursor.executemany(sql, rows)
    return []


def update_rows(store: Store, table: str, key: str, columns: Sequence[str],
                rows: Sequence[Sequence[Any]]) -> None:
    """UPDATE ``table`` SET ``columns`` WHERE ``key`` matches, for ``rows`` of
    (key, *columns), in one statement."""
    if not rows:
        return
    if store.dialect == "postgresql":
        source = copy_into_temporary(store, table, (key, *columns), rows)
        sets = ", ".join(f'"{c}" = s."{c}"' for c in columns)
        store.execute(f'UPDATE "{table}" t SET {sets} FROM {source} s '
                      f'WHERE t."{key}" = s."{key}"')
        return
    sets = ", ".join(f'"{c}" = ?' for c in columns)
    with store.driver_errors():
        store.connection.cursor().executemany(
            f'UPDATE "{table}" SET {sets} WHERE "{key}" = ?',
            [(*row[1:], row[0]) for row in rows])
