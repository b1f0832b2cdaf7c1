"""Predictive validity (hiring.scoring.validity) against scipy, closed forms and a
hand-worked range-restriction example."""

from __future__ import annotations

from math import sqrt

import numpy as np
import pytest
from scipy import stats

from hiring.scoring.validity import (
    corrected_interval,
    correlation,
    fisher_z_interval,
    incremental_validity,
    item_analysis,
    thorndike_case2,
)


def _sample(n: int, seed: int = 3, rho: float = 0.4) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    x = rng.normal(3.2, 0.7, n)
    y = rho * (x - 3.2) / 0.7 + rng.normal(0, sqrt(1 - rho**2), n)
    return x, y


@pytest.mark.parametrize("n", [20, 57, 400])
def test_pearson_r_interval_and_p_against_scipy(n: int) -> None:
    x, y = _sample(n, seed=n)
    result = correlation(x, y)
    reference = stats.pearsonr(x, y)
    interval = reference.confidence_interval(confidence_level=0.95)  # Fisher z in scipy
    assert result.kind == "pearson" and result.n == n
    assert result.r == pytest.approx(reference.statistic, abs=1e-12)
    assert result.p == pytest.approx(reference.pvalue, rel=1e-9)
    assert (result.low, result.high) == (pytest.approx(interval.low, abs=1e-12),
                                         pytest.approx(interval.high, abs=1e-12))


def test_point_biserial_for_a_zero_one_outcome() -> None:
    x, latent = _sample(80, seed=9)
    retained = (latent > 0).astype(float)
    result = correlation(x, retained)
    reference = stats.pointbiserialr(retained, x)
    assert result.kind == "point-biserial"
    assert result.r == pytest.approx(reference.statistic, abs=1e-12)
    assert result.p == pytest.approx(reference.pvalue, rel=1e-9)


def test_fisher_z_interval_by_hand() -> None:
    # r = 0.5, n = 28: z = atanh(0.5) = 0.549306, se = 1/5 = 0.2,
    # z -+ 1.959964 * 0.2 = 0.157313 .. 0.941299 -> tanh: 0.156028 .. 0.735818
    low, high = fisher_z_interval(0.5, 28)
    assert low == pytest.approx(0.156028, abs=1e-6)
    assert high == pytest.approx(0.735818, abs=1e-6)


def test_missing_pairs_dropped_and_small_n_not_defined() -> None:
    x, y = _sample(25)
    x[:6] = np.nan  # 19 pairs left
    result = correlation(x, y)
    assert result.n == 19 and result.r is None and result.low is None and result.p is None
    assert result.undefined is not None
    assert (result.undefined.code, result.undefined.count, result.undefined.threshold) == (
        "too_few", 19, 20)
    flat = correlation(np.full(30, 3.0), np.arange(30.0))
    assert flat.r is None and flat.undefined is not None
    assert flat.undefined.code == "no_spread_scores"
    same = correlation(np.arange(30.0), np.ones(30))
    assert same.undefined is not None and same.undefined.code == "no_spread_outcome"


def test_thorndike_case_ii_hand_worked() -> None:
    # The hand-worked example. The interview's overall score has a standard deviation of
    # 0.80 among all applicants and 0.40 among those hired; the observed correlation with
    # the outcome among the hired is r = 0.25.
    #   u = 0.80 / 0.40 = 2
    #   r * u = 0.50
    #   1 - r^2 + r^2 * u^2 = 1 - 0.0625 + 0.0625 * 4 = 1.1875; sqrt = 1.089725
    #   R = 0.50 / 1.089725 = 0.458831
    assert thorndike_case2(0.25, 0.80, 0.40) == pytest.approx(0.458831, abs=1e-6)
    # No restriction (u = 1): unchanged. More spread among the hired (u < 1): smaller.
    assert thorndike_case2(0.31, 0.5, 0.5) == pytest.approx(0.31)
    # u = 0.5, r = 0.4: 0.2 / sqrt(1 - 0.16 + 0.04) = 0.2 / 0.938083 = 0.213201
    assert thorndike_case2(0.4, 0.5, 1.0) == pytest.approx(0.213201, abs=1e-6)


def test_correction_applies_to_both_ends_of_the_interval() -> None:
    x, y = _sample(60, seed=11)
    observed = correlation(x, y)
    corrected = corrected_interval(observed, 0.9, 0.6)
    assert corrected is not None and corrected.u == pytest.approx(1.5)
    assert observed.r is not None and observed.low is not None and observed.high is not None
    assert corrected.r == pytest.approx(thorndike_case2(observed.r, 0.9, 0.6))
    assert corrected.low == pytest.approx(thorndike_case2(observed.low, 0.9, 0.6))
    assert corrected.low < corrected.r < corrected.high
    assert corrected_interval(observed, 0.9, 0.0) is None


def test_incremental_validity_against_the_two_predictor_closed_form() -> None:
    rng = np.random.default_rng(5)
    n = 150
    x1 = rng.normal(size=n)
    x2 = 0.5 * x1 + rng.normal(size=n)
    y = 0.4 * x1 + 0.2 * x2 + rng.normal(size=n)
    result = incremental_validity(np.column_stack([x1, x2]), y)
    r = np.corrcoef([x1, x2, y])
    r12, r1y, r2y = r[0, 1], r[0, 2], r[1, 2]
    # R^2 with two predictors from their correlations (a textbook identity)
    r2 = (r1y**2 + r2y**2 - 2 * r1y * r2y * r12) / (1 - r12**2)
    assert result.r2 == pytest.approx(r2, rel=1e-9)
    first, second = result.columns
    assert first.delta_r2 == pytest.approx(r2 - r2y**2, rel=1e-9)
    assert second.delta_r2 == pytest.approx(r2 - r1y**2, rel=1e-9)
    f = (r2 - r2y**2) / ((1 - r2) / (n - 3))
    assert first.f == pytest.approx(f, rel=1e-9)
    assert first.p == pytest.approx(stats.f.sf(f, 1, n - 3), rel=1e-9)


def test_incremental_validity_needs_residual_degrees_of_freedom() -> None:
    rng = np.random.default_rng(1)
    x = rng.normal(size=(14, 4))
    y = rng.normal(size=14)
    y[0] = np.nan  # 13 rows: 13 - 4 - 1 = 8 < 10
    result = incremental_validity(x, y)
    assert result.n == 13 and result.left_out == 1 and result.r2 is None
    assert result.undefined is not None and result.undefined.code == "too_few"
    assert all(c.delta_r2 is None for c in result.columns)


def test_item_analysis_by_hand() -> None:
    # Competency "calm" asked with two questions (q1 in one round, q2 in another); five
    # candidates; "tone" asked with one question only. Scale top: 5.
    rows = [
        # candidate, competency, question, score
        (1, "calm", "q1", 5), (1, "calm", "q1", 5), (1, "calm", "q2", 4),
        (2, "calm", "q1", 3), (2, "calm", "q2", 3),
        (3, "calm", "q1", 4), (3, "calm", "q2", 2),
        (4, "calm", "q1", 2), (4, "calm", "q2", 1),
        (5, "calm", "q1", 5), (5, "calm", "q2", 5),
        (1, "tone", "t1", 3), (2, "tone", "t1", 3),
    ]
    c, comp, q, s = zip(*rows, strict=True)
    items = item_analysis(c, comp, q, s, {"calm": 5, "tone": 5}, min_n=4)
    assert [(i.competency, i.question) for i in items] == [
        ("calm", "q1"), ("calm", "q2"), ("tone", "t1")]
    q1, q2, t1 = items
    # q1 ratings: 5, 5, 3, 4, 2, 5: mean 24/6 = 4, sd sqrt(8/5), ceiling 3/6
    assert (q1.n_ratings, q1.n_candidates) == (6, 5)
    assert q1.mean == pytest.approx(4.0) and q1.sd == pytest.approx(sqrt(8 / 5))
    assert q1.ceiling == pytest.approx(0.5)
    # item-rest: candidates' q1 means (5, 3, 4, 2, 5) against q2 (4, 3, 2, 1, 5)
    expected = np.corrcoef([5, 3, 4, 2, 5], [4, 3, 2, 1, 5])[0, 1]
    assert q1.item_rest.r == pytest.approx(expected) and q1.item_rest.n == 5
    assert q2.item_rest.r == pytest.approx(expected)
    assert q2.ceiling == pytest.approx(1 / 5)
    assert t1.item_rest.r is None and t1.item_rest.undefined is not None
    assert t1.item_rest.undefined.code == "one_question"
    assert t1.sd == 0.0 and t1.ceiling == 0.0


def test_a_table_from_codes_scores_as_build_does() -> None:
    """The reports' fast path (``RatingTable.from_codes``) against ``build``."""
    from hiring.errors import InputError
    from hiring.scoring.aggregate import competency_scores, overall_scores
    from hiring.scoring.rating_table import CompetencySpec, RatingTable

    specs = [CompetencySpec("calm", 1, 5, weight=1.5), CompetencySpec("tone", 0, 3)]
    rows = [(10, "Kim", "calm", 4), (10, "Lu", "calm", 5), (10, "Kim", "tone", 2),
            (11, "Kim", "calm", 2), (11, "Lu", "tone", 0), (12, "Lu", "calm", 3)]
    candidates, interviewers, competencies, scores = zip(*rows, strict=True)
    built = RatingTable.build(candidates, interviewers, competencies, scores, specs,
                              candidate_ids=[10, 11, 12])
    fast = RatingTable.from_codes(
        [10, 11, 12], np.array([0, 0, 0, 1, 1, 2]), 2, np.array([0, 1, 0, 0, 1, 1]),
        np.array([0, 0, 1, 0, 1, 0]), np.array(scores), specs)
    for table in (built, fast):
        assert table.candidate_ids == (10, 11, 12)
    a, b = competency_scores(built), competency_scores(fast)
    np.testing.assert_array_equal(a.used, b.used)
    np.testing.assert_array_equal(overall_scores(built, a).score, overall_scores(fast, b).score)
    with pytest.raises(InputError, match="score 4 for candidate '11' on 'tone' is not a whole "
                                         "number from 0 to 3"):
        RatingTable.from_codes([10, 11], np.array([1]), 1, np.array([0]), np.array([1]),
                               np.array([4]), specs)
