"""Values kept per candidate and key, imported all or nothing: group data
(``hiring.store.group_data``: candidate, attribute -> group) and outcomes
(``hiring.store.outcomes``: candidate, measure -> value, date).

Both live in tables of their own, apart from ratings, so no other reader reaches them by
accident; both are erased with the candidate (``hiring.store.erasure``). An import is
checked whole before anything is written: every bad row is reported with its line and
nothing changes. A row for a (candidate, key) already stored replaces the stored value;
each new or changed value is one audit row.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from hiring.errors import HiringError, InputError
from hiring.spreadsheets import TableOptions, TableRow, check_columns, read_table
from hiring.store.audit import INSERT_AUDIT, audit_params
from hiring.store.candidates import RowsError, lock_active_candidates
from hiring.store.db import Store, now_iso, placeholders
from hiring.store.team import require

MAX_REPORTED_PROBLEMS = 200
MAX_KEY_CHARS = 64
_KEY = re.compile(r"^[a-z0-9][a-z0-9_.-]*$")


def check_key(value: str | None, what: str) -> str:
    """An attribute or measure name: lower-case letters, digits, '_', '-', '.'."""
    key = (value or "").strip()
    if not key:
        raise InputError(f"the {what} is empty")
    if len(key) > MAX_KEY_CHARS or not _KEY.match(key):
        raise InputError(
            f"the {what} '{key[:MAX_KEY_CHARS]}' is not a name of lower-case letters, digits, "
            f"'_', '-' or '.' (at most {MAX_KEY_CHARS} characters, e.g. age_band)"
        )
    return key


@dataclass(frozen=True)
class ValueRow:
    """One checked row of a file: the candidate as written, the key, the values."""

    line: int
    candidate: str
    key: str
    values: tuple[str, ...]


@dataclass(frozen=True)
class ValueTable:
    """Where and how one kind of value is kept, and how its file is read."""

    table: str  # the table
    key_column: str  # attribute / measure (the file's column of the same name)
    value_columns: tuple[str, ...]
    audit_action: str
    # what the audit row holds of a value (None: old), e.g. only the attribute's name
    audit_text: Callable[[str, tuple[str, ...]], str]
    file_columns: tuple[str, ...]  # every one required
    write_action: str  # the team action that may import it
    values: Callable[[TableRow], tuple[str, ...]]  # a file row's checked values


@dataclass(frozen=True)
class ImportCounts:
    created: int
    updated: int
    unchanged: int
    candidates: int

    def to_json(self) -> dict[str, int]:
        return dict(vars(self))


def refuse(problems: list[str], source: Path, verb: str = "imported") -> None:
    if problems:
        shown = problems[:MAX_REPORTED_PROBLEMS]
        if len(problems) > len(shown):
            shown.append(f"... and {len(problems) - len(shown)} more")
        raise RowsError(
            f"{len(problems)} invalid row(s) in {source}; nothing was {verb}", shown, source
        )


def _resolve(store: Store, rows: Sequence[ValueRow], problems: list[str]) -> dict[int, int]:
    """line -> candidate id, by id or exact name; erased and unknown candidates refused."""
    by_id: dict[str, tuple[int, str]] = {}
    by_name: dict[str, list[tuple[int, str]]] = {}
    for cid, name, status in store.all("SELECT id, name, status FROM candidates"):
        by_id[str(cid)] = (int(cid), status)
        by_name.setdefault(name, []).append((int(cid), status))
    found: dict[int, int] = {}
    for row in rows:
        reference = row.candidate
        try:
            match = by_id.get(reference) if reference.isdecimal() else None
            if match is None:
                named = by_name.get(reference, [])
                if len(named) > 1:
                    ids = ", ".join(str(cid) for cid, _ in named)
                    raise InputError(
                        f"{len(named)} candidates are called '{reference}' (ids {ids}): use the id"
                    )
                if not named:
                    raise InputError(f"no candidate '{reference}'")
                match = named[0]
            if match[1] == "erased":
                raise InputError(f"candidate {match[0]} was erased")
            found[row.line] = match[0]
        except HiringError as error:
            problems.append(f"line {row.line}: {error}")
    return found


def import_file(store: Store, spec: ValueTable, path: Path, actor: str,
                reading: TableOptions | None = None) -> ImportCounts:
    """Check every row of a CSV or .xlsx file, then import it all (``import_values``)."""
    member = require(store, spec.write_action)
    table = read_table(path, reading)
    check_columns(table, spec.file_columns, spec.file_columns)
    rows: list[ValueRow] = []
    problems: list[str] = []
    for record in table.rows:
        try:
            candidate = record.get("candidate").strip()
            if not candidate:
                raise InputError("the candidate is empty")
            rows.append(ValueRow(record.line, candidate,
                                 check_key(record.get(spec.key_column), spec.key_column),
                                 spec.values(record)))
        except HiringError as error:
            problems.append(f"line {record.line}: {error}")
    return import_values(store, spec, rows, path, member.name if member else actor, problems)


def import_values(store: Store, spec: ValueTable, rows: Sequence[ValueRow], source: Path,
                  actor: str, problems: list[str]) -> ImportCounts:
    """Resolve the candidates, refuse the file if any row (or ``problems`` already found)
    is bad, else write every row and its audit in one transaction."""
    columns = ", ".join(spec.value_columns)
    with store.write():
        ids = _resolve(store, rows, problems)
        seen: dict[tuple[int, str], int] = {}
        for row in rows:
            cid = ids.get(row.line)
            if cid is None:
                continue
            earlier = seen.setdefault((cid, row.key), row.line)
            if earlier != row.line:
                problems.append(
                    f"line {row.line}: candidate {cid} and {spec.key_column} '{row.key}' are "
                    f"already on line {earlier}"
                )
        problems.sort(key=_line_number)
        refuse(problems, source)
        wanted = sorted(set(ids.values()))
        lock_active_candidates(store, wanted)  # an erase that committed first is refused
        stored: dict[tuple[int, str], tuple[str, ...]] = {}
        for start in range(0, len(wanted), 500):
            marks, params = placeholders("c", wanted[start:start + 500])
            for found in store.all(
                f"SELECT candidate_id, {spec.key_column}, {columns} FROM {spec.table} "
                f"WHERE candidate_id IN ({marks})", params,
            ):
                stored[(int(found[0]), found[1])] = tuple(found[2:])
        now = now_iso()
        inserts: list[dict[str, Any]] = []
        updates: list[dict[str, Any]] = []
        audits: list[dict[str, Any]] = []
        unchanged = 0
        for row in rows:
            cid = ids[row.line]
            old = stored.get((cid, row.key))
            if old == row.values:
                unchanged += 1
                continue
            values = {f"v{i}": v for i, v in enumerate(row.values)}
            (updates if old is not None else inserts).append(
                {"cid": cid, "key": row.key, "now": now, **values})
            audits.append(audit_params(
                spec.audit_action, actor, cid,
                old=spec.audit_text(row.key, old) if old is not None else None,
                new=spec.audit_text(row.key, row.values), at=now,
            ))
        marks = ", ".join(f":v{i}" for i in range(len(spec.value_columns)))
        store.executemany(
            f"INSERT INTO {spec.table} (candidate_id, {spec.key_column}, {columns}, created, "
            f"updated) VALUES (:cid, :key, {marks}, :now, :now)", inserts,
        )
        assignments = ", ".join(f"{name} = :v{i}" for i, name in enumerate(spec.value_columns))
        store.executemany(
            f"UPDATE {spec.table} SET {assignments}, updated = :now "
            f"WHERE candidate_id = :cid AND {spec.key_column} = :key", updates,
        )
        store.executemany(INSERT_AUDIT, audits)
    return ImportCounts(len(inserts), len(updates), unchanged, len(wanted))


def _line_number(problem: str) -> int:
    match = re.match(r"line (\d+)", problem)
    return int(match.group(1)) if match else 0


def key_counts(store: Store, spec: ValueTable) -> dict[str, int]:
    """Each key (attribute, measure) with the number of active candidates who have it."""
    return {
        str(row[0]): int(row[1])
        for row in store.all(
            f"SELECT v.{spec.key_column}, COUNT(*) FROM {spec.table} v "
            "JOIN candidates c ON c.id = v.candidate_id WHERE c.status <> 'erased' "
            f"GROUP BY v.{spec.key_column} ORDER BY v.{spec.key_column}"
        )
    }


def values_for(store: Store, spec: ValueTable, key: str) -> dict[int, tuple[str, ...]]:
    """Active candidate id -> their values for ``key``."""
    columns = ", ".join(f"v.{name}" for name in spec.value_columns)
    return {
        int(row[0]): tuple(str(value) for value in row[1:])
        for row in store.all(
            f"SELECT v.candidate_id, {columns} FROM {spec.table} v "
            "JOIN candidates c ON c.id = v.candidate_id "
            f"WHERE v.{spec.key_column} = :key AND c.status <> 'erased'",
            {"key": key},
        )
    }
