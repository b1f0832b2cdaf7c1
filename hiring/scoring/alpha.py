"""Krippendorff's alpha with missing values, by the coincidence-matrix method.

Follows Krippendorff (2011), "Computing Krippendorff's Alpha-Reliability":

* input: a units x raters matrix (our candidates x interviewers; note Krippendorff
  writes raters x units, so transpose his tables), NaN where a rater gave no value;
* units with fewer than 2 values are not pairable and are dropped;
* coincidences o_ck = sum over units of (number of c-k pairs of values from different
  raters in the unit) / (m_u - 1), with n_c = sum_k o_ck and n = sum_c n_c;
* alpha = 1 - (n - 1) * sum o_ck d2_ck / sum n_c n_k d2_ck, with the difference
  functions nominal (0 if c = k else 1), interval ((c - k)^2) and ordinal
  ((sum of n_g for g from c to k - (n_c + n_k) / 2)^2, over the ranked values).

``krippendorff_alpha(matrix, metric)`` returns ``None`` when fewer than 2 pairable values
remain or the values do not vary (expected disagreement 0).
"""

from __future__ import annotations

from typing import Literal

import numpy as np

Metric = Literal["nominal", "interval", "ordinal"]


def coincidences(matrix: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(distinct values, coincidence matrix o) of a units x raters matrix with NaN."""
    x = np.asarray(matrix, dtype=np.float64)
    unit, rater = np.nonzero(~np.isnan(x))
    per_unit = np.bincount(unit, minlength=x.shape[0])
    pairable = per_unit[unit] >= 2
    unit, rater = unit[pairable], rater[pairable]
    values, codes = np.unique(x[unit, rater], return_inverse=True)
    _, unit = np.unique(unit, return_inverse=True)
    n_units = int(unit.max(initial=-1)) + 1
    counts = np.bincount(unit * values.size + codes, minlength=n_units * values.size)
    counts = counts.reshape(n_units, values.size).astype(np.float64)
    m = counts.sum(axis=1)
    weighted = counts / (m - 1)[:, None]
    o = weighted.T @ counts - np.diag(weighted.sum(axis=0))
    return values, o


def krippendorff_alpha(matrix: np.ndarray, metric: Metric = "interval") -> float | None:
    """Krippendorff's alpha of a units x raters matrix (NaN = missing)."""
    return alpha_from_coincidences(*coincidences(matrix), metric)


def alpha_from_coincidences(values: np.ndarray, o: np.ndarray, metric: Metric) -> float | None:
    """Alpha from ``coincidences(matrix)``; compute those once for several metrics."""
    n_c = o.sum(axis=1)
    n = n_c.sum()
    if n < 2 or values.size < 2:
        return None
    if metric == "nominal":
        d2 = 1.0 - np.eye(values.size)
    elif metric == "interval":
        d2 = (values[:, None] - values[None, :]) ** 2
    elif metric == "ordinal":
        cumulative = np.cumsum(n_c)
        # sum_{g=c}^{k} n_g for c <= k is cumulative[k] - cumulative[c] + n_c.
        low = np.minimum.outer(np.arange(values.size), np.arange(values.size))
        high = np.maximum.outer(np.arange(values.size), np.arange(values.size))
        between = cumulative[high] - cumulative[low] + n_c[low]
        d2 = (between - (n_c[:, None] + n_c[None, :]) / 2) ** 2
    else:
        raise ValueError(f"unknown metric {metric!r}")
    expected = (np.outer(n_c, n_c) * d2).sum()
    if expected == 0:
        return None
    return float(1.0 - (n - 1) * (o * d2).sum() / expected)
