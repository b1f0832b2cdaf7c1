"""Adverse impact (hiring.scoring.fairness) against the textbook four-fifths case, exact
hypergeometric sums written out here, and scipy."""

from __future__ import annotations

from fractions import Fraction
from math import comb

import numpy as np
import pytest
from scipy import stats

from hiring.scoring.fairness import (
    OTHER,
    GroupCount,
    adverse_impact,
    fisher_exact_p,
    four_fifths_shortfall,
    group_means,
    merge_small,
)


def exact_fisher_two_sided(a: int, n1: int, c: int, n2: int) -> Fraction:
    """Fisher's two-sided p by hand: every table with the margins fixed whose probability
    is at most the observed one's, summed as exact fractions (no floating point)."""
    selected = a + c
    total = n1 + n2

    def probability(x: int) -> Fraction:
        return Fraction(comb(n1, x) * comb(n2, selected - x), comb(total, selected))

    observed = probability(a)
    support = range(max(0, selected - n2), min(n1, selected) + 1)
    return sum((probability(x) for x in support if probability(x) <= observed), Fraction(0))


def test_four_fifths_textbook_case() -> None:
    # Group A: 48 of 80 selected (0.60); group B: 12 of 40 (0.30): ratio 0.50 < 0.80.
    impact = adverse_impact([GroupCount("A", 80, 48), GroupCount("B", 40, 12)])
    a, b = impact.groups
    assert impact.reference == "A"
    assert a.rate == pytest.approx(0.60) and b.rate == pytest.approx(0.30)
    assert a.impact_ratio == pytest.approx(1.0) and a.reference and not a.flagged
    assert b.impact_ratio == pytest.approx(0.50)
    assert b.flagged and b.unstable == ()
    # 8 more: 20/40 = 0.50 >= 0.8 * 0.60 = 0.48, while 19/40 = 0.475 is not.
    assert b.shortfall == 8
    assert a.shortfall is None and a.fisher_p is None
    exact = exact_fisher_two_sided(12, 40, 48, 80)
    assert b.fisher_p == pytest.approx(float(exact), rel=1e-9)
    reference = stats.fisher_exact([[12, 28], [48, 32]], alternative="two-sided").pvalue
    assert b.fisher_p == pytest.approx(reference, rel=1e-12)
    assert 0.001 < b.fisher_p < 0.01  # 0.0031...: the textbook difference is significant


@pytest.mark.parametrize("table", [
    (3, 4, 1, 4),      # tea tasting: 3 of 4 right vs 1 of 4
    (0, 30, 10, 35),
    (7, 30, 9, 31),
    (1, 5, 5, 5),
    (20, 200, 45, 210),
])
def test_fisher_p_against_exact_sums_and_scipy(table: tuple[int, int, int, int]) -> None:
    a, n1, c, n2 = table
    p = fisher_exact_p(a, n1, c, n2)
    assert p == pytest.approx(float(exact_fisher_two_sided(a, n1, c, n2)), rel=1e-9)
    expected = stats.fisher_exact([[a, n1 - a], [c, n2 - c]]).pvalue
    assert p == pytest.approx(expected, rel=1e-12)


@pytest.mark.parametrize("table", [(480, 4000, 900, 6000), (2500, 5000, 2490, 5000),
                                   (5, 10, 5, 10), (0, 3, 0, 3)])
def test_fisher_p_for_large_and_tied_tables_against_scipy(
    table: tuple[int, int, int, int]
) -> None:
    a, n1, c, n2 = table
    expected = stats.fisher_exact([[a, n1 - a], [c, n2 - c]]).pvalue
    assert fisher_exact_p(a, n1, c, n2) == pytest.approx(expected, rel=1e-9, abs=1e-300)


def test_tea_tasting_p_by_hand() -> None:
    # 1/70 + 16/70 + 16/70 + 1/70 = 34/70 (the two tables of probability 36/70 excluded)
    assert fisher_exact_p(3, 4, 1, 4) == pytest.approx(34 / 70)


@pytest.mark.parametrize(("selected", "applicants", "ref_selected", "ref_applicants",
                          "expected"), [
    (12, 40, 48, 80, 8),
    (40, 100, 50, 100, 0),  # exactly 0.8: nothing short
    (39, 100, 50, 100, 1),
    (0, 30, 30, 30, 24),    # 24/30 = 0.8 of 1.0
    (5, 10, 1, 10, 0),      # above the reference
])
def test_shortfall(selected: int, applicants: int, ref_selected: int, ref_applicants: int,
                   expected: int) -> None:
    shortfall = four_fifths_shortfall(selected, applicants, ref_selected, ref_applicants)
    assert shortfall == expected
    # the definition, checked with fractions: the smallest x reaching 4/5
    ref_rate = Fraction(ref_selected, ref_applicants)
    x = shortfall
    assert Fraction(selected + x, applicants) >= Fraction(4, 5) * ref_rate
    if x > 0:
        assert Fraction(selected + x - 1, applicants) < Fraction(4, 5) * ref_rate


def test_ratio_of_exactly_four_fifths_is_not_flagged() -> None:
    impact = adverse_impact([GroupCount("A", 100, 50), GroupCount("B", 100, 40)])
    b = impact.groups[1]
    assert b.impact_ratio == pytest.approx(0.8) and not b.flagged and b.shortfall == 0
    low = adverse_impact([GroupCount("A", 100, 50), GroupCount("B", 100, 39)]).groups[1]
    assert low.flagged and low.shortfall == 1


def test_small_numbers_are_unstable_not_flagged() -> None:
    # B's ratio is 0.2, but B has 20 applicants (< 30): said, not flagged.
    impact = adverse_impact([GroupCount("A", 60, 30), GroupCount("B", 20, 2)])
    b = impact.groups[1]
    assert b.impact_ratio == pytest.approx(0.2)
    assert not b.flagged
    assert [(u.code, u.group, u.count, u.threshold) for u in b.unstable] == [
        ("few_applicants", "B", 20, 30)]
    # Few selected in both groups together: 3 of 80 (< 5).
    few = adverse_impact([GroupCount("A", 40, 3), GroupCount("B", 40, 0)]).groups[1]
    assert few.impact_ratio == 0.0 and not few.flagged
    assert [(u.code, u.count) for u in few.unstable] == [("few_selected", 3)]


def test_nobody_selected_defines_no_ratio() -> None:
    impact = adverse_impact([GroupCount("A", 40, 0), GroupCount("B", 40, 0)])
    assert impact.reference is None
    assert all(g.rate == 0.0 and g.impact_ratio is None and not g.flagged
               for g in impact.groups)


def test_small_groups_merge_into_other_or_are_left_out() -> None:
    counts = [GroupCount("A", 50, 20), GroupCount("B", 40, 10), GroupCount("C", 3, 1),
              GroupCount("D", 4, 0)]
    impact = adverse_impact(counts)
    assert [g.group for g in impact.groups] == ["A", "B", OTHER]
    other = impact.groups[2]
    assert (other.applicants, other.selected, other.merged) == (7, 1, ("C", "D"))
    assert impact.merge.left_out_people == 0
    # Alone, C is still fewer than 5 as "other": left out, and counted.
    alone = adverse_impact([GroupCount("A", 50, 20), GroupCount("C", 3, 1)])
    assert [g.group for g in alone.groups] == ["A"]
    assert alone.merge.left_out == ("C",) and alone.merge.left_out_people == 3
    # A larger minimum merges more; the data's own "other" joins the merged group.
    merge = merge_small({"A": 50, "B": 9, OTHER: 12}, min_group=10)
    assert merge.shown == {"A": "A", "B": OTHER, OTHER: OTHER}
    assert merge.merged == ("B", OTHER)


def test_other_is_not_the_reference_while_a_named_group_has_a_rate() -> None:
    impact = adverse_impact([GroupCount("A", 50, 10), GroupCount("B", 2, 2),
                             GroupCount("C", 3, 3)])
    assert impact.reference == "A"  # "other" (B + C) has rate 1.0 but is a mixture
    other = impact.groups[-1]
    assert other.group == OTHER and other.impact_ratio == pytest.approx(5.0)


def test_group_means_against_scipy_t_interval() -> None:
    values = [1, 2, 3, 4, 5, 2, 2, 3, 3, 4, 5, 1, np.nan]
    groups = ["a"] * 5 + ["b"] * 6 + ["c"] * 1 + ["b"]
    result = group_means(values, groups)
    shown = {g.group: g for g in result.groups}
    assert set(shown) == {"a", "b"}  # c (1 person) is too small even as "other"
    assert result.left_out_people == 1 and result.unscored == 1
    a = shown["a"]
    sample = np.array([1, 2, 3, 4, 5], dtype=float)
    low, high = stats.t.interval(0.95, df=4, loc=sample.mean(), scale=stats.sem(sample))
    assert a.n == 5 and a.mean == pytest.approx(3.0)
    assert a.sd == pytest.approx(np.sqrt(2.5))
    assert (a.low, a.high) == (pytest.approx(low), pytest.approx(high))
    # by hand: t(0.975, 4) = 2.776445, sd / sqrt(5) = 0.707107: 3 -+ 1.963243
    assert a.low == pytest.approx(3 - 1.963243, abs=1e-5)
