"""The figures of a report for scripts (``--json``): numbers as numbers, counts as whole
numbers, decisions and competencies as their ids, never the page's display text.

``compare_figures(context)``, ``candidate_figures(context)`` and
``competency_figures(context)`` take the context the page is rendered from (it carries
the scored data) and return plain JSON-ready dicts; ``hiring/schemas/`` holds the JSON
Schema of each (``report-compare.schema.json``...), which the tests validate every output
against. A figure that is not defined is ``null``; there is no NaN and no negative zero.

    {"mean": 4.9, "low": 4.7, "high": 5.0}      # an overall score and its 95% interval
    {"strong-no": 0, "no": 1, "yes": 2, "strong-yes": 0}   # recommendations by id
"""

from __future__ import annotations

import math
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

import numpy as np

from hiring.scoring.recommendations import DECISIONS

if TYPE_CHECKING:
    from hiring.reports.context import Scored

FORMAT_VERSION = 1


def number(value: Any) -> float | None:
    """A finite float at full precision (scripts round as they need), never negative zero;
    None for a value that is not defined (NaN)."""
    if value is None:
        return None
    result = float(value)
    if not math.isfinite(result):
        return None
    return result + 0.0  # + 0.0 turns -0.0 into 0.0


def clean(value: Any) -> Any:
    """``value`` with every float made a :func:`number` (for rows computed elsewhere)."""
    if isinstance(value, dict):
        return {key: clean(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [clean(item) for item in value]
    if isinstance(value, bool) or value is None or isinstance(value, str):
        return value
    if isinstance(value, int | np.integer):
        return int(value)
    if isinstance(value, float | np.floating):
        return number(value)
    return value


def _header(kind: str, s: Scored) -> dict[str, Any]:
    return {
        "kind": f"hiring-report-{kind}",
        "version": FORMAT_VERSION,
        "role": s.data.role_id,
        "round": s.data.round_id,
        "generated": datetime.now(UTC).isoformat(timespec="seconds"),
    }


def _scale(spec: Any) -> dict[str, int]:
    return {"min": int(spec.scale_min), "max": int(spec.scale_max),
            "meets": int(spec.meets_point)}


def _competencies(s: Scored) -> list[dict[str, Any]]:
    c_scores = s.stats.competency
    rated = c_scores.n_ratings > 0
    rows = []
    for c, spec in enumerate(s.table.competencies):
        values = c_scores.used[rated[:, c], c]
        rows.append({
            "id": spec.id, "kind": spec.kind, "weight": number(spec.weight),
            "scale": _scale(spec),
            "pool_mean": number(values.mean()) if values.size else None,
        })
    return rows


def _cells(s: Scored, i: int) -> list[dict[str, Any]]:
    """One candidate's score on each competency rated (the page's table and heat map)."""
    c_scores = s.stats.competency
    cells = []
    for c, spec in enumerate(s.table.competencies):
        n = int(c_scores.n_ratings[i, c])
        if not n:
            continue
        cells.append({
            "competency": spec.id,
            "mean": number(c_scores.mean[i, c]),
            "used": number(c_scores.used[i, c]),
            "consensus": number(c_scores.consensus[i, c]),
            "n_ratings": n,
            "min": number(c_scores.minimum[i, c]),
            "max": number(c_scores.maximum[i, c]),
            "adjusted": number(s.adjusted_mean[i, c]),
            "disagreement": bool(c_scores.disagreement[i, c]),
            "risk": bool(s.stats.profiles.risk[i, c]),
        })
    return cells


def candidate_entry(s: Scored, entry: dict[str, Any], shown: bool) -> dict[str, Any]:
    """One candidate of a report: rank, score with its interval, profile, flags, stage."""
    from hiring.reports.candidate_page import profile_codes

    i = entry["code"]
    overall, ids = s.stats.overall, s.table.competency_ids
    strengths, weaknesses, lowest = profile_codes(s, i)
    rank = int(overall.rank[i])
    states = s.completeness.of(entry["id"])
    stage = entry.get("stage") or {}
    return {
        "candidate_id": int(entry["id"]),
        "name": entry["name"],
        "rank": rank if rank and shown else None,
        "tie": bool(entry["tie"]) if shown else False,
        "complete": bool(overall.complete[i]),
        "score": {"mean": number(overall.score[i]), "low": number(overall.low[i]),
                  "high": number(overall.high[i])},
        "adjusted": number(s.adjusted_overall[i]),
        "n_ratings": int(overall.n_ratings[i]),
        "panel_size": int(s.stats.panels.size[i]),
        "small_panel": bool(s.stats.panels.small[i]),
        "strengths": [ids[c] for c in strengths],
        "weaknesses": [ids[c] for c in weaknesses],
        "lowest_meeting_expectations": ids[lowest[0]] if lowest else None,
        "risks": [ids[c] for c in np.flatnonzero(s.stats.profiles.risk[i])],
        "disagreements": [ids[c] for c in np.flatnonzero(s.stats.competency.disagreement[i])],
        "not_rated": [ids[c] for c in np.flatnonzero(overall.missing[i])],
        "recommendations": {d: int(n) for d, n in zip(DECISIONS, s.tally[i], strict=True)},
        "scorecards": {"submitted": states["submitted"], "draft": states["draft"],
                       "missing": states["missing"], "scheduled": states["scheduled"],
                       "not_interviewed": bool(states["not-interviewed"])},
        "stage": {"round": stage.get("round"), "decision": stage.get("decision"),
                  "reason": stage.get("reason")},
        "competencies": _cells(s, i),
    }


def _open_scorecards(s: Scored, candidate_id: int | None = None) -> list[dict[str, Any]]:
    return [row.to_json() for row in s.completeness.open_rows()
            if candidate_id is None or row.candidate_id == candidate_id]


def _scorecard_counts(s: Scored) -> dict[str, int]:
    return s.completeness.counts()


def _disagreements(s: Scored) -> list[dict[str, Any]]:
    c_scores = s.stats.competency
    rows = []
    for i, c in zip(*np.nonzero(c_scores.disagreement), strict=True):
        cid = s.table.candidate_ids[int(i)]
        spec_id = s.table.competency_ids[int(c)]
        rows.append({
            "candidate_id": int(cid),  # type: ignore[call-overload]
            "competency": spec_id,
            "min": number(c_scores.minimum[i, c]), "max": number(c_scores.maximum[i, c]),
            "consensus": number(c_scores.consensus[i, c]),
            "ratings": [{"interviewer": r.interviewer, "round": r.round, "score": r.score}
                        for r in s.notes.get((int(cid), spec_id), [])],  # type: ignore[call-overload]
        })
    return rows


def _calibration(s: Scored) -> list[dict[str, Any]]:
    calibration = s.stats.calibration
    table = calibration.table
    count = np.bincount(table.interviewer, minlength=table.n_interviewers)
    raw = np.bincount(table.interviewer, weights=table.score, minlength=table.n_interviewers)
    adjusted = np.bincount(table.interviewer, weights=calibration.adjusted,
                           minlength=table.n_interviewers)
    return [
        {
            "interviewer": str(name),
            "leniency": number(calibration.leniency[j]),
            "comparisons": int(calibration.comparisons[j]),
            "ratings": int(count[j]),
            "mean": number(raw[j] / count[j]) if count[j] else None,
            "mean_adjusted": number(adjusted[j] / count[j]) if count[j] else None,
        }
        for j, name in enumerate(table.interviewer_ids)
    ]


def reliability_rows(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Reliability rows (``hiring.scoring.reliability``) with clean numbers."""
    keys = ("competency", "measure", "value", "low", "high", "bands", "targets", "raters",
            "reason", "interval_reason", "resamples")
    return [clean({key: row[key] for key in keys}) for row in rows]


def compare_figures(context: dict[str, Any]) -> dict[str, Any]:
    """``hiring report compare --json``: schema ``report-compare.schema.json``."""
    s: Scored = context["scored"]
    shown = bool(context["ranks_shown"])
    overall = s.stats.overall
    return {
        **_header("compare", s),
        "blind": bool(context.get("blind")),
        "scale": {"min": number(overall.scale_min), "max": number(overall.scale_max)},
        "candidates": len(s.data.candidates),
        "erased_candidates": s.data.erased_candidates,
        "interviewers": [str(name) for name in s.table.interviewer_ids],
        "scorecards": _scorecard_counts(s),
        "rated_on_every_competency": int(overall.complete.sum()),
        "ratings": {key: value for key, value in s.data.account.to_json().items()
                    if key != "sentence"},
        "ranks_shown": shown,
        "competencies": _competencies(s),
        "ranking": [candidate_entry(s, entry, shown) for entry in context["ranking"]],
        # The shortlist with a page of its own in the report (--detail N: the top N).
        "detailed_candidates": [int(entry["id"]) for entry in context["details"]],
        "open_scorecards": _open_scorecards(s),
        "disagreements": _disagreements(s),
        "calibration": _calibration(s),
        "reliability": reliability_rows(s.stats.reliability),
    }


def candidate_figures(context: dict[str, Any]) -> dict[str, Any]:
    """``hiring report candidate --json``: schema ``report-candidate.schema.json``."""
    first: Scored = context["sections"][0]["scored"]
    candidate = context["candidate"]
    sections = []
    for section in context["sections"]:
        s: Scored = section["scored"]
        entry = section["candidate"]
        sections.append({
            "round": s.data.round_id,
            "rounds": sorted({r.round for r in s.data.ratings}),
            "pool_size": int(section["pool_size"]),
            "ranks_shown": bool(section["ranks_shown"]),
            "candidate": candidate_entry(s, entry, bool(section["ranks_shown"])),
            "open_scorecards": _open_scorecards(s, int(entry["id"])),
        })
    stage = candidate.get("stage") or {}
    return {
        **_header("candidate", first),
        "round": context["round_id"],  # as asked: None for every round
        "candidate": {"id": int(candidate["id"]), "name": candidate["name"]},
        "stage": {"round": stage.get("round"), "decision": stage.get("decision"),
                  "reason": stage.get("reason"), "note": stage.get("note")},
        "sections": sections,
    }


def competency_figures(context: dict[str, Any]) -> dict[str, Any]:
    """``hiring report competency ID --json``: schema ``report-competency.schema.json``."""
    s: Scored = context["scored"]
    c = int(context["competency_code"])
    spec = s.table.competencies[c]
    c_scores = s.stats.competency
    overall = s.stats.overall
    shown = bool(context["ranks_shown"])
    rows = []
    for row in context["rows"]:
        i = int(row["code"])
        n = int(c_scores.n_ratings[i, c])
        rank = row["rank"].rstrip("=")
        rows.append({
            "candidate_id": int(row["id"]),
            "name": row["name"],
            "rank": int(rank) if shown and rank.isdigit() else None,
            "tie": row["rank"].endswith("="),
            "mean": number(c_scores.mean[i, c]) if n else None,
            "used": number(c_scores.used[i, c]) if n else None,
            "consensus": number(c_scores.consensus[i, c]),
            "n_ratings": n,
            "min": number(c_scores.minimum[i, c]) if n else None,
            "max": number(c_scores.maximum[i, c]) if n else None,
            "disagreement": bool(c_scores.disagreement[i, c]),
            "risk": bool(s.stats.profiles.risk[i, c]),
            "overall": {"mean": number(overall.score[i]), "low": number(overall.low[i]),
                        "high": number(overall.high[i])},
            "overall_rank": int(overall.rank[i]) or None,
            "evidence": [
                {"interviewer": e["interviewer"], "round": e["round"], "score": int(e["score"]),
                 "question": e["question_id"], "note": e["note"] or None}
                for e in row["evidence"]
            ],
        })
    used = c_scores.used[c_scores.n_ratings[:, c] > 0, c]
    return {
        **_header("competency", s),
        "blind": bool(context.get("blind")),
        "competency": {"id": spec.id, "kind": spec.kind, "scale": _scale(spec),
                       "pool_mean": number(used.mean()) if used.size else None},
        "ranks_shown": shown,
        "rows": rows,
    }
