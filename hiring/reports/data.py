"""What a report reads from the store: plain lists, loaded with a few bulk queries.

``load_report_data(store, bank, role_id, round_id, candidates)`` runs one query per
table (candidates, interviews, ratings, recommendations, consensus, stage decisions), never
one per candidate or cell, so a report over thousands of candidates costs the same queries.
Everything after that (``hiring.reports.context``) works on these lists only.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, NamedTuple

from hiring.errors import InputError, NotFoundError
from hiring.store.accounting import LEFT_OUT_REASONS, RatingAccount
from hiring.store.team import rating_groups, visible_interviews_sql

if TYPE_CHECKING:
    from hiring.bank.models import Bank
    from hiring.store.db import Store


class CandidateRef(NamedTuple):
    id: int
    name: str


class RatingRow(NamedTuple):
    candidate_id: int
    interviewer: str
    competency: str
    question: str | None
    score: int
    note: str | None
    round: str
    # 'after-submission' / 'after-seeing-others': written after its scorecard was submitted
    changed_after_submission: str | None = None


class RecommendationRow(NamedTuple):
    candidate_id: int
    interviewer: str
    round: str
    decision: str


class ConsensusRow(NamedTuple):
    candidate_id: int
    round: str
    competency: str
    score: int
    note: str | None


class InterviewRow(NamedTuple):
    candidate_id: int
    interviewer: str
    round: str
    competencies: list[str] | None  # what the guide's manifest said this scorecard rates
    submitted: bool = False  # the scorecard is submitted (not a draft)
    date: str = ""  # when the interview is (was) held, ISO text; "" when unknown


class DecisionRow(NamedTuple):
    """The hiring manager's decision about a candidate after a round (stage decisions)."""

    candidate_id: int
    round: str
    decision: str  # advance, reject, offer, hired, withdrew
    reason: str | None  # a reason id of the bank's list
    reason_note: str | None
    updated: str


@dataclass
class ReportData:
    """Everything a comparison or candidate report shows, as plain lists."""

    role_id: str
    round_id: str | None
    candidates: list[CandidateRef]
    ratings: list[RatingRow] = field(default_factory=list)
    recommendations: list[RecommendationRow] = field(default_factory=list)
    consensus: list[ConsensusRow] = field(default_factory=list)
    interviews: list[InterviewRow] = field(default_factory=list)
    # Anonymised ratings of erased candidates of the role (whole-pool reports only): they
    # count for calibration and reliability, never for scores, ranks or names.
    erased_ratings: list[RatingRow] = field(default_factory=list)
    # Stage decisions of the candidates (every round: where a candidate stands needs all).
    decisions: list[DecisionRow] = field(default_factory=list)

    @property
    def erased_candidates(self) -> int:
        return len({r.candidate_id for r in self.erased_ratings})
    account: RatingAccount = field(default_factory=RatingAccount)
    # candidate id -> ratings changed after submission, built on first use (late_changes)
    _late: dict[int, list[RatingRow]] | None = field(default=None, repr=False, compare=False)


def account_text(account: RatingAccount, t: dict[str, str]) -> str:
    """The report's line on stored ratings it did not use, in the report's language."""
    if not account.left_out:
        return t["report_left_out_none"].format(stored=account.stored)
    reasons = ", ".join(f"{t['report_left_out_' + k]} {n}" for k, n in account.left_out.items())
    return t["report_left_out_value"].format(
        left=account.left_out_total, stored=account.stored, reasons=reasons)


def account_ratings(
    groups: Sequence[tuple[object, ...]],
    bank: Bank,
    role_id: str,
    round_id: str | None,
    chosen: set[int],
    erased_counted: set[int] | None = None,
) -> RatingAccount:
    """Classify grouped rating counts ``(status, interview role, round, competency,
    candidate id, visible, count)`` -- one row per combination, from one GROUP BY query
    (``rating_groups``; ``visible`` 0: the user may not read it, e.g. a colleague's draft).

    ``erased_counted``: erased candidates whose anonymised ratings the statistics use
    (whole-pool reports): they count as used; any other erased candidate's are left out."""
    role = bank.role(role_id)
    rated = set(role.competencies_of(round_id)) if round_id else {
        item.id for item in role.competencies}
    erased_counted = erased_counted or set()
    account = RatingAccount()
    counts = dict.fromkeys(LEFT_OUT_REASONS, 0)
    for status, interview_role, round_name, competency, candidate_id, visible, n in groups:
        n = int(n)  # type: ignore[call-overload]
        account.stored += n
        if status == "erased" and int(candidate_id) not in erased_counted:  # type: ignore[call-overload]
            counts["erased_candidate"] += n
        elif not int(visible):  # type: ignore[call-overload]
            counts["not_visible"] += n
        elif interview_role != role_id:
            counts["other_role"] += n
        elif round_id is not None and round_name != round_id:
            counts["other_round"] += n
        elif competency not in rated:
            counts["competency_not_in_role"] += n
        elif status != "erased" and int(candidate_id) not in chosen:  # type: ignore[call-overload]
            counts["not_chosen"] += n
        else:
            account.used += n
    account.left_out = {k: v for k, v in counts.items() if v}
    return account


def default_role(store: Store, bank: Bank) -> str:
    """The role when ``--role`` is not given: the bank's only role, else the only role
    stored candidates have; otherwise the user must choose."""
    if len(bank.roles) == 1:
        return next(iter(bank.roles))
    stored = {row[0] for row in store.all(
        "SELECT DISTINCT role FROM candidates WHERE role IS NOT NULL AND status <> 'erased'"
    )}
    stored &= set(bank.roles)
    if len(stored) == 1:
        return stored.pop()
    choices = ", ".join(sorted(stored or bank.roles))
    raise InputError(f"give --role (one of: {choices})")


def _pick_candidates(
    everyone: list[CandidateRef], wanted: Sequence[str | int] | None
) -> list[CandidateRef]:
    if not wanted:
        return everyone
    by_id = {c.id: c for c in everyone}
    by_name: dict[str, list[CandidateRef]] = {}
    for candidate in everyone:
        by_name.setdefault(candidate.name, []).append(candidate)
    chosen: list[CandidateRef] = []
    for reference in wanted:
        text = str(reference).strip()
        found = by_id.get(int(text)) if text.isdecimal() else None
        if found is None:
            named = by_name.get(text, [])
            if len(named) > 1:
                ids = ", ".join(str(c.id) for c in named)
                raise InputError(f"'{text}' names several candidates (ids {ids}): use the id")
            found = named[0] if named else None
        if found is None:
            raise NotFoundError(f"no candidate '{text}' for this role")
        if found not in chosen:
            chosen.append(found)
    return chosen


def load_report_data(
    store: Store,
    bank: Bank,
    role_id: str,
    round_id: str | None = None,
    candidates: Sequence[str | int] | None = None,
) -> ReportData:
    """The role's candidates (or the ``candidates`` named, by id or exact name) with their
    interviews, ratings, recommendations and consensus scores, optionally of one round."""
    role = bank.role(role_id)
    if round_id is not None:
        role.round(round_id)  # NotFoundError for an unknown round
    params: dict[str, object] = {"role": role_id}
    round_filter = ""
    if round_id is not None:
        round_filter = " AND i.round = :round"
        params["round"] = round_id
    with store.read():
        everyone = [
            CandidateRef(int(row[0]), str(row[1]))
            for row in store.all(
                "SELECT c.id, c.name FROM candidates c WHERE c.status <> 'erased' AND "
                "(c.role = :role OR c.id IN (SELECT i.candidate_id FROM interviews i "
                "WHERE i.role = :role)) ORDER BY c.id",
                {"role": role_id},
            )
        ]
        interviews = store.all(
            "SELECT i.candidate_id, i.interviewer, i.round, i.competencies, i.submitted, i.date "
            "FROM interviews i "
            f"WHERE i.role = :role{round_filter} AND i.cancelled IS NULL "
            "ORDER BY i.candidate_id, i.round, i.interviewer",
            params,
        )
        # Only what the user may read (rate before you see others: others' drafts never).
        visible, visible_params = visible_interviews_sql(store, "i")
        ratings = store.all(
            "SELECT i.candidate_id, i.interviewer, r.competency, r.question, r.score, r.note, "
            "i.round, r.changed_after_submission "
            "FROM ratings r JOIN interviews i ON i.id = r.interview_id "
            f"WHERE i.role = :role{round_filter} AND {visible} "
            "ORDER BY i.candidate_id, i.round, r.competency, i.interviewer",
            {**params, **visible_params},
        )
        recommendations = store.all(
            "SELECT i.candidate_id, i.interviewer, i.round, d.decision FROM recommendations d "
            f"JOIN interviews i ON i.id = d.interview_id WHERE i.role = :role{round_filter} "
            f"AND {visible} ORDER BY i.candidate_id, i.round, i.interviewer",
            {**params, **visible_params},
        )
        groups = rating_groups(store)
        consensus = store.all(
            "SELECT k.candidate_id, k.round, k.competency, k.score, k.note FROM consensus k "
            "JOIN candidates c ON c.id = k.candidate_id WHERE c.status <> 'erased'"
            + (" AND k.round = :round" if round_id is not None else "")
            + " ORDER BY k.candidate_id, k.round, k.competency",
            {"round": round_id} if round_id is not None else {},
        )
        decisions = store.all(
            "SELECT d.candidate_id, d.round, d.decision, d.reason, d.reason_note, d.updated "
            "FROM stage_decisions d JOIN candidates c ON c.id = d.candidate_id "
            "WHERE c.status <> 'erased' ORDER BY d.candidate_id, d.updated, d.id"
        )
        erased = set() if candidates else {int(row[0]) for row in store.all(
            "SELECT id FROM candidates WHERE status = 'erased'")}
    chosen = _pick_candidates(everyone, candidates)
    keep = {c.id for c in chosen}
    return ReportData(
        role_id=role_id,
        round_id=round_id,
        candidates=chosen,
        ratings=[RatingRow(int(r[0]), r[1], r[2], r[3], int(r[4]), r[5], r[6], r[7])
                 for r in ratings if int(r[0]) in keep],
        recommendations=[RecommendationRow(int(r[0]), r[1], r[2], r[3])
                         for r in recommendations if int(r[0]) in keep],
        consensus=[ConsensusRow(int(r[0]), r[1], r[2], int(r[3]), r[4])
                   for r in consensus if int(r[0]) in keep],
        interviews=[InterviewRow(int(r[0]), r[1], r[2], json.loads(r[3]) if r[3] else None,
                                 r[4] is not None, r[5] or "")
                    for r in interviews if int(r[0]) in keep],
        decisions=[DecisionRow(int(r[0]), r[1], r[2], r[3], r[4], r[5])
                   for r in decisions if int(r[0]) in keep],
        erased_ratings=[RatingRow(int(r[0]), r[1], r[2], r[3], int(r[4]), None, r[6])
                        for r in ratings if int(r[0]) in erased],
        account=account_ratings(groups, bank, role_id, round_id, keep, erased),
    )


def late_changes(data: ReportData, candidate_id: int) -> list[RatingRow]:
    """The candidate's ratings changed after their scorecard was submitted."""
    if data._late is None:
        data._late = {}
        for r in data.ratings:
            if r.changed_after_submission:
                data._late.setdefault(r.candidate_id, []).append(r)
    return data._late.get(candidate_id, [])
