"""Competency scores, overall scores, ranking, profiles, panels, calibration, tallies.

Small examples on the test bank's two scales (teamwork 1-5, strength, weight 1;
avoiding-arguments 0-3, weakness, weight 2), every expected value worked out by hand
in the comments.
"""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pytest

from hiring.errors import InputError
from hiring.scoring.aggregate import (
    competency_scores,
    competition_rank,
    overall_scores,
    panel_sizes,
    t_quantile_975,
)
from hiring.scoring.calibration import rater_calibration
from hiring.scoring.profile import strengths_and_weaknesses
from hiring.scoring.recommendations import tally_recommendations
from hiring.scoring.table import CompetencySpec, RatingTable, competency_specs

SMALL_BANK = Path(__file__).parent / "fixtures" / "small_bank"
TW, AV = "teamwork", "avoiding-arguments"
SPECS = [CompetencySpec(TW, 1, 5, "strength", 1.0), CompetencySpec(AV, 0, 3, "weakness", 2.0)]

RATINGS = [
    # dee: perfect everywhere.
    ("dee", "A", TW, 5), ("dee", "B", TW, 5), ("dee", "A", AV, 3), ("dee", "B", AV, 3),
    # ann and cy: the same scores from different interviewers -> a tie.
    ("ann", "A", TW, 4), ("ann", "B", TW, 5), ("ann", "A", AV, 3), ("ann", "B", AV, 2),
    ("cy", "C", TW, 5), ("cy", "D", TW, 4), ("cy", "C", AV, 2), ("cy", "D", AV, 3),
    # bob: teamwork 1 vs 5 is a disagreement; avoiding-arguments mean 0.5 is a risk.
    ("bob", "A", TW, 1), ("bob", "B", TW, 5), ("bob", "A", AV, 0), ("bob", "B", AV, 1),
    # eve: never rated on avoiding-arguments -> incomplete.
    ("eve", "A", TW, 3),
]


def build(ratings: list[tuple[str, str, str, int]] = RATINGS, **kwargs: object) -> RatingTable:
    candidates, interviewers, competencies, scores = zip(*ratings, strict=True)
    return RatingTable.build(candidates, interviewers, competencies, scores, SPECS,
                             **kwargs)  # type: ignore[arg-type]


def test_specs_come_from_the_bank() -> None:
    from hiring.bank.load import load_bank

    bank = load_bank([SMALL_BANK])
    assert competency_specs(bank, "inbound-agent") == SPECS


def test_competency_scores_mean_min_max_and_disagreement() -> None:
    table = build()
    scores = competency_scores(table)
    ann, bob, eve = (table.candidate_code(c) for c in ("ann", "bob", "eve"))
    tw, av = table.competency_code(TW), table.competency_code(AV)
    assert scores.mean[ann, tw] == 4.5 and scores.n_ratings[ann, tw] == 2
    assert (scores.minimum[bob, tw], scores.maximum[bob, tw]) == (1, 5)
    # Teamwork range 4: 5 - 1 = 4 >= 2 flags bob; ann's 1 < 2 does not.
    assert scores.disagreement[bob, tw] and not scores.disagreement[ann, tw]
    # 0-3 scale, half range 1.5: bob's 0 vs 1 is no disagreement.
    assert not scores.disagreement[bob, av]
    assert math.isnan(scores.mean[eve, av]) and scores.n_ratings[eve, av] == 0
    assert not scores.disagreement[eve, tw]  # a single rating cannot disagree


def test_disagreement_on_the_zero_to_three_scale_at_half_range() -> None:
    # 0 vs 2: 2 >= 1.5 flags it; 1 vs 2: 1 < 1.5 does not.
    ratings = [("x", "A", AV, 0), ("x", "B", AV, 2), ("y", "A", AV, 1), ("y", "B", AV, 2)]
    scores = competency_scores(build(ratings))
    assert scores.disagreement[:, 1].tolist() == [True, False]


def test_consensus_replaces_the_mean_but_keeps_the_ratings() -> None:
    table = build()
    scores = competency_scores(table, consensus={("bob", TW): 2})
    bob = table.candidate_code("bob")
    assert scores.used[bob, 0] == 2 and scores.mean[bob, 0] == 3
    assert (scores.minimum[bob, 0], scores.maximum[bob, 0]) == (1, 5)
    assert scores.consensus[bob, 0] == 2 and math.isnan(scores.consensus[bob, 1])
    overall = overall_scores(table, scores)
    # bob: teamwork (2 - 1) / 4 = 0.25, avoid 0.5 / 3 = 1/6 -> (0.25 + 2/6) / 3 = 7/36;
    # on 1-5: 1 + 4 * 7/36 = 16/9.
    assert overall.score[bob] == pytest.approx(16 / 9)
    with pytest.raises(InputError, match="outside"):
        competency_scores(table, consensus={("bob", AV): 4})


def test_overall_score_interval_ranking_and_incomplete() -> None:
    table = build(candidate_ids=["fay"])  # fay: listed, never rated
    overall = overall_scores(table, competency_scores(table))
    rows = {row["candidate"]: row for row in overall.rows()}

    # ann: teamwork 4.5 -> 0.875, avoid 2.5 -> 5/6; weights 1 and 2:
    # (0.875 + 2 * 5/6) / 3 = 61/72 -> 1 + 4 * 61/72 = 79/18 on the 1-5 scale.
    assert rows["ann"]["score"] == pytest.approx(79 / 18)
    # Interval: normalised ratings teamwork 0.75, 1 (SS 1/32), avoid 1, 2/3 (SS 1/18);
    # s^2 = (1/32 + 1/18) / 2 = 25/576; var = s^2 * ((1/3)^2 / 2 + (2/3)^2 / 2) = s^2 * 5/18;
    # half = t(0.975, 2) * sqrt(var) = 4.302653 * 0.109799, times 4 on the 1-5 scale.
    half = 4.302652729749462 * math.sqrt(25 / 576 * 5 / 18) * 4
    assert rows["ann"]["low"] == pytest.approx(79 / 18 - half)
    assert rows["ann"]["high"] == 5.0  # 79/18 + 1.89 would leave the scale: clipped
    assert rows["ann"]["n_ratings"] == 4
    # dee: all ratings equal -> no spread, a zero-width interval.
    assert rows["dee"]["score"] == rows["dee"]["low"] == rows["dee"]["high"] == 5.0
    # bob: (0.5 + 2 * 1/6) / 3 = 5/18 -> 1 + 20/18.
    assert rows["bob"]["score"] == pytest.approx(1 + 20 / 18)

    # Ties share a rank and the next rank is skipped: 1, 2, 2, 4.
    assert [(r["candidate"], r["rank"]) for r in overall.rows()[:4]] == [
        ("dee", 1), ("ann", 2), ("cy", 2), ("bob", 4)]
    # Incomplete candidates come after the ranking, unranked.
    assert [r["candidate"] for r in overall.rows()[4:]] == ["fay", "eve"]
    assert rows["eve"]["rank"] is None and rows["eve"]["incomplete"]
    assert rows["eve"]["missing"] == [AV]
    assert rows["eve"]["score"] == 3.0  # over the rated competency only
    assert rows["eve"]["low"] is None  # one rating: no interval
    assert rows["fay"]["score"] is None and rows["fay"]["missing"] == [TW, AV]
    assert not rows["ann"]["incomplete"] and rows["ann"]["missing"] == []


def test_overall_score_on_the_first_competencys_scale() -> None:
    # With the 0-3 competency listed first, the overall lands on 0-3:
    # ann 61/72 normalised -> 3 * 61/72.
    specs = list(reversed(SPECS))
    candidates, interviewers, competencies, scores = zip(*RATINGS, strict=True)
    table = RatingTable.build(candidates, interviewers, competencies, scores, specs)
    overall = overall_scores(table, competency_scores(table))
    assert overall.score[table.candidate_code("ann")] == pytest.approx(3 * 61 / 72)
    assert (overall.scale_min, overall.scale_max) == (0, 3)


def test_competition_rank_treats_rounding_noise_as_a_tie() -> None:
    values = np.array([0.3, 0.1 + 0.2, 0.9, 0.2, 0.5])
    eligible = np.array([True, True, True, True, False])
    assert competition_rank(values, eligible).tolist() == [2, 2, 1, 4, 0]


def test_t_quantiles_match_scipy() -> None:
    from scipy import stats

    # Exactly scipy's (the old table and series were within 1e-6 and floored a
    # fractional df): any df, whole or not.
    df = np.array([1, 2, 5, 29, 30, 31, 45, 100, 1000, 2.5, 40.5])
    assert t_quantile_975(df) == pytest.approx(stats.t.ppf(0.975, df), rel=1e-12)
    assert math.isnan(t_quantile_975(np.array([0]))[0])
    import hiring.scoring.aggregate as aggregate

    assert not hasattr(aggregate, "_T975")  # no hand-written table left


def test_panel_sizes_flag_smaller_panels() -> None:
    table = build(candidate_ids=["fay"])
    panels = panel_sizes(table)
    rows = {r["candidate"]: r for r in panels.rows()}
    assert panels.typical == 2
    assert rows["ann"]["panel_size"] == 2 and not rows["ann"]["small_panel"]
    assert rows["eve"]["panel_size"] == 1 and rows["eve"]["small_panel"]
    assert rows["fay"]["panel_size"] == 0 and rows["fay"]["small_panel"]


def test_risk_strengths_and_weaknesses() -> None:
    table = build(RATINGS + [("gus", "A", TW, 2), ("gus", "A", AV, 2)])
    profiles = strengths_and_weaknesses(competency_scores(table))
    rows = {r["candidate"]: r for r in profiles.rows()}
    assert rows["bob"]["risks"] == [AV]  # 0.5 <= midpoint 1.5
    assert rows["ann"]["risks"] == []  # 2.5 > 1.5
    assert rows["gus"]["risks"] == []  # 2 > 1.5; teamwork 2 is low but a strength kind
    # Two competencies: one strength and one weakness each, by normalised score.
    assert rows["ann"]["strengths"] == [TW] and rows["ann"]["weaknesses"] == [AV]  # .875 > .83
    assert rows["gus"]["strengths"] == [AV] and rows["gus"]["weaknesses"] == [TW]  # .67 > .25
    assert rows["eve"]["strengths"] == [] and rows["eve"]["weaknesses"] == []


def test_risk_at_exactly_the_midpoint() -> None:
    ratings = [("x", "A", AV, 1), ("x", "B", AV, 2), ("x", "A", TW, 1)]
    profiles = strengths_and_weaknesses(competency_scores(build(ratings)))
    assert profiles.risk[0].tolist() == [False, True]  # 1.5 <= 1.5


def test_strengths_relative_to_the_pool() -> None:
    specs = [CompetencySpec(c, 1, 5) for c in ("a", "b", "c", "d")]
    # Pool means: a 4.5, b 2, c 3, d 3. Candidate p: a 4, b 3, c 3, d 1.
    ratings = [
        ("p", "A", "a", 4), ("p", "A", "b", 3), ("p", "A", "c", 3), ("p", "A", "d", 1),
        ("q", "A", "a", 5), ("q", "A", "b", 1), ("q", "A", "c", 3), ("q", "A", "d", 5),
    ]
    table = RatingTable.build(*zip(*ratings, strict=True), specs)  # type: ignore[arg-type]
    scores = competency_scores(table)
    by_scale = strengths_and_weaknesses(scores, top=2, by="scale")
    by_pool = strengths_and_weaknesses(scores, top=2, by="pool")
    # Normalised p: a .75, b .5, c .5, d 0; the b/c tie goes to b (z +0.71 vs c's NaN->0).
    assert by_scale.rows()[0]["strengths"] == ["a", "b"]
    assert by_scale.rows()[0]["weaknesses"] == ["d", "c"]
    # Differences from the pool (normalised): a -.125, b +.25, c 0, d -.5; pool sd of c is
    # 0 so c has no z and is not ranked against the pool; b then a, then d.
    assert by_pool.pool_difference[0].tolist() == pytest.approx([-0.125, 0.25, 0.0, -0.5])
    assert by_pool.rows()[0]["strengths"] == ["b"]
    assert by_pool.rows()[0]["weaknesses"] == ["d"]
    # z of p on b: difference .25 / sd of (.5, 0) = .25 / 0.353553
    assert by_pool.pool_z[0, 1] == pytest.approx(0.25 / math.sqrt(0.125))


def test_leniency_against_co_raters_by_hand() -> None:
    table = build(RATINGS + [("hal", "Solo", TW, 4)])
    calibration = rater_calibration(table)
    rows = {r["interviewer"]: r for r in calibration.rows()}
    # A - B on the six shared cells: dee 0, 0; ann -1, +1; bob -4, -1 -> -5/6.
    assert rows["A"]["leniency"] == pytest.approx(-5 / 6) and rows["A"]["comparisons"] == 6
    assert rows["B"]["leniency"] == pytest.approx(5 / 6) and rows["B"]["comparisons"] == 6
    # C - D on cy: +1, -1 -> 0 over two cells.
    assert rows["C"]["leniency"] == pytest.approx(0) and rows["C"]["comparisons"] == 2
    assert rows["Solo"]["leniency"] is None and rows["Solo"]["comparisons"] == 0
    adjusted = {
        (table.candidate_ids[c], table.interviewer_ids[i], table.competency_ids[k]): a
        for c, i, k, a in zip(table.candidate, table.interviewer, table.competency,
                              calibration.adjusted, strict=True)
    }
    assert adjusted[("eve", "A", TW)] == pytest.approx(3 + 5 / 6)
    assert adjusted[("dee", "A", TW)] == 5  # 5 + 5/6 clipped to the scale
    assert adjusted[("bob", "B", AV)] == pytest.approx(1 - 5 / 6)
    assert adjusted[("bob", "A", AV)] == pytest.approx(5 / 6)  # 0 + 5/6 on the 0-3 scale
    assert adjusted[("hal", "Solo", TW)] == 4  # no co-raters: unchanged


def test_leniency_uses_the_mean_of_the_other_raters() -> None:
    # One cell rated 4, 2, 3: X - mean(2, 3) = 1.5, Y - 3.5 = -1.5, Z - 3 = 0.
    ratings = [("p", "X", TW, 4), ("p", "Y", TW, 2), ("p", "Z", TW, 3)]
    calibration = rater_calibration(build(ratings))
    assert calibration.leniency.tolist() == pytest.approx([1.5, -1.5, 0.0])
    assert calibration.comparisons.tolist() == [1, 1, 1]


def test_ratings_in_two_rounds_are_averaged_per_rater() -> None:
    ratings = [("p", "X", AV, 3), ("p", "X", AV, 1), ("p", "Y", AV, 0)]
    table = build(ratings, rounds=["screen", "panel", "panel"])
    assert competency_scores(table).n_ratings[0, 1] == 3
    # X's two ratings average to 2: X - Y = 2 on one shared cell.
    assert rater_calibration(table).leniency.tolist() == pytest.approx([2.0, -2.0])
    assert table.select_round("panel").n_ratings == 2


def test_recommendation_tally() -> None:
    tally = tally_recommendations(
        ["ann", "bob"], ["ann", "ann", "bob", "ann"], ["A", "B", "A", "C"],
        ["yes", "strong-yes", "no", "yes"])
    assert tally.rows() == [
        {"candidate": "ann", "strong-no": 0, "no": 0, "yes": 2, "strong-yes": 1},
        {"candidate": "bob", "strong-no": 0, "no": 1, "yes": 0, "strong-yes": 0},
    ]
    with pytest.raises(InputError, match="not one of"):
        tally_recommendations(["ann"], ["ann"], ["A"], ["maybe"])
    with pytest.raises(InputError, match="two recommendations"):
        tally_recommendations(["ann"], ["ann", "ann"], ["A", "A"], ["yes", "no"])


@pytest.mark.parametrize(
    ("ratings", "message"),
    [
        ([("p", "X", TW, 6)], "not a whole number from 1 to 5"),
        ([("p", "X", AV, 1.5)], "not a whole number from 0 to 3"),
        ([("p", "X", "listening", 3)], "not in the role"),
        ([("p", "X", TW, 3), ("p", "X", TW, 4)], "more than once"),
    ],
)
def test_bad_ratings_are_input_errors(ratings: list, message: str) -> None:
    with pytest.raises(InputError, match=message):
        build(ratings)
