"""A full backup of the store as one JSON file, its restore, and a copy between databases.

Every table the schema defines is written with its columns (``schema_tables()``), so a
column or table added by a later migration is carried without changes here. The format::

    {"kind": "hiring-backup", "format": 1, "schema_version": 1, "hiring": "0.1.0",
     "exported": "2026-12-01T09:00:00.000000+00:00",
     "tables": {
       "candidates": {"columns": ["id", "name", ...], "rows": [[1, "Ann Lee", ...], ...]},
       ...}}

Rows are lists in the order of ``columns``; one row per line, so the file diffs well.
Group data (special-category) is written only when asked for; otherwise its table is
empty and ``"left_out": {"group_data": N}`` in the head says how many rows stayed behind.
Restoring goes into an empty database only, validates every row first (types, NOT NULL,
unique keys, references between tables, and each value by the rules of the command that
writes it: ``hiring.store.backup_checks``) and writes all of it in one transaction, the
schema included: a refused restore leaves no new database file and no empty tables behind.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from hiring.errors import InputError, StoreError
from hiring.store import schema
from hiring.store.candidates import RowsError
from hiring.store.db import Store, now_iso
from hiring.store.schema import COLUMN_VALUES, Table, database_version, schema_tables
from hiring.store.team import require

BACKUP_KIND = "hiring-backup"
BACKUP_FORMAT = 1
MAX_REPORTED_PROBLEMS = 200


@dataclass
class Backup:
    """What a backup holds: per table (in restore order) its columns and rows."""

    schema_version: int
    tables: dict[str, tuple[list[str], list[tuple[Any, ...]]]] = field(default_factory=dict)
    exported: str = ""
    # table -> rows the database held but the backup leaves out (group data, unless asked)
    left_out: dict[str, int] = field(default_factory=dict)

    def counts(self) -> dict[str, int]:
        return {name: len(rows) for name, (_, rows) in self.tables.items()}


# Special-category data (GDPR art. 9): in a backup or copy only when asked for
# (``--include-group-data``); otherwise the table is written empty and the head says how
# many rows were left out.
OPT_IN_TABLES = ("group_data",)


# -- reading a database ------------------------------------------------------------------
def dump(store: Store, include_group_data: bool = False) -> Backup:
    """Every row of every table, read in one consistent snapshot (group data only when
    ``include_group_data``; otherwise counted in ``left_out``)."""
    backup = Backup(schema_version=schema.SCHEMA_VERSION, exported=now_iso())
    with store.read():
        if store.dialect == "postgresql":
            # One snapshot for all tables (READ COMMITTED would take one per statement).
            store.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        require(store, "backup.export")
        version = database_version(store)
        if version != schema.SCHEMA_VERSION:  # open_store migrates, so only a race gets here
            raise StoreError(
                f"the database is at schema version {version}, not {schema.SCHEMA_VERSION}"
            )
        for table in schema_tables():
            columns = table.column_names
            if table.name in OPT_IN_TABLES and not include_group_data:
                row = store.one(f'SELECT COUNT(*) FROM "{table.name}"')
                if row and row[0]:
                    backup.left_out[table.name] = int(row[0])
                backup.tables[table.name] = (columns, [])
                continue
            keys = table.unique[0] if table.unique else columns
            order = ", ".join(f'"{name}"' for name in keys)
            select = ", ".join(f'"{name}"' for name in columns)
            rows = store.all(f'SELECT {select} FROM "{table.name}" ORDER BY {order}')
            backup.tables[table.name] = (columns, rows)
    return backup


def backup_text(backup: Backup) -> str:
    """The backup as JSON text, one row per line."""
    from hiring import __version__

    head = {
        "kind": BACKUP_KIND,
        "format": BACKUP_FORMAT,
        "schema_version": backup.schema_version,
        "hiring": __version__,
        "exported": backup.exported,
    }
    if backup.left_out:
        head["left_out"] = backup.left_out
    parts = [json.dumps(head, ensure_ascii=False)[:-1] + ', "tables": {']
    tables = []
    encode = json.JSONEncoder(ensure_ascii=False).encode  # one encoder: 3x faster per row
    for name, (columns, rows) in backup.tables.items():
        body = ",\n".join("  " + encode(list(row)) for row in rows)
        tables.append(
            f"\n{json.dumps(name)}: {{\"columns\": {json.dumps(columns)}, \"rows\": ["
            + (f"\n{body}\n" if rows else "")
            + "]}"
        )
    parts.append(",".join(tables))
    parts.append("\n}}\n")
    return "".join(parts)


def export_backup(store: Store, path: Path, include_group_data: bool = False) -> Backup:
    """Write the whole database to ``path`` (atomically); returns what was written (group
    data only with ``include_group_data``: see ``OPT_IN_TABLES``)."""
    from hiring.files import write_atomic

    if include_group_data:
        from hiring.store.team import require

        require(store, "group_data.read")
    backup = dump(store, include_group_data)
    write_atomic(path, backup_text(backup))
    return backup


# -- reading and checking a backup file --------------------------------------------------
def read_backup(path: Path) -> Backup:
    """Parse and validate a backup file completely; nothing is written."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as error:
        raise InputError(f"cannot read {path}: {error.strerror}") from None
    except UnicodeDecodeError:
        raise InputError(f"{path} is not UTF-8 text") from None
    try:
        data = json.loads(text)
    except ValueError as error:
        raise InputError(f"{path} is not JSON: {error}") from None
    except RecursionError:
        raise InputError(f"{path} is not a hiring backup: it nests too deeply") from None
    return parse_backup(data, str(path))


def parse_backup(data: Any, source: str) -> Backup:
    """Check a backup's structure and every row against the schema (see module docs)."""
    if not isinstance(data, dict) or data.get("kind") != BACKUP_KIND:
        raise InputError(f"{source} is not a hiring backup (kind '{BACKUP_KIND}')")
    if data.get("format") != BACKUP_FORMAT:
        raise InputError(f"{source}: backup format {data.get('format')!r} is not supported")
    version = data.get("schema_version")
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        raise InputError(f"{source}: 'schema_version' must be a positive whole number")
    if version > schema.SCHEMA_VERSION:
        raise InputError(
            f"{source} was written by a newer hiring (schema version {version}; this hiring "
            f"knows up to {schema.SCHEMA_VERSION}): upgrade hiring to import it"
        )
    tables = data.get("tables")
    if not isinstance(tables, dict):
        raise InputError(f"{source}: 'tables' must be an object of tables")
    known = {table.name: table for table in schema_tables()}
    unknown = sorted(set(tables) - set(known))
    if unknown:
        raise InputError(f"{source}: unknown table(s) {', '.join(unknown)}")
    backup = Backup(schema_version=version, exported=str(data.get("exported") or ""))
    left_out = data.get("left_out") or {}
    if isinstance(left_out, dict):
        backup.left_out = {str(name): count for name, count in left_out.items()
                           if isinstance(count, int) and not isinstance(count, bool)}
    for table in schema_tables():
        entry = tables.get(table.name)
        if entry is None:
            if version == schema.SCHEMA_VERSION:
                raise InputError(f"{source}: table '{table.name}' is missing")
            backup.tables[table.name] = ([], [])  # added after that version: no rows yet
            continue
        backup.tables[table.name] = _check_shape(table, entry, source)
    check_backup(backup, source)
    return backup


def check_backup(backup: Backup, source: str) -> None:
    """Every row against the schema: types, NOT NULL, unique keys, references."""
    problems: list[str] = []
    for table in schema_tables():
        columns, rows = backup.tables[table.name]
        if not _rows_look_right(table, columns, rows):  # the detailed pass names each problem
            typed = list(_check_rows(table, columns, rows))
            problems.extend(typed)
            if typed:
                continue
        problems.extend(_check_values(table, columns, rows))
    if not problems and not _references_look_right(backup):  # well-typed values only
        problems.extend(_check_references(backup))
    if problems:
        shown = problems[:MAX_REPORTED_PROBLEMS]
        if len(problems) > len(shown):
            shown.append(f"... and {len(problems) - len(shown)} more")
        raise RowsError(
            f"{len(problems)} problem(s) in the backup {source}; nothing was imported", shown
        )


def _check_shape(
    table: Table, entry: Any, source: str
) -> tuple[list[str], list[tuple[Any, ...]]]:
    where = f"{source}: table '{table.name}'"
    if not isinstance(entry, dict):
        raise InputError(f"{where} must be an object with 'columns' and 'rows'")
    columns = entry.get("columns")
    rows = entry.get("rows")
    if not isinstance(columns, list) or not all(isinstance(name, str) for name in columns):
        raise InputError(f"{where}: 'columns' must be a list of column names")
    if not isinstance(rows, list):
        raise InputError(f"{where}: 'rows' must be a list")
    unknown = [name for name in columns if name not in table.column_names]
    if unknown:
        raise InputError(f"{where}: unknown column(s) {', '.join(unknown)}")
    if len(set(columns)) != len(columns):
        raise InputError(f"{where}: a column is listed twice")
    required = [
        column.name
        for column in table.columns
        if column.not_null and not column.has_default and column.name not in columns
    ]
    if required:
        raise InputError(f"{where} lacks the column(s) {', '.join(required)}")
    return columns, [tuple(row) if isinstance(row, list) else row for row in rows]


def _rows_look_right(table: Table, columns: list[str], rows: list[Any]) -> bool:
    """A fast whole-column check (C-speed set and join operations) of what
    :func:`_check_rows` checks row by row; False sends the table to the detailed pass."""
    width = len(columns)
    if not all(type(row) is tuple and len(row) == width for row in rows):
        return False
    if not rows:
        return True
    by_name = {column.name: column for column in table.columns}
    values = list(zip(*rows, strict=True))
    for name, column_values in zip(columns, values, strict=True):
        column = by_name[name]
        allowed: set[type] = {int} if column.type == "INTEGER" else {str}
        if not column.not_null:
            allowed.add(type(None))
        if not set(map(type, column_values)) <= allowed:
            return False
        if column.type == "TEXT" and "\x00" in "".join(filter(None, column_values)):
            return False
        allowed_values = COLUMN_VALUES.get((table.name, name))
        if allowed_values is not None and not set(column_values) <= {*allowed_values, None}:
            return False
    position = {name: index for index, name in enumerate(columns)}
    for group in table.unique:
        if all(name in position for name in group):
            keys = list(zip(*(values[position[name]] for name in group), strict=True))
            keys = [key for key in keys if None not in key]
            if len(set(keys)) != len(keys):
                return False
    return True


def _check_values(table: Table, columns: list[str], rows: list[Any]) -> Iterator[str]:
    """Each value by the rules of the command that writes it (rows already well typed)."""
    from hiring.store.backup_checks import row_problems

    for number, row in enumerate(rows, start=1):
        for problem in row_problems(table.name, columns, row):
            yield f"{table.name} row {number}: {problem}"


def _references_look_right(backup: Backup) -> bool:
    for table in schema_tables():
        columns, rows = backup.tables[table.name]
        for column, target, target_column in table.references:
            if column not in columns or not rows:
                continue
            target_columns, target_rows = backup.tables[target]
            if target_column not in target_columns:
                return False
            index = target_columns.index(target_column)
            known = {row[index] for row in target_rows}
            mine = columns.index(column)
            if {row[mine] for row in rows} - known - {None}:
                return False
    return True


def _check_rows(table: Table, columns: list[str], rows: list[Any]) -> Iterator[str]:
    by_name = {column.name: column for column in table.columns}
    checks = [by_name[name] for name in columns]
    width = len(columns)
    for number, row in enumerate(rows, start=1):
        where = f"{table.name} row {number}"
        if not isinstance(row, tuple) or len(row) != width:
            yield f"{where}: expected a list of {width} values"
            continue
        for column, value in zip(checks, row, strict=True):
            if value is None:
                if column.not_null:
                    yield f"{where}: '{column.name}' is empty (it must have a value)"
            elif column.type == "INTEGER":
                if not isinstance(value, int) or isinstance(value, bool):
                    yield f"{where}: '{column.name}' must be a whole number, not {value!r}"
            elif not isinstance(value, str):
                yield f"{where}: '{column.name}' must be text, not {value!r}"
            elif "\x00" in value:
                yield f"{where}: '{column.name}' contains a NUL character"
            elif value not in COLUMN_VALUES.get((table.name, column.name), (value,)):
                allowed = ", ".join(COLUMN_VALUES[(table.name, column.name)])
                yield f"{where}: '{column.name}' is {value!r}, not one of {allowed}"
    position = {name: index for index, name in enumerate(columns)}
    for group in table.unique:
        if not all(name in position for name in group):
            continue
        indexes = [position[name] for name in group]
        seen: dict[tuple[Any, ...], int] = {}
        for number, row in enumerate(rows, start=1):
            if not isinstance(row, tuple) or len(row) != width:
                continue
            key = tuple(row[index] for index in indexes)
            if any(value is None or isinstance(value, list | dict) for value in key):
                continue  # a list or object was reported above: it cannot be a key
            if key in seen:
                yield (
                    f"{table.name} row {number}: same {', '.join(group)} as row {seen[key]}"
                )
            else:
                seen[key] = number


def _check_references(backup: Backup) -> Iterator[str]:
    tables = {table.name: table for table in schema_tables()}
    for table in schema_tables():
        columns, rows = backup.tables[table.name]
        position = {name: index for index, name in enumerate(columns)}
        for column, target, target_column in table.references:
            if column not in position:
                continue
            target_columns, target_rows = backup.tables[target]
            if target_column not in target_columns:
                known: set[Any] = set()
            else:
                index = target_columns.index(target_column)
                known = {row[index] for row in target_rows if isinstance(row, tuple)}
            mine = position[column]
            for number, row in enumerate(rows, start=1):
                if not isinstance(row, tuple) or len(row) != len(columns):
                    continue
                value = row[mine]
                if value is not None and value not in known:
                    yield (
                        f"{table.name} row {number}: '{column}' {value!r} is not in "
                        f"{tables[target].name}"
                    )


# -- writing a database ------------------------------------------------------------------
def restore(store: Store, backup: Backup) -> dict[str, int]:
    """Write a validated backup into an empty database, in one transaction.

    Refused when any table already has rows. On PostgreSQL the identity sequences are
    moved past the restored ids, so new rows do not collide with them.
    """
    tables = schema_tables()
    with store.write():
        require(store, "backup.restore")
        if store.dialect == "postgresql":
            # No other writer may add rows between the emptiness check and the COMMIT.
            names = ", ".join(f'"{table.name}"' for table in tables)
            store.execute(f"LOCK TABLE {names} IN SHARE ROW EXCLUSIVE MODE")
        filled = []
        for table in tables:
            row = store.one(f'SELECT COUNT(*) FROM "{table.name}"')
            if row and row[0]:
                filled.append(f"{table.name} {row[0]}")
        if filled:
            raise StoreError(
                f"the database {store.location} is not empty (it holds "
                f"{', '.join(filled)} rows): "
                "a backup is restored into an empty database only"
            )
        for table in tables:
            columns, rows = backup.tables[table.name]
            if rows:
                _insert_rows(store, table.name, columns, rows)
        if store.dialect == "postgresql":
            for table in tables:
                if table.identity is not None:
                    store.execute(
                        f"SELECT setval(pg_get_serial_sequence(:table, :column), "
                        f'COALESCE((SELECT MAX("{table.identity}") FROM "{table.name}"), 0) + 1, '
                        "false)",
                        {"table": table.name, "column": table.identity},
                    )
    return backup.counts()


def _insert_rows(
    store: Store, table: str, columns: list[str], rows: Iterable[tuple[Any, ...]]
) -> None:
    names = ", ".join(f'"{name}"' for name in columns)
    cursor = store.connection.cursor()
    if store.dialect == "postgresql":
        # COPY: about 20x faster than row-by-row INSERTs for a 100,000-rating team.
        with cursor.copy(f'COPY "{table}" ({names}) FROM STDIN') as copy:
            for row in rows:
                copy.write_row(row)
        return
    marks = ", ".join("?" for _ in columns)
    cursor.executemany(f'INSERT INTO "{table}" ({names}) VALUES ({marks})', rows)


def restore_into(
    target: str | None, backup: Backup
) -> tuple[str, dict[str, int], list[tuple[str, str]]]:
    """Create or migrate the database ``target`` (None: the default one) and restore a
    validated backup into it, schema and rows in one transaction. When anything fails, a
    SQLite file this call created is removed again (and its -wal/-shm): a refused restore
    leaves nothing behind. Returns the target's location, the rows per table, and the
    roster's logins that do not exist on a PostgreSQL target (member, login): listed for
    the team lead to create, never created silently."""
    import os

    from hiring.store.db import default_db_path, sqlite_path
    from hiring.store.opening import open_store
    from hiring.store.schema import migrate
    from hiring.store.team_pg import missing_logins

    text = target if target is not None else (os.environ.get("HIRING_DB")
                                              or str(default_db_path()))
    path = sqlite_path(text)
    created: list[Path] = []
    if path is not None:
        created = [
            candidate for candidate in
            (path.with_name(path.name + suffix) for suffix in ("", "-wal", "-shm", "-journal"))
            if not candidate.exists()
        ]
    try:
        with open_store(target, migrate_now=False) as store:
            with store.write():
                migrate(store)  # inside the restore's transaction: rolled back with it
                counts = restore(store, backup)
            return store.location, counts, missing_logins(store)
    except BaseException:
        if path is not None and path in created:  # a new file: remove what we made
            for made in created:
                made.unlink(missing_ok=True)
        raise


def copy_database(
    source: Store, target: str, include_group_data: bool = False,
    progress: Callable[[str], None] | None = None,
) -> tuple[str, dict[str, int], list[tuple[str, str]], dict[str, int]]:
    """Copy every row of ``source`` into the empty database ``target`` (a path or URL),
    group data only with ``include_group_data``.

    The rows are read and checked before the target is opened: a value PostgreSQL cannot
    hold (a NUL in a note that SQLite accepted) is reported before anything is written.
    A target that is the source itself, or its -wal/-shm file, is refused.
    Returns the target's location (password hidden), the rows copied per table, the
    roster's logins that do not exist on a PostgreSQL target (member, login), and the rows
    left out per table (group data without ``include_group_data``).
    """
    import os

    from hiring.store.db import sqlite_path

    path = sqlite_path(target)
    if path is not None:
        if source.path is not None:
            mine = Path(os.path.realpath(source.path))
            own = {mine.with_name(mine.name + suffix)
                   for suffix in ("", "-wal", "-shm", "-journal")}
            if Path(os.path.realpath(path)) in own:
                raise InputError(
                    f"cannot copy into {path}: it is the database being copied, or its "
                    "-wal/-shm file; choose another --to"
                )
    if include_group_data:
        from hiring.store.team import require

        require(source, "group_data.read")
    step = progress or (lambda text: None)
    step("reading every table")
    backup = dump(source, include_group_data)
    step(f"checking {sum(backup.counts().values())} rows")
    check_backup(backup, source.location)
    step("writing")
    location, counts, missing = restore_into(target, backup)
    return location, counts, missing, backup.left_out
