"""Predictive validity: do interview scores predict an outcome on the job? Pure functions.

``correlation(x, y, min_n=20)`` -> ``Correlation``: Pearson's r over the pairs where both
are known, or the point-biserial r when every outcome value is 0 or 1 (the same formula:
Pearson's r with a 0/1 variable; the label says which). Its 95% interval comes from
Fisher's z: ``z = atanh(r)``, ``se = 1 / sqrt(n - 3)``, ``tanh(z -+ 1.959964 * se)``;
the two-sided p from ``t = r * sqrt((n - 2) / (1 - r^2))`` on n - 2 degrees of freedom.
Below ``min_n`` pairs, or without spread in either variable, it is not defined and says
why (``undefined``), never a number.

``thorndike_case2(r, sd_applicants, sd_selected)``: the correlation corrected for direct
range restriction (Thorndike 1949, case II; Hunter, Schmidt & Le 2006 eq. 1): with
``u = sd_applicants / sd_selected`` (the predictor's spread among all applicants over
its spread among those selected),

    R = r * u / sqrt(1 - r^2 + r^2 * u^2)

It assumes selection directly on the predictor, and linear, homoscedastic relations.
The correction is increasing in r, so the interval's bounds are corrected the same way
(``corrected_interval``).

``incremental_validity(X, y, min_df=10)`` -> ``Increments``: for each column c of X
(competency scores), the gain in R^2 of the least-squares regression of y on every
column over the regression on every column but c (``delta_r2``: what c adds that the
others do not carry), with the F test of that gain: ``F = delta_r2 / ((1 - R^2) /
(n - k - 1))`` on (1, n - k - 1) degrees of freedom. Rows with a missing value are left
out (counted). Not defined with fewer than ``min_df`` residual degrees of freedom.

``item_analysis(candidates, competencies, questions, scores, scale_max, min_n=20)``:
per question (within its competency): the number of ratings and candidates, the mean
and standard deviation of its ratings, the ceiling share (ratings at the scale's top
point / ratings), and the item-rest correlation: across candidates, the correlation of
the candidate's mean rating on this question with the mean of their ratings on the
competency's other questions (each other question's mean weighing the same). A question
nobody answered along with another question of the competency has no rest: not defined.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from math import atanh, sqrt, tanh
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import numpy as np

MIN_N = 20  # pairs below which a correlation is not computed
MIN_DF = 10  # residual degrees of freedom below which increments are not computed
Z975 = 1.959963984540054  # the standard normal's 97.5% quantile


@dataclass(frozen=True)
class Undefined:
    """Why a figure is not defined: ``too_few`` (``count`` < ``threshold``),
    ``no_spread_scores``, ``no_spread_outcome``, ``one_question``."""

    code: str
    count: int = 0
    threshold: int = 0


@dataclass(frozen=True)
class Correlation:
    n: int
    r: float | None
    low: float | None
    high: float | None
    p: float | None
    kind: str  # "pearson" or "point-biserial"
    undefined: Undefined | None = None

    def to_json(self) -> dict[str, Any]:
        return {"n": self.n, "r": self.r, "low": self.low, "high": self.high, "p": self.p,
                "kind": self.kind,
                "undefined": vars(self.undefined) if self.undefined else None}


def fisher_z_interval(r: float, n: int, z: float = Z975) -> tuple[float, float]:
    """The 95% interval of a correlation from Fisher's z transformation (n > 3)."""
    if n <= 3:
        raise ValueError("Fisher's z interval needs n > 3")
    if abs(r) >= 1.0:
        return r, r
    centre, se = atanh(r), 1.0 / sqrt(n - 3)
    return tanh(centre - z * se), tanh(centre + z * se)


def _pairs(x: Sequence[float] | np.ndarray, y: Sequence[float] | np.ndarray
           ) -> tuple[np.ndarray, np.ndarray]:
    import numpy as np

    a = np.asarray(x, dtype=np.float64)
    b = np.asarray(y, dtype=np.float64)
    if a.shape != b.shape or a.ndim != 1:
        raise ValueError("x and y must be two sequences of the same length")
    known = ~(np.isnan(a) | np.isnan(b))
    return a[known], b[known]


def is_binary(values: Sequence[float] | np.ndarray) -> bool:
    """Every known value is 0 or 1 (a measure such as ``retained_90d``)."""
    import numpy as np

    v = np.asarray(values, dtype=np.float64)
    v = v[~np.isnan(v)]
    return bool(v.size) and bool(np.isin(v, (0.0, 1.0)).all())


def correlation(x: Sequence[float] | np.ndarray, y: Sequence[float] | np.ndarray,
                min_n: int = MIN_N) -> Correlation:
    """Pearson (or point-biserial) r of x with y, its Fisher-z 95% interval and p."""
    import numpy as np
    from scipy.special import stdtr

    a, b = _pairs(x, y)
    n = int(a.size)
    kind = "point-biserial" if is_binary(b) else "pearson"
    threshold = max(min_n, 4)
    if n < threshold:
        return Correlation(n, None, None, None, None, kind, Undefined("too_few", n, threshold))
    if float(np.ptp(a)) == 0.0:  # exact: a centred constant may not be exactly 0
        return Correlation(n, None, None, None, None, kind, Undefined("no_spread_scores"))
    if float(np.ptp(b)) == 0.0:
        return Correlation(n, None, None, None, None, kind, Undefined("no_spread_outcome"))
    a = a - a.mean()
    b = b - b.mean()
    sa, sb = float(np.sqrt((a * a).sum())), float(np.sqrt((b * b).sum()))
    r = float(np.clip((a * b).sum() / (sa * sb), -1.0, 1.0))
    low, high = fisher_z_interval(r, n)
    if abs(r) >= 1.0:
        p = 0.0
    else:
        t = r * sqrt((n - 2) / (1.0 - r * r))
        p = float(2.0 * stdtr(n - 2, -abs(t)))
    return Correlation(n, r, low, high, p, kind)


def thorndike_case2(r: float, sd_applicants: float, sd_selected: float) -> float:
    """r corrected for direct range restriction (Thorndike case II, module docstring).

    >>> round(thorndike_case2(0.30, 1.0, 0.5), 4)  # u = 2: 0.6 / sqrt(1.27)
    0.5324
    """
    if not sd_selected > 0 or not sd_applicants > 0:
        raise ValueError("both standard deviations must be above 0")
    u = sd_applicants / sd_selected
    return r * u / sqrt(1.0 - r * r + r * r * u * u)


@dataclass(frozen=True)
class RangeCorrection:
    u: float  # sd of applicants / sd of those selected
    r: float
    low: float
    high: float
    sd_applicants: float
    sd_selected: float

    def to_json(self) -> dict[str, Any]:
        return dict(vars(self))


def corrected_interval(observed: Correlation, sd_applicants: float, sd_selected: float
                       ) -> RangeCorrection | None:
    """Thorndike case II applied to r and to both ends of its interval; None when the
    correlation or either spread is not defined."""
    if observed.r is None or observed.low is None or observed.high is None:
        return None
    if not sd_selected > 0 or not sd_applicants > 0:
        return None
    return RangeCorrection(
        u=sd_applicants / sd_selected,
        r=thorndike_case2(observed.r, sd_applicants, sd_selected),
        low=thorndike_case2(observed.low, sd_applicants, sd_selected),
        high=thorndike_case2(observed.high, sd_applicants, sd_selected),
        sd_applicants=sd_applicants, sd_selected=sd_selected,
    )


@dataclass(frozen=True)
class Increment:
    delta_r2: float | None
    f: float | None
    p: float | None
    undefined: Undefined | None = None

    def to_json(self) -> dict[str, Any]:
        return {"delta_r2": self.delta_r2, "f": self.f, "p": self.p,
                "undefined": vars(self.undefined) if self.undefined else None}


@dataclass(frozen=True)
class Increments:
    n: int  # rows with every value known
    left_out: int  # rows with a value missing
    r2: float | None  # R^2 of y on every column
    columns: list[Increment]
    undefined: Undefined | None = None

    def to_json(self) -> dict[str, Any]:
        return {"n": self.n, "left_out": self.left_out, "r2": self.r2,
                "columns": [c.to_json() for c in self.columns],
                "undefined": vars(self.undefined) if self.undefined else None}


def r_squared(x: np.ndarray, y: np.ndarray) -> float:
    """R^2 of the least-squares regression of y on the columns of x (with an intercept).

    Solved from the k x k cross-products of the centred columns (the normal equations,
    minimum-norm where columns are collinear): ``lstsq`` on the n x k data runs an SVD that
    took 0.2 s for 1,600 x 12 on a busy machine, the k x k system microseconds.
    """
    import numpy as np

    yc = y - y.mean()
    total = float(yc @ yc)
    if x.shape[1] == 0 or total == 0.0:
        return 0.0
    xc = x - x.mean(axis=0)
    cross = xc.T @ yc
    beta = np.linalg.pinv(xc.T @ xc, hermitian=True) @ cross
    return min(1.0, max(0.0, float(cross @ beta) / total))


def incremental_validity(x: np.ndarray | Sequence[Sequence[float]],
                         y: Sequence[float] | np.ndarray, min_df: int = MIN_DF
                         ) -> Increments:
    """What each column of ``x`` adds to the prediction of ``y`` (module docstring)."""
    import numpy as np
    from scipy.special import fdtrc

    data = np.asarray(x, dtype=np.float64)
    target = np.asarray(y, dtype=np.float64)
    if data.ndim != 2 or data.shape[0] != target.shape[0]:
        raise ValueError("x must be (n, k) with n = len(y)")
    known = ~(np.isnan(data).any(axis=1) | np.isnan(target))
    data, target = data[known], target[known]
    n, k = data.shape
    left_out = int((~known).sum())
    df = n - k - 1
    if df < min_df:
        why = Undefined("too_few", n, k + 1 + min_df)
        return Increments(n, left_out, None, [Increment(None, None, None, why)] * k, why)
    if float(np.ptp(target)) == 0.0:
        why = Undefined("no_spread_outcome")
        return Increments(n, left_out, None, [Increment(None, None, None, why)] * k, why)
    full = r_squared(data, target)
    columns = []
    for c in range(k):
        if float(np.ptp(data[:, c])) == 0.0:
            columns.append(Increment(None, None, None, Undefined("no_spread_scores")))
            continue
        reduced = r_squared(np.delete(data, c, axis=1), target)
        delta = max(0.0, full - reduced)
        if full >= 1.0:
            columns.append(Increment(delta, None, None))
            continue
        f = delta / ((1.0 - full) / df)
        columns.append(Increment(delta, f, float(fdtrc(1, df, f))))
    return Increments(n, left_out, full, columns)


@dataclass(frozen=True)
class ItemStats:
    competency: str
    question: str
    n_ratings: int
    n_candidates: int
    mean: float
    sd: float | None  # None for a single rating
    ceiling: float  # share of ratings at the scale's top point
    item_rest: Correlation

    def to_json(self) -> dict[str, Any]:
        return {"competency": self.competency, "question": self.question,
                "n_ratings": self.n_ratings, "n_candidates": self.n_candidates,
                "mean": self.mean, "sd": self.sd, "ceiling": self.ceiling,
                "item_rest": self.item_rest.to_json()}


def item_analysis(
    candidates: Sequence[Any],
    competencies: Sequence[str],
    questions: Sequence[str],
    scores: Sequence[float] | np.ndarray,
    scale_max: Mapping[str, float],
    min_n: int = MIN_N,
) -> list[ItemStats]:
    """Mean, spread, ceiling share and item-rest correlation of each question, in order
    of first appearance (module docstring). One element per rating in each sequence."""
    import numpy as np

    size = len(scores)
    if not len(candidates) == len(competencies) == len(questions) == size:
        raise ValueError("one candidate, competency and question per score")
    people: dict[Any, int] = {}
    items: dict[tuple[str, str], int] = {}
    person = np.array([people.setdefault(c, len(people)) for c in candidates], dtype=np.int64)
    item = np.array([items.setdefault((c, q), len(items))
                     for c, q in zip(competencies, questions, strict=True)], dtype=np.int64)
    keys = list(items)
    top = np.array([scale_max[c] for c, _ in keys], dtype=np.float64)
    return item_analysis_codes(person, item, keys, np.asarray(scores, dtype=np.float64), top,
                               min_n)


def item_analysis_codes(
    person: np.ndarray,
    item: np.ndarray,
    keys: Sequence[tuple[str, str]],
    score: np.ndarray,
    top: np.ndarray,
    min_n: int = MIN_N,
) -> list[ItemStats]:
    """``item_analysis`` over codes: ``person`` 0.., ``item`` indexing ``keys``
    ((competency, question) pairs) and ``top`` (each item's scale maximum); results in
    the order of ``keys``, items without ratings left out."""
    import numpy as np

    if score.size == 0:
        return []
    n_people, n_items = int(person.max()) + 1, len(keys)
    cell = person * n_items + item
    count = np.bincount(cell, minlength=n_people * n_items).reshape(n_people, n_items)
    total = np.bincount(cell, weights=score, minlength=n_people * n_items).reshape(
        n_people, n_items)
    with np.errstate(invalid="ignore", divide="ignore"):
        means = np.where(count > 0, total / count, np.nan)
    by_competency: dict[str, list[int]] = {}
    for j, (competency, _question) in enumerate(keys):
        by_competency.setdefault(competency, []).append(j)
    ratings_per_item = np.bincount(item, minlength=n_items)
    sum_per_item = np.bincount(item, weights=score, minlength=n_items)
    mean_per_item = sum_per_item / np.maximum(ratings_per_item, 1)
    square_per_item = np.bincount(item, weights=(score - mean_per_item[item]) ** 2,
                                  minlength=n_items)
    at_top = np.bincount(item, weights=(score >= top[item]).astype(np.float64),
                         minlength=n_items)
    results: dict[int, ItemStats] = {}
    for competency, columns in by_competency.items():
        block = means[:, columns]
        present = ~np.isnan(block)
        block_sum = np.where(present, block, 0.0).sum(axis=1)
        block_count = present.sum(axis=1)
        asked = [j for j in columns if ratings_per_item[j]]
        for position, j in enumerate(columns):
            k = int(ratings_per_item[j])
            if not k:
                continue
            sd = float(np.sqrt(square_per_item[j] / (k - 1))) if k >= 2 else None
            if len(asked) == 1:
                rest = Correlation(0, None, None, None, None, "pearson", Undefined("one_question"))
            else:
                own = block[:, position]
                others = block_count - present[:, position]
                with np.errstate(invalid="ignore", divide="ignore"):
                    rest_mean = np.where(others > 0, (block_sum - np.nan_to_num(own)) / others,
                                         np.nan)
                rest = correlation(own, rest_mean, min_n)
            results[j] = ItemStats(
                competency=competency, question=keys[j][1], n_ratings=k,
                n_candidates=int((count[:, j] > 0).sum()), mean=float(mean_per_item[j]), sd=sd,
                ceiling=float(at_top[j] / k), item_rest=rest,
            )
    return [results[j] for j in sorted(results)]
