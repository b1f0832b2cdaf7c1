"""The audit log: one append-only row per change (namespaced actions such as
``rating.update``); rows are inserted, never updated or deleted."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict, dataclass
from typing import Any

from hiring.store.db import Store, now_iso
from hiring.store.team import audit_identity, visible_interviews_sql

AUDIT_COLUMNS = (
    "at", "actor", "action", "candidate_id", "interview_id", "round", "competency",
    "old_value", "new_value", "member", "login",
)
# For ``executemany`` over dicts with these keys (imports write audit rows in bulk; give
# them ``with_identity``). ``member`` and ``login`` say who ran the command; on PostgreSQL
# with the team set up (``hiring db init-team``) a trigger sets them and ``actor`` from
# ``current_user``, whatever the client sends.
INSERT_AUDIT = (
    "INSERT INTO audit (at, actor, action, candidate_id, interview_id, round, competency, "
    "old_value, new_value, member, login) VALUES (:at, :actor, :action, :cid, :iid, :round, "
    ":comp, :old, :new, :member, :login)"
)


def insert_audit_rows(store: Store, rows: list[dict[str, Any]]) -> None:
    """Many audit rows (``audit_params`` dicts, given ``with_identity``) in one statement:
    COPY and one INSERT on PostgreSQL, where the audit trigger still sets who wrote each."""
    from hiring.store.bulk import insert_rows

    keys = ("at", "actor", "action", "cid", "iid", "round", "comp", "old", "new", "member",
            "login")
    insert_rows(store, "audit", AUDIT_COLUMNS, [tuple(row[k] for k in keys) for row in rows])


def with_identity(store: Store, rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Audit rows (``audit_params``) carrying who runs the command: with a roster, the
    member (else the login) replaces the typed actor, so the trail names a person."""
    member, login = audit_identity(store)
    if login is None:
        return [{"member": None, "login": None, **row} for row in rows]
    actor = member or login
    return [{**row, "member": member, "login": login, "actor": actor} for row in rows]


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
    store.execute(INSERT_AUDIT, with_identity(store, [audit_params(
        action, actor, candidate_id, interview_id=interview_id, round_id=round_id,
        competency=competency, old=old, new=new, at=at,
    )])[0])


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
        "member": None,
        "login": None,
    }


@dataclass(frozen=True)
class AuditEntry:
    """One audit row as read back, with the interviewer of its interview when it has one."""

    id: int
    at: str
    actor: str
    action: str
    candidate_id: int | None
    interviewer: str | None
    round: str | None
    competency: str | None
    old: str | None
    new: str | None
    member: str | None = None  # the roster member who ran the command (with a roster)
    login: str | None = None  # their login (PostgreSQL: set by the server)

    @property
    def who(self) -> str:
        """``Anders Holm (login aholm)``, or the actor alone (before a roster)."""
        if self.login and self.login != self.actor:
            return f"{self.actor} (login {self.login})"
        return self.actor

    def sentence(self) -> str:
        """What happened, for a person: ``Ann changed teamwork from 3 to 4 (round panel)``."""
        describe = _SENTENCES.get(self.action)
        text = describe(self) if describe else (
            f"{self.action}: {_value(self.old)} -> {_value(self.new)}"
        )
        where = f" (round {self.round})" if self.round else ""
        return f"{self.who} {text}{where}" if describe else f"{self.who}: {text}{where}"

    def to_json(self) -> dict[str, Any]:
        return {**asdict(self), "sentence": self.sentence()}


def _value(text: str | None) -> str:
    if text is None:
        return "nothing"
    return '"' + " ".join(text.split()) + '"'


def _note(entry: AuditEntry) -> str:
    if entry.old is None:
        return f"added the evidence note on {entry.competency}: {_value(entry.new)}"
    if entry.new is None:
        return f"cleared the evidence note on {entry.competency} (was {_value(entry.old)})"
    return (
        f"changed the evidence note on {entry.competency} from {_value(entry.old)} "
        f"to {_value(entry.new)}"
    )


def _decision_reason(entry: AuditEntry) -> str:
    if entry.old is None:
        return f"gave the decision's reason: {entry.new}"
    if entry.new is None:
        return f"removed the decision's reason (was {entry.old})"
    return f"changed the decision's reason from {entry.old} to {entry.new}"


def _decision_note(entry: AuditEntry) -> str:
    if entry.old is None:
        return f"added the decision's note: {_value(entry.new)}"
    if entry.new is None:
        return f"cleared the decision's note (was {_value(entry.old)})"
    return f"changed the decision's note from {_value(entry.old)} to {_value(entry.new)}"


_SENTENCES: dict[str, Callable[[AuditEntry], str]] = {
    "rating.create": lambda e: f"rated {e.competency} {e.new}",
    "rating.update": lambda e: f"changed {e.competency} from {e.old} to {e.new}",
    "rating.note": _note,
    "rating.question": lambda e: (
        f"changed the question of {e.competency} from {e.old or 'none'} to {e.new or 'none'}"
    ),
    "rating.delete": lambda e: f"deleted the {e.competency} rating (was {e.old})",
    "recommendation.set": lambda e: (
        f"recommended {e.new}" + (f" (was {e.old})" if e.old else "")
    ),
    "consensus.set": lambda e: (
        f"set the panel's consensus on {e.competency} to {e.new}"
        + (f" (was {e.old})" if e.old else "")
    ),
    "decision.record": lambda e: (
        f"decided: {e.new}" + (f" (was {e.old})" if e.old else "")
    ),
    "decision.reason": _decision_reason,
    "decision.note": _decision_note,
    "candidate.erase": lambda e: "erased the candidate's name, e-mail and notes",
    "candidate.name": lambda e: "changed the candidate's name",
    "candidate.email": lambda e: "changed the candidate's e-mail address",
    "candidate.role": lambda e: f"changed the candidate's role from {e.old or 'none'} to {e.new}",
    "group_data.set": lambda e: (
        f"recorded the candidate's group data ({e.new})" if e.old is None
        else f"changed the candidate's group data ({e.new})"
    ),
    "outcome.set": lambda e: (
        f"recorded the outcome {_value(e.new)}" if e.old is None
        else f"changed the outcome from {_value(e.old)} to {_value(e.new)}"
    ),
    "recommendation.delete": lambda e: f"deleted the recommendation (was {e.old})",
    "interview.cancel": lambda e: (
        ("cancelled the interview" if e.interviewer == e.actor
         else f"cancelled {e.interviewer}'s interview") + f": {_value(e.new)}"
    ),
    "interview.reopen": lambda e: (
        "re-opened the cancelled interview" if e.interviewer == e.actor
        else f"re-opened {e.interviewer}'s cancelled interview"
    ),
    "interview.schedule": lambda e: (
        ("scheduled the interview" if e.old is None else "moved the interview")
        + (f" of {e.interviewer}" if e.interviewer and e.interviewer != e.actor else "")
        + (f" from {e.old}" if e.old else "") + f" to {e.new}"
    ),
    "invitation.send": lambda e: (
        f"sent {e.interviewer}'s calendar invitation ({e.new})"
    ),
    "reminder.send": lambda e: (
        f"reminded {e.interviewer} of the scorecard by e-mail ({e.new})"
    ),
    "scorecard.submit": lambda e: (
        "submitted the scorecard" if e.interviewer == e.actor
        else f"submitted {e.interviewer}'s scorecard"
    ),
    "scorecard.change": lambda e: (
        ("changed the submitted scorecard" if e.interviewer == e.actor
         else f"changed {e.interviewer}'s submitted scorecard")
        + (f" ({e.competency})" if e.competency else " (the recommendation)")
        + (", after seeing others" if e.new == "after-seeing-others" else "")
    ),
}


def audit_history(store: Store, candidate_id: int) -> list[AuditEntry]:
    """Every audit row about one candidate the user may read, oldest first (rows about a
    colleague's draft scorecard are not: they hold its scores and notes)."""
    visible, params = visible_interviews_sql(store, "i")
    rows = store.all(
        "SELECT a.id, a.at, a.actor, a.action, a.candidate_id, i.interviewer, a.round, "
        "a.competency, a.old_value, a.new_value, a.member, a.login FROM audit a "
        "LEFT JOIN interviews i ON i.id = a.interview_id "
        f"WHERE a.candidate_id = :cid AND (i.id IS NULL OR {visible}) ORDER BY a.at, a.id",
        {"cid": candidate_id, **params},
    )
    return [AuditEntry(int(row[0]), *row[1:]) for row in rows]

