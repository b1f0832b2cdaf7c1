"""The overall reliability row's intervals resample whole candidates.

The vectorised resampling is checked against the plain computation on each resample
(stack the drawn candidates' rows, run ``icc_incomplete`` and ``krippendorff_alpha``,
which the Shrout & Fleiss, Krippendorff and pingouin tests check); the reason for it is
checked on duplicated competencies, where the F interval narrows and the truth does not.
"""

from __future__ import annotations

import math

import numpy as np
import pytest

from hiring.scoring.alpha import krippendorff_alpha
from hiring.scoring.cluster_bootstrap import cluster_estimates, cluster_intervals
from hiring.scoring.icc import ICC_FORMS, icc_incomplete
from hiring.scoring.rating_table import CompetencySpec, RatingTable
from hiring.scoring.reliability import OVERALL, reliability_report


def _pooled(n_candidates: int, n_competencies: int, raters: int, seed: int,
            per_candidate: int | None = None) -> tuple[np.ndarray, np.ndarray]:
    """(targets x raters on 0..1, candidate of each target): candidate x competency rows,
    a shared candidate effect; ``per_candidate`` raters of the pool (else all rate)."""
    rng = np.random.default_rng(seed)
    ability = rng.normal(0, 1, n_candidates)
    rows, owner = [], []
    for _competency in range(n_competencies):
        for i in range(n_candidates):
            row = np.full(raters, np.nan)
            who = (rng.choice(raters, per_candidate, replace=False) if per_candidate
                   else np.arange(raters))
            row[who] = np.clip(np.round(3 + ability[i] + rng.normal(0, 0.8, who.size)), 1, 5)
            rows.append((row - 1) / 4)
            owner.append(i)
    return np.array(rows), np.array(owner)


def _naive(matrix: np.ndarray, owner: np.ndarray, draws: np.ndarray,
           two_way: bool) -> dict[str, list[float]]:
    out: dict[str, list[float]] = {name: [] for name in (*ICC_FORMS, "alpha(interval)",
                                                          "alpha(ordinal)")}
    for counts in draws:
        stacked = np.vstack([matrix[owner == c] for c in range(counts.size)
                             for _ in range(counts[c])])
        iccs = icc_incomplete(stacked)
        for form in ICC_FORMS:
            if two_way or form in ("ICC(1,1)", "ICC(1,k)"):
                value = iccs[form].value
                out[form].append(math.nan if value is None else value)
        for metric in ("interval", "ordinal"):
            value = krippendorff_alpha(stacked, metric)  # type: ignore[arg-type]
            out[f"alpha({metric})"].append(math.nan if value is None else value)
    return out


def _draws(n: int, resamples: int, seed: int) -> np.ndarray:
    rng = np.random.default_rng(seed)
    return np.stack([np.bincount(rng.integers(0, n, n), minlength=n) for _ in range(resamples)])


def test_resampled_estimates_equal_the_plain_computation_complete_design() -> None:
    matrix, owner = _pooled(12, 4, 3, seed=3)
    draws = _draws(12, 25, seed=4)
    fast = cluster_estimates(matrix, owner, draws)
    slow = _naive(matrix, owner, draws, two_way=True)
    for name, values in slow.items():
        np.testing.assert_allclose(fast[name], values, rtol=1e-9, atol=1e-12, err_msg=name)
        assert np.isfinite(fast[name]).sum() >= 20, name  # the check is not vacuous


def test_resampled_estimates_equal_the_plain_computation_incomplete_design() -> None:
    # Each candidate meets 2 of 5 interviewers: ICC(1) and alpha use every rating.
    matrix, owner = _pooled(15, 3, 5, seed=8, per_candidate=2)
    draws = _draws(15, 25, seed=9)
    fast = cluster_estimates(matrix, owner, draws)
    slow = _naive(matrix, owner, draws, two_way=False)
    for name, values in slow.items():
        if values:
            np.testing.assert_allclose(fast[name], values, rtol=1e-9, atol=1e-12, err_msg=name)


def _width(low: float | None, high: float | None) -> float:
    assert low is not None and high is not None
    return high - low


def test_copies_of_a_competency_do_not_narrow_the_interval() -> None:
    """Eight identical copies of one competency carry no more information about 20
    candidates than one does. The F interval, which counts 160 independent targets,
    narrows to well under half; the interval over candidates stays about the same."""
    one, owner_one = _pooled(20, 1, 3, seed=11)
    eight = np.vstack([one] * 8)
    owner_eight = np.tile(owner_one, 8)
    for form in ("ICC(1,1)", "ICC(3,1)"):
        f_one = icc_incomplete(one)[form]
        f_eight = icc_incomplete(eight)[form]
        assert _width(f_eight.low, f_eight.high) < 0.5 * _width(f_one.low, f_one.high), form
        c_one = cluster_intervals(one, owner_one)[form]
        c_eight = cluster_intervals(eight, owner_eight)[form]
        ratio = _width(c_eight.low, c_eight.high) / _width(c_one.low, c_one.high)
        assert 0.75 < ratio < 1.25, (form, ratio)
        assert c_eight.resamples >= 1800


def test_overall_row_uses_the_interval_over_candidates() -> None:
    specs = [CompetencySpec(f"c{n}", 1, 5) for n in range(6)]
    matrix, owner = _pooled(25, 6, 3, seed=21)
    rows = []
    for target, (values, candidate) in enumerate(zip(matrix, owner, strict=True)):
        competency = f"c{target // 25}"
        for rater, value in enumerate(values):
            rows.append((f"cand{candidate}", f"int{rater}", competency, int(value * 4 + 1)))
    table = RatingTable.build(*zip(*rows, strict=True), specs)  # type: ignore[arg-type]
    report = reliability_report(table)
    overall = {r["measure"]: r for r in report if r["competency"] == OVERALL}
    boot = cluster_intervals(matrix, owner)
    f = icc_incomplete(matrix)
    for measure, row in overall.items():
        assert row["value"] is not None, measure
        low, high = boot[measure].low, boot[measure].high
        assert low is not None and high is not None
        if measure.startswith("ICC"):  # the wider of the two
            f_low, f_high = f[measure].low, f[measure].high
            assert f_low is not None and f_high is not None
            low, high = min(low, f_low), max(high, f_high)
        assert (row["low"], row["high"]) == pytest.approx((low, high)), measure
        assert row["low"] <= row["value"] <= row["high"], measure
        assert row["resamples"] >= 1800
    # A competency's own rows keep their F interval (independent candidates).
    c0 = next(r for r in report if r["competency"] == "c0" and r["measure"] == "ICC(1,1)")
    f = icc_incomplete(matrix[:25])["ICC(1,1)"]
    assert (c0["low"], c0["high"]) == pytest.approx((f.low, f.high))


def test_no_interval_with_one_candidate_or_identical_candidates() -> None:
    single = np.array([[0.5, 0.75], [0.25, 0.5]])
    assert all(r.low is None and "fewer than 2 candidates" in r.reason
               for r in cluster_intervals(single, np.array([0, 0])).values())
    alike = np.array([[0.0, 0.5], [1.0, 0.5], [0.0, 0.5], [1.0, 0.5]])
    assert all(r.low is None and "same pattern" in r.reason
               for r in cluster_intervals(alike, np.array([0, 0, 1, 1])).values())


def test_the_interval_does_not_depend_on_candidate_ids_or_row_order() -> None:
    # Erasing a candidate renames it and moves it in the candidates' order.
    matrix, owner = _pooled(18, 3, 3, seed=5)
    rng = np.random.default_rng(6)
    relabel = rng.permutation(18)
    rows = rng.permutation(matrix.shape[0])
    first = cluster_intervals(matrix, owner)
    second = cluster_intervals(matrix[rows], relabel[owner][rows])
    for name, found in first.items():
        assert (found.low, found.high) == pytest.approx((second[name].low, second[name].high),
                                                         abs=1e-12), name
