"""Intraclass correlations after Shrout & Fleiss (1979), from a targets x raters matrix,
with the 95% confidence intervals of McGraw & Wong (1996).

``icc_complete(matrix)`` -> dict of the six raw ratios for a complete matrix (no NaN),
from the mean squares of the two-way ANOVA (BMS between targets, JMS between judges,
EMS residual, WMS within targets):

  ICC(1,1) = (BMS - WMS) / (BMS + (k-1) WMS)        ICC(1,k) = (BMS - WMS) / BMS
  ICC(2,1) = (BMS - EMS) / (BMS + (k-1) EMS + k (JMS - EMS) / n)
  ICC(2,k) = (BMS - EMS) / (BMS + (JMS - EMS) / n)
  ICC(3,1) = (BMS - EMS) / (BMS + (k-1) EMS)        ICC(3,k) = (BMS - EMS) / BMS

The raw ratios can be 0/0, infinite or far outside -1..1 on degenerate data (three
candidates with equal means give ICC(2,k) = 3 and ICC(3,k) = -inf), so nothing is
shown from them directly: ``icc_incomplete`` is what the statistics use.

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

Only defined numbers: a form's ``value`` is a finite number in -1..1, or ``None`` with a
``reason``, checked in this order: fewer than 2 targets or raters with shared ratings;
all ratings identical; no variance between targets (equal target means: every form is
then 0/0 or a ratio of noise alone); and, for the rest, an estimate outside -1..1 or with
a denominator <= 0 (the targets vary less than the noise between ratings; only the
average-measure forms and ICC(2,1) on tiny designs get there).

Intervals (``low``, ``high``): the F-distribution intervals of McGraw & Wong (1996), as
pingouin reports them (``CI95``): case 1 from F = MSB/MSW on (n-1, N-n) degrees of
freedom, case 3 from F = MSB/EMS on (n-1, (n-1)(k-1)), case 2 from Satterthwaite's
approximate degrees of freedom v; the k forms by Spearman-Brown of the single-rater
limits. On incomplete data ICC(1) uses k0 for k (an approximation; exact when complete).
The limits are clipped to -1..1 (the printed range; an ICC beyond -1 says no more than
-1 does). No interval (``None``, ``interval_reason``) when a limit is not finite, e.g.
when interviewers agree perfectly (MSW = 0, F infinite). The F quantile comes from
``scipy.special.fdtri`` (what ``scipy.stats.f.ppf`` computes), imported inside
``f_interval_quantiles`` (start-up time).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

ICC_FORMS = ("ICC(1,1)", "ICC(2,1)", "ICC(3,1)", "ICC(1,k)", "ICC(2,k)", "ICC(3,k)")
CONFIDENCE = 0.95

REASON_FEW = "fewer than 2 candidates or interviewers with shared ratings"
REASON_BLOCK = ("no complete block of 2+ candidates x 2+ interviewers (fewer than 2 "
                "candidates or interviewers with shared ratings)")
REASON_IDENTICAL = "all ratings identical"
REASON_NO_VARIANCE = "no variance between candidates (their mean scores are equal)"
REASON_OUT_OF_RANGE = ("candidates vary less than the noise between ratings "
                       "(the estimate falls outside -1..1)")
REASON_NO_INTERVAL = "no interval: the F limits are not finite (e.g. interviewers agree perfectly)"
# Target means closer than this share of the rating range count as equal: floating-point
# sums of equal means differ in the last bits, and a ratio of such noise is no estimate.
_EQUAL = 1e-9


@dataclass(frozen=True)
class IccResult:
    form: str
    value: float | None
    targets: int  # targets the figure rests on
    raters: float  # raters per target (k, or k0 for the one-way forms on incomplete data)
    reason: str = ""  # why value is None
    low: float | None = None  # 95% interval, clipped to -1..1
    high: float | None = None
    interval_reason: str = ""  # why there is no interval although there is a value


@dataclass(frozen=True)
class _MeanSquares:
    n: int
    k: float
    bms: float
    wms: float
    jms: float
    ems: float
    df_within: float  # degrees of freedom of WMS


def _mean_squares(x: np.ndarray) -> _MeanSquares:
    n, k = x.shape
    grand = x.mean()
    row_mean = x.mean(axis=1)
    col_mean = x.mean(axis=0)
    ss_total = ((x - grand) ** 2).sum()
    ss_rows = k * ((row_mean - grand) ** 2).sum()
    ss_cols = n * ((col_mean - grand) ** 2).sum()
    return _MeanSquares(
        n=n, k=float(k),
        bms=float(ss_rows / (n - 1)),
        wms=float((ss_total - ss_rows) / (n * (k - 1))),
        jms=float(ss_cols / (k - 1)),
        # Rounding can leave a residual of -1e-16 where it is 0: it is a sum of squares.
        ems=float(max(ss_total - ss_rows - ss_cols, 0.0) / ((n - 1) * (k - 1))),
        df_within=float(n * (k - 1)),
    )


def icc_complete(matrix: np.ndarray) -> dict[str, float]:
    """The six Shrout & Fleiss ratios for a complete targets x raters matrix, unchecked
    (NaN for 0/0, inf for x/0): reference values, not for display."""
    ms = _mean_squares(np.asarray(matrix, dtype=np.float64))
    n, k, bms, wms, jms, ems = ms.n, ms.k, ms.bms, ms.wms, ms.jms, ms.ems
    with np.errstate(invalid="ignore", divide="ignore"):
        b, w, j, e = (np.float64(v) for v in (bms, wms, jms, ems))
        return {
            "ICC(1,1)": float((b - w) / (b + (k - 1) * w)),
            "ICC(2,1)": float((b - e) / (b + (k - 1) * e + k * (j - e) / n)),
            "ICC(3,1)": float((b - e) / (b + (k - 1) * e)),
            "ICC(1,k)": float((b - w) / b),
            "ICC(2,k)": float((b - e) / (b + (j - e) / n)),
            "ICC(3,k)": float((b - e) / b),
        }


def f_interval_quantiles(
    df_pairs: list[tuple[float, float]], confidence: float = CONFIDENCE
) -> list[float]:
    """The upper (1 + confidence) / 2 quantile of F(d1, d2) for each pair (NaN if a df
    is not positive and finite)."""
    # scipy.special.fdtri is the function scipy.stats.f.ppf calls; importing
    # scipy.special alone costs a quarter of scipy.stats' start-up.
    from scipy.special import fdtri

    q = (1 + confidence) / 2
    d1 = np.array([p[0] for p in df_pairs], dtype=np.float64)
    d2 = np.array([p[1] for p in df_pairs], dtype=np.float64)
    ok = np.isfinite(d1) & np.isfinite(d2) & (d1 > 0) & (d2 > 0)
    out = np.full(d1.shape, np.nan)
    out[ok] = fdtri(d1[ok], d2[ok], q)
    return [float(v) for v in out]


def _ratio(numerator: float, denominator: float) -> float | None:
    """numerator / denominator when that is a defined ICC: denominator > 0, in -1..1."""
    if not denominator > 0:
        return None
    value = numerator / denominator
    if not np.isfinite(value) or value < -1.0 - 1e-12 or value > 1.0 + 1e-12:
        return None
    return float(min(max(value, -1.0), 1.0))


def _clip(value: float) -> float:
    return float(min(max(value, -1.0), 1.0))


def _interval(low: float, high: float) -> tuple[float | None, float | None]:
    # A lower limit of -inf is a real answer (clipped to -1); NaN or +inf is not.
    if np.isnan(low) or np.isnan(high) or low == np.inf or not np.isfinite(high) or low > high:
        return None, None
    return _clip(low), _clip(high)


def _spearman_brown(r: float, k: float) -> float:
    # Increasing on (-1/(k-1), 1]; at and below -1/(k-1) the k-rater limit is -inf.
    if 1 + r * (k - 1) <= 0:
        return -np.inf
    with np.errstate(invalid="ignore", divide="ignore"):
        return float(np.float64(r) * k / (1 + np.float64(r) * (k - 1)))


def _one_way_intervals(ms: _MeanSquares) -> dict[str, tuple[float, float]]:
    """McGraw & Wong case 1 limits for ICC(1,1) and ICC(1,k)."""
    n, k = ms.n, ms.k
    with np.errstate(invalid="ignore", divide="ignore"):
        f_obs = np.float64(ms.bms) / ms.wms
        f_a, f_b = f_interval_quantiles([(n - 1, ms.df_within), (ms.df_within, n - 1)])
        f_low = f_obs / f_a
        f_high = f_obs * f_b
        return {
            "ICC(1,1)": (float((f_low - 1) / (f_low + k - 1)),
                         float((f_high - 1) / (f_high + k - 1))),
            "ICC(1,k)": (float(1 - 1 / f_low), float(1 - 1 / f_high)),
        }


def _two_way_intervals(ms: _MeanSquares, icc2: float) -> dict[str, tuple[float, float]]:
    """McGraw & Wong limits for cases 2 (absolute agreement) and 3 (consistency)."""
    n, k, bms, jms, ems = ms.n, ms.k, ms.bms, ms.jms, ms.ems
    df1, df_e = n - 1, (n - 1) * (k - 1)
    with np.errstate(invalid="ignore", divide="ignore"):
        f3 = np.float64(bms) / ems
        fj = np.float64(jms) / ems
        # Satterthwaite's degrees of freedom for the denominator of case 2.
        vn = df_e * (k * icc2 * fj + n * (1 + (k - 1) * icc2) - k * icc2) ** 2
        vd = df1 * k**2 * icc2**2 * fj**2 + (n * (1 + (k - 1) * icc2) - k * icc2) ** 2
        v = float(vn / vd)
        q3a, q3b, q2u, q2l = f_interval_quantiles([(df1, df_e), (df_e, df1), (df1, v), (v, df1)])
        f3_low, f3_high = f3 / q3a, f3 * q3b
        spread = k * jms + (k * n - k - n) * ems
        l2 = float(n * (bms - q2u * ems) / (q2u * spread + n * bms))
        u2 = float(n * (q2l * bms - ems) / (spread + n * q2l * bms))
        return {
            "ICC(2,1)": (l2, u2),
            "ICC(3,1)": (float((f3_low - 1) / (f3_low + k - 1)),
                         float((f3_high - 1) / (f3_high + k - 1))),
            "ICC(2,k)": (_spearman_brown(l2, k), _spearman_brown(u2, k)),
            "ICC(3,k)": (float(1 - 1 / f3_low), float(1 - 1 / f3_high)),
        }


def _results(
    names: tuple[str, ...], values: dict[str, float | None],
    intervals: dict[str, tuple[float, float]], targets: int, raters: float,
) -> list[IccResult]:
    out = []
    for form in names:
        value = values[form]
        if value is None:
            out.append(IccResult(form, None, targets, raters, REASON_OUT_OF_RANGE))
            continue
        low, high = _interval(*intervals[form])
        out.append(IccResult(form, value, targets, raters, low=low, high=high,
                             interval_reason="" if low is not None else REASON_NO_INTERVAL))
    return out


def _undefined(names: tuple[str, ...], targets: int, raters: float,
               reason: str) -> list[IccResult]:
    return [IccResult(f, None, targets, raters, reason) for f in names]


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


ONE_WAY = ("ICC(1,1)", "ICC(1,k)")
TWO_WAY = ("ICC(2,1)", "ICC(3,1)", "ICC(2,k)", "ICC(3,k)")


def _one_way(x: np.ndarray) -> list[IccResult]:
    # Long form (one entry per rating) so the cost follows the ratings, not targets x raters.
    target, rater = np.nonzero(~np.isnan(x))
    values = x[target, rater]
    _, target = np.unique(target, return_inverse=True)
    per_target = np.bincount(target)
    targets = int(per_target.size)
    total = int(values.size)
    if targets < 2 or total - targets < 1:
        return _undefined(ONE_WAY, targets, 0.0, REASON_FEW)
    k0 = float((total - (per_target**2).sum() / total) / (targets - 1))
    spread = float(np.ptp(values))
    if spread == 0:
        return _undefined(ONE_WAY, targets, k0, REASON_IDENTICAL)
    target_mean = np.bincount(target, weights=values) / per_target
    if float(np.ptp(target_mean)) <= _EQUAL * spread:
        return _undefined(ONE_WAY, targets, k0, REASON_NO_VARIANCE)
    grand = values.mean()
    msb = float((per_target * (target_mean - grand) ** 2).sum() / (targets - 1))
    msw = float(((values - target_mean[target]) ** 2).sum() / (total - targets))
    ms = _MeanSquares(n=targets, k=k0, bms=msb, wms=msw, jms=np.nan, ems=np.nan,
                      df_within=float(total - targets))
    values_by_form = {
        "ICC(1,1)": _ratio(msb - msw, msb + (k0 - 1) * msw),
        "ICC(1,k)": _ratio(msb - msw, msb),
    }
    return _results(ONE_WAY, values_by_form, _one_way_intervals(ms), targets, k0)


def _two_way(block: np.ndarray) -> list[IccResult]:
    n, k = block.shape
    if n < 2 or k < 2:
        return _undefined(TWO_WAY, n, float(k), REASON_BLOCK)
    spread = float(np.ptp(block))
    if spread == 0:
        return _undefined(TWO_WAY, n, float(k), REASON_IDENTICAL)
    if float(np.ptp(block.mean(axis=1))) <= _EQUAL * spread:
        return _undefined(TWO_WAY, n, float(k), REASON_NO_VARIANCE)
    ms = _mean_squares(block)
    bms, jms, ems = ms.bms, ms.jms, ms.ems
    values_by_form = {
        "ICC(2,1)": _ratio(bms - ems, bms + (k - 1) * ems + k * (jms - ems) / n),
        "ICC(3,1)": _ratio(bms - ems, bms + (k - 1) * ems),
        "ICC(2,k)": _ratio(bms - ems, bms + (jms - ems) / n),
        "ICC(3,k)": _ratio(bms - ems, bms),
    }
    icc2 = values_by_form["ICC(2,1)"]
    intervals = _two_way_intervals(ms, icc2 if icc2 is not None else np.nan)
    return _results(TWO_WAY, values_by_form, intervals, n, float(k))


def icc_incomplete(matrix: np.ndarray) -> dict[str, IccResult]:
    """All six forms for a targets x raters matrix with NaN where not rated."""
    x = np.asarray(matrix, dtype=np.float64)
    if x.ndim != 2:
        raise ValueError("expected a targets x raters matrix")
    results = {r.form: r for r in _one_way(x)}
    if x.shape[1] < 2:
        block_targets, block_raters = np.array([], dtype=int), np.array([], dtype=int)
    else:
        block_targets, block_raters = largest_complete_block(x)
    block = x[np.ix_(block_targets, block_raters)]
    results.update({r.form: r for r in _two_way(block)})
    return {f: results[f] for f in ICC_FORMS}
