"""Inter-rater reliability per competency and overall, as plain data.

``competency_matrices(table)`` -> {competency id: candidates x interviewers matrix},
NaN where an interviewer did not rate that candidate on that competency (an
interviewer's ratings of one cell in several rounds are averaged). Rows and columns
follow ``table.candidate_ids`` and ``table.interviewer_ids``.

``reliability_report(table)`` -> list of dicts, one per (competency, measure), plus the
rows of competency ``"overall"``:

  {"competency": "teamwork", "measure": "ICC(2,1)", "value": 0.62 | None,
   "band": "moderate" | None, "targets": 120, "raters": 3.0, "note": ""}

Measures: the six Shrout & Fleiss ICCs (see ``hiring.scoring.icc`` for how incomplete
designs are handled; ``raters`` is k, or the effective k0 for ICC(1,·)) and
Krippendorff's alpha, interval and ordinal (``hiring.scoring.alpha``; ``targets`` is the
number of pairable candidates, ``raters`` the number of interviewers involved).

Overall: every (candidate, competency) is one target, the scores normalised to 0..1 of
their scale so that competencies on different scales can be pooled; the matrices are
stacked and the same measures computed. It answers "how well do interviewers agree on
a competency score in general", and is dominated by the competencies rated most often.

Bands: ICC after Koo & Li (2016): poor < .5, moderate .5-.75, good .75-.9,
excellent > .9. Alpha after Krippendorff (2004): reliable >= .8, tentative .667-.8,
unreliable below.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from hiring.scoring.alpha import alpha_from_coincidences, coincidences
from hiring.scoring.icc import icc_incomplete
from hiring.scoring.table import RatingTable

OVERALL = "overall"


def icc_band(value: float | None) -> str | None:
    """Koo & Li (2016) interpretation of an ICC."""
    if value is None:
        return None
    if value < 0.5:
        return "poor"
    if value < 0.75:
        return "moderate"
    if value <= 0.9:
        return "good"
    return "excellent"


def alpha_band(value: float | None) -> str | None:
    """Krippendorff's (2004) interpretation of alpha."""
    if value is None:
        return None
    if value >= 0.8:
        return "reliable"
    if value >= 0.667:
        return "tentative"
    return "unreliable"


def competency_matrices(
    table: RatingTable, normalised: bool = False
) -> dict[str, np.ndarray]:
    """Candidates x interviewers matrix per competency (NaN = not rated)."""
    candidate, interviewer, competency, score = table.rater_cells()
    if normalised:
        score = (score - table.scale_min[competency]) / table.scale_range[competency]
    matrices = {}
    for c, competency_id in enumerate(table.competency_ids):
        matrix = np.full((table.n_candidates, table.n_interviewers), np.nan)
        mine = competency == c
        matrix[candidate[mine], interviewer[mine]] = score[mine]
        matrices[competency_id] = matrix
    return matrices


def _compact_matrix(rows: np.ndarray, columns: np.ndarray, values: np.ndarray) -> np.ndarray:
    """A dense matrix of only the rows and columns that hold a value."""
    _, row = np.unique(rows, return_inverse=True)
    _, column = np.unique(columns, return_inverse=True)
    matrix = np.full((int(row.max(initial=-1)) + 1, int(column.max(initial=-1)) + 1), np.nan)
    matrix[row, column] = values
    return matrix


def matrix_reliability(matrix: np.ndarray, competency: str) -> list[dict[str, Any]]:
    """The report rows of one targets x raters matrix."""
    rows: list[dict[str, Any]] = []
    for result in icc_incomplete(matrix).values():
        rows.append({
            "competency": competency,
            "measure": result.form,
            "value": result.value,
            "band": icc_band(result.value),
            "targets": result.targets,
            "raters": result.raters,
            "note": result.reason,
        })
    present = ~np.isnan(matrix)
    pairable = present.sum(axis=1) >= 2
    raters = float((present[pairable].any(axis=0)).sum())
    values, o = coincidences(matrix)
    for metric in ("interval", "ordinal"):
        value = alpha_from_coincidences(values, o, metric)  # type: ignore[arg-type]
        rows.append({
            "competency": competency,
            "measure": f"alpha({metric})",
            "value": value,
            "band": alpha_band(value),
            "targets": int(pairable.sum()),
            "raters": raters,
            "note": "" if value is not None else "fewer than 2 pairable values or no variation",
        })
    return rows


def reliability_report(table: RatingTable) -> list[dict[str, Any]]:
    """Reliability figures per competency and pooled overall (see module docstring)."""
    candidate, interviewer, competency, score = table.rater_cells()
    rows: list[dict[str, Any]] = []
    # Compact matrices (rated candidates x interviewers who rated) keep the work
    # proportional to the ratings when the interviewer pool is large.
    for c, competency_id in enumerate(table.competency_ids):
        mine = competency == c
        matrix = _compact_matrix(candidate[mine], interviewer[mine], score[mine])
        rows.extend(matrix_reliability(matrix, competency_id))
    normalised = (score - table.scale_min[competency]) / table.scale_range[competency]
    pooled = _compact_matrix(competency * table.n_candidates + candidate, interviewer,
                             normalised)
    rows.extend(matrix_reliability(pooled, OVERALL))
    return rows
