"""Stage decisions: what the hiring manager decided about a candidate after a round.

One decision per candidate and round (``advance``, ``reject``, ``offer``, ``hired``,
``withdrew``), with a reason from the bank's short list (``decision_reasons:``) and/or a
free-text note. A decision can be changed; each change is audited (``decision.record``
with the old and new decision, ``decision.reason`` and ``decision.note`` likewise), so
``hiring score history`` shows how it came about.

A candidate's *stage* follows from their decisions and the role's rounds: with no decision
they are at the first round; after ``advance`` in a round they are at the next one (with
no decision there yet); after ``reject``, ``offer``, ``hired`` or ``withdrew`` they stay
where that was decided.

    record_decision(store, "Mette Hansen", "screen", "advance", actor="Sofie")
    candidates_at_stage(store, bank.role("inbound-agent"), "panel")  # [Mette Hansen's]
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import TYPE_CHECKING, Any

from hiring.errors import InputError, NotFoundError
from hiring.store.audit import record_audit
from hiring.store.candidates import Candidate, _candidate, find_active_candidate
from hiring.store.db import Store, now_iso
from hiring.store.team import require
from hiring.user_text import MAX_NOTE_CHARS, check_name, check_text

if TYPE_CHECKING:
    from hiring.bank.models import Bank, Role

STAGE_DECISIONS = ("advance", "reject", "offer", "hired", "withdrew")
# After these the candidate does not move on to a later round.
FINAL_DECISIONS = ("reject", "offer", "hired", "withdrew")


@dataclass(frozen=True)
class StageDecision:
    candidate_id: int
    role: str | None  # the candidate's role
    round: str
    decision: str  # one of STAGE_DECISIONS
    reason: str | None  # a reason id from the bank's decision_reasons
    reason_note: str | None  # free text
    decided_by: str
    updated: str
    # What recording it did: "recorded" (new), "changed", or "unchanged"; and the decision
    # it replaced (record_decision's answer; None when read back with list_decisions).
    action: str = "recorded"
    previous: str | None = None

    def to_json(self) -> dict[str, Any]:
        data = asdict(self)
        del data["action"], data["previous"]
        return data


@dataclass(frozen=True)
class Stage:
    """Where a candidate stands: the round they are at or were decided in, and the decision
    made there (None: waiting for one)."""

    round: str | None  # None: the role has no rounds the bank knows
    decision: str | None

    def to_json(self) -> dict[str, Any]:
        return {"round": self.round, "decision": self.decision}


def check_stage_decision(decision: str) -> str:
    """A decision in any case (``Advance``) as its id, or refused listing the ids."""
    value = decision.strip().lower()
    if value not in STAGE_DECISIONS:
        raise InputError(f"decision '{decision}' is not one of {', '.join(STAGE_DECISIONS)}")
    return value


def check_reason(bank: Bank | None, decision: str, reason: str | None) -> str | None:
    """A reason id from the bank's list for this decision, or refused listing the ones
    that fit. Without a bank the id is only checked for being a plain name."""
    if reason is None or not reason.strip():
        return None
    value = check_name(reason, "the reason").lower()
    if bank is None:
        return value
    fitting = [item.id for item in bank.reasons_for(decision)]
    if value in fitting:
        return value
    if not bank.decision_reasons:
        raise NotFoundError(
            "the bank lists no decision reasons (a 'decision_reasons:' file, see "
            "question_banks/README.md): say why in --note instead"
        )
    if value in bank.decision_reasons:
        allowed = ", ".join(bank.decision_reasons[value].decisions)
        raise InputError(
            f"reason '{value}' explains {allowed}, not {decision} (reasons for {decision}: "
            f"{', '.join(fitting) or 'none; say why in --note'})"
        )
    raise NotFoundError(
        f"no reason '{value}' in the bank for {decision} (reasons: "
        f"{', '.join(fitting) or 'none; say why in --note'})"
    )


def _check_note(note: str | None) -> str | None:
    if note is None or not note.strip():
        return None
    return check_text(note.strip(), "the note", MAX_NOTE_CHARS, multiline=True)


_COLUMNS = (
    "d.candidate_id, c.role, d.round, d.decision, d.reason, d.reason_note, d.decided_by, "
    "d.updated"
)


def _decision(row: tuple[Any, ...]) -> StageDecision:
    return StageDecision(int(row[0]), *row[1:8])


def record_decision(
    store: Store,
    candidate: str | int | Candidate,
    round_id: str,
    decision: str,
    *,
    reason: str | None = None,
    note: str | None = None,
    actor: str,
    bank: Bank | None = None,
) -> StageDecision:
    """Record (or change) the decision about a candidate after a round, audited.

    A decision is recorded whole: a reason or note not given is cleared. With ``bank`` the
    round must be one of the candidate's role and the reason one the bank lists for the
    decision. Refused for an erased candidate, a candidate without a role, and a user the
    team roster does not allow ``decision.record``.
    """
    require(store, "decision.record")
    actor = check_name(actor, "the name of who decides")
    decision = check_stage_decision(decision)
    round_id = check_name(round_id, "the round")
    reason = check_reason(bank, decision, reason)
    note = _check_note(note)
    reference = candidate.id if isinstance(candidate, Candidate) else candidate
    with store.write():
        found = find_active_candidate(store, reference)
        if found.role is None:
            raise InputError(
                f"candidate {found.id} has no role, so no rounds to decide on: give them one "
                f"first (hiring candidate edit {found.id} --role ROLE)"
            )
        if bank is not None and found.role in bank.roles:
            bank.role(found.role).round(round_id)  # NotFoundError listing the rounds
        old = store.one(
            "SELECT decision, reason, reason_note FROM stage_decisions "
            "WHERE candidate_id = :cid AND round = :round" + store.for_update,
            {"cid": found.id, "round": round_id},
        )
        now = now_iso()
        changes: list[tuple[str, str | None, str | None]] = []
        if old is None or old[0] != decision:
            changes.append(("decision.record", None if old is None else old[0], decision))
        if (old[1] if old else None) != reason:
            changes.append(("decision.reason", old[1] if old else None, reason))
        if (old[2] if old else None) != note:
            changes.append(("decision.note", old[2] if old else None, note))
        if old is not None and not changes:
            row = store.one(
                f"SELECT {_COLUMNS} FROM stage_decisions d JOIN candidates c "
                "ON c.id = d.candidate_id WHERE d.candidate_id = :cid AND d.round = :round",
                {"cid": found.id, "round": round_id},
            )
            assert row is not None
            stored = _decision(row)
            return StageDecision(**{**asdict(stored), "action": "unchanged",
                                    "previous": decision})
        store.execute(
            "INSERT INTO stage_decisions (candidate_id, round, decision, reason, reason_note, "
            "decided_by, created, updated) VALUES (:cid, :round, :decision, :reason, :note, "
            ":by, :now, :now) ON CONFLICT (candidate_id, round) DO UPDATE SET "
            "decision = :decision, reason = :reason, reason_note = :note, decided_by = :by, "
            "updated = :now",
            {"cid": found.id, "round": round_id, "decision": decision, "reason": reason,
             "note": note, "by": actor, "now": now},
        )
        for action, old_value, new_value in changes:
            record_audit(store, action, actor, found.id, round_id=round_id, old=old_value,
                         new=new_value, at=now)
    return StageDecision(
        found.id, found.role, round_id, decision, reason, note, actor, now,
        action="recorded" if old is None else "changed",
        previous=None if old is None else old[0],
    )


def list_decisions(
    store: Store,
    *,
    role: str | None = None,
    round_id: str | None = None,
    candidate_id: int | None = None,
) -> list[StageDecision]:
    """Stage decisions (erased candidates' too: the decision stays, the note is gone), by
    candidate id and then time; filtered by the candidate's role, the round, the candidate."""
    clauses: list[str] = []
    params: dict[str, Any] = {}
    if role is not None:
        clauses.append("c.role = :role")
        params["role"] = role
    if round_id is not None:
        clauses.append("d.round = :round")
        params["round"] = round_id
    if candidate_id is not None:
        clauses.append("d.candidate_id = :cid")
        params["cid"] = candidate_id
    where = f" WHERE {' AND '.join(clauses)}" if clauses else ""
    rows = store.all(
        f"SELECT {_COLUMNS} FROM stage_decisions d JOIN candidates c ON c.id = d.candidate_id"
        f"{where} ORDER BY d.candidate_id, d.updated, d.id",
        params,
    )
    return [_decision(row) for row in rows]


def stage_of(role: Role | None, decisions: list[StageDecision]) -> Stage:
    """A candidate's stage from their decisions (any order) and their role's rounds.

    The last round (in the role's order) with a decision is where they stand: ``advance``
    there moves them to the next round, undecided; any other decision keeps them there. A
    decision on a round the role no longer has counts after the role's rounds, by time.
    """
    rounds = [item.id for item in role.rounds] if role is not None else []

    def position(item: StageDecision) -> tuple[int, str]:
        return (rounds.index(item.round) if item.round in rounds else len(rounds), item.updated)

    if not decisions:
        return Stage(rounds[0] if rounds else None, None)
    last = max(decisions, key=position)
    if last.decision == "advance" and last.round in rounds:
        index = rounds.index(last.round)
        if index + 1 < len(rounds):
            return Stage(rounds[index + 1], None)
    return Stage(last.round, last.decision)


def stages_of(store: Store, bank: Bank, candidates: list[Candidate]) -> dict[int, Stage]:
    """Each candidate's stage (by id), reading their decisions once."""
    by_candidate: dict[int, list[StageDecision]] = {}
    for item in list_decisions(store):
        by_candidate.setdefault(item.candidate_id, []).append(item)
    return {
        candidate.id: stage_of(
            bank.roles.get(candidate.role) if candidate.role else None,
            by_candidate.get(candidate.id, []),
        )
        for candidate in candidates
    }


def candidates_at_stage(store: Store, role: Role, round_id: str) -> list[Candidate]:
    """The active candidates of ``role`` now at ``round_id``: advanced into it (or, for the
    first round, not decided on yet) with no decision there yet. By id."""
    role.round(round_id)  # NotFoundError listing the role's rounds
    with store.read():
        rows = store.all(
            "SELECT id, name, email, role, status, created FROM candidates "
            "WHERE role = :role AND status <> 'erased' ORDER BY id",
            {"role": role.id},
        )
        decisions: dict[int, list[StageDecision]] = {}
        for item in list_decisions(store, role=role.id):
            decisions.setdefault(item.candidate_id, []).append(item)
    found = []
    for row in rows:
        candidate = _candidate(row)
        stage = stage_of(role, decisions.get(candidate.id, []))
        if stage.round == round_id and stage.decision is None:
            found.append(candidate)
    return found


def candidates_in_round(
    store: Store, bank: Bank, round_id: str, role_id: str | None = None
) -> list[Candidate]:
    """``candidates_at_stage`` over every role of the bank with a round ``round_id`` (or
    the one role given), by id; refused when no role has that round."""
    if role_id is not None:
        roles = [bank.role(role_id)]
    else:
        roles = [role for role in bank.roles.values() if role.has_round(round_id)]
        if not roles:
            known = sorted({item.id for role in bank.roles.values() for item in role.rounds})
            raise NotFoundError(
                f"no role in the bank has a round '{round_id}' (rounds: {', '.join(known)})"
            )
    found: list[Candidate] = []
    for role in roles:
        found += candidates_at_stage(store, role, round_id)
    return sorted(found, key=lambda candidate: candidate.id)
