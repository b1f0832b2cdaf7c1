"""Scorecards: an interviewer's ratings and recommendation for one candidate and round;
what ``score enter`` walks and what ``score pending`` chases."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

from hiring.decisions import DECISIONS
from hiring.errors import InputError
from hiring.store.audit import record_audit
from hiring.store.candidates import Candidate, check_name, find_active_candidate
from hiring.store.db import Store, now_iso
from hiring.store.interviews import (
    _as_utc,
    check_round,
    default_round,
    interview_id,
    read_manifest,
    record_interview,
)
from hiring.store.ratings import check_competency_in_round

if TYPE_CHECKING:
    from hiring.bank.models import Bank


def parse_duration(text: str) -> timedelta:
    """``2d``, ``12h``, ``30m``, ``1w`` -> a timedelta."""
    match = re.fullmatch(r"\s*(\d+)\s*([mhdw])\s*", text)
    if not match:
        raise InputError(f"'{text}' is not a duration (e.g. 2d, 12h, 30m, 1w)")
    amount, unit = int(match[1]), match[2]
    return {
        "m": timedelta(minutes=amount),
        "h": timedelta(hours=amount),
        "d": timedelta(days=amount),
        "w": timedelta(weeks=amount),
    }[unit]


def set_recommendation(
    store: Store, bank: Bank, candidate: str | int, interviewer: str, round_id: str, decision: str
) -> str:
    """Record the interviewer's overall recommendation for the round, audited."""
    interviewer = check_name(interviewer, "the interviewer's name")
    if decision not in DECISIONS:
        raise InputError(f"decision '{decision}' is not one of {', '.join(DECISIONS)}")
    with store.write():
        found = find_active_candidate(store, candidate)
        round_ = check_round(bank, found.role, round_id)
        interview = interview_id(store, found, interviewer, round_, found.role)
        old = store.one(
            "SELECT decision FROM recommendations WHERE interview_id = :iid" + store.for_update,
            {"iid": interview},
        )
        if old is not None and old[0] == decision:
            return decision
        now = now_iso()
        store.execute(
            "INSERT INTO recommendations (interview_id, decision, created, updated) "
            "VALUES (:iid, :decision, :now, :now) ON CONFLICT (interview_id) DO UPDATE "
            "SET decision = :decision, updated = :now",
            {"iid": interview, "decision": decision, "now": now},
        )
        record_audit(
            store,
            "recommendation.set",
            interviewer,
            found.id,
            interview_id=interview,
            round_id=round_,
            old=old[0] if old else None,
            new=decision,
            at=now,
        )
    return decision


def expected_competencies(
    bank: Bank, role: str | None, round_id: str, manifest_competencies: str | None
) -> list[str] | None:
    """What a complete scorecard rates (``Role.scorecard_competencies``), from the stored
    manifest list (JSON) when the interview has one."""
    listed = list(json.loads(manifest_competencies)) if manifest_competencies else None
    if role and role in bank.roles:
        return bank.role(role).scorecard_competencies(round_id, listed)
    return listed


def pending_scorecards(
    store: Store, bank: Bank, older_than: timedelta | None = None, now: datetime | None = None
) -> list[dict[str, Any]]:
    """Interviews whose scorecard is missing or partial, oldest first."""
    with store.read():
        interviews = store.all(
            "SELECT i.id, c.id, c.name, i.interviewer, i.role, i.round, i.date, i.competencies, "
            "(SELECT decision FROM recommendations d WHERE d.interview_id = i.id) "
            "FROM interviews i JOIN candidates c ON c.id = i.candidate_id "
            "WHERE c.status <> 'erased' ORDER BY i.date, i.id"
        )
        rated: dict[int, set[str]] = {}
        for interview_id, competency in store.all("SELECT interview_id, competency FROM ratings"):
            rated.setdefault(int(interview_id), set()).add(competency)
    cutoff = None
    if older_than is not None:
        cutoff = (now or datetime.now(UTC)) - older_than
    pending: list[dict[str, Any]] = []
    for iid, cid, name, who, role, round_id, date, comps, decision in interviews:
        if cutoff is not None and _as_utc(date) > cutoff:
            continue
        done = rated.get(int(iid), set())
        expected = expected_competencies(bank, role, round_id, comps)
        missing = [c for c in expected if c not in done] if expected is not None else []
        if expected is None and not done:
            missing = ["(no scores yet)"]
        if not missing and decision is not None:
            continue
        pending.append(
            {
                "interview_id": int(iid),
                "candidate_id": int(cid),
                "candidate": name,
                "interviewer": who,
                "role": role,
                "round": round_id,
                "date": date,
                "missing_scores": missing,
                "missing_recommendation": decision is None,
            }
        )
    return pending



@dataclass
class ScorecardPlan:
    """What ``score enter`` walks: the round's competencies and what is already entered."""

    candidate: Candidate
    interviewer: str
    round: str
    language: str
    competencies: list[str]
    entered: dict[str, int]
    recommendation: str | None


def scorecard_plan(
    store: Store,
    bank: Bank,
    candidate: str | int,
    interviewer: str,
    round_id: str | None = None,
    manifest: Path | None = None,
    language: str | None = None,
) -> ScorecardPlan:
    """The competencies to rate (the manifest's, else the round's) and those already rated.

    With a manifest the interview is recorded from it first, so ``score pending`` knows
    exactly what this scorecard needs.
    """
    interviewer = check_name(interviewer, "the interviewer's name")
    data = read_manifest(manifest) if manifest is not None else None
    if data is not None:
        for competency in data["competencies"]:  # before anything is recorded
            check_competency_in_round(bank, data["role"], round_id or data["round"], competency)
        record_interview(store, bank, candidate, interviewer, round_id=round_id, manifest=data)
        round_id = round_id or data["round"]
    with store.write():
        found = find_active_candidate(store, candidate)
        round_ = check_round(
            bank, found.role, round_id or default_round(store, bank, found, interviewer)
        )
        interview = interview_id(store, found, interviewer, round_, found.role)
        stored = store.one(
            "SELECT competencies, language FROM interviews WHERE id = :id", {"id": interview}
        )
        assert stored is not None
        expected = expected_competencies(bank, found.role, round_, stored[0])
        entered = {
            row[0]: int(row[1])
            for row in store.all(
                "SELECT competency, score FROM ratings WHERE interview_id = :id", {"id": interview}
            )
        }
        decision = store.one(
            "SELECT decision FROM recommendations WHERE interview_id = :id", {"id": interview}
        )
        if expected is None:  # raised inside the transaction, so the interview is not kept
            raise InputError(
                f"cannot tell which competencies round '{round_}' rates (candidate has no role "
                "in the bank): give --manifest, or use 'hiring score set'"
            )
        for competency in expected:
            check_competency_in_round(bank, found.role, round_, competency)
    return ScorecardPlan(
        found,
        interviewer,
        round_,
        language or stored[1] or "en",
        expected,
        entered,
        decision[0] if decision else None,
    )
