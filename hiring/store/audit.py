"""The audit log: one append-only row per change (namespaced actions such as
``rating.update``); rows are inserted, never updated or deleted."""

from __future__ import annotations

from typing import Any

from hiring.store.db import Store, now_iso

AUDIT_COLUMNS = (
    "at", "actor", "action", "candidate_id", "interview_id", "round", "competency",
    "old_value", "new_value",
)
# For ``executemany`` over dicts with these keys (imports write audit rows in bulk).
INSERT_AUDIT = (
    "INSERT INTO audit (at, actor, action, candidate_id, interview_id, round, competency, "
    "old_value, new_value) VALUES (:at, :actor, :action, :cid, :iid, :round, :comp, :old, :new)"
)


def record_audit(
    store: Store,
    action: str,
    actor: str,
    candidate_id: int | None,
    *,
    interview_id: int | None = None,
    round_id: str | None = None,
    competency: str | None = None,
    old: str | None = None,
    new: str | None = None,
    at: str | None = None,
) -> None:
    """Append one audit row (inside the caller's write transaction)."""
    store.execute(INSERT_AUDIT, audit_params(
        action, actor, candidate_id, interview_id=interview_id, round_id=round_id,
        competency=competency, old=old, new=new, at=at,
    ))


def audit_params(
    action: str,
    actor: str,
    candidate_id: int | None,
    *,
    interview_id: int | None = None,
    round_id: str | None = None,
    competency: str | None = None,
    old: str | None = None,
    new: str | None = None,
    at: str | None = None,
) -> dict[str, Any]:
    return {
        "at": at or now_iso(),
        "actor": actor,
        "action": action,
        "cid": candidate_id,
        "iid": interview_id,
        "round": round_id,
        "comp": competency,
        "old": old,
        "new": new,
    }
