"""Interviewers' hire recommendations, tallied per candidate.

``tally_recommendations(candidate_ids, candidates, interviewers, decisions)`` ->
``RecommendationTally``: ``counts`` has shape (len(candidate_ids), 4), columns in the
order of ``DECISIONS`` (strong-no, no, yes, strong-yes); pass ``table.candidate_ids`` to
align it with the other results. ``rows()`` gives plain dicts.
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from hiring.decisions import DECISIONS
from hiring.errors import InputError


@dataclass(frozen=True, eq=False)
class RecommendationTally:
    candidate_ids: tuple[Hashable, ...]
    counts: np.ndarray  # int (n_candidates, len(DECISIONS))

    def rows(self) -> list[dict[str, Any]]:
        return [
            {"candidate": cid, **{d: int(n) for d, n in zip(DECISIONS, self.counts[i],
                                                             strict=True)}}
            for i, cid in enumerate(self.candidate_ids)
        ]


def tally_recommendations(
    candidate_ids: Sequence[Hashable],
    candidates: Sequence[Hashable],
    interviewers: Sequence[Hashable],
    decisions: Sequence[str],
) -> RecommendationTally:
    """Count each decision per candidate; one decision per interviewer and candidate."""
    if not len(candidates) == len(interviewers) == len(decisions):
        raise InputError("candidates, interviewers and decisions differ in length")
    candidate_index = {cid: i for i, cid in enumerate(candidate_ids)}
    decision_index = {d: i for i, d in enumerate(DECISIONS)}
    seen: set[tuple[Hashable, Hashable]] = set()
    counts = np.zeros((len(candidate_index), len(DECISIONS)), dtype=np.int64)
    for candidate, interviewer, decision in zip(candidates, interviewers, decisions,
                                                strict=True):
        if candidate not in candidate_index:
            raise InputError(f"recommendation for unknown candidate '{candidate}'")
        if decision not in decision_index:
            raise InputError(
                f"recommendation '{decision}' by '{interviewer}' is not one of "
                + ", ".join(DECISIONS)
            )
        if (candidate, interviewer) in seen:
            raise InputError(f"'{interviewer}' made two recommendations for '{candidate}'")
        seen.add((candidate, interviewer))
        counts[candidate_index[candidate], decision_index[decision]] += 1
    return RecommendationTally(tuple(candidate_index), counts)
