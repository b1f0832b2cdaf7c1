"""Score export: a CSV of ratings that imports back (``hiring.store.transfer``), or JSON
with candidates, interviews, ratings, recommendations and consensus."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

from hiring.errors import InputError
from hiring.files import spreadsheet_safe
from hiring.store.db import Store
from hiring.store.team import current_viewer, rating_groups, visible_interviews_sql
from hiring.store.transfer import SCORE_COLUMNS


def score_rows(store: Store) -> list[dict[str, Any]]:
    """Every rating the user may read, as a dict (export order: candidate id, round,
    interviewer, competency); ``hidden_ratings`` counts the others."""
    visible, params = visible_interviews_sql(store, "i")
    rows = store.all(
        "SELECT c.id, c.name, i.interviewer, r.competency, r.score, r.note, i.round, r.question, "
        "r.created, r.updated, i.role, i.submitted IS NOT NULL, r.changed_after_submission "
        "FROM ratings r JOIN interviews i ON i.id = r.interview_id "
        f"JOIN candidates c ON c.id = i.candidate_id WHERE {visible} "
        "ORDER BY c.id, i.round, i.interviewer, r.competency", params,
    )
    keys = (
        "candidate_id",
        "candidate",
        "interviewer",
        "competency",
        "score",
        "note",
        "round",
        "question",
        "created",
        "updated",
        "role",
        "submitted",
        "changed_after_submission",
    )
    return [
        {**dict(zip(keys, row, strict=True)), "submitted": bool(row[11])} for row in rows
    ]


def hidden_ratings(store: Store) -> int:
    """How many stored ratings the user may not read (others' drafts...): 0 without a roster."""
    if current_viewer(store).admin:
        return 0
    return sum(int(row[6]) for row in rating_groups(store) if not int(row[5]))


def export_scores(store: Store, output_format: str = "csv") -> str:
    """All ratings as CSV (the import columns: round-trips through ``import_scores``, with
    each scorecard's recommendation on its rows) or JSON (candidates with their roles,
    interviews with their state, ratings with ids and timestamps, recommendations and
    consensus)."""
    if output_format not in ("csv", "json"):
        raise InputError(f"format '{output_format}' is not csv or json")
    with store.read():
        rows = score_rows(store)
        names = [row["candidate"] for row in rows]
        duplicated = {name for name in set(names) if names.count(name) > 1}
        if duplicated:
            # Ambiguous names would not import back: export those candidates by id.
            ambiguous = {
                row[0]
                for row in store.all(
                    "SELECT name FROM candidates GROUP BY name HAVING COUNT(*) > 1"
                )
            }
        else:
            ambiguous = set()
        visible, params = visible_interviews_sql(store, "i")
        recommendations = store.all(
            "SELECT c.id, c.name, i.interviewer, i.round, d.decision, d.updated "
            "FROM recommendations d JOIN interviews i ON i.id = d.interview_id "
            f"JOIN candidates c ON c.id = i.candidate_id WHERE {visible} "
            "ORDER BY c.id, i.round, i.interviewer", params,
        )
        if output_format == "json":
            candidates = store.all(
                "SELECT id, name, role, status, created FROM candidates ORDER BY id"
            )
            interviews = store.all(
                "SELECT i.id, i.candidate_id, i.interviewer, i.role, i.round, i.date, "
                "i.submitted, i.cancelled, i.cancel_reason FROM interviews i ORDER BY i.id"
            )
            consensus = store.all(
                "SELECT c.id, c.name, k.round, k.competency, k.score, k.note, k.decided_by, "
                "k.updated FROM consensus k JOIN candidates c ON c.id = k.candidate_id "
                "ORDER BY c.id, k.round, k.competency"
            )
    if output_format == "json":
        return json.dumps(
            {
                "candidates": [
                    dict(zip(("id", "name", "role", "status", "created"), r, strict=True))
                    for r in candidates
                ],
                "interviews": [
                    {
                        **dict(zip(("id", "candidate_id", "interviewer", "role", "round", "date",
                                    "submitted", "cancelled", "cancel_reason"), r, strict=True)),
                        "state": "cancelled" if r[7] else "submitted" if r[6] else "open",
                    }
                    for r in interviews
                ],
                "ratings": rows,
                "recommendations": [
                    dict(
                        zip(
                            (
                                "candidate_id",
                                "candidate",
                                "interviewer",
                                "round",
                                "decision",
                                "updated",
                            ),
                            r,
                            strict=True,
                        )
                    )
                    for r in recommendations
                ],
                "consensus": [
                    dict(
                        zip(
                            (
                                "candidate_id",
                                "candidate",
                                "round",
                                "competency",
                                "score",
                                "note",
                                "decided_by",
                                "updated",
                            ),
                            r,
                            strict=True,
                        )
                    )
                    for r in consensus
                ],
            },
            ensure_ascii=False,
            indent=2,
        )
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(SCORE_COLUMNS)
    decided = {(r[0], r[2], r[3]): r[4] for r in recommendations}
    for row in rows:
        candidate = str(row["candidate_id"]) if row["candidate"] in ambiguous else row["candidate"]
        writer.writerow(
            [
                spreadsheet_safe(candidate),
                spreadsheet_safe(row["interviewer"]),
                row["competency"],
                row["score"],
                spreadsheet_safe(row["note"] or ""),
                spreadsheet_safe(row["round"]),  # free text for a candidate without a role
                row["question"] or "",
                row["role"] or "",
                decided.get((row["candidate_id"], row["interviewer"], row["round"]), ""),
            ]
        )
    return buffer.getvalue()


def write_atomically(path: Path, text: str) -> None:
    """Write a file whole or not at all (see ``hiring.files.write_atomic``)."""
    from hiring.files import write_atomic

    write_atomic(path, text)
