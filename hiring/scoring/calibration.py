"""Rater calibration: how lenient or severe each interviewer is compared with co-raters.

``rater_calibration(table)`` -> ``Calibration``:

* ``leniency[j]``: the mean, over every (candidate, competency) interviewer j rated
  together with at least one other interviewer, of (j's score - the mean of the OTHER
  interviewers' scores on it), in scale points. Positive = more lenient than colleagues.
  NaN when j never shared a cell. ``comparisons[j]`` is the number of cells it rests on.
  An interviewer's ratings of the same cell in several rounds are averaged first.
* ``adjusted``: for every rating of the table (same order), score - leniency of its
  interviewer, clipped to the competency's scale (unchanged when leniency is NaN), to
  show beside the raw ``table.score``.

``rater_calibration(table, pool=other)`` computes leniency on ``pool`` (a larger table
holding ``table``'s ratings and more, e.g. those of erased candidates, which still count
for calibration) and ``adjusted`` for ``pool``'s ratings; ``adjusted_scores(table)``
applies the same leniencies, matched by interviewer id, to any other table.

Leniency is in raw scale points, as specified, even when competencies use different
scales; with a 1-5 and a 0-3 scale mixed, a point means more on the shorter scale.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from hiring.scoring.rating_table import RatingTable


@dataclass(frozen=True, eq=False)
class Calibration:
    table: RatingTable
    leniency: np.ndarray  # per interviewer code, NaN without co-rated cells
    comparisons: np.ndarray  # per interviewer code
    adjusted: np.ndarray  # per rating, aligned with table.score

    def adjusted_scores(self, other: RatingTable) -> np.ndarray:
        """``other``'s ratings minus their interviewer's leniency (by id), on the scale."""
        index = {iid: j for j, iid in enumerate(self.table.interviewer_ids)}
        leniency = np.array([self.leniency[index[i]] if i in index else np.nan
                             for i in other.interviewer_ids], dtype=np.float64)
        return _adjust(other, leniency)

    def rows(self) -> list[dict[str, Any]]:
        return [
            {
                "interviewer": name,
                "leniency": None if np.isnan(self.leniency[j]) else float(self.leniency[j]),
                "comparisons": int(self.comparisons[j]),
            }
            for j, name in enumerate(self.table.interviewer_ids)
        ]


def _adjust(table: RatingTable, leniency: np.ndarray) -> np.ndarray:
    shift = np.nan_to_num(leniency, nan=0.0)[table.interviewer]
    return np.clip(table.score - shift, table.scale_min[table.competency],
                   table.scale_max[table.competency])


def rater_calibration(table: RatingTable, pool: RatingTable | None = None) -> Calibration:
    """Each interviewer's leniency against co-raters, and leniency-adjusted scores (of
    ``pool`` when given, see the module docstring)."""
    table = pool if pool is not None else table
    candidate, interviewer, competency, score = table.rater_cells()
    cell = candidate * table.n_competencies + competency
    _, group = np.unique(cell, return_inverse=True)
    group_total = np.bincount(group, weights=score)
    group_count = np.bincount(group)
    n = group_count[group]
    shared = n >= 2
    with np.errstate(invalid="ignore", divide="ignore"):
        others_mean = (group_total[group] - score) / (n - 1)
    difference = np.where(shared, score - others_mean, 0.0)
    comparisons = np.bincount(interviewer[shared], minlength=table.n_interviewers)
    total = np.bincount(interviewer, weights=difference, minlength=table.n_interviewers)
    with np.errstate(invalid="ignore", divide="ignore"):
        leniency = np.where(comparisons > 0, total / comparisons, np.nan)
    return Calibration(table, leniency, comparisons, _adjust(table, leniency))
