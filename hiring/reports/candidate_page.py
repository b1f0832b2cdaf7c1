"""One candidate's page of the comparison report and its pieces (chart against the pool,
competencies, evidence by competency, strengths and weaknesses by the scale's own meaning,
late changes, recommendations): plain data for the templates, used by the comparison report
(``hiring.reports.context``), the candidate scorecard and the evidence report
(``hiring.reports.scorecards``)."""

from __future__ import annotations

from typing import Any

import numpy as np

from hiring.reports.data import late_changes
from hiring.reports.scored import DASH, Scored
from hiring.scoring.recommendations import DECISIONS

DECISION_KEYS = {"strong-no": "strong_no", "no": "no", "yes": "yes", "strong-yes": "strong_yes"}


def column_mean(values: np.ndarray) -> np.ndarray:
    """Each column's mean over its non-NaN cells; NaN, without numpy's warning, when none."""
    counts = (~np.isnan(values)).sum(axis=0)
    return np.where(counts > 0, np.nansum(values, axis=0) / np.maximum(counts, 1), np.nan)


def profile_codes(s: Scored, i: int) -> tuple[list[int], list[int], list[int]]:
    """Strength, weakness and "lowest, still meets expectations" codes of candidate ``i``,
    from ``hiring.scoring.profile``: by the scale's own "meets expectations" point, so a
    weakness is below it and a strength at or above it (never relative alone)."""
    profiles = s.stats.profiles
    strengths = [int(c) for c in profiles.strengths[i] if c >= 0]
    weaknesses = [int(c) for c in profiles.weaknesses[i] if c >= 0]
    lowest = [int(profiles.lowest[i])] if profiles.lowest[i] >= 0 else []
    return strengths, weaknesses, lowest


def evidence(s: Scored, cid: Any, c: Any) -> list[dict[str, Any]]:
    # cid and c come from numpy arrays and the table's id codes: ints of several kinds.
    return [
        {"interviewer": r.interviewer, "score": r.score, "note": r.note or "", "round": r.round,
         "question_id": r.question}
        for r in s.notes.get((int(cid), s.table.competency_ids[int(c)]), [])
    ]


def late_change_lines(s: Scored, cid: int, t: dict[str, str]) -> list[str]:
    """'Ann: Teamwork 4 (after seeing others)' per rating changed after submission."""
    names = dict(zip(s.table.competency_ids, s.competency_names, strict=True))
    return [
        f"{r.interviewer}: {names.get(r.competency, r.competency)} {r.score}"
        + (f" ({t['report_after_seeing_others']})"
           if r.changed_after_submission == "after-seeing-others" else "")
        for r in late_changes(s.data, cid)
    ]


def candidate_page(s: Scored, i: int, entry: dict[str, Any], t: dict[str, str]) -> dict[str, Any]:
    """A candidate's page: chart against the pool, competencies, evidence, flags."""
    table, c_scores, profiles = s.table, s.stats.competency, s.stats.profiles
    cid = table.candidate_ids[i]
    pool = column_mean(profiles.normalised)
    competencies = []
    for c, spec in enumerate(table.competencies):
        key = (int(cid), spec.id)  # type: ignore[call-overload]
        n = int(c_scores.n_ratings[i, c])
        value = float(profiles.normalised[i, c]) if n else None
        competencies.append({
            "name": s.competency_names[c],
            "scale": f"{spec.scale_min}–{spec.scale_max}",
            "bar": None if value is None else round(100 * value, 1),
            "pool_bar": None if np.isnan(pool[c]) else round(100 * float(pool[c]), 1),
            "pool": s.num(spec.scale_min + float(pool[c]) * (spec.scale_max - spec.scale_min)
                        if not np.isnan(pool[c]) else None),
            "used": s.num(c_scores.used[i, c]) if n else DASH,
            "mean": s.num(c_scores.mean[i, c]) if n else DASH,
            "n": n,
            "range": (f"{s.num(c_scores.minimum[i, c], 0)}–{s.num(c_scores.maximum[i, c], 0)}"
                      if n else DASH),
            "ratings": ", ".join(f"{r['interviewer']} {r['score']}" for r in evidence(s, cid, c)),
            "adjusted": s.num(s.adjusted_mean[i, c]) if n else DASH,
            "consensus": (s.num(c_scores.consensus[i, c], 0)
                          if not np.isnan(c_scores.consensus[i, c]) else None),
            "consensus_note": s.consensus_notes.get(key) or "",
            "disagreement": bool(c_scores.disagreement[i, c]),
            "risk": bool(profiles.risk[i, c]),
        })

    def evidence_list(codes: Any) -> list[dict[str, Any]]:
        return [{"name": s.competency_names[c], "score": s.num(c_scores.used[i, c]),
                 "evidence": evidence(s, cid, int(c))} for c in codes if c >= 0]

    strengths, weaknesses, lowest = profile_codes(s, i)
    return {
        **entry,
        "round_label": "",
        "competencies": competencies,
        "strengths": evidence_list(strengths),
        "weaknesses": evidence_list(weaknesses),
        # No weakness below expectations: the relatively lowest, which still meets them.
        "lowest": evidence_list(lowest),
        "risks": evidence_list(np.flatnonzero(profiles.risk[i])),
        "tally": [{"label": t[DECISION_KEYS[d]], "count": int(n)}
                  for d, n in zip(DECISIONS, s.tally[i], strict=True)],
        "late_changes": late_change_lines(s, int(cid), t),  # type: ignore[call-overload]
    }
