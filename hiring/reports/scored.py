"""The report data scored: the rating table and every statistic over it (``Scored``,
``score_report_data``), and the number format every report page prints (``fmt``).

Shared by the comparison report (``context``), its reliability table
(``reliability_table``) and the candidate and competency reports (``scorecards``).
"""

from __future__ import annotations

import dataclasses
from collections import defaultdict
from collections.abc import Hashable
from typing import TYPE_CHECKING

import numpy as np

from hiring.bank.models import localise
from hiring.errors import InputError
from hiring.render.formats import format_number
from hiring.reports.completeness import Completeness, scorecard_states
from hiring.reports.data import RatingRow, ReportData
from hiring.scoring.aggregate import competency_scores, overall_scores
from hiring.scoring.icc import ICC_FORMS
from hiring.scoring.rating_table import RatingTable, competency_specs
from hiring.scoring.recommendations import tally_recommendations
from hiring.scoring.statistics import Statistics, compute_statistics

if TYPE_CHECKING:
    from hiring.bank.models import Bank

DASH = "–"
MEASURES = (*ICC_FORMS, "alpha(interval)", "alpha(ordinal)")


def fmt(value: float | None, digits: int = 1, signed: bool = False, *, lang: str = "en") -> str:
    """A number for print in ``lang``'s convention (CLDR: "1.4", Danish "1,4"): fixed
    decimals, a typographic minus, an en dash for missing."""
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return DASH
    return format_number(float(value), lang, digits, signed)


def _round_order(bank: Bank, role_id: str) -> dict[str, int]:
    return {r.id: i for i, r in enumerate(bank.role(role_id).rounds)}


@dataclasses.dataclass
class Scored:
    """The data and every statistic over it, shared by both reports."""

    data: ReportData
    table: RatingTable
    stats: Statistics
    adjusted_overall: np.ndarray
    adjusted_mean: np.ndarray  # (candidates, competencies)
    tally: np.ndarray  # (candidates, 4)
    consensus_notes: dict[tuple[int, str], str | None]
    notes: dict[tuple[int, str], list[RatingRow]]
    names: dict[int, str]
    competency_names: list[str]
    completeness: Completeness
    lang: str = "en"  # the language of the page: names above, numbers below

    def num(self, value: float | None, digits: int = 1, signed: bool = False) -> str:
        """:func:`fmt` in the page's language."""
        return fmt(value, digits, signed, lang=self.lang)


def score_report_data(data: ReportData, bank: Bank, lang: str) -> Scored:
    """Build the rating table and compute every statistic (one pass, vectorised)."""
    role = bank.role(data.role_id)
    wanted = set(role.competencies_of(data.round_id)) if data.round_id else None
    specs = [s for s in competency_specs(bank, data.role_id) if wanted is None or s.id in wanted]
    spec_ids = {s.id for s in specs}
    ratings = [r for r in data.ratings if r.competency in spec_ids]
    if not data.candidates:
        raise InputError(f"no candidates for role '{data.role_id}'")
    if not ratings:
        where = f" in round '{data.round_id}'" if data.round_id else ""
        raise InputError(f"no ratings yet for role '{data.role_id}'{where}")
    def build(rows: list[RatingRow], candidate_ids: list[int]) -> RatingTable:
        return RatingTable.build(
            [r.candidate_id for r in rows], [r.interviewer for r in rows],
            [r.competency for r in rows], [r.score for r in rows], specs,
            rounds=[r.round for r in rows], candidate_ids=candidate_ids,
        )

    table = build(ratings, [c.id for c in data.candidates])
    # Erased candidates' anonymised ratings count for calibration and reliability (the
    # README promises it) but are never scored, ranked or named.
    erased = [r for r in data.erased_ratings if r.competency in spec_ids]
    pool = (build(ratings + erased, [c.id for c in data.candidates]) if erased else table)
    order = _round_order(bank, data.role_id)
    # Latest round (in the role's order) wins where several rounds agreed a consensus.
    consensus: dict[tuple[Hashable, str], float] = {}
    consensus_notes: dict[tuple[int, str], str | None] = {}
    for row in sorted(data.consensus, key=lambda k: order.get(k.round, -1)):
        if row.competency in spec_ids:
            consensus[(row.candidate_id, row.competency)] = float(row.score)
            consensus_notes[(row.candidate_id, row.competency)] = row.note
    stats = compute_statistics(table, consensus, pool=pool)

    adjusted_table = dataclasses.replace(table,
                                         score=stats.calibration.adjusted_scores(table))
    adjusted_scores = competency_scores(adjusted_table)
    adjusted_overall = overall_scores(adjusted_table, adjusted_scores).score

    latest: dict[tuple[int, str], str] = {}
    for rec in sorted(data.recommendations, key=lambda r: order.get(r.round, -1)):
        latest[(rec.candidate_id, rec.interviewer)] = rec.decision
    tally = tally_recommendations(
        table.candidate_ids,
        [k[0] for k in latest], [k[1] for k in latest], list(latest.values()),
    ).counts

    notes: dict[tuple[int, str], list[RatingRow]] = defaultdict(list)
    for r in ratings:
        notes[(r.candidate_id, r.competency)].append(r)
    return Scored(
        data=data, table=table, stats=stats, adjusted_overall=adjusted_overall,
        adjusted_mean=adjusted_scores.mean, tally=tally, consensus_notes=consensus_notes,
        notes=notes, names={c.id: c.name for c in data.candidates},
        competency_names=[localise(bank.competency(s.id).name, lang) for s in specs],
        completeness=scorecard_states(data, bank, [spec.id for spec in specs]),
        lang=lang,
    )


# -- pieces of the context ---------------------------------------------------------------
