"""Intervals for the pooled "overall" reliability row: a bootstrap over candidates.

The overall row stacks every (candidate, competency) as one target. Those targets are not
independent: a candidate's competencies share the candidate, and usually the same
interviewers. The F intervals and a bootstrap over targets treat them as independent, so
they narrow with every competency added, a certainty the number of candidates does not
give. Resampling whole candidates, each with all its targets (a cluster bootstrap; Field &
Welsh 2007, "Bootstrapping clustered data"), keeps that dependence.

Vectorised: every ICC here is a function of sums over targets, and alpha of the sum of
the targets' coincidence matrices. A candidate drawn w times adds w times its own sums, so
R resamples are one product of an R x candidates count matrix with per-candidate sums.
ICC(2) and ICC(3) keep the complete block found on the whole sample (its candidates are
resampled, its interviewers stay).

``cluster_estimates(matrix, clusters, draws)`` gives each resample's estimate per measure
(NaN where not defined); ``cluster_intervals`` draws the resamples (seeded) and returns
the 2.5th and 97.5th percentiles, clipped to -1..1, or no interval with a reason when
fewer than 90% of the resamples give a defined estimate or fewer than 2 candidates vary.

    >>> from hiring.scoring.cluster_bootstrap import cluster_intervals
    >>> intervals = cluster_intervals(pooled, candidate_of_row)  # doctest: +SKIP
    >>> intervals["ICC(1,1)"].low, intervals["ICC(1,1)"].high  # doctest: +SKIP
    (0.41, 0.63)
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from hiring.scoring.alpha import (
    BOOTSTRAP_SEED,
    REASON_NO_SPREAD,
    RESAMPLES,
    Metric,
    alpha_batch,
    count_patterns,
    pairable_counts,
    unit_coincidences,
)
from hiring.scoring.icc import CONFIDENCE, ICC_FORMS, TWO_WAY, largest_complete_block

USABLE_SHARE = 0.9
REASON_FEW_CANDIDATES = "no interval: fewer than 2 candidates to resample"
REASON_UNSTABLE = ("no interval: in too many resamples of the candidates the figure is "
                   "not defined")
_CHUNK = 200  # resamples per matrix product: bounds memory at 10,000 candidates


@dataclass(frozen=True)
class ClusterInterval:
    low: float | None
    high: float | None
    resamples: int  # resamples with a defined estimate
    reason: str = ""  # why there is no interval


def _ratio(numerator: np.ndarray, denominator: np.ndarray) -> np.ndarray:
    """numerator / denominator where that is a defined ICC (denominator > 0, in -1..1)."""
    with np.errstate(invalid="ignore", divide="ignore"):
        value = numerator / denominator
    bad = ~(denominator > 0) | ~np.isfinite(value) | (np.abs(value) > 1 + 1e-12)
    return np.where(bad, np.nan, np.clip(value, -1.0, 1.0))


def _dense(clusters: np.ndarray) -> tuple[np.ndarray, int]:
    _, dense = np.unique(clusters, return_inverse=True)
    return dense, int(dense.max(initial=-1)) + 1


def _one_way_sums(x: np.ndarray, cluster: np.ndarray, n_clusters: int) -> np.ndarray:
    """Per candidate: ratings, targets, sum, sum of squares, sum of target sum^2 / n,
    sum of n^2 (targets with a rating)."""
    # Long form, as in hiring.scoring.icc: the cost follows the ratings, not the matrix.
    target, rater = np.nonzero(~np.isnan(x))
    values = x[target, rater]
    rows = x.shape[0]
    n = np.bincount(target, minlength=rows).astype(np.float64)
    s = np.bincount(target, weights=values, minlength=rows)
    q = np.bincount(target, weights=values**2, minlength=rows)
    keep = n > 0
    n, s, q, c = n[keep], s[keep], q[keep], cluster[keep]
    columns = [n, np.ones_like(n), s, q, s**2 / n, n**2]
    return np.stack([np.bincount(c, weights=col, minlength=n_clusters) for col in columns],
                    axis=1)


def _one_way_estimates(sums: np.ndarray) -> dict[str, np.ndarray]:
    total, targets, s, q, d, e = sums.T
    with np.errstate(invalid="ignore", divide="ignore"):
        msb = (d - s**2 / total) / (targets - 1)
        msw = (q - d) / (total - targets)
        k0 = (total - e / total) / (targets - 1)
    few = (targets < 2) | (total - targets < 1)
    flat = ~(msb > 1e-12 * np.maximum(np.abs(msw), 1e-300))  # no variance between targets
    bad = few | flat
    return {
        "ICC(1,1)": np.where(bad, np.nan, _ratio(msb - msw, msb + (k0 - 1) * msw)),
        "ICC(1,k)": np.where(bad, np.nan, _ratio(msb - msw, msb)),
    }


def _two_way_sums(block: np.ndarray, cluster: np.ndarray, n_clusters: int) -> np.ndarray:
    """Per candidate: block rows, column sums (k), sum of row sum^2, sum of squares."""
    row_sum = block.sum(axis=1)
    columns = [np.ones(block.shape[0]), *block.T, row_sum**2, (block**2).sum(axis=1)]
    return np.stack([np.bincount(cluster, weights=col, minlength=n_clusters)
                     for col in columns], axis=1)


def _two_way_estimates(sums: np.ndarray, k: int) -> dict[str, np.ndarray]:
    n = sums[:, 0]
    column = sums[:, 1:1 + k]
    row_squares, squares = sums[:, 1 + k], sums[:, 2 + k]
    total = column.sum(axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        correction = total**2 / (n * k)
        ss_rows = row_squares / k - correction
        ss_cols = (column**2).sum(axis=1) / n - correction
        ss_error = np.maximum(squares - correction - ss_rows - ss_cols, 0.0)
        bms, jms = ss_rows / (n - 1), ss_cols / (k - 1)
        ems = ss_error / ((n - 1) * (k - 1))
    bad = (n < 2) | ~(bms > 1e-12 * np.maximum(ems, 1e-300))
    forms = {
        "ICC(2,1)": _ratio(bms - ems, bms + (k - 1) * ems + k * (jms - ems) / n),
        "ICC(3,1)": _ratio(bms - ems, bms + (k - 1) * ems),
        "ICC(2,k)": _ratio(bms - ems, bms + (jms - ems) / n),
        "ICC(3,k)": _ratio(bms - ems, bms),
    }
    return {form: np.where(bad, np.nan, value) for form, value in forms.items()}


def _alpha_sums(x: np.ndarray, cluster: np.ndarray, n_clusters: int
                ) -> tuple[np.ndarray, np.ndarray]:
    """(distinct values, per-candidate coincidence matrices flattened: candidates x v^2)."""
    pairable = (~np.isnan(x)).sum(axis=1) >= 2
    values, counts, _ = pairable_counts(x)
    if counts.shape[0] == 0:  # nobody rated by two interviewers: alpha is not defined
        return values, np.zeros((n_clusters, values.size**2))
    # Units with the same counts of each value add the same coincidences: sum per
    # candidate how many units of each pattern it has, then one product.
    patterns, _, pattern_of_unit = count_patterns(counts)
    per_pattern = unit_coincidences(patterns).reshape(patterns.shape[0], -1)
    owner = cluster[pairable]
    units_of = np.bincount(owner * patterns.shape[0] + pattern_of_unit,
                           minlength=n_clusters * patterns.shape[0]).astype(np.float64)
    return values, units_of.reshape(n_clusters, patterns.shape[0]) @ per_pattern


class ClusterSums:
    """The per-candidate sums of one targets x raters matrix, computed once; ``estimates``
    turns resample counts into each resample's estimates."""

    def __init__(self, matrix: np.ndarray, clusters: np.ndarray,
                 metrics: tuple[Metric, ...] = ("interval", "ordinal")) -> None:
        x = np.asarray(matrix, dtype=np.float64)
        cluster, self.n_clusters = _dense(np.asarray(clusters))
        self.metrics = metrics
        self.one_way = _one_way_sums(x, cluster, self.n_clusters)
        no_block = (np.array([], dtype=int), np.array([], dtype=int))
        targets, raters = largest_complete_block(x) if x.shape[1] >= 2 else no_block
        self.k = len(raters)
        self.two_way: np.ndarray | None = None
        if len(targets) >= 2 and self.k >= 2:
            block = x[np.ix_(targets, raters)]
            self.two_way = _two_way_sums(block, cluster[targets], self.n_clusters)
        self.values, self.coincidences = _alpha_sums(x, cluster, self.n_clusters)

    @property
    def names(self) -> tuple[str, ...]:
        return (*ICC_FORMS, *(f"alpha({m})" for m in self.metrics))

    def canonical_order(self) -> np.ndarray:
        """The candidates sorted by what they contribute, so the resamples (and so the
        interval) do not depend on ids or names: erasing a candidate, who then sorts
        elsewhere, changes nothing."""
        parts = [self.one_way, self.coincidences]
        if self.two_way is not None:
            parts.append(self.two_way)
        content = np.round(np.hstack(parts), 9)
        # One key per candidate (a fixed projection): equal contents give equal keys, and
        # candidates with equal contents are interchangeable, so ties need no order.
        projection = np.random.default_rng(0).random(content.shape[1])
        return np.argsort(content @ projection, kind="stable")

    def all_alike(self) -> bool:
        """Every candidate contributes the same sums: resampling cannot show a spread."""
        return len(np.unique(self.one_way, axis=0)) < 2

    def estimates(self, draws: np.ndarray) -> dict[str, np.ndarray]:
        """Each resample's estimate per measure (NaN where not defined); ``draws`` is
        resamples x candidates, how often each candidate (in sorted order of ``clusters``)
        is drawn."""
        w = np.asarray(draws, dtype=np.float64)
        nan = np.full(w.shape[0], np.nan)
        out = _one_way_estimates(w @ self.one_way)
        if self.two_way is not None:
            out.update(_two_way_estimates(w @ self.two_way, self.k))
        else:
            out.update({form: nan for form in TWO_WAY})
        o = None  # the resamples' coincidence matrices, shared by every metric
        for metric in self.metrics:
            if self.values.size < 2:
                out[f"alpha({metric})"] = nan
                continue
            if o is None:
                o = (w @ self.coincidences).reshape(w.shape[0], self.values.size,
                                                    self.values.size)
            with np.errstate(invalid="ignore", divide="ignore"):
                out[f"alpha({metric})"] = alpha_batch(self.values, o, metric)
        return {name: out[name] for name in self.names}


def cluster_estimates(
    matrix: np.ndarray,
    clusters: np.ndarray,
    draws: np.ndarray,
    metrics: tuple[Metric, ...] = ("interval", "ordinal"),
) -> dict[str, np.ndarray]:
    """Each resample's estimate per measure (see ``ClusterSums.estimates``)."""
    return ClusterSums(matrix, clusters, metrics).estimates(draws)


def cluster_intervals(
    matrix: np.ndarray,
    clusters: np.ndarray,
    resamples: int = RESAMPLES,
    seed: int = BOOTSTRAP_SEED,
    metrics: tuple[Metric, ...] = ("interval", "ordinal"),
) -> dict[str, ClusterInterval]:
    """Percentile intervals from ``resamples`` draws of the candidates (see the module
    docstring); the same ratings and seed always give the same intervals."""
    sums = ClusterSums(matrix, clusters, metrics)
    names, n_clusters = sums.names, sums.n_clusters
    if n_clusters < 2 or resamples < 1:
        return {name: ClusterInterval(None, None, 0, REASON_FEW_CANDIDATES) for name in names}
    if sums.all_alike():
        return {name: ClusterInterval(None, None, 0, REASON_NO_SPREAD) for name in names}
    rng = np.random.default_rng(seed)
    order = sums.canonical_order()
    parts: dict[str, list[np.ndarray]] = {name: [] for name in names}
    for start in range(0, resamples, _CHUNK):
        size = min(_CHUNK, resamples - start)
        picks = rng.integers(0, n_clusters, size=(size, n_clusters))
        offsets = (np.arange(size) * n_clusters)[:, None]
        # The i-th candidate in canonical order is candidate order[i]: counting each pick
        # at its candidate's place makes the draws directly (no scattered copy).
        draws = np.bincount((order[picks] + offsets).ravel(),
                            minlength=size * n_clusters).reshape(size, n_clusters)
        estimates = sums.estimates(draws)
        for name in names:
            parts[name].append(estimates[name])
    tail = (1 - CONFIDENCE) / 2
    intervals = {}
    for name in names:
        boot = np.concatenate(parts[name])
        usable = boot[np.isfinite(boot)]
        if usable.size < USABLE_SHARE * resamples:
            intervals[name] = ClusterInterval(None, None, int(usable.size), REASON_UNSTABLE)
            continue
        low, high = np.quantile(usable, [tail, 1 - tail])
        intervals[name] = ClusterInterval(float(np.clip(low, -1, 1)),
                                          float(np.clip(high, -1, 1)), int(usable.size))
    return intervals
