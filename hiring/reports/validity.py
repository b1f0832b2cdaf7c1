"""The validity report: do the role's interview scores predict an outcome on the job?

``validity_figures(store, bank, role_id, measure)`` reads the role's interview scores
(``hiring.reports.role_scores``: every round pooled, consensus where agreed), who was
hired (a ``hired`` stage decision in any round, ``hiring candidate decide``) and the
outcome ``measure`` (``hiring outcome import``), and computes with
``hiring.scoring.validity``:

* for the overall score and each competency's score: the correlation with the outcome
  among the hired who have both (Pearson, or point-biserial for a 0/1 measure), its 95%
  interval and p, and beside it the correlation corrected for direct range restriction
  (Thorndike case II) with u = the score's standard deviation among the applicants over
  its standard deviation among those hired with the outcome. The applicants here are the
  role's candidates rated on every competency (``pool``): the pool the hired were chosen
  from, scored on the same competencies as they were (a candidate seen only at the
  screening has an overall score over fewer competencies, whose spread is not the same
  thing). Restriction at earlier rounds is not corrected, so the correction errs low.
  For a competency the selection was on the overall score, not directly on it: the
  direct correction is then an approximation, labelled as such on the method page;
* the incremental value of each competency: the gain in R^2 when it joins all the others
  in a regression of the outcome on the competency scores (hired with every score);
* the item analysis of the questions over every scored candidate of the role (applicants,
  not only the hired: a question discriminates among those it is asked of).

Below ``MIN_N`` (20) hired with the outcome and a score, correlations are "not defined"
with the reason; below 10 residual degrees of freedom, so are the increments. People left
out are counted: outcomes of candidates not hired, hired without a score, ratings whose
question is not known.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from hiring.errors import NotFoundError
from hiring.scoring.validity import (
    MIN_DF,
    MIN_N,
    Correlation,
    Increment,
    ItemStats,
    RangeCorrection,
)

if TYPE_CHECKING:
    from hiring.bank.models import Bank
    from hiring.store.db import Store


@dataclass
class ValidityRow:
    competency: str | None  # None: the overall score
    observed: Correlation
    corrected: RangeCorrection | None
    increment: Increment | None  # competencies only
    sd_applicants: float | None
    sd_hired: float | None

    def to_json(self) -> dict[str, Any]:
        return {
            "competency": self.competency, "observed": self.observed.to_json(),
            "corrected": self.corrected.to_json() if self.corrected else None,
            "increment": self.increment.to_json() if self.increment else None,
            "sd_applicants": self.sd_applicants, "sd_hired": self.sd_hired,
        }


@dataclass
class ValidityFigures:
    role_id: str
    measure: str
    binary: bool  # every value 0 or 1
    applicants: int  # scored candidates of the role
    pool: int  # of them, rated on every competency: the spread range restriction uses
    hired: int  # of the role's candidates, hired
    n: int  # hired with the outcome and an overall score
    outcome_mean: float | None
    outcome_sd: float | None
    left_out: dict[str, int]  # not_hired, hired_unscored, hired_without_outcome
    rows: list[ValidityRow] = field(default_factory=list)
    r2: float | None = None  # all competencies together
    increment_n: int = 0
    items: list[ItemStats] = field(default_factory=list)
    no_question: int = 0
    scale: tuple[float, float] = (0.0, 0.0)

    def to_json(self) -> dict[str, Any]:
        return {
            "role": self.role_id, "measure": self.measure, "binary": self.binary,
            "applicants": self.applicants, "pool": self.pool, "hired": self.hired,
            "n": self.n,
            "outcome_mean": self.outcome_mean, "outcome_sd": self.outcome_sd,
            "left_out": self.left_out,
            "rules": {"min_n": MIN_N, "min_residual_df": MIN_DF},
            "rows": [row.to_json() for row in self.rows],
            "r2_all_competencies": self.r2, "increment_n": self.increment_n,
            "items": [item.to_json() for item in self.items],
            "ratings_without_question": self.no_question,
        }


def _sd(values: Any) -> float | None:
    import numpy as np

    known = values[~np.isnan(values)]
    return float(known.std(ddof=1)) if known.size >= 2 else None


def hired_candidates(store: Store, role_id: str) -> set[int]:
    """Active candidates of the role with a ``hired`` decision (issue 22's stages)."""
    from hiring.reports.fairness import role_decisions

    return {cid for cid, _round, decision in role_decisions(store, role_id)
            if decision == "hired"}


def validity_figures(store: Store, bank: Bank, role_id: str, measure: str) -> ValidityFigures:
    """Every figure of the validity report (module docstring)."""
    import numpy as np

    from hiring.reports.role_scores import load_role_scores
    from hiring.scoring.validity import (
        corrected_interval,
        correlation,
        incremental_validity,
        is_binary,
        item_analysis_codes,
    )
    from hiring.store.outcomes import measures, outcome_values
    from hiring.store.team import require

    bank.role(role_id)
    require(store, "report.read")
    with store.read():
        known = measures(store)
        if measure not in known:
            listed = ", ".join(known) or "none: import them with 'hiring outcome import'"
            raise NotFoundError(f"no outcome '{measure}' (measures: {listed})")
        values = outcome_values(store, measure)
        hired = hired_candidates(store, role_id)
    scores = load_role_scores(store, bank, role_id, with_questions=True)
    index = scores.index()
    kept = sorted(cid for cid in hired if cid in values and cid in index)
    left_out = {
        "not_hired": sum(1 for cid in values if cid not in hired),
        "hired_without_outcome": sum(1 for cid in hired if cid not in values),
        "hired_unscored": sum(1 for cid in hired if cid in values and cid not in index),
    }
    rows_at = np.asarray([index[cid] for cid in kept], dtype=np.int64)
    outcome = np.asarray([values[cid].value for cid in kept], dtype=np.float64)
    predictors = [("overall", scores.overall)] + [
        (spec.id, scores.competency[:, c]) for c, spec in enumerate(scores.competencies)]
    increments = incremental_validity(scores.competency[rows_at], outcome)
    figures = ValidityFigures(
        role_id=role_id, measure=measure, binary=is_binary(outcome),
        applicants=len(scores.candidate_ids), pool=int(scores.complete.sum()),
        hired=len(hired),
        n=int((~np.isnan(scores.overall[rows_at])).sum()),
        outcome_mean=float(outcome.mean()) if outcome.size else None,
        outcome_sd=float(outcome.std(ddof=1)) if outcome.size >= 2 else None,
        left_out={k: v for k, v in left_out.items() if v},
        r2=increments.r2, increment_n=increments.n, no_question=scores.no_question,
        scale=(scores.scale_min, scores.scale_max),
    )
    for position, (name, column) in enumerate(predictors):
        hired_scores = column[rows_at]
        observed = correlation(hired_scores, outcome)
        sd_applicants, sd_hired = _sd(column[scores.complete]), _sd(hired_scores)
        corrected = None
        if sd_applicants is not None and sd_hired is not None:
            corrected = corrected_interval(observed, sd_applicants, sd_hired)
        figures.rows.append(ValidityRow(
            competency=None if name == "overall" else name, observed=observed,
            corrected=corrected,
            increment=increments.columns[position - 1] if position else None,
            sd_applicants=sd_applicants, sd_hired=sd_hired,
        ))
    if scores.items is not None:
        items = scores.items
        figures.items = item_analysis_codes(items.person, items.item, items.keys, items.score,
                                            items.top)
    return figures
