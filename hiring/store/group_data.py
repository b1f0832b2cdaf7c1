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
from hiring.user_text import check_text

COLUMNS = ("candidate", "attribute", "group")
MAX_GROUP_CHARS = 100


def check_group(value: str | None) -> str:
    group = (value or "").strip()
    if not group:
        raise InputError("the group is empty (leave a candidate without data out of the file)")
    return check_text(group, "the group", MAX_GROUP_CHARS)


GROUP_DATA = ValueTable(
    table="group_data", key_column="attribute", value_columns=("group_name",),
    audit_action="group_data.set",
    audit_text=lambda attribute, _values: attribute,  # never the group itself
    file_columns=COLUMNS, write_action="group_data.write",
    values=lambda row: (check_group(row.get("group")),),
)


def import_group_data(store: Store, path: Path, *, actor: str = "hiring",
                      reading: TableOptions | None = None) -> ImportCounts:
    """Store ``candidate,attribute,group`` rows (CSV or .xlsx), all or nothing.

    A candidate is named by id or exact name; a row for a stored (candidate, attribute)
    replaces its group."""
    return import_file(store, GROUP_DATA, path, actor, reading)


def attributes(store: Store) -> dict[str, int]:
    """Each attribute with the number of active candidates who have a group for it."""
    require(store, "group_data.read")
    return key_counts(store, GROUP_DATA)


def candidate_groups(store: Store, attribute: str) -> dict[int, str]:
    """Active candidate id -> their group for ``attribute``."""
    require(store, "group_data.read")
    return {cid: values[0] for cid, values in values_for(store, GROUP_DATA, attribute).items()}
