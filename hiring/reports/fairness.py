"""The fairness report: adverse impact per stage and interview scores per group.

``fairness_figures(store, bank, role_id, attribute=None, min_group=5)`` reads the role's
candidates, their stage decisions (``hiring candidate decide``), their group data and
their interview scores, and computes, for each attribute (or the one asked for):

* one table per stage (``stage_counts``):

  - each round of the role, in the bank's order, with a decision recorded: the people
    given a decision there; selected = ``advance``, ``offer`` or ``hired``; not selected
    = ``reject``; ``withdrew`` is left out (the candidate left; the employer did not
    select) and counted;
  - ``hired``: over the whole process, selected = hired in any round, not selected =
    rejected in any round; a candidate who withdrew, or has no final decision yet (still
    in process, or no decision at all), is left out and counted;
  - candidates without group data for the attribute are left out and counted;

  each table through ``hiring.scoring.fairness.adverse_impact`` (rates, impact ratios,
  four-fifths flag, Fisher's exact p, shortfall; small numbers said to be unstable;
  groups under ``min_group`` merged into "other");
* the mean overall score and each competency's mean score per group, with 95%
  intervals (``group_means``), over the role's scored candidates with group data.

``min_group`` below ``MIN_GROUP`` (5) is refused: it is what keeps a person from being
singled out. Group data is read under the team action ``group_data.read``, the rest under
``report.read``.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from hiring.errors import InputError, NotFoundError
from hiring.scoring.fairness import (
    MIN_APPLICANTS,
    MIN_GROUP,
    MIN_SELECTED,
    GroupCount,
    GroupMeans,
    StageImpact,
    adverse_impact,
    group_means,
)

if TYPE_CHECKING:
    import numpy as np

    from hiring.bank.models import Bank
    from hiring.reports.role_scores import RoleScores
    from hiring.store.db import Store

SELECTED = frozenset({"advance", "offer", "hired"})
HIRED_STAGE = "hired"
LEFT_OUT_REASONS = ("no_group_data", "withdrew", "in_process")


@dataclass
class Stage:
    id: str  # a round id, or HIRED_STAGE
    impact: StageImpact
    left_out: dict[str, int]  # reason -> people (LEFT_OUT_REASONS), only those above 0

    @property
    def considered(self) -> int:
        return sum(g.applicants for g in self.impact.groups)

    def to_json(self) -> dict[str, Any]:
        return {"stage": self.id, "considered": self.considered,
                "left_out": self.left_out, **self.impact.to_json()}


@dataclass
class ScoreByGroup:
    competency: str | None  # None: the overall score
    means: GroupMeans

    def to_json(self) -> dict[str, Any]:
        return {"competency": self.competency,
                "groups": [g.to_json() for g in self.means.groups],
                "merged_into_other": list(self.means.merge.merged),
                "left_out_people": self.means.left_out_people}


@dataclass
class AttributeFairness:
    attribute: str
    people: int  # candidates of the role with a group for it
    stages: list[Stage]
    scores: list[ScoreByGroup]  # overall first, then each competency
    unscored: int = 0  # candidates with a group but no interview score

    def to_json(self) -> dict[str, Any]:
        return {"attribute": self.attribute, "people": self.people,
                "stages": [s.to_json() for s in self.stages],
                "scores": [s.to_json() for s in self.scores],
                "unscored": self.unscored}


@dataclass
class FairnessFigures:
    role_id: str
    candidates: int  # active candidates of the role
    decided: int  # of them, with at least one stage decision
    rounds_without_decisions: list[str]
    attributes: list[AttributeFairness] = field(default_factory=list)
    min_group: int = MIN_GROUP
    scale: tuple[float, float] | None = None  # the overall score's scale

    def to_json(self) -> dict[str, Any]:
        return {
            "role": self.role_id, "candidates": self.candidates, "decided": self.decided,
            "rounds_without_decisions": self.rounds_without_decisions,
            "rules": {"four_fifths": 0.8, "min_applicants": MIN_APPLICANTS,
                      "min_selected": MIN_SELECTED, "min_group": self.min_group},
            "attributes": [a.to_json() for a in self.attributes],
        }


def check_min_group(min_group: int) -> int:
    if min_group < MIN_GROUP:
        raise InputError(
            f"--min-group {min_group}: groups of fewer than {MIN_GROUP} people could single a "
            f"person out; give {MIN_GROUP} or more"
        )
    return min_group


DECISIONS = ("advance", "reject", "offer", "hired", "withdrew")  # issue 22's STAGE_DECISIONS


@dataclass
class DecisionTable:
    """The role's decisions as codes, made once and counted per attribute."""

    ids: np.ndarray  # sorted candidate ids: the role's candidates and everyone decided
    rounds: list[str]  # in stage order
    who: np.ndarray  # per decision: index into ids
    round: np.ndarray  # per decision: index into rounds
    decision: np.ndarray  # per decision: index into DECISIONS
    final: np.ndarray  # per candidate: 1 hired, 0 rejected, -1 withdrew, -2 no final yet


def decision_table(decisions: Sequence[tuple[int, str, str]], candidates: Iterable[int],
                   round_order: Sequence[str]) -> DecisionTable:
    """Stages in order: rounds with decisions in ``round_order``, then the others by name."""
    import numpy as np

    known = {r: i for i, r in enumerate(round_order)}
    rounds = sorted({d[1] for d in decisions}, key=lambda r: (r not in known, known.get(r, 0), r))
    round_code = {r: i for i, r in enumerate(rounds)}
    decision_code = {d: i for i, d in enumerate(DECISIONS)}
    ids = np.unique(np.array([*candidates, *(d[0] for d in decisions)], dtype=np.int64))
    who = np.searchsorted(ids, np.array([d[0] for d in decisions], dtype=np.int64))
    decision = np.array([decision_code[d[2]] for d in decisions], dtype=np.int64)

    def made(name: str) -> np.ndarray:
        return np.bincount(who[decision == decision_code[name]], minlength=ids.size) > 0

    final = np.where(made("hired"), 1, np.where(made("reject"), 0,
                                                 np.where(made("withdrew"), -1, -2)))
    return DecisionTable(ids, rounds, who,
                         np.array([round_code[d[1]] for d in decisions], dtype=np.int64),
                         decision, final)


def counts_by_stage(table: DecisionTable, groups: dict[int, str]
                    ) -> list[tuple[str, list[GroupCount], dict[str, int]]]:
    """Per stage (each round of ``table``, then ``hired``): the group counts and the
    people left out, by reason (module docstring)."""
    import numpy as np

    names = sorted(set(groups.values()))
    index = {name: i for i, name in enumerate(names)}
    group = np.array([index.get(groups.get(int(cid), ""), -1) for cid in table.ids]
                     or [-1], dtype=np.int64)[: table.ids.size]
    selected_codes = [DECISIONS.index(d) for d in sorted(SELECTED)]

    def tally(people: np.ndarray, chosen: np.ndarray) -> list[GroupCount]:
        applicants = np.bincount(group[people], minlength=len(names))
        picked = np.bincount(group[people[chosen]], minlength=len(names))
        return [GroupCount(name, int(applicants[i]), int(picked[i]))
                for i, name in enumerate(names) if applicants[i]]

    def reasons(**counts: int) -> dict[str, int]:
        return {k: v for k, v in counts.items() if v}

    stages = []
    withdrew = DECISIONS.index("withdrew")
    for r, round_id in enumerate(table.rounds):
        here = table.round == r
        people, decision = table.who[here], table.decision[here]
        stayed = decision != withdrew
        grouped = stayed & (group[people] >= 0)
        stages.append((round_id, tally(people[grouped],
                                       np.isin(decision[grouped], selected_codes)),
                       reasons(no_group_data=int((stayed & ~grouped).sum()),
                               withdrew=int((~stayed).sum()))))
    everyone = np.arange(table.ids.size)
    decided = table.final >= 0
    grouped = decided & (group >= 0)
    stages.append((HIRED_STAGE, tally(everyone[grouped], table.final[grouped] == 1),
                   reasons(no_group_data=int((decided & ~grouped).sum()),
                           withdrew=int((table.final == -1).sum()),
                           in_process=int((table.final == -2).sum()))))
    return stages


def stage_counts(
    decisions: Sequence[tuple[int, str, str]],
    groups: dict[int, str],
    candidates: Iterable[int],
    round_order: Sequence[str],
) -> list[tuple[str, list[GroupCount], dict[str, int]]]:
    """Per stage (rounds with decisions in ``round_order``, then rounds not in it by name,
    then ``hired``): the group counts and the people left out, by reason (module docs).

    ``decisions``: (candidate id, round, decision); ``groups``: candidate id -> group.
    """
    return counts_by_stage(decision_table(decisions, candidates, round_order), groups)


def role_candidates(store: Store, role_id: str) -> list[int]:
    """Active candidates of the role: its own, and those interviewed for it."""
    return [int(row[0]) for row in store.all(
        "SELECT c.id FROM candidates c WHERE c.status <> 'erased' AND (c.role = :role OR "
        "c.id IN (SELECT candidate_id FROM interviews WHERE role = :role)) ORDER BY c.id",
        {"role": role_id},
    )]


def role_decisions(store: Store, role_id: str) -> list[tuple[int, str, str]]:
    """(candidate id, round, decision) of the role's active candidates: what issue 22's
    ``list_decisions(store, role=R)`` lists, read as plain rows from its table
    (``stage_decisions``): 15,000 decisions as dataclasses cost a tenth of a second."""
    return [(int(cid), str(round_id), str(decision)) for cid, round_id, decision in store.all(
        "SELECT d.candidate_id, d.round, d.decision FROM stage_decisions d "
        "JOIN candidates c ON c.id = d.candidate_id "
        "WHERE c.role = :role AND c.status <> 'erased'",
        {"role": role_id},
    )]


def scores_by_group(scores: RoleScores | None, groups: dict[int, str], min_group: int
                    ) -> tuple[list[ScoreByGroup], int]:
    """Overall and per-competency means per group, and the people with a group but no
    interview score."""
    import numpy as np

    if scores is None:
        return [], len(groups)
    index = scores.index()
    names = sorted(set(groups.values()))
    code = {name: i for i, name in enumerate(names)}
    rows = [(index[cid], code[group]) for cid, group in groups.items() if cid in index]
    unscored = len(groups) - len(rows)
    at = np.asarray([i for i, _ in rows], dtype=np.int64)
    labels = np.asarray([g for _, g in rows], dtype=np.int64)
    result = [ScoreByGroup(None, group_means(scores.overall[at], labels, min_group, names))]
    for c, spec in enumerate(scores.competencies):
        result.append(ScoreByGroup(spec.id, group_means(scores.competency[at, c], labels,
                                                        min_group, names)))
    return result, unscored


def fairness_figures(store: Store, bank: Bank, role_id: str, attribute: str | None = None,
                     min_group: int = MIN_GROUP) -> FairnessFigures:
    """Every figure of the fairness report (module docstring)."""
    from hiring.reports.role_scores import load_role_scores
    from hiring.store.group_data import attributes, candidate_groups
    from hiring.store.team import require

    check_min_group(min_group)
    role = bank.role(role_id)
    require(store, "report.read")
    with store.read():
        stored = attributes(store)  # requires group_data.read
        if attribute is not None and attribute not in stored:
            known = ", ".join(stored) or "none: import it with 'hiring fairness import'"
            raise NotFoundError(f"no group data for attribute '{attribute}' (attributes: "
                                f"{known})")
        if not stored:
            raise NotFoundError("no group data yet: import it with 'hiring fairness import'")
        candidates = role_candidates(store, role_id)
        decisions = role_decisions(store, role_id)
        chosen = [attribute] if attribute is not None else list(stored)
        group_maps = {name: candidate_groups(store, name) for name in chosen}
    try:
        scores = load_role_scores(store, bank, role_id)
    except InputError:  # no ratings yet: the stages can still be shown
        scores = None
    in_role = set(candidates)
    figures = FairnessFigures(
        role_id=role_id, candidates=len(candidates),
        decided=len({d[0] for d in decisions}),
        rounds_without_decisions=[r.id for r in role.rounds
                                  if r.id not in {d[1] for d in decisions}],
        min_group=min_group,
        scale=(scores.scale_min, scores.scale_max) if scores is not None else None,
    )
    table = decision_table(decisions, candidates, [r.id for r in role.rounds])
    for name in chosen:
        groups = {cid: g for cid, g in group_maps[name].items() if cid in in_role}
        stages = [
            Stage(stage, adverse_impact(counts, min_group), left_out)
            for stage, counts, left_out in counts_by_stage(table, groups)
        ]
        by_group, unscored = scores_by_group(scores, groups, min_group)
        figures.attributes.append(AttributeFairness(name, len(groups), stages, by_group,
                                                    unscored))
    return figures
