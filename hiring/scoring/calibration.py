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

Leniency is in raw scale points, as specified, even when competencies use different
scales; with a 1-5 and a 0-3 scale mixed, a point means more on the shorter scale.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from hiring.scoring.table import RatingTable


@dataclass(frozen=True, eq=False)
class Calibration:
    table: RatingTable
    leniency: np.ndarray  # per interviewer code, NaN without co-rated cells
    comparisons: np.ndarray  # per interviewer code
    adjusted: np.ndarray  # per rating, aligned with table.score

    def rows(self) -> list[dict[str, Any]]:
        return [
            {
                "interviewer": name,
                "leniency": None if np.isnan(self.leniency[j]) else float(self.leniency[j]),
                "comparisons": int(self.comparisons[j]),
            }
            for j, name in enumerate(self.table.interviewer_ids)
        ]


def rater_calibration(table: RatingTable) -> Calibration:
    """Each interviewer's leniency against co-raters, and leniency-adjusted scores."""
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
    shift = np.nan_to_num(leniency, nan=0.0)[table.interviewer]
    adjusted = np.clip(table.score - shift, table.scale_min[table.competency],
                       table.scale_max[table.competency])
    return Calibration(table, leniency, comparisons, adjusted)
