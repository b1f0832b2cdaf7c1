"""The long rating table every statistic reads, encoded to integer codes once.

Build it with ``RatingTable.build`` from parallel sequences (one element per rating:
candidate, interviewer, competency, integer score, optional round) plus one
``CompetencySpec`` per competency of the role (scale min/max, kind, role weight).
``competency_specs(bank, role_id)`` makes the specs from a loaded bank.

Ids are mapped to codes 0..n-1 in order of first appearance (candidates listed in
``candidate_ids=`` come first, in that order, so candidates without any rating can be
included and shown as incomplete). Competency codes follow the order of the specs.
All result arrays in ``hiring.scoring`` are indexed by these codes; ``table.candidate_ids``
etc. turn codes back into ids.

An interviewer may rate the same competency of the same candidate in two rounds; both
ratings count as ratings, but where a statistic needs one score per rater (calibration,
reliability) the two are averaged (``rater_cells``). Two ratings by the same interviewer
of the same candidate and competency in the same round are an input error.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

import numpy as np

from hiring.errors import InputError

if TYPE_CHECKING:
    from hiring.bank.models import Bank

Kind = Literal["strength", "weakness"]
NO_ROUND = -1  # round code of a rating given without a round


@dataclass(frozen=True)
class CompetencySpec:
    """What the statistics need to know about one competency of the role."""

    id: str
    scale_min: int
    scale_max: int
    kind: Kind = "strength"
    weight: float = 1.0
    # The scale's "meets expectations" point; None: the middle point, rounded up.
    meets: int | None = None

    def __post_init__(self) -> None:
        if self.scale_max <= self.scale_min:
            raise InputError(
                f"competency '{self.id}': scale max {self.scale_max} must exceed "
                f"min {self.scale_min}"
            )
        if self.kind not in ("strength", "weakness"):
            raise InputError(f"competency '{self.id}': kind must be strength or weakness")
        if not self.weight >= 0:
            raise InputError(f"competency '{self.id}': weight must be >= 0")

    @property
    def midpoint(self) -> float:
        return (self.scale_min + self.scale_max) / 2

    @property
    def meets_point(self) -> int:
        if self.meets is not None:
            return self.meets
        return -((-self.scale_min - self.scale_max) // 2)


def competency_specs(bank: Bank, role_id: str) -> list[CompetencySpec]:
    """The specs of a role's competencies, in the role's order, from a loaded bank."""
    role = bank.role(role_id)
    specs = []
    for item in role.competencies:
        competency = bank.competency(item.id)
        scale = bank.scale(competency.scale)
        specs.append(
            CompetencySpec(
                id=competency.id,
                scale_min=scale.min,
                scale_max=scale.max,
                kind=competency.kind,
                weight=item.weight,
                meets=scale.meets,
            )
        )
    return specs


def _encode(
    values: Iterable[Hashable], index: dict[Hashable, int]
) -> np.ndarray:
    """Codes for ``values``, adding unseen ids to ``index`` in order of first appearance."""
    # A dict look-up per rating is the one pass over ids; everything after is vectorised.
    codes = [index.setdefault(value, len(index)) for value in values]
    return np.asarray(codes, dtype=np.int64)


def _first_off_scale(score: np.ndarray, competency: np.ndarray,
                     specs: Sequence[CompetencySpec]) -> int | None:
    """The first rating that is not a whole number on its competency's scale, if any."""
    scale_min = np.array([s.scale_min for s in specs], dtype=np.float64)[competency]
    scale_max = np.array([s.scale_max for s in specs], dtype=np.float64)[competency]
    bad = ~np.isfinite(score) | (score != np.round(score))
    bad |= (score < scale_min) | (score > scale_max)
    return int(np.flatnonzero(bad)[0]) if bad.any() else None


@dataclass(frozen=True, eq=False)
class RatingTable:
    """Ratings as integer-coded numpy arrays, one element per rating."""

    candidate_ids: tuple[Hashable, ...]
    interviewer_ids: tuple[Hashable, ...]
    competencies: tuple[CompetencySpec, ...]
    round_ids: tuple[Hashable, ...]
    candidate: np.ndarray  # int64 code per rating
    interviewer: np.ndarray  # int64 code per rating
    competency: np.ndarray  # int64 code per rating
    score: np.ndarray  # float64 score per rating, on the competency's scale
    round: np.ndarray  # int64 code per rating, NO_ROUND when not given

    @classmethod
    def build(
        cls,
        candidates: Sequence[Hashable],
        interviewers: Sequence[Hashable],
        competencies: Sequence[str],
        scores: Sequence[int] | np.ndarray,
        specs: Sequence[CompetencySpec],
        rounds: Sequence[Hashable | None] | None = None,
        candidate_ids: Sequence[Hashable] | None = None,
    ) -> RatingTable:
        """Encode and check a long table of ratings.

        Raises ``InputError`` for a competency without a spec, a score that is not a
        whole number on its scale, sequences of different lengths, or a repeated rating.
        """
        n = len(candidates)
        lengths = {len(interviewers), len(competencies), len(scores)}
        if rounds is not None:
            lengths.add(len(rounds))
        if lengths != {n}:
            raise InputError("candidates, interviewers, competencies, scores differ in length")
        spec_index: dict[Hashable, int] = {}
        for spec in specs:
            if spec.id in spec_index:
                raise InputError(f"competency '{spec.id}' is listed twice")
            spec_index[spec.id] = len(spec_index)
        known_specs = len(spec_index)
        competency = _encode(competencies, spec_index)
        if len(spec_index) > known_specs:
            unknown = ", ".join(str(c) for c in list(spec_index)[known_specs:])
            raise InputError(f"ratings for competencies not in the role: {unknown}")

        candidate_index: dict[Hashable, int] = {}
        if candidate_ids is not None:
            _encode(candidate_ids, candidate_index)
        candidate = _encode(candidates, candidate_index)
        interviewer_index: dict[Hashable, int] = {}
        interviewer = _encode(interviewers, interviewer_index)
        round_index: dict[Hashable, int] = {}
        if rounds is None:
            round_code = np.full(n, NO_ROUND, dtype=np.int64)
        else:
            round_code = np.asarray(
                [NO_ROUND if r is None else round_index.setdefault(r, len(round_index))
                 for r in rounds],
                dtype=np.int64,
            )

        score = np.asarray(scores, dtype=np.float64).reshape(n)
        if n:
            first = _first_off_scale(score, competency, specs)
            if first is not None:
                spec = specs[int(competency[first])]
                raise InputError(
                    f"score {scores[first]!r} for candidate '{candidates[first]}' on "
                    f"'{spec.id}' is not a whole number from {spec.scale_min} to "
                    f"{spec.scale_max}"
                )
            key = ((candidate * len(interviewer_index) + interviewer) * len(specs) + competency)
            key = key * (len(round_index) + 1) + (round_code + 1)
            unique, counts = np.unique(key, return_counts=True)
            if (counts > 1).any():
                first = int(np.flatnonzero(key == unique[counts > 1][0])[0])
                raise InputError(
                    f"interviewer '{interviewers[first]}' rated candidate "
                    f"'{candidates[first]}' on '{competencies[first]}' more than once "
                    "in the same round"
                )
        return cls(
            candidate_ids=tuple(candidate_index),
            interviewer_ids=tuple(interviewer_index),
            competencies=tuple(specs),
            round_ids=tuple(round_index),
            candidate=candidate,
            interviewer=interviewer,
            competency=competency,
            score=score,
            round=round_code,
        )

    @classmethod
    def from_codes(
        cls,
        candidate_ids: Sequence[Hashable],
        candidate: np.ndarray,
        n_interviewers: int,
        interviewer: np.ndarray,
        competency: np.ndarray,
        scores: np.ndarray,
        specs: Sequence[CompetencySpec],
    ) -> RatingTable:
        """A table from integer codes already made (a database query can make them), for
        tens of thousands of candidates without ``build``'s id look-up per rating.

        ``candidate`` indexes ``candidate_ids``, ``competency`` indexes ``specs``,
        ``interviewer`` runs 0..n_interviewers - 1 (ids are not kept: scores and overall
        scores do not need them). Scores are checked against their scales as ``build``
        does; repeated ratings are not looked for (the store's keys rule them out).
        """
        score = np.asarray(scores, dtype=np.float64)
        competency = np.asarray(competency, dtype=np.int64)
        if score.size:
            first = _first_off_scale(score, competency, specs)
            if first is not None:
                spec = specs[int(competency[first])]
                raise InputError(
                    f"score {score[first]:g} for candidate "
                    f"'{candidate_ids[int(candidate[first])]}' on '{spec.id}' is not a whole "
                    f"number from {spec.scale_min} to {spec.scale_max}"
                )
        return cls(
            candidate_ids=tuple(candidate_ids),
            interviewer_ids=tuple(range(n_interviewers)),
            competencies=tuple(specs),
            round_ids=(),
            candidate=np.asarray(candidate, dtype=np.int64),
            interviewer=np.asarray(interviewer, dtype=np.int64),
            competency=competency,
            score=score,
            round=np.full(score.size, NO_ROUND, dtype=np.int64),
        )

    # -- sizes and per-competency vectors -------------------------------------------
    @property
    def n_ratings(self) -> int:
        return int(self.score.size)

    @property
    def n_candidates(self) -> int:
        return len(self.candidate_ids)

    @property
    def n_interviewers(self) -> int:
        return len(self.interviewer_ids)

    @property
    def n_competencies(self) -> int:
        return len(self.competencies)

    @property
    def competency_ids(self) -> tuple[str, ...]:
        return tuple(spec.id for spec in self.competencies)

    @property
    def scale_min(self) -> np.ndarray:
        return np.array([s.scale_min for s in self.competencies], dtype=np.float64)

    @property
    def scale_max(self) -> np.ndarray:
        return np.array([s.scale_max for s in self.competencies], dtype=np.float64)

    @property
    def meets(self) -> np.ndarray:
        """Each competency's "meets expectations" point on its own scale."""
        return np.array([s.meets_point for s in self.competencies], dtype=np.float64)

    @property
    def scale_range(self) -> np.ndarray:
        return self.scale_max - self.scale_min

    @property
    def weight(self) -> np.ndarray:
        return np.array([s.weight for s in self.competencies], dtype=np.float64)

    @property
    def is_weakness(self) -> np.ndarray:
        return np.array([s.kind == "weakness" for s in self.competencies], dtype=bool)

    def normalised_score(self) -> np.ndarray:
        """Each rating mapped to 0..1 on its competency's scale."""
        return (self.score - self.scale_min[self.competency]) / self.scale_range[self.competency]

    def competency_code(self, competency_id: str) -> int:
        try:
            return self.competency_ids.index(competency_id)
        except ValueError:
            raise InputError(f"competency '{competency_id}' is not in the role") from None

    def candidate_code(self, candidate_id: Hashable) -> int:
        try:
            return self.candidate_ids.index(candidate_id)
        except ValueError:
            raise InputError(f"no ratings for candidate '{candidate_id}'") from None

    def select_round(self, round_id: Hashable) -> RatingTable:
        """The ratings of one round (same codes, so results stay comparable)."""
        if round_id not in self.round_ids:
            raise InputError(f"no ratings in round '{round_id}'")
        keep = self.round == self.round_ids.index(round_id)
        return RatingTable(
            candidate_ids=self.candidate_ids,
            interviewer_ids=self.interviewer_ids,
            competencies=self.competencies,
            round_ids=self.round_ids,
            candidate=self.candidate[keep],
            interviewer=self.interviewer[keep],
            competency=self.competency[keep],
            score=self.score[keep],
            round=self.round[keep],
        )

    def rater_cells(self) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        """One score per (candidate, interviewer, competency): (candidate, interviewer,
        competency, score) arrays, averaging an interviewer's ratings across rounds."""
        key = (self.candidate * self.n_interviewers + self.interviewer) * self.n_competencies
        key = key + self.competency
        unique, inverse = np.unique(key, return_inverse=True)
        if unique.size == key.size:  # the usual case: nothing to average
            order = np.argsort(key, kind="stable")
            return (self.candidate[order], self.interviewer[order], self.competency[order],
                    self.score[order])
        total = np.bincount(inverse, weights=self.score, minlength=unique.size)
        count = np.bincount(inverse, minlength=unique.size)
        competency = unique % self.n_competencies
        rest = unique // self.n_competencies
        return (rest // self.n_interviewers, rest % self.n_interviewers, competency,
                total / count)
