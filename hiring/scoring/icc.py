"""Intraclass correlations after Shrout & Fleiss (1979), from a targets x raters matrix.

``icc_complete(matrix)`` -> dict of the six forms for a complete matrix (no NaN), with
the mean squares of the two-way ANOVA (BMS between targets, JMS between judges, EMS
residual, WMS within targets):

  ICC(1,1) = (BMS - WMS) / (BMS + (k-1) WMS)        ICC(1,k) = (BMS - WMS) / BMS
  ICC(2,1) = (BMS - EMS) / (BMS + (k-1) EMS + k (JMS - EMS) / n)
  ICC(2,k) = (BMS - EMS) / (BMS + (JMS - EMS) / n)
  ICC(3,1) = (BMS - EMS) / (BMS + (k-1) EMS)        ICC(3,k) = (BMS - EMS) / BMS

Our interview designs are incomplete (each candidate meets a few of many interviewers),
so ``icc_incomplete(matrix)`` (NaN = not rated) returns ``IccResult`` per form:

* ICC(1,1) and ICC(1,k) use every rating, through an unbalanced one-way ANOVA (targets
  with at least one rating): MSB and MSW as usual, and the effective number of ratings
  per target k0 = (N - sum n_i^2 / N) / (targets - 1) in place of k. ICC(1,k) is then
  the reliability of the mean of k0 ratings, (MSB - MSW) / MSB. With a complete matrix
  k0 = k and this is exactly Shrout & Fleiss.
* ICC(2,·) and ICC(3,·) need a complete block, so they use the largest complete block
  we find: a greedy search drops, one at a time, the rater whose removal leaves the most
  complete cells (targets x raters), and keeps the best block seen. It is exact when
  the matrix is complete and a good, not guaranteed-maximal, block otherwise; the
  targets and raters used are reported.

A form is ``None`` with a ``reason`` when fewer than 2 targets or 2 raters remain, or
the targets do not vary (the ratio is undefined).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

ICC_FORMS = ("ICC(1,1)", "ICC(2,1)", "ICC(3,1)", "ICC(1,k)", "ICC(2,k)", "ICC(3,k)")


@dataclass(frozen=True)
class IccResult:
    form: str
    value: float | None
    targets: int  # targets the figure rests on
    raters: float  # raters per target (k, or k0 for the one-way forms on incomplete data)
    reason: str = ""  # why value is None


def icc_complete(matrix: np.ndarray) -> dict[str, float]:
    """The six Shrout & Fleiss forms for a complete targets x raters matrix.

    Values are NaN where a ratio is 0/0 (no variance at all)."""
    x = np.asarray(matrix, dtype=np.float64)
    n, k = x.shape
    grand = x.mean()
    row_mean = x.mean(axis=1)
    col_mean = x.mean(axis=0)
    ss_total = ((x - grand) ** 2).sum()
    ss_rows = k * ((row_mean - grand) ** 2).sum()
    ss_cols = n * ((col_mean - grand) ** 2).sum()
    bms = ss_rows / (n - 1)
    wms = (ss_total - ss_rows) / (n * (k - 1))
    jms = ss_cols / (k - 1)
    ems = (ss_total - ss_rows - ss_cols) / ((n - 1) * (k - 1))
    with np.errstate(invalid="ignore", divide="ignore"):
        return {
            "ICC(1,1)": (bms - wms) / (bms + (k - 1) * wms),
            "ICC(2,1)": (bms - ems) / (bms + (k - 1) * ems + k * (jms - ems) / n),
            "ICC(3,1)": (bms - ems) / (bms + (k - 1) * ems),
            "ICC(1,k)": (bms - wms) / bms,
            "ICC(2,k)": (bms - ems) / (bms + (jms - ems) / n),
            "ICC(3,k)": (bms - ems) / bms,
        }


def largest_complete_block(matrix: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(target indices, rater indices) of a large block without NaN (greedy, see above)."""
    present = ~np.isnan(np.asarray(matrix, dtype=np.float64))
    n, k = present.shape
    raters = np.ones(k, dtype=bool)
    missing = (~present).sum(axis=1)  # per target, among the raters still in
    best: tuple[int, int, np.ndarray] = (-1, -1, raters.copy())
    while raters.sum() >= 2:
        complete = missing == 0
        cells = int(complete.sum()) * int(raters.sum())
        if (cells, int(raters.sum())) > best[:2]:
            best = (cells, int(raters.sum()), raters.copy())
        # Targets missing exactly one rater become complete when that rater goes.
        single = missing == 1
        gap = ~present[single] & raters
        gained = np.bincount(np.argmax(gap, axis=1), minlength=k) if gap.size else np.zeros(k)
        gained = np.where(raters, gained, -1)
        drop = int(np.argmax(gained))
        raters[drop] = False
        missing = missing - (~present[:, drop])
    chosen_raters = np.flatnonzero(best[2])
    targets = np.flatnonzero(present[:, chosen_raters].all(axis=1))
    return targets, chosen_raters


def _one_way(x: np.ndarray) -> list[IccResult]:
    # Long form (one entry per rating) so the cost follows the ratings, not targets x raters.
    target, _ = np.nonzero(~np.isnan(x))
    values = x[target, _]
    _, target = np.unique(target, return_inverse=True)
    per_target = np.bincount(target)
    targets = int(per_target.size)
    total = int(values.size)
    names = ("ICC(1,1)", "ICC(1,k)")
    if targets < 2 or total - targets < 1:
        return [IccResult(f, None, targets, 0.0, "fewer than 2 targets or no repeat ratings")
                for f in names]
    target_mean = np.bincount(target, weights=values) / per_target
    grand = values.mean()
    msb = (per_target * (target_mean - grand) ** 2).sum() / (targets - 1)
    msw = ((values - target_mean[target]) ** 2).sum() / (total - targets)
    k0 = (total - (per_target**2).sum() / total) / (targets - 1)
    if msb == 0:
        return [IccResult(f, None, targets, float(k0), "the targets do not vary") for f in names]
    return [
        IccResult("ICC(1,1)", float((msb - msw) / (msb + (k0 - 1) * msw)), targets, float(k0)),
        IccResult("ICC(1,k)", float((msb - msw) / msb), targets, float(k0)),
    ]


def icc_incomplete(matrix: np.ndarray) -> dict[str, IccResult]:
    """All six forms for a targets x raters matrix with NaN where not rated."""
    x = np.asarray(matrix, dtype=np.float64)
    results = {r.form: r for r in _one_way(x)}
    names = ("ICC(2,1)", "ICC(3,1)", "ICC(2,k)", "ICC(3,k)")
    if x.ndim != 2 or x.shape[1] < 2:
        block_targets, block_raters = np.array([], dtype=int), np.array([], dtype=int)
    else:
        block_targets, block_raters = largest_complete_block(x)
    n, k = block_targets.size, block_raters.size
    if n < 2 or k < 2:
        for f in names:
            results[f] = IccResult(f, None, n, float(k),
                                   "no complete block of 2+ targets x 2+ raters")
    else:
        values = icc_complete(x[np.ix_(block_targets, block_raters)])
        for f in names:
            value = values[f]
            if np.isnan(value):
                results[f] = IccResult(f, None, n, float(k), "the targets do not vary")
            else:
                results[f] = IccResult(f, float(value), n, float(k))
    return {f: results[f] for f in ICC_FORMS}
