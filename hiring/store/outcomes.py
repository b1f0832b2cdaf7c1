"""Outcomes on the job: one value per candidate and measure (``retained_90d`` 0/1,
``qa_score``, ``csat``...) with the date it was measured, for the validity report.

Kept in the ``outcomes`` table, apart from ratings; every new or changed value is audited
with its old and new value (erasing the candidate deletes the rows and marks those audit
values '[erased]'). Writing is the team action ``outcome.write``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from hiring.errors import HiringError, InputError
from hiring.store.candidate_values import (
    ImportCounts,
    ValueRow,
    ValueTable,
    check_key,
    import_values,
)
from hiring.store.db import Store
from hiring.store.team import require
from hiring.tables import TableOptions, check_columns, read_table

COLUMNS = ("candidate", "measure", "value", "date")


def _audit_text(measure: str, values: tuple[str, ...]) -> str:
    return f"{measure} = {values[0]} on {values[1]}"


OUTCOMES = ValueTable(
    table="outcomes", key_column="measure", value_columns=("value", "measured"),
    audit_action="outcome.set", audit_text=_audit_text, what="outcomes",
)


def check_value(value: str | None) -> str:
    """A finite number, kept as written (less surrounding space; a decimal comma read as
    a point: Danish and Russian spreadsheets write 4,5)."""
    text = (value or "").strip().replace(",", ".")
    if not text:
        raise InputError("the value is empty")
    try:
        number = float(text)
    except ValueError:
        raise InputError(f"the value '{text[:40]}' is not a number") from None
    if not math.isfinite(number):
        raise InputError(f"the value '{text[:40]}' is not a finite number")
    return text


def check_date(value: str | None) -> str:
    text = (value or "").strip()
    if not text:
        raise InputError("the date is empty")
    try:
        return date.fromisoformat(text).isoformat()
    except ValueError:
        raise InputError(f"the date '{text[:40]}' is not a date YYYY-MM-DD") from None


def import_outcomes(store: Store, path: Path, *, actor: str = "hiring",
                    reading: TableOptions | None = None) -> ImportCounts:
    """Store ``candidate,measure,value,date`` rows (CSV or .xlsx), all or nothing; a row
    for a stored (candidate, measure) replaces its value and date (audited)."""
    member = require(store, "outcome.write")
    table = read_table(path, reading)
    check_columns(table, COLUMNS, COLUMNS)
    rows: list[ValueRow] = []
    problems: list[str] = []
    for record in table.rows:
        try:
            candidate = record.get("candidate").strip()
            if not candidate:
                raise InputError("the candidate is empty")
            rows.append(ValueRow(record.line, candidate,
                                 check_key(record.get("measure"), "measure"),
                                 (check_value(record.get("value")),
                                  check_date(record.get("date")))))
        except HiringError as error:
            problems.append(f"line {record.line}: {error}")
    return import_values(store, OUTCOMES, rows, path, member.name if member else actor,
                         problems)


@dataclass(frozen=True)
class Outcome:
    candidate_id: int
    value: float
    measured: str


def measures(store: Store) -> dict[str, int]:
    """Each measure with the number of active candidates who have a value."""
    require(store, "report.read")
    return {
        str(row[0]): int(row[1])
        for row in store.all(
            "SELECT o.measure, COUNT(*) FROM outcomes o "
            "JOIN candidates c ON c.id = o.candidate_id WHERE c.status <> 'erased' "
            "GROUP BY o.measure ORDER BY o.measure"
        )
    }


def outcome_values(store: Store, measure: str) -> dict[int, Outcome]:
    """Active candidate id -> their value of ``measure``."""
    require(store, "report.read")
    return {
        int(row[0]): Outcome(int(row[0]), float(row[1]), str(row[2]))
        for row in store.all(
            "SELECT o.candidate_id, o.value, o.measured FROM outcomes o "
            "JOIN candidates c ON c.id = o.candidate_id "
            "WHERE o.measure = :measure AND c.status <> 'erased'",
            {"measure": measure},
        )
    }
