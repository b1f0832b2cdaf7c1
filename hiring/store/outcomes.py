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

from hiring.errors import InputError
from hiring.spreadsheets import TableOptions
from hiring.store.candidate_values import (
    ImportCounts,
    ValueTable,
    import_file,
    key_counts,
    values_for,
)
from hiring.store.db import Store
from hiring.store.team import require

COLUMNS = ("candidate", "measure", "value", "date")


def _audit_text(measure: str, values: tuple[str, ...]) -> str:
    return f"{measure} = {values[0]} on {values[1]}"


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


OUTCOMES = ValueTable(
    table="outcomes", key_column="measure", value_columns=("value", "measured"),
    audit_action="outcome.set", audit_text=_audit_text,
    file_columns=COLUMNS, write_action="outcome.write",
    values=lambda row: (check_value(row.get("value")), check_date(row.get("date"))),
)


def import_outcomes(store: Store, path: Path, *, actor: str = "hiring",
                    reading: TableOptions | None = None) -> ImportCounts:
    """Store ``candidate,measure,value,date`` rows (CSV or .xlsx), all or nothing; a row
    for a stored (candidate, measure) replaces its value and date (audited)."""
    return import_file(store, OUTCOMES, path, actor, reading)


@dataclass(frozen=True)
class Outcome:
    candidate_id: int
    value: float
    measured: str


def measures(store: Store) -> dict[str, int]:
    """Each measure with the number of active candidates who have a value."""
    require(store, "report.read")
    return key_counts(store, OUTCOMES)


def outcome_values(store: Store, measure: str) -> dict[int, Outcome]:
    """Active candidate id -> their value of ``measure``."""
    require(store, "report.read")
    return {cid: Outcome(cid, float(value), measured)
            for cid, (value, measured) in values_for(store, OUTCOMES, measure).items()}
