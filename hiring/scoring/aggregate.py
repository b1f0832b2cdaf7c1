"""Scores per candidate and competency, the overall score, the ranking and panel sizes.

``competency_scores(table, consensus)`` -> ``CompetencyScores``: arrays of shape
(candidates, competencies), NaN where a competency was not rated:
``mean``, ``n_ratings``, ``minimum``, ``maximum``, ``disagreement`` (max - min >= half the
scale's range, so it needs at least two ratings), ``consensus`` (NaN where none was
given) and ``used`` (the consensus where given, else the mean). The independent ratings
stay in ``mean``/``minimum``/``maximum`` beside the consensus.

``overall_scores(table, scores)`` -> ``OverallScores``, per candidate:

* score: the role's weighted mean of the used competency scores. Each used score is
  first normalised to 0..1 on its own scale ((score - min) / (max - min)), the weighted
  mean is taken, and the result is mapped back onto the *common scale*: the scale of
  the first competency of the role (with weight > 0). When all competencies share one
  scale this is simply the weighted mean on that scale.
* low, high: a 95% interval for the score, from the spread between interviewers: the
  within-cell variance of the normalised ratings pooled over the candidate's
  competencies (s^2 = sum of squared deviations from each cell mean / sum of (n - 1)),
  var(score) = s^2 * sum_c (w_c / W)^2 / n_c, half-width = t(0.975, df = sum(n_c - 1))
  * sqrt(var), mapped back to the common scale and clipped to it. Where a consensus
  replaced a mean, the interval still reflects the independent ratings' spread.
  No interval (NaN) when df = 0, i.e. no competency was rated by two or more
  interviewers.
* n_ratings: the ratings behind the score (role competencies with weight > 0).
* complete: every role competency with weight > 0 has at least one rating.
  An incomplete candidate's score is over the competencies they were rated on (for
  information only); they get no rank and are listed after the ranked candidates.
* rank: 1 for the best; equal scores (compared to 9 decimals, so rounding noise does
  not split true ties) share the lowest rank of the tie ("competition" ranking: 1, 2, 2,
  4); 0 for incomplete candidates. ``order`` lists candidate codes in report order.

``panel_sizes(table)`` -> ``PanelSizes``: the number of distinct interviewers who rated
each candidate, the most common size (the larger one if several are equally common)
and ``small`` = seen by fewer interviewers than that.

Every result has ``rows()``: plain dicts (ids, floats or None) ready for JSON or a table.
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np

from hiring.errors import InputError
from hiring.scoring.table import RatingTable

TIE_DECIMALS = 9

def t_quantile_975(df: np.ndarray) -> np.ndarray:
    """t(0.975, df), the two-sided 95% Student t quantile, for df >= 1 (NaN for df < 1).

    ``scipy.special.stdtrit`` (the inverse of Student's t distribution) rather than a
    table: the statistics already load scipy.special for the reliability intervals."""
    from scipy.special import stdtrit

    df = np.asarray(df, dtype=np.float64)
    with np.errstate(invalid="ignore"):
        quantile = stdtrit(np.where(df >= 1, df, 1.0), 0.975)
    return np.where(df >= 1, quantile, np.nan)


@dataclass(frozen=True, eq=False)
class CompetencyScores:
    """Per candidate x competency; arrays of shape (n_candidates, n_competencies)."""

    table: RatingTable
    mean: np.ndarray
    n_ratings: np.ndarray
    minimum: np.ndarray
    maximum: np.ndarray
    disagreement: np.ndarray
    consensus: np.ndarray
    used: np.ndarray

    def used_normalised(self) -> np.ndarray:
        """The used scores on 0..1 of each competency's scale."""
        return (self.used - self.table.scale_min) / self.table.scale_range

    def rows(self) -> list[dict[str, Any]]:
        """One dict per rated (candidate, competency)."""
        table = self.table
        rows = []
        for i, c in zip(*np.nonzero(self.n_ratings), strict=True):
            rows.append({
                "candidate": table.candidate_ids[i],
                "competency": table.competency_ids[c],
                "mean": float(self.mean[i, c]),
                "n_ratings": int(self.n_ratings[i, c]),
                "min": float(self.minimum[i, c]),
                "max": float(self.maximum[i, c]),
                "disagreement": bool(self.disagreement[i, c]),
                "consensus": _none_if_nan(self.consensus[i, c]),
                "used": float(self.used[i, c]),
            })
        return rows


def _none_if_nan(value: float) -> float | None:
    return None if np.isnan(value) else float(value)


def competency_scores(
    table: RatingTable,
    consensus: Mapping[tuple[Hashable, str], float] | None = None,
) -> CompetencyScores:
    """Mean, count, min, max and disagreement per candidate and competency.

    ``consensus`` maps (candidate id, competency id) to an agreed score that replaces the
    mean as the used score; it must lie on the competency's scale.
    """
    shape = (table.n_candidates, table.n_competencies)
    cell = table.candidate * table.n_competencies + table.competency
    size = shape[0] * shape[1]
    count = np.bincount(cell, minlength=size).reshape(shape)
    total = np.bincount(cell, weights=table.score, minlength=size).reshape(shape)
    minimum = np.full(size, np.inf)
    maximum = np.full(size, -np.inf)
    np.minimum.at(minimum, cell, table.score)
    np.maximum.at(maximum, cell, table.score)
    rated = count > 0
    with np.errstate(invalid="ignore", divide="ignore"):
        mean = np.where(rated, total / count, np.nan)
    minimum = np.where(rated, minimum.reshape(shape), np.nan)
    maximum = np.where(rated, maximum.reshape(shape), np.nan)
    disagreement = rated & ((maximum - minimum) >= table.scale_range / 2)

    agreed = np.full(shape, np.nan)
    for (candidate_id, competency_id), value in (consensus or {}).items():
        c = table.competency_code(competency_id)
        spec = table.competencies[c]
        if not spec.scale_min <= value <= spec.scale_max:
            raise InputError(
                f"consensus {value} for '{candidate_id}' on '{competency_id}' is outside "
                f"{spec.scale_min}..{spec.scale_max}"
            )
        agreed[table.candidate_code(candidate_id), c] = value
    used = np.where(np.isnan(agreed), mean, agreed)
    return CompetencyScores(table, mean, count, minimum, maximum, disagreement, agreed, used)


@dataclass(frozen=True, eq=False)
class OverallScores:
    """Per candidate (arrays of length n_candidates); see the module docstring."""

    table: RatingTable
    scale_min: float  # the common scale the scores are on
    scale_max: float
    score: np.ndarray
    low: np.ndarray
    high: np.ndarray
    n_ratings: np.ndarray
    complete: np.ndarray
    missing: np.ndarray  # bool (n_candidates, n_competencies): role competency not rated
    rank: np.ndarray  # 1.. for complete candidates, 0 for incomplete ones
    order: np.ndarray  # candidate codes: ranked by rank, then the incomplete ones

    def rows(self) -> list[dict[str, Any]]:
        """One dict per candidate, in report order (ranked first, then incomplete)."""
        ids = self.table.competency_ids
        rows = []
        for i in self.order:
            rows.append({
                "candidate": self.table.candidate_ids[i],
                "rank": int(self.rank[i]) or None,
                "score": _none_if_nan(self.score[i]),
                "low": _none_if_nan(self.low[i]),
                "high": _none_if_nan(self.high[i]),
                "n_ratings": int(self.n_ratings[i]),
                "incomplete": not bool(self.complete[i]),
                "missing": [ids[c] for c in np.flatnonzero(self.missing[i])],
            })
        return rows


def competition_rank(values: np.ndarray, eligible: np.ndarray) -> np.ndarray:
    """Rank descending with ties sharing the lowest rank (1, 2, 2, 4); 0 where not
    eligible. Values are compared to ``TIE_DECIMALS`` decimals."""
    rounded = np.round(values, TIE_DECIMALS)
    pool = np.sort(rounded[eligible])
    greater = pool.size - np.searchsorted(pool, rounded, side="right")
    return np.where(eligible, greater + 1, 0).astype(np.int64)


def overall_scores(table: RatingTable, scores: CompetencyScores) -> OverallScores:
    """Weighted overall score, 95% interval, completeness and ranking per candidate."""
    weight = table.weight
    required = weight > 0
    if not required.any():
        raise InputError("the role has no competency with a weight above 0")
    first = int(np.flatnonzero(required)[0])
    common_min = float(table.scale_min[first])
    common_range = float(table.scale_range[first])

    rated = scores.n_ratings > 0
    counted = rated & required
    missing = required & ~rated
    complete = np.asarray(~missing.any(axis=1))

    used = np.where(counted, scores.used_normalised(), 0.0)
    w = np.where(counted, weight, 0.0)
    weight_sum = w.sum(axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        normalised = (w * used).sum(axis=1) / weight_sum

        # Pooled within-cell variance of the normalised ratings (interviewer spread).
        x = table.normalised_score()
        cell_mean = (scores.mean - table.scale_min) / table.scale_range
        deviation = x - cell_mean[table.candidate, table.competency]
        counts_rating = required[table.competency]
        ss = np.bincount(table.candidate, weights=np.where(counts_rating, deviation**2, 0.0),
                         minlength=table.n_candidates)
        n = np.where(counted, scores.n_ratings, 0)
        df = (n - counted).sum(axis=1)
        variance = ss / df * ((w / weight_sum[:, None]) ** 2 / np.where(counted, n, 1)).sum(
            axis=1)
        half = t_quantile_975(df) * np.sqrt(variance)
    half = np.where(df >= 1, half, np.nan)

    score = common_min + normalised * common_range
    # The true score cannot leave the scale, so neither does the interval.
    low = common_min + np.clip(normalised - half, 0.0, 1.0) * common_range
    high = common_min + np.clip(normalised + half, 0.0, 1.0) * common_range
    rank = competition_rank(score, complete & ~np.isnan(score))
    codes = np.arange(table.n_candidates)
    ranked = codes[rank > 0]
    ranked = ranked[np.argsort(rank[ranked], kind="stable")]
    order = np.concatenate([ranked, codes[rank == 0]])
    return OverallScores(
        table=table,
        scale_min=common_min,
        scale_max=float(table.scale_max[first]),
        score=score,
        low=low,
        high=high,
        n_ratings=n.sum(axis=1),
        complete=complete,
        missing=missing,
        rank=rank,
        order=order,
    )


@dataclass(frozen=True, eq=False)
class PanelSizes:
    table: RatingTable
    size: np.ndarray  # distinct interviewers per candidate
    typical: int  # the most common panel size
    small: np.ndarray  # bool: seen by fewer interviewers than ``typical``

    def rows(self) -> list[dict[str, Any]]:
        return [
            {"candidate": cid, "panel_size": int(self.size[i]), "typical": self.typical,
             "small_panel": bool(self.small[i])}
            for i, cid in enumerate(self.table.candidate_ids)
        ]


def panel_sizes(table: RatingTable) -> PanelSizes:
    """Distinct interviewers per candidate, and which panels are smaller than usual."""
    pair = np.unique(table.candidate * max(table.n_interviewers, 1) + table.interviewer)
    size = np.bincount(pair // max(table.n_interviewers, 1), minlength=table.n_candidates)
    frequency = np.bincount(size)
    # The larger size wins a tie: with as many 2- as 3-interviewer panels, the 2s are short.
    typical = int(np.flatnonzero(frequency == frequency.max())[-1]) if size.size else 0
    return PanelSizes(table, size, typical, size < typical)
