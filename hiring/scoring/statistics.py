"""Every statistic of a rating table in one call, for the report.

``compute_statistics(table, consensus=None, top=2, pool=None)`` -> ``Statistics`` holding the
results of ``hiring.scoring.aggregate`` (competency scores, overall scores and ranking,
panel sizes), ``profile`` (strengths, weaknesses, risks), ``calibration`` (leniency)
and ``reliability`` (report rows). Recommendation tallies come from a separate list of
decisions: ``hiring.scoring.recommendations.tally_recommendations``.

``pool``: a table with ``table``'s ratings and more that count for agreement between
interviewers but are not scored or ranked (the anonymised ratings of erased
candidates): calibration and reliability are computed on it. Default: ``table``.
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping
from dataclasses import dataclass
from typing import Any

from hiring.scoring.aggregate import (
    CompetencyScores,
    OverallScores,
    PanelSizes,
    competency_scores,
    overall_scores,
    panel_sizes,
)
from hiring.scoring.calibration import Calibration, rater_calibration
from hiring.scoring.profile import Profiles, strengths_and_weaknesses
from hiring.scoring.rating_table import RatingTable
from hiring.scoring.reliability import reliability_report


@dataclass(frozen=True, eq=False)
class Statistics:
    table: RatingTable
    competency: CompetencyScores
    overall: OverallScores
    panels: PanelSizes
    profiles: Profiles
    calibration: Calibration  # on ``pool``; .adjusted_scores(table) for the ranked ones
    reliability: list[dict[str, Any]]  # on ``pool``
    pool: RatingTable


def compute_statistics(
    table: RatingTable,
    consensus: Mapping[tuple[Hashable, str], float] | None = None,
    top: int = 2,
    pool: RatingTable | None = None,
) -> Statistics:
    """All statistics of ``table`` (see the modules named in the docstring)."""
    scores = competency_scores(table, consensus)
    pool = pool if pool is not None else table
    return Statistics(
        table=table,
        competency=scores,
        overall=overall_scores(table, scores),
        panels=panel_sizes(table),
        profiles=strengths_and_weaknesses(scores, top=top),
        calibration=rater_calibration(table, pool=pool),
        reliability=reliability_report(pool),
        pool=pool,
    )
