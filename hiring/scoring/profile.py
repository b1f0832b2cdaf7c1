"""Strengths, weaknesses and risks per candidate.

``strengths_and_weaknesses(scores, top=2, by="scale")`` -> ``Profiles``:

* ``normalised``: each used competency score on 0..1 of its scale (NaN if not rated).
* ``pool_difference``: normalised score minus the pool's mean normalised score on that
  competency (over the candidates rated on it); ``pool_z``: that difference divided by
  the pool's standard deviation (ddof=1); NaN where not rated or the pool has no spread.
* ``strengths`` / ``weaknesses``: competency codes, best first / worst first, shape
  (candidates, top), -1 padding. Ordered by the normalised score (``by="scale"``, ties
  broken by the pool z-score) or by the pool z-score (``by="pool"``, ties broken by the
  normalised score). They follow the scale's own meaning: a strength is among the
  candidate's highest (at most half of their rated competencies) *and* at or above the
  scale's "meets expectations" point; a weakness is below that point (the lowest first).
  So a 4.5 of 5 is never a weakness, a 2 ("below expectations") never a strength, and a
  competency is never both.
* ``lowest``: where a candidate has no weakness below expectations, their relatively
  lowest competency (one code; "lowest, still meets expectations"), else -1; also -1
  when every rated competency scored the same (nothing is lower).
* ``risk``: bool (candidates, competencies): a competency of kind ``weakness`` (a known
  failure mode for the role) whose used score is at or below the scale's midpoint.

``rows()`` gives one plain dict per candidate with competency ids.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

import numpy as np

from hiring.scoring.aggregate import CompetencyScores
from hiring.scoring.rating_table import RatingTable


@dataclass(frozen=True, eq=False)
class Profiles:
    table: RatingTable
    normalised: np.ndarray
    pool_difference: np.ndarray
    pool_z: np.ndarray
    strengths: np.ndarray
    weaknesses: np.ndarray
    risk: np.ndarray
    lowest: np.ndarray  # (candidates,): see the module doc; -1 where there is none

    def rows(self) -> list[dict[str, Any]]:
        ids = self.table.competency_ids
        return [
            {
                "candidate": cid,
                "strengths": [ids[c] for c in self.strengths[i] if c >= 0],
                "weaknesses": [ids[c] for c in self.weaknesses[i] if c >= 0],
                "lowest": ids[self.lowest[i]] if self.lowest[i] >= 0 else None,
                "risks": [ids[c] for c in np.flatnonzero(self.risk[i])],
            }
            for i, cid in enumerate(self.table.candidate_ids)
        ]


def strengths_and_weaknesses(
    scores: CompetencyScores, top: int = 2, by: Literal["scale", "pool"] = "scale"
) -> Profiles:
    """Highest and lowest competencies per candidate, relative to the scale and the pool."""
    table = scores.table
    normalised = scores.used_normalised()
    rated = ~np.isnan(normalised)
    with np.errstate(invalid="ignore", divide="ignore"):
        n_pool = rated.sum(axis=0)
        pool_mean = np.nansum(normalised, axis=0) / n_pool
        difference = normalised - pool_mean
        pool_sd = np.sqrt(np.nansum(difference**2, axis=0) / (n_pool - 1))
        z = np.where(pool_sd > 0, difference / pool_sd, np.nan)

    primary, secondary = (normalised, z) if by == "scale" else (z, normalised)
    # Sort descending; lexsort puts NaN last, and a missing tie-breaker counts as 0.
    keys = (-np.nan_to_num(secondary, nan=0.0), -primary)
    order = np.lexsort(keys, axis=-1)
    ranked_ok = np.take_along_axis(rated & ~np.isnan(primary), order, axis=1)
    n_ranked = ranked_ok.sum(axis=1)
    k = np.minimum(top, n_ranked // 2)
    width = max(min(top, table.n_competencies), 0)
    # "Meets expectations" on each competency's own scale (NaN scores compare False).
    meets = rated & (scores.used >= table.meets)
    below = rated & (scores.used < table.meets)

    # Strengths: the first k ranked entries that meet expectations.
    strengths = np.full((table.n_candidates, width), -1, dtype=np.int64)
    # Weaknesses: the ranked entries below expectations, worst first.
    weaknesses = np.full((table.n_candidates, width), -1, dtype=np.int64)
    lowest = np.full(table.n_candidates, -1, dtype=np.int64)
    for i in range(table.n_candidates):
        ranked = [int(c) for c in order[i, : n_ranked[i]]]
        best = [c for c in ranked[: k[i]] if meets[i, c]]
        strengths[i, : len(best)] = best
        worst = [c for c in reversed(ranked) if below[i, c]][:width]
        weaknesses[i, : len(worst)] = worst
        if not worst and len(ranked) >= 2 and normalised[i, ranked[-1]] < normalised[
            i, ranked[0]
        ]:
            lowest[i] = ranked[-1]

    midpoint = (table.scale_min + table.scale_max) / 2
    risk = table.is_weakness & rated & (scores.used <= midpoint)
    return Profiles(table, normalised, difference, z, strengths, weaknesses, risk, lowest)
