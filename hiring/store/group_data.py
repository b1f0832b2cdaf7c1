"""Group data: each candidate's self-identified group per attribute (``gender``,
``age_band``...), opt-in and kept apart.

Special-category data (GDPR art. 9): it lives in the ``group_data`` table only, which
nothing but the fairness report reads. Kits, guides, the comparison and candidate
reports, ``score export`` and ``candidate history`` never show it; ``db export`` writes it
only with ``--include-group-data``; erasing a candidate deletes their rows. The audit log
records that group data was recorded or changed, and the attribute, never the group.
Reading and writing it are the team actions ``group_data.read`` / ``group_data.write``.
"""

from __future__ import annotations

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
from hiring.user_text import check_text

COLUMNS = ("candidate", "attribute", "group")
MAX_GROUP_CHARS = 100

GROUP_DATA = ValueTable(
    table="group_data", key_column="attribute", value_columns=("group_name",),
    audit_action="group_data.set",
    audit_text=lambda attribute, _values: attribute,  # never the group itself
    what="group data",
)


def check_group(value: str | None) -> str:
    group = (value or "").strip()
    if not group:
        raise InputError("the group is empty (leave a candidate without data out of the file)")
    return check_text(group, "the group", MAX_GROUP_CHARS)


def import_group_data(store: Store, path: Path, *, actor: str = "hiring",
                      reading: TableOptions | None = None) -> ImportCounts:
    """Store ``candidate,attribute,group`` rows (CSV or .xlsx), all or nothing.

    A candidate is named by id or exact name; a row for a stored (candidate, attribute)
    replaces its group."""
    member = require(store, "group_data.write")
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
                                 check_key(record.get("attribute"), "attribute"),
                                 (check_group(record.get("group")),)))
        except HiringError as error:
            problems.append(f"line {record.line}: {error}")
    return import_values(store, GROUP_DATA, rows, path,
                         member.name if member else actor, problems)


def attributes(store: Store) -> dict[str, int]:
    """Each attribute with the number of active candidates who have a group for it."""
    require(store, "group_data.read")
    return {
        str(row[0]): int(row[1])
        for row in store.all(
            "SELECT g.attribute, COUNT(*) FROM group_data g "
            "JOIN candidates c ON c.id = g.candidate_id WHERE c.status <> 'erased' "
            "GROUP BY g.attribute ORDER BY g.attribute"
        )
    }


def candidate_groups(store: Store, attribute: str) -> dict[int, str]:
    """Active candidate id -> their group for ``attribute``."""
    require(store, "group_data.read")
    return {
        int(row[0]): str(row[1])
        for row in store.all(
            "SELECT g.candidate_id, g.group_name FROM group_data g "
            "JOIN candidates c ON c.id = g.candidate_id "
            "WHERE g.attribute = :attribute AND c.status <> 'erased'",
            {"attribute": attribute},
        )
    }
