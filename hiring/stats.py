"""``hiring stats reliability``: the agreement figures, read and computed lean.

``reliability_figures(store, bank, role_id, round_id, competency)`` gives the same figures
as the comparison report's reliability table (schema ``stats-reliability.schema.json``)
but reads only what they need and computes only them: no notes, questions,
recommendations, consensus, stage decisions, scores, ranks or calibration.

Three reads: the interviews (who, whose, which round, readable by the user or not), the
number of ratings per interview (from the ratings' key alone) and the candidate,
competency and score of each rating the figures use. The account of the stored ratings
(used, and left out by reason) comes from the first two; the rating table from the third,
made of integer codes in exactly the order the report uses (its candidates first, by id;
the anonymised ratings of erased candidates after theirs, ordered by the database as the
report's query orders them), so every figure, bootstrap intervals included, is the
report's to the last digit.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from hiring.errors import InputError
from hiring.progress import Step, no_progress
from hiring.reports.data import account_ratings, default_role
from hiring.store.team import current_viewer, rating_groups, visible_interviews_sql

if TYPE_CHECKING:
    import numpy as np

    from hiring.bank.models import Bank
    from hiring.store.db import Store


def reliability_figures(
    store: Store,
    bank: Bank,
    role_id: str | None = None,
    round_id: str | None = None,
    competency: str | None = None,
    progress: Step = no_progress,
    *,
    computed: str = "all",
) -> dict[str, Any]:
    """Reliability rows (``hiring.scoring.reliability``) for a role, per competency and
    overall, plus the size of the data; ``competency`` keeps that competency's rows.

    ``computed="shown"``: only the rows kept (``competency``'s, else the overall ones), for
    a view that prints no others; ``"all"``: every row is computed, as the report does."""
    import numpy as np

    from hiring.reports.figures import reliability_rows
    from hiring.scoring.rating_table import RatingTable, competency_specs
    from hiring.scoring.reliability import OVERALL, reliability_report
    from hiring.store import team_pg

    role_id = role_id or default_role(store, bank)
    role = bank.role(role_id)
    if round_id is not None:
        role.round(round_id)  # NotFoundError for an unknown round
    wanted = set(role.competencies_of(round_id)) if round_id else None
    specs = [s for s in competency_specs(bank, role_id) if wanted is None or s.id in wanted]
    spec_code = {s.id: code for code, s in enumerate(specs)}
    progress("reading the database")
    params: dict[str, object] = {"role": role_id}
    round_filter = ""
    if round_id is not None:
        round_filter = " AND i.round = :round"
        params["round"] = round_id
    visible, visible_params = visible_interviews_sql(store, "i")
    # With the team set up on PostgreSQL, row-level security hides what the user may not
    # read from their own queries: the owner's function counts those.
    server_counts = team_pg.is_set_up(store) and not current_viewer(store).admin
    # A rating's competency as its code among the specs (-1: not rated in the role/round).
    cases = " ".join(f"WHEN :k{code} THEN {code}" for code in range(len(specs)))
    spec_params = {f"k{code}": spec.id for code, spec in enumerate(specs)}
    with store.read():
        candidate_ids = [int(row[0]) for row in store.all(
            "SELECT c.id FROM candidates c WHERE c.status <> 'erased' AND "
            "(c.role = :role OR c.id IN (SELECT i.candidate_id FROM interviews i "
            "WHERE i.role = :role)) ORDER BY c.id",
            {"role": role_id},
        )]
        # In the report's order but for the competency: by candidate, round, interviewer.
        interviews = store.all(
            "SELECT i.id, i.candidate_id, i.interviewer, i.round, i.role, "
            "CASE WHEN c.status = 'erased' THEN 1 ELSE 0 END, "
            f"CASE WHEN {visible} THEN 1 ELSE 0 END "
            "FROM interviews i JOIN candidates c ON c.id = i.candidate_id "
            "ORDER BY i.candidate_id, i.round, i.interviewer",
            visible_params,
        )
        ratings = store.all(
            f"SELECT r.interview_id, CASE r.competency {cases} ELSE -1 END, r.score "
            "FROM ratings r JOIN interviews i ON i.id = r.interview_id "
            f"WHERE i.role = :role{round_filter} AND {visible}",
            {**params, **visible_params, **spec_params},
        ) if specs else []
        # The competencies as the database orders them (its collation).
        competency_order = [row[0] for row in store.all(
            "SELECT k FROM (" + " UNION ALL ".join(
                f"SELECT :k{code} AS k" for code in range(len(specs))) + ") t ORDER BY k",
            spec_params,
        )] if specs else []
        if server_counts:
            groups = rating_groups(store)
        else:
            per_interview = dict(store.all(
                "SELECT interview_id, COUNT(*) FROM ratings GROUP BY interview_id"))
    if not candidate_ids:
        raise InputError(f"no candidates for role '{role_id}'")

    n = len(interviews)
    interview_id = np.fromiter((row[0] for row in interviews), dtype=np.int64, count=n)
    erased_of = np.fromiter((row[5] for row in interviews), dtype=bool, count=n)
    found = np.array(ratings, dtype=np.int64).reshape(-1, 3)
    sorter = np.argsort(interview_id, kind="stable")
    which = sorter[np.searchsorted(interview_id, found[:, 0], sorter=sorter)]
    # The report's order: its candidates' ratings, then the erased candidates' (each part
    # by candidate, round, competency, interviewer).
    candidate_of_interview = np.fromiter((row[1] for row in interviews), dtype=np.int64,
                                         count=n)
    block = np.zeros(n, dtype=np.int64)  # (candidate, round) in the interviews' order
    if n:
        changed = [a[1] != b[1] or a[3] != b[3]
                   for a, b in zip(interviews, interviews[1:], strict=False)]
        block[1:] = np.cumsum(changed)
    rank = np.full(len(specs) + 1, len(specs), dtype=np.int64)  # -1 (others) last
    rank[[spec_code[k] for k in competency_order]] = np.arange(len(specs))
    order = np.lexsort((which, rank[found[:, 1]], block[which], erased_of[which]))
    which, competency_code, score_all = which[order], found[order, 1], found[order, 2]

    in_specs = competency_code >= 0
    erased_rating = erased_of[which]
    erased_ids = {int(c) for c in np.unique(candidate_of_interview[which[erased_rating]])}
    used = which[in_specs]
    if not (in_specs & ~erased_rating).any():
        where = f" in round '{round_id}'" if round_id else ""
        raise InputError(f"no ratings yet for role '{role_id}'{where}")
    progress(f"computing ({int((~erased_rating).sum())} ratings)")

    candidate_of = candidate_of_interview[used]
    known = np.array(candidate_ids, dtype=np.int64)
    erased_known = np.unique(candidate_of[erased_of[used]])  # in order of first appearance
    candidate_code = np.where(
        erased_of[used],
        len(known) + np.searchsorted(erased_known, candidate_of),
        np.searchsorted(known, candidate_of),
    )
    interviewer_index: dict[str, int] = {}
    interviewer_of = np.fromiter(
        (interviewer_index.setdefault(row[2], len(interviewer_index)) for row in interviews),
        dtype=np.int64, count=n)
    interviewer_code = _first_appearance_codes(interviewer_of[used])
    score = score_all[in_specs].astype(np.float64)
    pool = RatingTable.from_codes(
        [*candidate_ids, *(int(c) for c in erased_known)], candidate_code,
        int(interviewer_code.max(initial=-1)) + 1, interviewer_code,
        competency_code[in_specs], score, specs,
    )
    if competency is not None:
        pool.competency_code(competency)  # InputError when not in the role/round
    shown = None if computed == "all" else {competency or OVERALL}
    rows = reliability_report(pool, only=shown)
    if competency is not None:
        rows = [row for row in rows if row["competency"] == competency]
    if not server_counts:
        groups = _groups(interviews, per_interview, which, competency_code,
                         [spec.id for spec in specs], role_id)
    erased_everywhere = {int(row[1]) for row in interviews if row[5]}
    account = account_ratings(groups, bank, role_id, round_id, set(candidate_ids),
                              erased_everywhere)
    figures: dict[str, Any] = {
        "role": role_id,
        "round": round_id,
        "candidates": pool.n_candidates,
        "erased_candidates": len(erased_ids),
        "interviewers": pool.n_interviewers,
        "ratings": pool.n_ratings,
        "stored_ratings": account.to_json(),
        # Numbers as numbers (no NaN, no negative zero); the band as the ids it spans.
        "rows": reliability_rows(rows),
    }
    if shown is not None:  # the rows left out are still counted (not in the JSON)
        figures["competencies_rated"] = len(specs)
    return figures


def _first_appearance_codes(values: np.ndarray) -> np.ndarray:
    """Codes 0..n-1 for ``values`` in order of first appearance (as ``RatingTable.build``
    gives them)."""
    import numpy as np

    if not values.size:
        return np.zeros(0, dtype=np.int64)
    _, first, inverse = np.unique(values, return_index=True, return_inverse=True)
    rank = np.empty(first.size, dtype=np.int64)
    rank[np.argsort(first, kind="stable")] = np.arange(first.size)
    return rank[inverse.reshape(-1)]


def _groups(
    interviews: Sequence[tuple[Any, ...]],
    per_interview: dict[Any, Any],
    which: np.ndarray,
    competency_code: np.ndarray,
    competency_ids: list[str],
    role_id: str,
) -> list[tuple[object, ...]]:
    """The stored ratings grouped as ``hiring.store.team.rating_groups`` groups them, as
    far as ``account_ratings`` tells them apart for the whole pool: every interview the
    figures do not read is one group (its competencies are never asked about); the ratings
    they read are grouped by erased or not, round and competency (None: one the role or
    round does not rate), named by one of the group's candidates (every candidate of such a
    group is erased, or one of the role's: all count)."""
    import numpy as np

    read = np.zeros(len(interviews), dtype=bool)
    read[which] = True
    groups: list[tuple[object, ...]] = []
    for index, (iid, cid, _, round_name, role, erased, visible) in enumerate(interviews):
        n = per_interview.get(iid, 0)
        if n and not read[index]:
            groups.append(("erased" if erased else "active", role, round_name, None, cid,
                           visible, n))
    if which.size:
        round_index: dict[str, int] = {}
        round_of = np.fromiter(
            (round_index.setdefault(row[3], len(round_index)) for row in interviews),
            dtype=np.int64, count=len(interviews))
        rounds = list(round_index)
        erased_of = np.fromiter((row[5] for row in interviews), dtype=np.int64,
                                count=len(interviews))
        names: list[str | None] = [None, *competency_ids]
        key = ((erased_of[which] * len(rounds) + round_of[which]) * len(names)
               + competency_code + 1)
        unique, first, counts = np.unique(key, return_index=True, return_counts=True)
        for value, at, n in zip(unique.tolist(), first.tolist(), counts.tolist(), strict=True):
            rest, comp = divmod(value, len(names))
            erased, round_at = divmod(rest, len(rounds))
            row = interviews[int(which[at])]
            groups.append(("erased" if erased else "active", role_id, rounds[round_at],
                           names[comp], row[1], 1, n))
    return groups
