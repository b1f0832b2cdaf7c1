"""Krippendorff's alpha with missing values, by the coincidence-matrix method, with a
bootstrap interval over candidates.

Follows Krippendorff (2011), "Computing Krippendorff's Alpha-Reliability":

* input: a units x raters matrix (our candidates x interviewers; note Krippendorff
  writes raters x units, so transpose his tables), NaN where a rater gave no value;
* units with fewer than 2 values are not pairable and are dropped;
* coincidences o_ck = sum over units of (number of c-k pairs of values from different
  raters in the unit) / (m_u - 1), with n_c = sum_k o_ck and n = sum_c n_c;
* alpha = 1 - (n - 1) * sum o_ck d2_ck / sum n_c n_k d2_ck, with the difference
  functions nominal (0 if c = k else 1), interval ((c - k)^2) and ordinal
  ((sum of n_g for g from c to k - (n_c + n_k) / 2)^2, over the ranked values).

Only defined numbers: ``None`` (with a reason in ``alpha_results``) when fewer than 2
units are pairable (fewer than 2 candidates with shared ratings), when every pairable
value is the same (all ratings identical: expected disagreement 0), or when the
estimate falls outside -1..1.

Interval: a percentile bootstrap over units, as Hayes & Krippendorff (2007) propose for
inference about alpha: ``resamples`` samples of the pairable units drawn with
replacement, alpha of each, the 2.5th and 97.5th percentiles. Seeded (``seed``), so the
same ratings always give the same interval. Vectorised: alpha depends on a unit only
through the counts of each value in it, and real tables hold few distinct count
patterns (scales are short, panels small), so a resample is a multinomial draw of
pattern counts (exactly equivalent to drawing units) and every resample's coincidence
matrix is one matrix product. Resamples where alpha is not defined (every value the
same) are left out of the percentiles and the number used is reported; with fewer than
90% of them usable there is no interval, nor when every candidate has the same pattern
(a Latin square of ratings: every resample is the sample, and a zero-width interval
would claim a certainty three candidates cannot give).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import numpy as np

Metric = Literal["nominal", "interval", "ordinal"]
RESAMPLES = 2000
BOOTSTRAP_SEED = 2007  # Hayes & Krippendorff (2007): any fixed seed makes it reproducible
CONFIDENCE = 0.95
_USABLE_SHARE = 0.9

REASON_FEW = "fewer than 2 candidates with shared ratings"
REASON_IDENTICAL = "all ratings identical"
REASON_OUT_OF_RANGE = "the estimate falls outside -1..1"
REASON_NO_INTERVAL = "no interval: too few candidates with varied ratings to resample"
REASON_NO_SPREAD = ("no interval: every candidate's ratings form the same pattern, so "
                    "resampling candidates cannot show the spread")


@dataclass(frozen=True)
class AlphaResult:
    metric: str
    value: float | None
    units: int  # pairable units (candidates with 2+ ratings)
    raters: int  # raters involved in pairable units
    reason: str = ""
    low: float | None = None
    high: float | None = None
    interval_reason: str = ""
    resamples: int = 0  # bootstrap resamples the interval rests on


def pairable_counts(matrix: np.ndarray) -> tuple[np.ndarray, np.ndarray, int]:
    """(distinct values, counts of each value per pairable unit (units x values), raters
    involved) of a units x raters matrix with NaN."""
    x = np.asarray(matrix, dtype=np.float64)
    unit, rater = np.nonzero(~np.isnan(x))
    per_unit = np.bincount(unit, minlength=x.shape[0])
    pairable = per_unit[unit] >= 2
    unit, rater = unit[pairable], rater[pairable]
    values, codes = np.unique(x[unit, rater], return_inverse=True)
    # np.nonzero walks row by row, so ``unit`` is sorted: renumber without sorting again.
    unit = np.cumsum(np.diff(unit, prepend=unit[:1]) != 0) if unit.size else unit
    n_units = int(unit.max(initial=-1)) + 1
    counts = np.bincount(unit * values.size + codes, minlength=n_units * values.size)
    raters = int((np.bincount(rater, minlength=x.shape[1]) > 0).sum())
    return values, counts.reshape(n_units, values.size).astype(np.float64), raters


def count_patterns(counts: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(distinct rows of ``counts``, how often each occurs, each unit's row among them)."""
    base = int(counts.max(initial=0)) + 1
    if counts.shape[1] * np.log2(base) < 62:
        # One integer key per unit: sorting int64 is far faster than unique rows.
        weights = base ** np.arange(counts.shape[1], dtype=np.int64)
        keys = counts.astype(np.int64) @ weights
        _, first, pattern_of_unit, weight = np.unique(
            keys, return_index=True, return_inverse=True, return_counts=True)
        return counts[first], weight, pattern_of_unit.reshape(-1)
    patterns, pattern_of_unit, weight = np.unique(
        counts, axis=0, return_inverse=True, return_counts=True)
    return patterns, weight, pattern_of_unit.reshape(-1)


def unit_coincidences(counts: np.ndarray) -> np.ndarray:
    """Each unit's contribution to o (units x values x values)."""
    m = counts.sum(axis=1)
    weighted = counts / (m - 1)[:, None]
    o = weighted[:, :, None] * counts[:, None, :]
    diagonal = np.arange(counts.shape[1])
    o[:, diagonal, diagonal] -= weighted
    return o


def coincidences(matrix: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(distinct values, coincidence matrix o) of a units x raters matrix with NaN."""
    values, counts, _ = pairable_counts(matrix)
    m = counts.sum(axis=1)
    weighted = counts / (m - 1)[:, None]
    o = weighted.T @ counts - np.diag(weighted.sum(axis=0))
    return values, o


def alpha_batch(values: np.ndarray, o: np.ndarray, metric: Metric) -> np.ndarray:
    """Alpha of each coincidence matrix in ``o`` (batch x values x values); NaN where
    expected disagreement is 0."""
    o = np.asarray(o, dtype=np.float64)
    v = values.size
    n_c = o.sum(axis=2)
    n = n_c.sum(axis=1)
    if metric == "nominal":
        d2 = np.broadcast_to(1.0 - np.eye(v), o.shape)
    elif metric == "interval":
        d2 = np.broadcast_to((values[:, None] - values[None, :]) ** 2, o.shape)
    elif metric == "ordinal":
        cumulative = np.cumsum(n_c, axis=1)
        # sum_{g=c}^{k} n_g for c <= k is cumulative[k] - cumulative[c] + n_c.
        low = np.minimum.outer(np.arange(v), np.arange(v))
        high = np.maximum.outer(np.arange(v), np.arange(v))
        between = cumulative[:, high] - cumulative[:, low] + n_c[:, low]
        d2 = (between - (n_c[:, :, None] + n_c[:, None, :]) / 2) ** 2
    else:
        raise ValueError(f"unknown metric {metric!r}")
    expected = np.einsum("bc,bk,bck->b", n_c, n_c, d2)
    observed = (o * d2).sum(axis=(1, 2))
    with np.errstate(invalid="ignore", divide="ignore"):
        alpha = 1.0 - (n - 1) * observed / expected
    # Expected 0 means no variation at all; tiny float residues of 0 count as 0 too.
    scale = np.einsum("bc,bk->b", n_c, n_c) * (np.ptp(values) ** 2 if v else 0.0)
    return np.where((expected > 1e-12 * scale) & (n >= 2), alpha, np.nan)


def alpha_from_coincidences(values: np.ndarray, o: np.ndarray, metric: Metric) -> float | None:
    """Alpha from ``coincidences(matrix)``; ``None`` when not defined."""
    if values.size < 2 or o.sum() < 2:
        return None
    value = float(alpha_batch(values, o[None], metric)[0])
    if not np.isfinite(value) or not -1.0 - 1e-12 <= value <= 1.0 + 1e-12:
        return None
    return min(max(value, -1.0), 1.0)


def krippendorff_alpha(matrix: np.ndarray, metric: Metric = "interval") -> float | None:
    """Krippendorff's alpha of a units x raters matrix (NaN = missing); None if fewer
    than 2 pairable units, no variation, or out of range."""
    return alpha_results(matrix, (metric,), resamples=0)[metric].value


def alpha_results(
    matrix: np.ndarray,
    metrics: tuple[Metric, ...] = ("interval", "ordinal"),
    resamples: int = RESAMPLES,
    seed: int = BOOTSTRAP_SEED,
) -> dict[str, AlphaResult]:
    """Alpha per metric with its bootstrap interval (``resamples=0``: no interval)."""
    values, counts, raters = pairable_counts(matrix)
    units = int(counts.shape[0])
    results: dict[str, AlphaResult] = {}
    if units < 2:
        return {m: AlphaResult(m, None, units, raters, REASON_FEW) for m in metrics}
    if values.size < 2:
        return {m: AlphaResult(m, None, units, raters, REASON_IDENTICAL) for m in metrics}
    patterns, weight, _ = count_patterns(counts)
    per_pattern = unit_coincidences(patterns)
    o = np.tensordot(weight.astype(np.float64), per_pattern, axes=1)
    draws = None
    if resamples > 0:
        rng = np.random.default_rng(seed)
        draws = rng.multinomial(units, weight / units, size=resamples).astype(np.float64)
        o_resampled = (draws @ per_pattern.reshape(patterns.shape[0], -1)).reshape(
            resamples, values.size, values.size)
    for metric in metrics:
        value = alpha_from_coincidences(values, o, metric)
        if value is None:
            results[metric] = AlphaResult(metric, None, units, raters, REASON_OUT_OF_RANGE)
            continue
        if draws is None:
            results[metric] = AlphaResult(metric, value, units, raters)
            continue
        boot = alpha_batch(values, o_resampled, metric)
        usable = boot[np.isfinite(boot)]
        if usable.size < _USABLE_SHARE * resamples:
            results[metric] = AlphaResult(metric, value, units, raters,
                                          interval_reason=REASON_NO_INTERVAL,
                                          resamples=int(usable.size))
            continue
        if patterns.shape[0] < 2:
            results[metric] = AlphaResult(metric, value, units, raters,
                                          interval_reason=REASON_NO_SPREAD,
                                          resamples=int(usable.size))
            continue
        tail = (1 - CONFIDENCE) / 2
        low, high = np.quantile(usable, [tail, 1 - tail])
        results[metric] = AlphaResult(
            metric, value, units, raters,
            low=float(np.clip(low, -1.0, 1.0)), high=float(np.clip(high, -1.0, 1.0)),
            resamples=int(usable.size),
        )
    return results
