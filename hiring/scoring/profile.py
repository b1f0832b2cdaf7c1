"""Strengths, weaknesses and risks per candidate.

``strengths_and_weaknesses(scores, top=2, by="scale")`` -> ``Profiles``:

* ``normalised``: each used competency score on 0..1 of its scale (NaN if not rated).
* ``pool_difference``: normalised score minus the pool's mean normalised score on that
  competency (over the candidates rated on it); ``pool_z``: that difference divided by
  the pool's standard deviation (ddof=1); NaN where not rated or the pool has no spread.
* ``strengths`` / ``weaknesses``: competency codes, best first / worst first, shape
  (candidates, top), -1 padding. Ordered by the normalised score (``by="scale"``, ties
  broken by the pool z-score) or by the pool z-score (``by="pool"``, ties broken by the
  normalised score). Each candidate gets at most half of their rated competencies as
  strengths and as many as weaknesses, so a competency is never both.
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

    def rows(self) -> list[dict[str, Any]]:
        ids = self.table.competency_ids
        return [
            {
                "candidate": cid,
                "strengths": [ids[c] for c in self.strengths[i] if c >= 0],
                "weaknesses": [ids[c] for c in self.weaknesses[i] if c >= 0],
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
    position = np.arange(table.n_competencies)
    width = max(min(top, table.n_competencies), 0)

    strengths = np.where(position[:width] < k[:, None], order[:, :width], -1)
    # Weaknesses: the last k ranked entries, worst first.
    worst_first = n_ranked[:, None] - 1 - position[:width]
    take = np.clip(worst_first, 0, None)
    weaknesses = np.where(position[:width] < k[:, None],
                          np.take_along_axis(order, take, axis=1), -1)

    midpoint = (table.scale_min + table.scale_max) / 2
    risk = table.is_weakness & rated & (scores.used <= midpoint)
    return Profiles(table, normalised, difference, z, strengths, weaknesses, risk)
