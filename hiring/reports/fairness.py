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


def _counts(selected: Iterable[tuple[str, bool]]) -> list[GroupCount]:
    tally: dict[str, list[int]] = {}
    for group, chosen in selected:
        entry = tally.setdefault(group, [0, 0])
        entry[0] += 1
        entry[1] += int(chosen)
    return [GroupCount(g, n, k) for g, (n, k) in sorted(tally.items())]


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
    by_round: dict[str, list[tuple[int, str]]] = {}
    by_candidate: dict[int, set[str]] = {}
    for cid, round_id, decision in decisions:
        by_round.setdefault(round_id, []).append((cid, decision))
        by_candidate.setdefault(cid, set()).add(decision)
    known = {r: i for i, r in enumerate(round_order)}
    rounds = sorted(by_round, key=lambda r: (r not in known, known.get(r, 0), r))
    stages = []
    for round_id in rounds:
        left_out = dict.fromkeys(LEFT_OUT_REASONS, 0)
        chosen = []
        for cid, decision in by_round[round_id]:
            if decision == "withdrew":
                left_out["withdrew"] += 1
            elif cid not in groups:
                left_out["no_group_data"] += 1
            else:
                chosen.append((groups[cid], decision in SELECTED))
        stages.append((round_id, _counts(chosen), {k: v for k, v in left_out.items() if v}))
    left_out = dict.fromkeys(LEFT_OUT_REASONS, 0)
    chosen = []
    for cid in sorted(set(candidates) | set(by_candidate)):
        made = by_candidate.get(cid, set())
        if "hired" in made or "reject" in made:
            outcome = "hired" in made
        else:
            left_out["withdrew" if "withdrew" in made else "in_process"] += 1
            continue
        if cid not in groups:
            left_out["no_group_data"] += 1
        else:
            chosen.append((groups[cid], outcome))
    stages.append((HIRED_STAGE, _counts(chosen), {k: v for k, v in left_out.items() if v}))
    return stages


def role_candidates(store: Store, role_id: str) -> list[int]:
    """Active candidates of the role: its own, and those interviewed for it."""
    return [int(row[0]) for row in store.all(
        "SELECT c.id FROM candidates c WHERE c.status <> 'erased' AND (c.role = :role OR "
        "c.id IN (SELECT candidate_id FROM interviews WHERE role = :role)) ORDER BY c.id",
        {"role": role_id},
    )]


def role_decisions(store: Store, role_id: str, candidates: Iterable[int]
                   ) -> list[tuple[int, str, str]]:
    """(candidate id, round, decision) of the role's active candidates (issue 22's
    ``hiring.store.stages``)."""
    from hiring.store.stages import list_decisions

    keep = set(candidates)
    return [(d.candidate_id, d.round, d.decision) for d in list_decisions(store, role=role_id)
            if d.candidate_id in keep]


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
        decisions = role_decisions(store, role_id, candidates)
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
    round_order = [r.id for r in role.rounds]
    for name in chosen:
        groups = {cid: g for cid, g in group_maps[name].items() if cid in in_role}
        stages = [
            Stage(stage, adverse_impact(counts, min_group), left_out)
            for stage, counts, left_out in stage_counts(decisions, groups, candidates,
                                                        round_order)
        ]
        by_group, unscored = scores_by_group(scores, groups, min_group)
        figures.attributes.append(AttributeFairness(name, len(groups), stages, by_group,
                                                    unscored))
    return figures
