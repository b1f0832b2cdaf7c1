"""Every candidate's interview scores for one role, for the fairness and validity reports.

``load_role_scores(store, bank, role_id, with_questions=False)`` reads the role's ratings
(every round, pooled: the scores the comparison report shows without ``--round``) and
consensus scores, and scores them with ``hiring.scoring.aggregate``: per candidate the
overall score and each competency's score (the consensus where the panel agreed one, else
the mean of the interviewers' ratings). Nothing else (notes, recommendations, calibration,
reliability) is read or computed.

Speed: 10,000 candidates have about 250,000 ratings. The query returns whole numbers only
(the competency and question as codes, by ``CASE`` over the bank's ids), which numpy takes
in one conversion, and the table is made from those codes (``RatingTable.from_codes``):
no Python step per rating.

``with_questions``: each rating also carries the question it answered, for the item
analysis: the rating's own question when recorded, else the one question of its
competency that the interview's guide asked (its manifest), else none (``no_question``,
counted; a question no longer in the bank counts there too).

Erased candidates are left out (their anonymised ratings count in calibration and
reliability only, never per person).
"""

from __future__ import annotations

import json
from collections.abc import Hashable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from hiring.errors import InputError

if TYPE_CHECKING:
    import numpy as np

    from hiring.bank.models import Bank
    from hiring.scoring.rating_table import CompetencySpec
    from hiring.store.db import Store


@dataclass
class ItemRatings:
    """Ratings with a known question, as codes: ``person`` indexes the candidates of
    ``RoleScores``, ``item`` indexes ``keys`` ((competency, question) pairs)."""

    person: np.ndarray
    item: np.ndarray
    score: np.ndarray
    keys: list[tuple[str, str]]
    top: np.ndarray  # per item: its competency's scale maximum


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
    items: ItemRatings | None = None  # with_questions only
    no_question: int = 0  # ratings whose question is not known

    def index(self) -> dict[int, int]:
        """Candidate id -> row of ``overall`` and ``competency``."""
        return {cid: i for i, cid in enumerate(self.candidate_ids)}


def _case(column: str, ids: list[str], prefix: str) -> tuple[str, dict[str, Any]]:
    """``CASE column WHEN :p0 THEN 0 ... ELSE -1 END`` and its parameters."""
    if not ids:
        return "-1", {}
    whens = " ".join(f"WHEN :{prefix}{i} THEN {i}" for i in range(len(ids)))
    return f"CASE {column} {whens} ELSE -1 END", {f"{prefix}{i}": v for i, v in enumerate(ids)}


def _whole_numbers(store: Store, sql: str, params: dict[str, Any], width: int) -> np.ndarray:
    """A query's rows of whole numbers as an (n, width) array, without a Python object
    per row beyond the driver's own (``np.array`` over 250,000 tuples took 0.5 s)."""
    import itertools

    import numpy as np

    cursor = store.execute(sql, params)
    with store.driver_errors():
        rows = cursor.fetchall()
    flat = np.fromiter(itertools.chain.from_iterable(rows), dtype=np.int64,
                       count=len(rows) * width)
    return flat.reshape(len(rows), width)


def load_role_scores(store: Store, bank: Bank, role_id: str, with_questions: bool = False
                     ) -> RoleScores:
    """Score every active candidate of ``role_id`` who has a rating (module docstring)."""
    import numpy as np

    from hiring.scoring.aggregate import competency_scores, overall_scores
    from hiring.scoring.rating_table import RatingTable, competency_specs

    role = bank.role(role_id)
    specs = competency_specs(bank, role_id)
    spec_ids = [s.id for s in specs]
    spec_code = {cid: i for i, cid in enumerate(spec_ids)}
    questions = [(q.id, spec_code[c.id]) for c in bank.competencies.values()
                 if c.id in spec_code for q in c.questions]
    competency_case, params = _case("competency", spec_ids, "c")
    columns = f"interview_id, {competency_case}, score"
    if with_questions:
        question_case, question_params = _case("question", [q for q, _ in questions], "q")
        params.update(question_params)
        columns += f", {question_case}, CASE WHEN question IS NULL THEN 1 ELSE 0 END"
    order = {r.id: i for i, r in enumerate(role.rounds)}
    with store.read():
        role_interviews = _whole_numbers(
            store,
            "SELECT i.id, i.candidate_id FROM interviews i JOIN candidates c "
            "ON c.id = i.candidate_id WHERE i.role = :role AND c.status <> 'erased' "
            "AND i.cancelled IS NULL ORDER BY i.id",
            {"role": role_id}, 2,
        )
        # Every rating, read in table order and matched to the role's interviews below: a
        # scan is ~2.5x faster than looking each interview's ratings up by the index.
        ratings = _whole_numbers(store, f"SELECT {columns} FROM ratings", params,
                                 5 if with_questions else 3)
        consensus = store.all(
            "SELECT k.candidate_id, k.round, k.competency, k.score FROM consensus k "
            "JOIN candidates c ON c.id = k.candidate_id WHERE c.status <> 'erased' "
            "AND (c.role = :role OR c.id IN (SELECT candidate_id FROM interviews "
            "WHERE role = :role))",
            {"role": role_id},
        )
        asked = store.all(
            "SELECT i.id, i.questions FROM interviews i JOIN candidates c "
            "ON c.id = i.candidate_id WHERE i.role = :role AND c.status <> 'erased' "
            "AND i.questions IS NOT NULL",
            {"role": role_id},
        ) if with_questions else []
    at = np.searchsorted(role_interviews[:, 0], ratings[:, 0])
    at = np.minimum(at, max(len(role_interviews) - 1, 0))
    mine = ratings[:, 1] >= 0  # a competency no longer in the role: left out
    if len(role_interviews):
        mine &= role_interviews[at, 0] == ratings[:, 0]
    else:
        mine[:] = False
    # columns: candidate, interview, competency, score[, question, question unrecorded]
    data = np.column_stack([role_interviews[at[mine], 1], ratings[mine]])
    if not data.shape[0]:
        raise InputError(f"no ratings yet for role '{role_id}'")
    candidate_ids, person = np.unique(data[:, 0], return_inverse=True)
    rated_interviews, interview = np.unique(data[:, 1], return_inverse=True)
    table = RatingTable.from_codes(
        [int(c) for c in candidate_ids], person, len(rated_interviews), interview, data[:, 2],
        data[:, 3], specs,
    )
    rated = {int(c) for c in candidate_ids}
    agreed: dict[tuple[Hashable, str], float] = {}
    # The latest round (in the role's order) wins where several rounds agreed one.
    for cid, _round, competency, score in sorted(consensus, key=lambda k: order.get(k[1], -1)):
        if competency in spec_code and int(cid) in rated:
            agreed[(int(cid), competency)] = float(score)
    scores = competency_scores(table, agreed)
    overall = overall_scores(table, scores)
    result = RoleScores(
        role_id=role_id, candidate_ids=[int(c) for c in candidate_ids], competencies=specs,
        overall=overall.score, competency=np.asarray(scores.used),
        complete=np.asarray(overall.complete), scale_min=overall.scale_min,
        scale_max=overall.scale_max,
    )
    if with_questions:
        result.items, result.no_question = _item_ratings(
            data, person, questions, asked, specs, spec_code)
    return result


def _item_ratings(
    data: np.ndarray, person: np.ndarray, questions: list[tuple[str, int]],
    asked: list[tuple[Any, ...]], specs: list[CompetencySpec], spec_code: dict[str, int],
) -> tuple[ItemRatings, int]:
    """The question of each rating (its own, else its guide's), as codes."""
    import numpy as np

    owner = np.array([c for _, c in questions] or [0], dtype=np.int64)
    question_code = {q: i for i, (q, _) in enumerate(questions)}
    item = data[:, 4].copy()
    # A recorded question of another competency is not this rating's item.
    item[(item >= 0) & (owner[np.maximum(item, 0)] != data[:, 2])] = -1
    # Unrecorded: the one question the interview's guide asked for the competency.
    guide: dict[int, int] = {}
    for interview_id, text in asked:
        try:
            listed = json.loads(text)
        except ValueError:
            continue
        by_competency: dict[int, list[int]] = {}
        for question in listed if isinstance(listed, list) else []:
            if isinstance(question, str) and question in question_code:
                code = question_code[question]
                by_competency.setdefault(int(owner[code]), []).append(code)
        for competency, codes in by_competency.items():
            if len(codes) == 1:  # several: which one a rating answered is not known
                guide[int(interview_id) * len(specs) + competency] = codes[0]
    missing = (item < 0) & (data[:, 5] == 1)
    if guide and missing.any():
        keys = np.array(sorted(guide), dtype=np.int64)
        values = np.array([guide[k] for k in keys], dtype=np.int64)
        wanted = data[missing, 1] * len(specs) + data[missing, 2]
        at = np.clip(np.searchsorted(keys, wanted), 0, keys.size - 1)
        item[missing] = np.where(keys[at] == wanted, values[at], -1)
    known = item >= 0
    used = np.unique(item[known])
    remap = np.full(max(len(questions), 1), -1, dtype=np.int64)
    remap[used] = np.arange(used.size)
    names = {code: competency for competency, code in spec_code.items()}
    tops = np.array([float(s.scale_max) for s in specs], dtype=np.float64)
    return ItemRatings(
        person=person[known], item=remap[item[known]], score=data[known, 3].astype(np.float64),
        keys=[(names[int(owner[c])], questions[c][0]) for c in used],
        top=tops[owner[used]] if used.size else np.zeros(0),
    ), int((~known).sum())
