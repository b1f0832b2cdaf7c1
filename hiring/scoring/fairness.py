"""Adverse impact: selection rates by group, the four-fifths rule, Fisher's exact test,
the shortfall, and interview scores by group. Pure functions over counts and arrays.

``adverse_impact(counts, min_group=5)`` -> ``StageImpact`` for one stage (who was
considered at it, who was selected), per group:

* selection rate = selected / applicants;
* impact ratio = the group's rate / the reference group's rate, where the reference is
  the group with the highest rate (29 CFR 1607.4(D), the Uniform Guidelines on Employee
  Selection Procedures: "A selection rate for any race, sex, or ethnic group which is
  less than four-fifths (4/5) (or eighty percent) of the rate for the group with the
  highest rate will generally be regarded ... as evidence of adverse impact");
* the four-fifths flag: impact ratio < 0.8, only where the comparison is stable (below);
* Fisher's exact test, two-sided, of the 2 x 2 table (selected, not selected) x (group,
  reference group): the probability, with both margins fixed, of a table at most as
  likely as the one observed (``fisher_exact_p``; the tests hold it to
  ``scipy.stats.fisher_exact`` and to exact sums of fractions);
* the shortfall: the fewest more selections in the group that would bring its impact
  ratio to 4/5, the reference rate held fixed: ``ceil(0.8 * rate_ref * n) - selected``,
  computed in whole numbers (``ceil(4 * sel_ref * n / (5 * n_ref))``) so no rounding of
  0.8 * 0.6 * 40 = 19.2 can miscount.

Small groups. The Guidelines add that differences "based on small numbers" may not
constitute adverse impact. A comparison is called unstable, and not flagged, when the
group or the reference group has fewer than ``MIN_APPLICANTS`` (30) applicants, or the
two together have fewer than ``MIN_SELECTED`` (5) selected; each reason is given
(``Instability``). The figures are still shown, marked.

Privacy. Groups with fewer than ``min_group`` (default 5) people in a table are merged
into one group "other" before anything is computed (``merge_small``), so no person can
be singled out by their group; when "other" itself holds fewer than ``min_group`` people,
it is left out and the count of people left out is given (never their groups). A group
named "other" in the data joins the merged one. The reference group is the highest-rate
named group; "other" (a mixture) is the reference only when no named group has a rate.

``group_means(values, groups, min_group=5)``: per group the mean of a score (one value
per candidate, NaN = not scored), its standard deviation, n and a 95% interval
``mean +- t(0.975, n - 1) * sd / sqrt(n)`` (none for n < 2), after the same merge.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import numpy as np

FOUR_FIFTHS = 0.8
MIN_APPLICANTS = 30  # per group compared: fewer and the ratio is unstable
MIN_SELECTED = 5  # in the two groups compared together: fewer and the ratio is unstable
MIN_GROUP = 5  # groups with fewer people are merged into OTHER
OTHER = "other"


@dataclass(frozen=True)
class GroupCount:
    group: str
    applicants: int
    selected: int

    def __post_init__(self) -> None:
        if self.applicants < 0 or not 0 <= self.selected <= self.applicants:
            raise ValueError(f"group {self.group!r}: {self.selected} selected of "
                             f"{self.applicants} applicants")


@dataclass(frozen=True)
class Instability:
    """Why a comparison is unstable: ``few_applicants`` (``group`` has ``count`` < 30
    applicants) or ``few_selected`` (the two groups have ``count`` < 5 selected)."""

    code: str
    group: str | None
    count: int
    threshold: int


@dataclass(frozen=True)
class GroupImpact:
    group: str
    applicants: int
    selected: int
    rate: float | None  # None: no applicants
    impact_ratio: float | None  # None: no rate, or the reference rate is 0
    reference: bool
    flagged: bool  # impact ratio below 4/5 in a stable comparison
    unstable: tuple[Instability, ...]  # empty: stable (or nothing compared)
    fisher_p: float | None  # None for the reference group and undefined ratios
    shortfall: int | None  # more selections to reach 4/5; 0 when at or above it
    merged: tuple[str, ...] = ()  # for OTHER: the groups it holds

    def to_json(self) -> dict[str, Any]:
        return {
            "group": self.group, "applicants": self.applicants, "selected": self.selected,
            "rate": self.rate, "impact_ratio": self.impact_ratio, "reference": self.reference,
            "flagged": self.flagged,
            "unstable": [vars(reason) for reason in self.unstable],
            "fisher_p": self.fisher_p, "shortfall": self.shortfall,
            "merged": list(self.merged),
        }


@dataclass(frozen=True)
class Merge:
    """How groups map to the groups shown: ``shown[g]`` is g or OTHER; groups in
    ``left_out`` are not shown at all (OTHER too small), ``left_out_people`` of them."""

    shown: dict[str, str]
    merged: tuple[str, ...]  # the groups OTHER holds (the data's own "other" included)
    left_out: tuple[str, ...]
    left_out_people: int


@dataclass(frozen=True)
class StageImpact:
    groups: list[GroupImpact]
    reference: str | None  # None: no group has a selection rate above 0
    merge: Merge
    min_group: int

    @property
    def flagged(self) -> list[GroupImpact]:
        return [g for g in self.groups if g.flagged]

    def to_json(self) -> dict[str, Any]:
        return {
            "reference": self.reference,
            "groups": [g.to_json() for g in self.groups],
            "merged_into_other": list(self.merge.merged),
            "left_out_people": self.merge.left_out_people,
            "min_group": self.min_group,
        }


def merge_small(sizes: Mapping[str, int], min_group: int = MIN_GROUP) -> Merge:
    """Map each group to itself, or to OTHER when it has fewer than ``min_group`` people
    (a group called "other" joins them); leave OTHER out when it is still too small.

    >>> merge_small({"a": 40, "b": 3, "c": 1}).left_out_people
    4
    """
    if min_group < 1:
        raise ValueError("min_group must be 1 or more")
    small = sorted(g for g, n in sizes.items() if n < min_group or g == OTHER)
    shown = {g: (OTHER if g in small else g) for g in sizes}
    other_size = sum(sizes[g] for g in small)
    if small and other_size < min_group:
        return Merge({g: s for g, s in shown.items() if g not in small}, (), tuple(small),
                     other_size)
    return Merge(shown, tuple(small), (), 0)


def selection_rate(selected: int, applicants: int) -> float | None:
    return selected / applicants if applicants else None


def four_fifths_shortfall(selected: int, applicants: int, ref_selected: int,
                          ref_applicants: int) -> int:
    """More selections the group needs for an impact ratio of at least 4/5, the
    reference rate fixed (0 when it has them). Whole-number arithmetic throughout.

    >>> four_fifths_shortfall(12, 40, 48, 80)  # 20/40 = 0.50 >= 0.8 * 0.60; 19/40 is not
    8
    """
    if applicants <= 0 or ref_applicants <= 0:
        raise ValueError("both groups need applicants")
    needed = -(-4 * ref_selected * applicants // (5 * ref_applicants))  # ceiling
    return max(0, needed - selected)


def below_four_fifths(group: GroupCount, reference: GroupCount) -> bool:
    """The group's rate is under 4/5 of the reference's, compared in whole numbers
    (``5 * sel * n_ref < 4 * sel_ref * n``): a ratio of exactly 0.8 is not flagged."""
    return 5 * group.selected * reference.applicants < 4 * reference.selected * group.applicants


def fisher_exact_p(selected: int, applicants: int, ref_selected: int,
                   ref_applicants: int) -> float:
    """Two-sided p of Fisher's exact test on (selected, not selected) x (group, reference).

    With the margins fixed, the group's selected count x is hypergeometric; p sums the
    probabilities of every x no more likely than the observed one (within a relative
    1e-7, as ``scipy.stats.fisher_exact`` does, so ties of equal probability count).
    Computed with ``scipy.special.gammaln``: importing ``scipy.stats`` alone costs longer
    than the whole report's statistics.
    """
    import numpy as np
    from scipy.special import gammaln

    total, chosen = applicants + ref_applicants, selected + ref_selected
    x = np.arange(max(0, chosen - ref_applicants), min(applicants, chosen) + 1)
    log_p = (gammaln(applicants + 1) - gammaln(x + 1) - gammaln(applicants - x + 1)
             + gammaln(ref_applicants + 1) - gammaln(chosen - x + 1)
             - gammaln(ref_applicants - chosen + x + 1)
             - gammaln(total + 1) + gammaln(chosen + 1) + gammaln(total - chosen + 1))
    observed = log_p[selected - int(x[0])]
    return min(1.0, float(np.exp(log_p[log_p <= observed + np.log1p(1e-7)]).sum()))


def _instability(group: GroupCount, reference: GroupCount) -> tuple[Instability, ...]:
    reasons = [
        Instability("few_applicants", g.group, g.applicants, MIN_APPLICANTS)
        for g in (group, reference) if g.applicants < MIN_APPLICANTS
    ]
    together = group.selected + reference.selected
    if together < MIN_SELECTED:
        reasons.append(Instability("few_selected", None, together, MIN_SELECTED))
    return tuple(reasons)


def merge_counts(counts: Sequence[GroupCount], min_group: int = MIN_GROUP
                 ) -> tuple[list[GroupCount], Merge]:
    """The groups as shown: small ones summed into OTHER (or left out), sorted by name
    with OTHER last."""
    sizes: dict[str, int] = {}
    for count in counts:
        if count.group in sizes:
            raise ValueError(f"group {count.group!r} given twice")
        sizes[count.group] = count.applicants
    merge = merge_small(sizes, min_group)
    totals: dict[str, list[int]] = {}
    for count in counts:
        shown = merge.shown.get(count.group)
        if shown is not None:
            total = totals.setdefault(shown, [0, 0])
            total[0] += count.applicants
            total[1] += count.selected
    order = sorted(totals, key=lambda g: (g == OTHER, g))
    return [GroupCount(g, *totals[g]) for g in order], merge


def adverse_impact(counts: Sequence[GroupCount], min_group: int = MIN_GROUP) -> StageImpact:
    """Rates, impact ratios, flags, Fisher's p and shortfalls of one stage (see the
    module docstring). ``counts``: one entry per group, every person in one group."""
    shown, merge = merge_counts(counts, min_group)
    rated = [g for g in shown if g.applicants > 0]
    named = [g for g in rated if g.group != OTHER] or rated
    reference = max(named, key=lambda g: (g.selected / g.applicants, g.applicants),
                    default=None)
    if reference is not None and reference.selected == 0:
        reference = None  # nobody selected: no ratio is defined
    results = []
    for group in shown:
        rate = selection_rate(group.selected, group.applicants)
        is_reference = reference is not None and group.group == reference.group
        ratio = p = shortfall = None
        unstable: tuple[Instability, ...] = ()
        if reference is not None and rate is not None:
            ratio = rate / (reference.selected / reference.applicants)
            if not is_reference:
                unstable = _instability(group, reference)
                p = fisher_exact_p(group.selected, group.applicants, reference.selected,
                                   reference.applicants)
                shortfall = four_fifths_shortfall(group.selected, group.applicants,
                                                  reference.selected, reference.applicants)
        results.append(GroupImpact(
            group=group.group, applicants=group.applicants, selected=group.selected,
            rate=rate, impact_ratio=ratio, reference=is_reference,
            flagged=(ratio is not None and reference is not None and not unstable
                     and below_four_fifths(group, reference)),
            unstable=unstable, fisher_p=p, shortfall=shortfall,
            merged=merge.merged if group.group == OTHER else (),
        ))
    return StageImpact(results, reference.group if reference else None, merge, min_group)


@dataclass(frozen=True)
class GroupMean:
    group: str
    n: int
    mean: float | None
    sd: float | None
    low: float | None  # 95% interval (t), None for n < 2
    high: float | None
    merged: tuple[str, ...] = ()

    def to_json(self) -> dict[str, Any]:
        return {"group": self.group, "n": self.n, "mean": self.mean, "sd": self.sd,
                "low": self.low, "high": self.high, "merged": list(self.merged)}


@dataclass(frozen=True)
class GroupMeans:
    groups: list[GroupMean]
    merge: Merge
    left_out_people: int = 0
    unscored: int = 0  # people with a group but no score (NaN)


def group_means(values: Sequence[float] | np.ndarray, groups: Sequence[Any] | np.ndarray,
                min_group: int = MIN_GROUP, names: Sequence[str] | None = None) -> GroupMeans:
    """Mean score per group with a 95% t interval, small groups merged (module docs).

    ``values[i]`` is person i's score (NaN: not scored, left out and counted);
    ``groups[i]`` their group, or with ``names`` an integer code indexing ``names`` (no
    Python step per person: 10,000 people x 13 scores stay fast).
    """
    import numpy as np
    from scipy.special import stdtrit

    x = np.asarray(values, dtype=np.float64)
    if names is None:
        names = sorted(set(groups))
        index = {name: i for i, name in enumerate(names)}
        codes = np.array([index[g] for g in groups], dtype=np.int64)
    else:
        codes = np.asarray(groups, dtype=np.int64)
    if x.shape != codes.shape:
        raise ValueError("one group per value")
    scored = ~np.isnan(x)
    sizes = {names[i]: int(n) for i, n in
             enumerate(np.bincount(codes[scored], minlength=len(names))) if n}
    merge = merge_small(sizes, min_group)
    shown = sorted(set(merge.shown.values()), key=lambda name: (name == OTHER, name))
    position = {name: i for i, name in enumerate(shown)}
    target_of = np.array([position.get(merge.shown.get(name, ""), -1) for name in names]
                         or [-1], dtype=np.int64)
    target = target_of[codes[scored]]
    sample = x[scored][target >= 0]
    target = target[target >= 0]
    n = np.bincount(target, minlength=len(shown))
    mean = np.bincount(target, weights=sample, minlength=len(shown)) / np.maximum(n, 1)
    squares = np.bincount(target, weights=(sample - mean[target]) ** 2, minlength=len(shown))
    results = []
    for g, name in enumerate(shown):
        count = int(n[g])
        sd = low = high = None
        if count >= 2:
            sd = float(np.sqrt(squares[g] / (count - 1)))
            half = float(stdtrit(count - 1, 0.975)) * sd / np.sqrt(count)
            low, high = float(mean[g]) - half, float(mean[g]) + half
        results.append(GroupMean(name, count, float(mean[g]), sd, low, high,
                                 merge.merged if name == OTHER else ()))
    return GroupMeans(results, merge, merge.left_out_people, int((~scored).sum()))
