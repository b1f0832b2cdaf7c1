"""Inter-rater reliability per competency and overall, as plain data.

``competency_matrices(table)`` -> {competency id: candidates x interviewers matrix},
NaN where an interviewer did not rate that candidate on that competency (an
interviewer's ratings of one cell in several rounds are averaged). Rows and columns
follow ``table.candidate_ids`` and ``table.interviewer_ids``.

``reliability_report(table)`` -> list of dicts, one per (competency, measure), plus the
rows of competency ``"overall"``:

  {"competency": "teamwork", "measure": "ICC(2,1)", "value": 0.62 | None,
   "low": 0.41 | None, "high": 0.78 | None, "band": "poor to good" | None,
   "bands": ["poor", "moderate", "good"], "targets": 120, "raters": 3.0,
   "reason": "" (why value is None), "interval_reason": "" (why low/high are None),
   "resamples": 0 (alpha: bootstrap resamples behind the interval)}

Every value and limit is a finite float in -1..1 or None, so the rows are strict JSON.

Measures: the six Shrout & Fleiss ICCs (see ``hiring.scoring.icc`` for how incomplete
designs are handled; ``raters`` is k, or the effective k0 for ICC(1,·)) and
Krippendorff's alpha, interval and ordinal (``hiring.scoring.alpha``; ``targets`` is the
number of pairable candidates, ``raters`` the number of interviewers involved).

Overall: every (candidate, competency) is one target, the scores normalised to 0..1 of
their scale so that competencies on different scales can be pooled; the matrices are
stacked and the same measures computed. It answers "how well do interviewers agree on
a competency score in general", and is dominated by the competencies rated most often.
Its intervals come from a bootstrap over candidates (``hiring.scoring.cluster_bootstrap``):
a candidate's competencies are not independent targets, and the F intervals, which
assume they are, would narrow with every competency added. An ICC keeps the wider of the
two intervals (see ``_overall_interval``).

Bands: ICC after Koo & Li (2016): poor < .5, moderate .5-.75, good .75-.9,
excellent > .9. Alpha after Krippendorff (2004): reliable >= .8, tentative .667-.8,
unreliable below. The band word comes from the 95% interval, not the point, as Koo &
Li advise: "good" when the whole interval lies in one band, "moderate to good" when it
spans two, and "too few candidates to tell" when it spans more than two; ``bands``
lists the bands covered, low to high. No interval (degenerate data): no band.
"""

from __future__ import annotations

from collections.abc import Collection
from typing import Any

import numpy as np

from hiring.scoring.alpha import RESAMPLES, alpha_results
from hiring.scoring.cluster_bootstrap import ClusterInterval, cluster_intervals
from hiring.scoring.icc import icc_incomplete
from hiring.scoring.rating_table import RatingTable

OVERALL = "overall"
TOO_FEW = "too few candidates to tell"
ICC_BANDS = ("poor", "moderate", "good", "excellent")
ALPHA_BANDS = ("unreliable", "tentative", "reliable")


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


def interval_bands(low: float | None, high: float | None, kind: str = "icc") -> list[str]:
    """The bands an interval covers, low to high ([] without an interval)."""
    if low is None or high is None:
        return []
    band, order = (icc_band, ICC_BANDS) if kind == "icc" else (alpha_band, ALPHA_BANDS)
    first, last = order.index(band(low) or ""), order.index(band(high) or "")
    return list(order[first:last + 1])


def band_word(bands: list[str]) -> str | None:
    """"good", "moderate to good", or TOO_FEW when more than two bands are covered."""
    if not bands:
        return None
    if len(bands) == 1:
        return bands[0]
    if len(bands) == 2:
        return f"{bands[0]} to {bands[1]}"
    return TOO_FEW


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


def _compact_matrix(rows: np.ndarray, columns: np.ndarray, values: np.ndarray
                    ) -> tuple[np.ndarray, np.ndarray]:
    """A dense matrix of only the rows and columns that hold a value, and the row keys."""
    keys, row = np.unique(rows, return_inverse=True)
    _, column = np.unique(columns, return_inverse=True)
    matrix = np.full((int(row.max(initial=-1)) + 1, int(column.max(initial=-1)) + 1), np.nan)
    matrix[row, column] = values
    return matrix, keys


def _row(competency: str, measure: str, value: float | None, low: float | None,
         high: float | None, kind: str, targets: int, raters: float, reason: str,
         interval_reason: str, resamples: int = 0) -> dict[str, Any]:
    bands = interval_bands(low, high, kind) if value is not None else []
    return {
        "competency": competency, "measure": measure, "value": value,
        "low": low if value is not None else None,
        "high": high if value is not None else None,
        "band": band_word(bands), "bands": bands,
        "targets": targets, "raters": raters, "reason": reason,
        "interval_reason": interval_reason, "resamples": resamples,
    }


def matrix_reliability(
    matrix: np.ndarray, competency: str, resamples: int = RESAMPLES
) -> list[dict[str, Any]]:
    """The report rows of one targets x raters matrix."""
    rows = [
        _row(competency, r.form, r.value, r.low, r.high, "icc", r.targets, r.raters,
             r.reason, r.interval_reason)
        for r in icc_incomplete(matrix).values()
    ]
    for metric, a in alpha_results(matrix, ("interval", "ordinal"), resamples).items():
        rows.append(_row(competency, f"alpha({metric})", a.value, a.low, a.high, "alpha",
                         a.units, float(a.raters), a.reason, a.interval_reason, a.resamples))
    return rows


def reliability_report(
    table: RatingTable, only: Collection[str] | None = None
) -> list[dict[str, Any]]:
    """Reliability figures per competency and pooled overall (see module docstring);
    ``only``: just these competencies' rows (``OVERALL`` for the pooled ones)."""
    candidate, interviewer, competency, score = table.rater_cells()
    rows: list[dict[str, Any]] = []
    # Compact matrices (rated candidates x interviewers who rated) keep the work
    # proportional to the ratings when the interviewer pool is large.
    for c, competency_id in enumerate(table.competency_ids):
        if only is not None and competency_id not in only:
            continue
        mine = competency == c
        matrix, _ = _compact_matrix(candidate[mine], interviewer[mine], score[mine])
        rows.extend(matrix_reliability(matrix, competency_id))
    if only is not None and OVERALL not in only:
        return rows
    normalised = (score - table.scale_min[competency]) / table.scale_range[competency]
    pooled, keys = _compact_matrix(competency * table.n_candidates + candidate, interviewer,
                                   normalised)
    overall = matrix_reliability(pooled, OVERALL, resamples=0)
    intervals = cluster_intervals(pooled, keys % max(table.n_candidates, 1))
    for row in overall:
        _overall_interval(row, intervals[row["measure"]])
    rows.extend(overall)
    return rows


def _overall_interval(row: dict[str, Any], found: ClusterInterval) -> None:
    """Give a pooled row its interval from the bootstrap over candidates: a candidate's
    competencies are not independent targets. An ICC keeps the wider of that and its F
    interval, which alone counts the interviewers as a sample too (case 2) and is made
    for few candidates, where a bootstrap interval comes out too narrow."""
    if row["value"] is None:
        return
    kind = "icc" if row["measure"].startswith("ICC") else "alpha"
    limits = [(found.low, found.high)]
    if kind == "icc":
        limits.append((row["low"], row["high"]))
    known = [(low, high) for low, high in limits if low is not None and high is not None]
    low = min(low for low, _ in known) if known else None
    high = max(high for _, high in known) if known else None
    reason = "" if known else found.reason or row["interval_reason"]
    row.update(low=low, high=high, resamples=found.resamples, interval_reason=reason)
    row["bands"] = interval_bands(low, high, kind)
    row["band"] = band_word(row["bands"])
