"""ICC and Krippendorff's alpha against published examples and reference packages."""

from __future__ import annotations

import json
import math

import numpy as np
import pytest

from hiring.scoring.alpha import krippendorff_alpha
from hiring.scoring.icc import icc_complete, icc_incomplete, largest_complete_block
from hiring.scoring.rating_table import CompetencySpec, RatingTable
from hiring.scoring.reliability import alpha_band, competency_matrices, icc_band, reliability_report

# Shrout & Fleiss (1979), Table 2: 6 targets x 4 judges.
SHROUT_FLEISS = np.array(
    [[9, 2, 5, 8], [6, 1, 3, 2], [8, 4, 6, 8], [7, 1, 2, 6], [10, 5, 6, 9], [6, 2, 4, 7]],
    dtype=float,
)
SHROUT_FLEISS_PUBLISHED = {
    "ICC(1,1)": 0.17, "ICC(2,1)": 0.29, "ICC(3,1)": 0.71,
    "ICC(1,k)": 0.44, "ICC(2,k)": 0.62, "ICC(3,k)": 0.91,
}

_ = math.nan
# Krippendorff (2011), observers A-D (rows) x 12 units (columns).
KRIPPENDORFF_2011 = np.array([
    [1, 2, 3, 3, 2, 1, 4, 1, 2, _, _, _],
    [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, _, 3],
    [_, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, _],
    [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, _],
])
KRIPPENDORFF_PUBLISHED = {"nominal": 0.743, "interval": 0.849, "ordinal": 0.815}


def test_shrout_fleiss_table_2_matches_published_values() -> None:
    values = icc_complete(SHROUT_FLEISS)
    for form, published in SHROUT_FLEISS_PUBLISHED.items():
        assert round(values[form], 2) == published, form


def test_incomplete_icc_on_a_complete_matrix_is_shrout_fleiss() -> None:
    results = icc_incomplete(SHROUT_FLEISS)
    for form, published in SHROUT_FLEISS_PUBLISHED.items():
        assert round(results[form].value, 2) == published, form
        assert results[form].targets == 6
        assert results[form].raters == 4


@pytest.mark.parametrize("metric", ["nominal", "interval", "ordinal"])
def test_krippendorff_2011_example(metric: str) -> None:
    import krippendorff

    ours = krippendorff_alpha(KRIPPENDORFF_2011.T, metric)  # units x raters
    assert round(ours, 3) == KRIPPENDORFF_PUBLISHED[metric]
    reference = krippendorff.alpha(reliability_data=KRIPPENDORFF_2011,
                                   level_of_measurement=metric)
    assert ours == pytest.approx(reference, abs=1e-12)


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_icc_matches_pingouin_on_random_complete_data(seed: int) -> None:
    import pandas as pd
    import pingouin

    rng = np.random.default_rng(seed)
    n, k = 25, 4
    matrix = (rng.integers(1, 6, (n, k)) + rng.integers(0, 3, (n, 1))).astype(float)
    long = pd.DataFrame({
        "target": np.repeat(np.arange(n), k),
        "rater": np.tile(np.arange(k), n),
        "score": matrix.reshape(-1),
    })
    reference = pingouin.intraclass_corr(long, targets="target", raters="rater",
                                         ratings="score").set_index("Type")["ICC"]
    # pingouin 0.7 names the two-way forms by McGraw & Wong: A = absolute agreement
    # (Shrout & Fleiss case 2), C = consistency (case 3).
    names = {"ICC(1,1)": "ICC(1,1)", "ICC(A,1)": "ICC(2,1)", "ICC(C,1)": "ICC(3,1)",
             "ICC(1,k)": "ICC(1,k)", "ICC(A,k)": "ICC(2,k)", "ICC(C,k)": "ICC(3,k)"}
    ours = icc_complete(matrix)
    for theirs, form in names.items():
        assert ours[form] == pytest.approx(reference[theirs], abs=1e-9), form


@pytest.mark.parametrize("seed", [4, 5, 6])
@pytest.mark.parametrize("metric", ["nominal", "interval", "ordinal"])
def test_alpha_matches_krippendorff_package_with_missing_values(seed: int, metric: str) -> None:
    import krippendorff

    rng = np.random.default_rng(seed)
    units, raters = 40, 6
    data = (rng.integers(0, 4, (units, 1)) + rng.integers(0, 3, (units, raters))).astype(float)
    data[rng.random((units, raters)) < 0.4] = np.nan
    reference = krippendorff.alpha(reliability_data=data.T, level_of_measurement=metric)
    assert krippendorff_alpha(data, metric) == pytest.approx(reference, abs=1e-9)


def test_one_way_icc_on_unbalanced_data_by_hand() -> None:
    # Targets rated 2, 3 and 1 times. By hand: means 2, 5, 2; grand mean 21/6 = 3.5;
    # MSB = (2 + 3 + 1) * 1.5^2 / 2 = 6.75; MSW = (1 + 1 + 1 + 0 + 1 + 0) / 3 = 4/3;
    # k0 = (6 - (4 + 9 + 1) / 6) / 2 = 11/6.
    matrix = np.array([[1, 3, _], [4, 5, 6], [_, _, 2]])
    results = icc_incomplete(matrix)
    msb, msw, k0 = 6.75, 4 / 3, 11 / 6
    assert results["ICC(1,1)"].value == pytest.approx((msb - msw) / (msb + (k0 - 1) * msw))
    assert results["ICC(1,1)"].value == pytest.approx(0.689046, abs=1e-6)
    assert results["ICC(1,k)"].value == pytest.approx((msb - msw) / msb)
    assert results["ICC(1,k)"].raters == pytest.approx(11 / 6)
    assert results["ICC(1,1)"].targets == 3
    # The two-way forms rest on the one complete block: targets 0-1 x raters 0-1.
    block = icc_complete(np.array([[1, 3], [4, 5]], dtype=float))
    assert results["ICC(2,1)"].value == pytest.approx(block["ICC(2,1)"])
    assert (results["ICC(2,1)"].targets, results["ICC(2,1)"].raters) == (2, 2)
    # Without a second complete target there is no two-way figure.
    sparse = icc_incomplete(np.array([[1, 3, _], [4, _, 6], [_, _, 2]]))
    assert sparse["ICC(2,1)"].value is None
    assert "complete block" in sparse["ICC(2,1)"].reason
    assert sparse["ICC(1,1)"].value is not None


def test_two_way_forms_use_the_largest_complete_block() -> None:
    block = np.array([[5, 4, 5], [2, 1, 2], [3, 3, 4], [1, 2, 1]], dtype=float)
    matrix = np.full((5, 4), np.nan)
    matrix[:4, :3] = block
    matrix[0, 3] = 5  # rater 3 shares only target 0 and rates target 4
    matrix[4, 3] = 2
    matrix[4, 0] = 1
    targets, raters = largest_complete_block(matrix)
    assert targets.tolist() == [0, 1, 2, 3]
    assert raters.tolist() == [0, 1, 2]
    results = icc_incomplete(matrix)
    expected = icc_complete(block)
    for form in ("ICC(2,1)", "ICC(3,1)", "ICC(2,k)", "ICC(3,k)"):
        assert results[form].value == pytest.approx(expected[form])
        assert (results[form].targets, results[form].raters) == (4, 3)


def test_no_variation_gives_none_with_a_reason() -> None:
    flat = np.full((4, 3), 3.0)
    results = icc_incomplete(flat)
    assert all(r.value is None and r.reason for r in results.values())
    assert krippendorff_alpha(flat, "interval") is None
    assert krippendorff_alpha(np.array([[1.0, _], [2.0, _]]), "interval") is None


def test_bands() -> None:
    assert [icc_band(v) for v in (0.49, 0.5, 0.75, 0.9, 0.91, None)] == [
        "poor", "moderate", "good", "good", "excellent", None]
    assert [alpha_band(v) for v in (0.8, 0.7, 0.66)] == ["reliable", "tentative", "unreliable"]


def _two_competency_table() -> RatingTable:
    specs = [CompetencySpec("teamwork", 1, 5), CompetencySpec("calm", 0, 3, "weakness")]
    rows = [
        ("c1", "ann", "teamwork", 5), ("c1", "bo", "teamwork", 4),
        ("c2", "ann", "teamwork", 2), ("c2", "bo", "teamwork", 1),
        ("c3", "ann", "teamwork", 3), ("c3", "bo", "teamwork", 3),
        ("c1", "ann", "calm", 3), ("c2", "bo", "calm", 0), ("c3", "cy", "calm", 1),
    ]
    return RatingTable.build(*zip(*rows, strict=True), specs)  # type: ignore[arg-type]


def test_competency_matrices_place_ratings_and_nan() -> None:
    table = _two_competency_table()
    matrices = competency_matrices(table)
    assert table.interviewer_ids == ("ann", "bo", "cy")
    np.testing.assert_array_equal(matrices["teamwork"],
                                  [[5, 4, _], [2, 1, _], [3, 3, _]])
    np.testing.assert_array_equal(matrices["calm"], [[3, _, _], [_, 0, _], [_, _, 1]])
    normalised = competency_matrices(table, normalised=True)
    assert normalised["calm"][2, 2] == pytest.approx(1 / 3)
    assert normalised["teamwork"][0, 0] == pytest.approx(1.0)


def test_reliability_report_is_plain_data_per_competency_and_overall() -> None:
    table = _two_competency_table()
    rows = reliability_report(table)
    json.dumps(rows)  # plain data only
    by_key = {(r["competency"], r["measure"]): r for r in rows}
    assert {r["competency"] for r in rows} == {"teamwork", "calm", "overall"}
    assert len(rows) == 3 * 8
    teamwork = icc_complete(np.array([[5, 4], [2, 1], [3, 3]], dtype=float))
    assert by_key[("teamwork", "ICC(2,1)")]["value"] == pytest.approx(teamwork["ICC(2,1)"])
    # Three candidates: the point says "good", the interval spans more than two bands.
    assert icc_band(teamwork["ICC(2,1)"]) == "good"
    assert by_key[("teamwork", "ICC(2,1)")]["band"] == "too few candidates to tell"
    assert by_key[("teamwork", "ICC(2,1)")]["low"] < 0.5 < 0.9 < by_key[
        ("teamwork", "ICC(2,1)")]["high"]
    # Nobody rated 'calm' twice: nothing can be said about agreement on it.
    assert by_key[("calm", "ICC(1,1)")]["value"] is None
    assert by_key[("calm", "alpha(interval)")]["value"] is None
    # Overall pools the normalised teamwork matrix (calm adds no pairable unit).
    pooled = (np.array([[5, 4], [2, 1], [3, 3]], dtype=float) - 1) / 4
    assert by_key[("overall", "alpha(interval)")]["value"] == pytest.approx(
        krippendorff_alpha(pooled, "interval"))
    assert by_key[("overall", "alpha(interval)")]["targets"] == 3


PINGOUIN_NAMES = {"ICC(1,1)": "ICC(1,1)", "ICC(A,1)": "ICC(2,1)", "ICC(C,1)": "ICC(3,1)",
                  "ICC(1,k)": "ICC(1,k)", "ICC(A,k)": "ICC(2,k)", "ICC(C,k)": "ICC(3,k)"}


@pytest.mark.parametrize("seed", range(10, 22))
def test_icc_intervals_match_pingouin_ci95_on_random_complete_designs(seed: int) -> None:
    pd = pytest.importorskip("pandas")
    pingouin = pytest.importorskip("pingouin")
    rng = np.random.default_rng(seed)
    n, k = int(rng.integers(5, 40)), int(rng.integers(2, 7))
    spread = rng.uniform(0.2, 2.0)  # from unreliable to very reliable designs
    matrix = np.clip(np.round(3 + rng.normal(0, spread, (n, 1)) + rng.normal(0, 0.8, (n, k))),
                     1, 5)
    long = pd.DataFrame({"target": np.repeat(np.arange(n), k), "rater": np.tile(np.arange(k), n),
                         "score": matrix.reshape(-1)})
    saved = pingouin.options.get("round.column.CI95")
    pingouin.options["round.column.CI95"] = None  # pingouin rounds CI95 to 2 decimals
    try:
        reference = pingouin.intraclass_corr(long, targets="target", raters="rater",
                                             ratings="score").set_index("Type")
    finally:
        pingouin.options["round.column.CI95"] = saved
    ours = icc_incomplete(matrix)
    for theirs, form in PINGOUIN_NAMES.items():
        low, high = (float(v) for v in reference.loc[theirs, "CI95"])
        result = ours[form]
        if result.value is None:  # outside -1..1: pingouin prints it, we do not
            assert not -1 <= reference.loc[theirs, "ICC"] <= 1, form
            continue
        assert result.value == pytest.approx(float(reference.loc[theirs, "ICC"]), abs=1e-9)
        # Ours are clipped to -1..1 (the printed range); pingouin's are not.
        assert result.low == pytest.approx(max(low, -1.0), abs=1e-9), form
        assert result.high == pytest.approx(min(high, 1.0), abs=1e-9), form


def test_alpha_bootstrap_interval_is_seeded_reproducible_and_covers_the_point() -> None:
    from hiring.scoring.alpha import alpha_results

    rng = np.random.default_rng(3)
    data = (rng.integers(0, 4, (60, 1)) + rng.integers(0, 3, (60, 4))).astype(float)
    data[rng.random(data.shape) < 0.3] = np.nan
    first = alpha_results(data)
    again = alpha_results(data)
    other_seed = alpha_results(data, seed=99)
    for metric in ("interval", "ordinal"):
        a, b = first[metric], again[metric]
        assert (a.low, a.high) == (b.low, b.high)  # reproducible
        assert a.low < a.value < a.high
        assert a.resamples == 2000
        assert (a.low, a.high) != (other_seed[metric].low, other_seed[metric].high)
        assert a.value == pytest.approx(krippendorff_alpha(data, metric))  # type: ignore[arg-type]


def test_alpha_bootstrap_matches_resampling_candidates_one_by_one() -> None:
    """The pattern shortcut is the plain bootstrap: compare the spread of both."""
    from hiring.scoring.alpha import alpha_results

    rng = np.random.default_rng(8)
    data = (rng.integers(0, 3, (40, 1)) + rng.integers(0, 3, (40, 3))).astype(float)
    plain = []
    for _ in range(1500):
        sample = data[rng.integers(0, 40, 40)]
        value = krippendorff_alpha(sample, "interval")
        if value is not None:
            plain.append(value)
    plain_low, plain_high = np.quantile(plain, [0.025, 0.975])
    ours = alpha_results(data, ("interval",))["interval"]
    assert ours.low == pytest.approx(plain_low, abs=0.04)
    assert ours.high == pytest.approx(plain_high, abs=0.04)


def test_band_words_come_from_the_interval() -> None:
    from hiring.scoring.reliability import TOO_FEW, band_word, interval_bands

    assert band_word(interval_bands(0.8, 0.88)) == "good"
    assert band_word(interval_bands(0.6, 0.8)) == "moderate to good"
    assert band_word(interval_bands(0.3, 0.8)) == TOO_FEW
    assert band_word(interval_bands(0.7, 0.85, "alpha")) == "tentative to reliable"
    assert band_word(interval_bands(0.5, 0.85, "alpha")) == TOO_FEW
    assert band_word(interval_bands(None, None)) is None
