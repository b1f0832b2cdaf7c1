"""The reliability figures as the comparison report computes them, from all its data
loaded and scored: the reference ``hiring stats reliability`` (``hiring.stats``, which reads
only what the figures need) is tested against, to the last digit."""

from __future__ import annotations

from typing import Any

from hiring.bank.models import Bank
from hiring.reports.data import default_role, load_report_data
from hiring.reports.figures import reliability_rows
from hiring.reports.scored import score_report_data
from hiring.store.db import Store


def report_reliability_figures(
    store: Store,
    bank: Bank,
    role_id: str | None = None,
    round_id: str | None = None,
    competency: str | None = None,
) -> dict[str, Any]:
    """Reliability rows (``hiring.scoring.reliability``) for a role, per competency and
    overall, plus the size of the data; ``competency`` keeps that competency's rows,
    computed as the comparison report computes them (all its data loaded and scored):
    what ``hiring.stats.reliability_figures`` (the CLI's lean path) is held to."""
    role_id = role_id or default_role(store, bank)
    data = load_report_data(store, bank, role_id, round_id)
    scored = score_report_data(data, bank, "en")
    rows = scored.stats.reliability
    if competency is not None:
        scored.table.competency_code(competency)  # InputError when not in the role/round
        rows = [row for row in rows if row["competency"] == competency]
    pool = scored.stats.pool  # erased candidates' anonymised ratings included
    return {
        "role": role_id,
        "round": round_id,
        "candidates": pool.n_candidates,
        "erased_candidates": data.erased_candidates,
        "interviewers": pool.n_interviewers,
        "ratings": pool.n_ratings,
        "stored_ratings": data.account.to_json(),
        # Numbers as numbers (no NaN, no negative zero); the band as the ids it spans.
        "rows": reliability_rows(rows),
    }
