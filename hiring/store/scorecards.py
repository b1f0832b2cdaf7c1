"""Scorecards: an interviewer's ratings and recommendation for one candidate and round;
what ``score enter`` walks and what ``score pending`` chases."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

from hiring.decisions import DECISIONS
from hiring.errors import InputError
from hiring.store.accounting import LEFT_OUT_REASONS, RatingAccount
from hiring.store.audit import record_audit
from hiring.store.candidates import Candidate, find_active_candidate
from hiring.store.db import Store, now_iso
from hiring.store.interviews import (
    _as_utc,
    check_round,
    default_round,
    find_interview,
    interview_id,
    read_manifest,
    record_interview,
)
from hiring.store.ratings import check_competency_in_round, mark_change_after_submission
from hiring.store.team import scorecard_writer
from hiring.user_text import check_name

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


def check_decision(decision: str) -> str:
    """A recommendation in any case (``Yes``, ``STRONG-NO``) as its id, or refused."""
    value = decision.strip().lower()
    if value not in DECISIONS:
        raise InputError(f"decision '{decision}' is not one of {', '.join(DECISIONS)}")
    return value


def set_recommendation(
    store: Store, bank: Bank, candidate: str | int, interviewer: str, round_id: str, decision: str
) -> str:
    """Record the interviewer's overall recommendation for the round, audited."""
    interviewer = check_name(interviewer, "the interviewer's name")
    decision = check_decision(decision)
    with store.write():
        interviewer = scorecard_writer(store, interviewer)
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
        mark_change_after_submission(store, found.id, interviewer, interview, round_, None, now)
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


def scorecard_gaps(
    expected: list[str] | None, rated: set[str], has_recommendation: bool
) -> list[str]:
    """What a scorecard still lacks: the expected competencies not rated, then
    "recommendation"; "(no scores yet)" when what it rates is not known and nothing is."""
    if expected is None:
        missing = [] if rated else ["(no scores yet)"]
    else:
        missing = [c for c in expected if c not in rated]
    if not has_recommendation:
        missing.append("recommendation")
    return missing


def pending_scorecards(
    store: Store, bank: Bank, older_than: timedelta | None = None, now: datetime | None = None
) -> list[dict[str, Any]]:
    """Scorecards not submitted, oldest first: ``state`` "missing" (nothing entered yet) or
    "draft"; ``missing_scores`` and ``missing_recommendation`` say what is lacking (a
    complete draft lacks nothing but ``hiring score submit``)."""
    with store.read():
        interviews = store.all(
            "SELECT i.id, c.id, c.name, i.interviewer, i.role, i.round, i.date, i.competencies, "
            "(SELECT decision FROM recommendations d WHERE d.interview_id = i.id) "
            "FROM interviews i JOIN candidates c ON c.id = i.candidate_id "
            "WHERE c.status <> 'erased' AND i.submitted IS NULL AND i.cancelled IS NULL "
            "ORDER BY i.date, i.id"
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
        gaps = scorecard_gaps(expected, done, decision is not None)
        pending.append(
            {
                "interview_id": int(iid),
                "candidate_id": int(cid),
                "candidate": name,
                "interviewer": who,
                "role": role,
                "round": round_id,
                "date": date,
                "state": "draft" if done or decision is not None else "missing",
                "missing_scores": [c for c in gaps if c != "recommendation"],
                "missing_recommendation": decision is None,
            }
        )
    return pending


def pending_ratings_account(store: Store, bank: Bank) -> RatingAccount:
    """What ``score pending`` does with the stored ratings: those of scorecards it weighs
    (submitted or not) are used; left out are ratings of erased candidates, of cancelled
    interviews, and of competencies the scorecard's round no longer rates."""
    with store.read():
        groups = store.all(
            "SELECT c.status, i.cancelled IS NOT NULL, i.role, i.round, i.competencies, "
            "r.competency, COUNT(*) FROM ratings r JOIN interviews i ON i.id = r.interview_id "
            "JOIN candidates c ON c.id = i.candidate_id "
            "GROUP BY c.status, i.cancelled IS NOT NULL, i.role, i.round, i.competencies, "
            "r.competency"
        )
    account = RatingAccount()
    counts: dict[str, int] = {}
    for status, cancelled, role, round_id, comps, competency, n in groups:
        account.stored += int(n)
        expected = None if status == "erased" or cancelled else expected_competencies(
            bank, role, round_id, comps)
        if status == "erased":
            reason: str | None = "erased_candidate"
        elif cancelled:
            reason = "cancelled_interview"
        elif expected is not None and competency not in expected:
            reason = "competency_not_in_role"
        else:
            reason = None
        if reason is None:
            account.used += int(n)
        else:
            counts[reason] = counts.get(reason, 0) + int(n)
    account.left_out = {k: counts[k] for k in LEFT_OUT_REASONS if k in counts}
    return account


@dataclass(frozen=True)
class Submission:
    candidate: Candidate
    interviewer: str
    round: str
    submitted: str  # when
    already: bool  # it was submitted before this call


def submit_scorecard(
    store: Store,
    bank: Bank,
    candidate: str | int,
    interviewer: str,
    round_id: str | None = None,
) -> Submission:
    """Submit a scorecard: refused while competencies of the round (or of the guide's
    manifest) or the recommendation are missing, listing them. Audited. Submitting again
    changes nothing."""
    interviewer = check_name(interviewer, "the interviewer's name")
    with store.write():
        interviewer = scorecard_writer(store, interviewer)
        found = find_active_candidate(store, candidate)
        round_ = check_round(
            bank, found.role, round_id or default_round(store, bank, found, interviewer)
        )
        row = store.one(
            "SELECT id, role, competencies, submitted FROM interviews WHERE candidate_id = :cid "
            "AND interviewer = :who AND round = :round AND cancelled IS NULL"
            + store.for_update,
            {"cid": found.id, "who": interviewer, "round": round_},
        )
        if row is None:
            raise InputError(
                f"{interviewer} has no scorecard for {found.name} ({found.id}) in round "
                f"{round_}: nothing to submit"
            )
        if row[3] is not None:
            return Submission(found, interviewer, round_, row[3], already=True)
        rated = {
            r[0]
            for r in store.all(
                "SELECT competency FROM ratings WHERE interview_id = :id", {"id": row[0]}
            )
        }
        decision = store.one(
            "SELECT decision FROM recommendations WHERE interview_id = :id", {"id": row[0]}
        )
        gaps = scorecard_gaps(
            expected_competencies(bank, row[1] or found.role, round_, row[2]),
            rated,
            decision is not None,
        )
        if gaps:
            raise InputError(
                f"cannot submit {interviewer}'s scorecard for {found.name} ({found.id}), round "
                f"{round_}: missing {', '.join(gaps)}"
            )
        now = now_iso()
        store.execute(
            "UPDATE interviews SET submitted = :now WHERE id = :id", {"now": now, "id": row[0]}
        )
        record_audit(
            store, "scorecard.submit", interviewer, found.id, interview_id=row[0],
            round_id=round_, at=now,
        )
    return Submission(found, interviewer, round_, now, already=False)


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
    submitted: str | None = None  # when the scorecard was submitted (None: a draft)
    # The guide's questions per competency (ids, in the guide's order), from the manifest.
    questions: dict[str, list[str]] = field(default_factory=dict)


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
    with store.read():
        found = find_active_candidate(store, candidate)
        round_ = check_round(
            bank, found.role, round_id or default_round(store, bank, found, interviewer)
        )
        # Read only: the interview is recorded by the first answer (or by a manifest), so
        # quitting before it leaves nothing to chase.
        interview = find_interview(store, found, interviewer, round_)
        stored = store.one(
            "SELECT competencies, language, submitted, questions FROM interviews WHERE id = :id",
            {"id": interview},
        ) if interview is not None else (None, None, None, None)
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
        if expected is None:
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
        stored[2],
        _questions_by_competency(bank, stored[3]),
    )


def _questions_by_competency(bank: Bank, stored: str | None) -> dict[str, list[str]]:
    """The manifest's question ids (JSON list) grouped by competency; ids the bank no
    longer has are skipped (the rating is then stored without a question)."""
    from hiring.errors import NotFoundError

    grouped: dict[str, list[str]] = {}
    for question_id in json.loads(stored) if stored else []:
        try:
            owner, _ = bank.question(question_id)
        except NotFoundError:
            continue
        grouped.setdefault(owner.id, []).append(question_id)
    return grouped
