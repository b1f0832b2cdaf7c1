"""Every candidate's interview scores for one role, for the fairness and validity reports.

``load_role_scores(store, bank, role_id)`` reads the role's ratings (every round, pooled:
the scores the comparison report shows without ``--round``), consensus scores and the
questions each interview asked, in three queries, and scores them with
``hiring.scoring.aggregate``: per candidate the overall score and each competency's
score (the consensus where the panel agreed one, else the mean of the interviewers'
ratings). Nothing else (notes, recommendations, calibration, reliability) is read or
computed, so 10,000 candidates take a fraction of a second.

Each rating also carries the question it answered, for the item analysis: the rating's
own question when recorded, else the one question of its competency that the interview's
guide asked (the manifest), else none (counted as ``no_question``).

Erased candidates are left out (their anonymised ratings count in calibration and
reliability only, never per person).
"""

from __future__ import annotations

import json
from collections.abc import Hashable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from hiring.errors import InputError

if TYPE_CHECKING:
    import numpy as np

    from hiring.bank.models import Bank
    from hiring.scoring.table import CompetencySpec
    from hiring.store.db import Store


@dataclass
class RoleScores:
    role_id: str
    candidate_ids: list[int]  # every active candidate of the role with a rating, by id
    competencies: list[CompetencySpec]
    overall: np.ndarray  # per candidate, on the common scale
    competency: np.ndarray  # (candidates, competencies): used score, NaN = not rated
    complete: np.ndarray  # bool per candidate: rated on every competency with a weight
    scale_min: float  # the common scale of ``overall``
    scale_max: float
    # one entry per rating with a known question: (candidate id, competency, question, score)
    item_ratings: list[tuple[int, str, str, int]] = field(default_factory=list)
    no_question: int = 0  # ratings whose question is not known

    def index(self) -> dict[int, int]:
        """Candidate id -> row of ``overall`` and ``competency``."""
        return {cid: i for i, cid in enumerate(self.candidate_ids)}


def _question_owner(bank: Bank) -> dict[str, str]:
    return {q.id: c.id for c in bank.competencies.values() for q in c.questions}


def load_role_scores(store: Store, bank: Bank, role_id: str) -> RoleScores:
    """Score every active candidate of ``role_id`` who has a rating (module docstring)."""
    import numpy as np

    from hiring.scoring.aggregate import competency_scores, overall_scores
    from hiring.scoring.table import RatingTable, competency_specs

    role = bank.role(role_id)
    specs = competency_specs(bank, role_id)
    spec_ids = {s.id for s in specs}
    order = {r.id: i for i, r in enumerate(role.rounds)}
    with store.read():
        ratings = store.all(
            "SELECT i.candidate_id, i.interviewer, i.round, r.competency, r.question, r.score, "
            "i.id FROM ratings r JOIN interviews i ON i.id = r.interview_id "
            "JOIN candidates c ON c.id = i.candidate_id "
            "WHERE i.role = :role AND c.status <> 'erased' AND i.cancelled IS NULL",
            {"role": role_id},
        )
        asked = store.all(
            "SELECT i.id, i.questions FROM interviews i JOIN candidates c "
            "ON c.id = i.candidate_id WHERE i.role = :role AND c.status <> 'erased' "
            "AND i.questions IS NOT NULL",
            {"role": role_id},
        )
        consensus = store.all(
            "SELECT k.candidate_id, k.round, k.competency, k.score FROM consensus k "
            "JOIN candidates c ON c.id = k.candidate_id WHERE c.status <> 'erased' "
            "AND (c.role = :role OR c.id IN (SELECT candidate_id FROM interviews "
            "WHERE role = :role))",
            {"role": role_id},
        )
    ratings = [r for r in ratings if r[3] in spec_ids]
    if not ratings:
        raise InputError(f"no ratings yet for role '{role_id}'")
    owner = _question_owner(bank)
    guide_question: dict[tuple[int, str], str] = {}
    for interview_id, questions in asked:
        try:
            listed = json.loads(questions)
        except ValueError:
            continue
        by_competency: dict[str, list[str]] = {}
        for question in listed if isinstance(listed, list) else []:
            if isinstance(question, str) and question in owner:
                by_competency.setdefault(owner[question], []).append(question)
        for competency, ids in by_competency.items():
            if len(ids) == 1:  # several: which one a rating answered is not known
                guide_question[(int(interview_id), competency)] = ids[0]
    candidate_ids = sorted({int(r[0]) for r in ratings})
    table = RatingTable.build(
        [int(r[0]) for r in ratings], [r[1] for r in ratings], [r[3] for r in ratings],
        [int(r[5]) for r in ratings], specs, rounds=[r[2] for r in ratings],
        candidate_ids=candidate_ids,
    )
    rated = set(candidate_ids)
    agreed: dict[tuple[Hashable, str], float] = {}
    # The latest round (in the role's order) wins where several rounds agreed one.
    for cid, _round, competency, score in sorted(consensus, key=lambda k: order.get(k[1], -1)):
        if competency in spec_ids and int(cid) in rated:
            agreed[(int(cid), competency)] = float(score)
    scores = competency_scores(table, agreed)
    overall = overall_scores(table, scores)
    items: list[tuple[int, str, str, int]] = []
    unknown = 0
    for cid, _who, _round, competency, question, score, interview_id in ratings:
        asked_question = question or guide_question.get((int(interview_id), competency))
        if asked_question:
            items.append((int(cid), competency, asked_question, int(score)))
        else:
            unknown += 1
    return RoleScores(
        role_id=role_id, candidate_ids=candidate_ids,
        competencies=specs, overall=overall.score, competency=np.asarray(scores.used),
        complete=np.asarray(overall.complete),
        scale_min=overall.scale_min, scale_max=overall.scale_max, item_ratings=items,
        no_question=unknown,
    )

