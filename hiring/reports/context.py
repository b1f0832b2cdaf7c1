"""Report data -> plain template context: every number computed and formatted here.

``compare_context(data, bank, role_id, round_id, lang, detail=20)`` gives the comparison
report's context (one candidate's page comes from ``hiring.reports.candidate_page``);
``hiring.reports.scorecards`` builds one candidate's scorecard (the whole pool is still
scored, so ranks and pool averages mean the same as in the comparison) and the
evidence-by-competency report from the pieces here, and
``hiring.reports.reliability_table`` formats the reliability table. All statistics
come from ``hiring.scoring``; this module only selects, joins names and notes, and
formats. Templates receive strings and numbers only.

Choices where the issue is silent:

* Without ``--round`` every round of the role is pooled (an interviewer's ratings of one
  competency in two rounds are averaged for calibration and reliability, see
  ``hiring.scoring.rating_table``); consensus and recommendations then come from the latest round
  in the role's order that has one.
* Leniency-adjusted scores: each rating minus its interviewer's leniency, clipped to the
  scale, run through the same competency and overall scoring as the raw ratings (without
  consensus, which is not a rater's score). Shown beside the raw scores, never instead.
* Missing scorecards: an interview recorded in the store whose ratings do not cover what
  the round (or the guide's manifest) asks for; a candidate with no rating at all; and a
  candidate seen by fewer interviewers than most (``panel_sizes``).
* A top-of-scale score is not printed as a weakness, nor a bottom-of-scale one as a
  strength (``profile_codes``).
* The disagreement table lists the ``MAX_LISTED`` widest spreads; the heat map marks all.
* Detail pages (chart, evidence, consensus beside ratings) for the first ``detail``
  candidates in report order (default 20: every candidate of a pool of 20 or fewer).
* A large pool stays a document (issue 28): with ``shortlist=True`` (the PDF) and more than
  ``LARGE_POOL`` candidates, the ranking on page 1 (with verdicts), the heat map and the
  recommendation counts list the top ``max(LARGE_POOL, detail)`` by rank, the rest of the
  ranking follows the candidate pages in a compact table (rank, name and flags, score,
  interval: one line each), and the open scorecards list the first ``LARGE_POOL``. Page 1
  says what is shortened and where the rest is (``in_this_report``): the HTML report
  (``shortlist=False``) and ``--json`` have every row.
"""

from __future__ import annotations

from collections import defaultdict
from typing import TYPE_CHECKING, Any

import numpy as np

from hiring.bank.models import localise
from hiring.errors import InputError
from hiring.render.formats import generated_stamp
from hiring.render.strings import ui_strings
from hiring.reports.candidate_page import (
    DECISION_KEYS,
    candidate_page,
    column_mean,
    evidence,
    profile_codes,
)
from hiring.reports.data import ReportData, account_text
from hiring.reports.scored import DASH, MEASURES, Scored, _round_order, score_report_data
from hiring.scoring.recommendations import DECISIONS

if TYPE_CHECKING:
    from hiring.bank.models import Bank

MAX_LISTED = 60  # rows of the disagreement table; the heat map marks every one
# Past this many candidates the PDF's per-candidate tables other than the ranking list the
# top rows only (module doc); about 3 pages of heat map, a few seconds of layout.
LARGE_POOL = 100
# Rows per table body: WeasyPrint rebuilds a body's per-row lists on each page that resumes
# it, so one body of thousands of rows grows with the square of its rows (issue 28; 10,000
# rows of 4 cells here: 31.4 s in one body, 27.0 s in bodies of 40, load 11). Bodies of 40
# rows in one table look the same: the header repeats at the top of each page, as before.
TABLE_CHUNK = 40
# The rest of a large pool's ranking in sections of this many rows, each from a new page
# under its own heading and bookmark ("Ranking, continued: 2,101-4,100 of 10,000"): a
# manager finds a rank by the outline, and a long report is laid out in parts at these
# breaks, in parallel, each part's layout freed when written (hiring.reports.build).
REST_SECTION_ROWS = 2000
# Heat-map greys: 11 steps (classes g0..g10 in report_print.css) from white (bottom of the
# scale) to a dark grey (top); numbers turn white from g7 on, so every cell stays readable
# in greyscale (contrast >= 4.5:1 either way, tests/test_accessibility.py). Classes, not
# inline styles: thousands of style attributes are slow for WeasyPrint to parse.
GREY_STEPS = 10
_WHITE_TEXT_FROM = 7


def _grey(normalised: float) -> tuple[str, bool]:
    step = round(GREY_STEPS * min(max(normalised, 0.0), 1.0))
    return f"g{step}", step >= _WHITE_TEXT_FROM


def _join(items: list[str], t: dict[str, str]) -> str:
    # The list separator is the language's own (Chinese uses 、 between items).
    return t["report_list_separator"].join(items)


def _verdict(s: Scored, i: int, t: dict[str, str]) -> str:
    """One line per candidate: where they stand out, the risks, the flags."""
    stats, names = s.stats, s.competency_names
    parts: list[str] = []
    if not stats.overall.complete[i]:
        missing = [names[c] for c in np.flatnonzero(stats.overall.missing[i])]
        parts.append(t["report_verdict_incomplete"].format(items=_join(missing, t)))
    strength_codes, weakness_codes, lowest_codes = profile_codes(s, i)
    strengths = [names[c] for c in strength_codes]
    weaknesses = [names[c] for c in weakness_codes]
    if strengths:
        parts.append(t["report_verdict_strongest"].format(items=_join(strengths, t)))
    if weaknesses:
        parts.append(t["report_verdict_below"].format(items=_join(weaknesses, t)))
    elif lowest_codes:
        parts.append(t["report_verdict_no_weakness"].format(
            items=_join([names[c] for c in lowest_codes], t)))
    risks = [names[c] for c in np.flatnonzero(stats.profiles.risk[i])]
    if risks:
        parts.append(t["report_verdict_risk"].format(items=_join(risks, t)))
    split = [names[c] for c in np.flatnonzero(stats.competency.disagreement[i])]
    if len(split) > 2:  # keep the line short: the heat map and the table name them
        parts.append(t["report_verdict_disagree_count"].format(n=len(split)))
    elif split:
        parts.append(t["report_verdict_disagree"].format(items=_join(split, t)))
    if stats.panels.small[i] and stats.panels.size[i] > 0:  # size 0: already "not ranked"
        parts.append(t["report_small_panel"].format(
            n=int(stats.panels.size[i]), typical=stats.panels.typical))
    return t["report_clause_separator"].join(parts) if parts else t["report_verdict_even"]


def _tally_text(counts: np.ndarray, t: dict[str, str]) -> str:
    return " · ".join(f"{t[DECISION_KEYS[d]]} {int(n)}" for d, n in zip(DECISIONS, counts,
                                                                           strict=True) if n)


def ranks_shown(rank: np.ndarray) -> bool:
    """Ranks mean something only among two or more ranked candidates ("rank 1" of a round
    with one candidate says nothing), so they are printed only then."""
    return int((rank > 0).sum()) > 1


def rank_text(rank: int, tied: set[int], shown: bool) -> str:
    """``2``, ``2=`` for a tie, an en dash for a candidate not ranked, "" when ranks are
    not shown at all."""
    if not shown:
        return ""
    return (f"{rank}=" if rank in tied else str(rank)) if rank else DASH


def _ranking(s: Scored, t: dict[str, str]) -> list[dict[str, Any]]:
    overall, table = s.stats.overall, s.table
    ranks = overall.rank[overall.rank > 0]
    tied = {int(r) for r, n in zip(*np.unique(ranks, return_counts=True), strict=True) if n > 1}
    shown = ranks_shown(overall.rank)
    rows = []
    for i in overall.order:
        cid = table.candidate_ids[i]
        rank = int(overall.rank[i])
        rows.append({
            "code": int(i),
            "id": cid,
            "name": s.names[cid],
            "rank": rank_text(rank, tied, shown),
            "tie": rank in tied,
            "score": s.num(overall.score[i]),
            "interval": (f"{s.num(overall.low[i])}–{s.num(overall.high[i])}"
                         if not np.isnan(overall.low[i]) else DASH),
            "n_ratings": int(overall.n_ratings[i]),
            "adjusted": s.num(s.adjusted_overall[i]),
            "incomplete": not bool(overall.complete[i]),
            "small_panel": bool(s.stats.panels.small[i]),
            "panel_size": int(s.stats.panels.size[i]),
            "tally": _tally_text(s.tally[i], t),
            "verdict": _verdict(s, i, t),
            "risk": bool(s.stats.profiles.risk[i].any()),
        })
    return rows


def _heatmap(s: Scored, ranking: list[dict[str, Any]]) -> list[dict[str, Any]]:
    c_scores = s.stats.competency
    normalised = s.stats.profiles.normalised
    rows = []
    for entry in ranking:
        i = entry["code"]
        cells = []
        for c in range(s.table.n_competencies):
            if c_scores.n_ratings[i, c] == 0:
                cells.append({"text": DASH, "fill": "g0", "light": False,
                              "disagreement": False, "consensus": False})
                continue
            fill, light = _grey(float(normalised[i, c]))
            cells.append({
                "text": s.num(c_scores.used[i, c]),
                "fill": fill,
                "light": light,
                "disagreement": bool(c_scores.disagreement[i, c]),
                "consensus": not np.isnan(c_scores.consensus[i, c]),
            })
        rows.append({"name": entry["name"], "rank": entry["rank"], "score": entry["score"],
                     "cells": cells})
    return rows


def _competency_columns(s: Scored) -> list[dict[str, Any]]:
    c_scores = s.stats.competency
    pool = column_mean(np.where(c_scores.n_ratings > 0, c_scores.used, np.nan))
    return [
        {
            "number": c + 1,
            "id": spec.id,
            "name": s.competency_names[c],
            "scale": f"{spec.scale_min}–{spec.scale_max}",
            "weight": s.num(spec.weight, 1),
            "kind": spec.kind,
            "pool_mean": s.num(float(pool[c])),
        }
        for c, spec in enumerate(s.table.competencies)
    ]


def candidate_stages(s: Scored, bank: Bank, lang: str, t: dict[str, str]
                     ) -> dict[int, dict[str, Any]]:
    """Each candidate's stage (``hiring.store.stages.stage_of``) and the decision made there:
    the ids, and a line for the page ("Panel interview: rejected (Below the bar…)")."""
    from hiring.store.stages import stage_of

    role = bank.role(s.data.role_id)
    by_candidate: dict[int, list[Any]] = defaultdict(list)
    for row in s.data.decisions:
        by_candidate[row.candidate_id].append(row)
    found = {}
    for cid in s.names:
        rows = by_candidate.get(cid, [])
        stage = stage_of(role, rows)
        decided = next((r for r in rows if r.round == stage.round and stage.decision), None)
        reason = decided.reason if decided else None
        round_name = ((localise(role.round(stage.round).name, lang) if role.has_round(
            stage.round) else "") or stage.round) if stage.round else DASH
        if not rows:
            text = t["report_stage_none"]
        elif stage.decision is None:
            text = t["report_stage_waiting"].format(round=round_name)
        else:
            text = t["report_stage_decided"].format(
                round=round_name, decision=t["report_decision_" + stage.decision])
            if reason and reason in bank.decision_reasons:
                text += f" ({localise(bank.decision_reasons[reason].text, lang)})"
        found[cid] = {"round": stage.round, "decision": stage.decision, "reason": reason,
                      "note": decided.reason_note if decided else None, "text": text}
    return found


def _stage_summary(ranking: list[dict[str, Any]], t: dict[str, str]) -> str:
    """How many candidates stand at each decision: "advanced 3 · rejected 1 · ..."."""
    from hiring.store.stages import STAGE_DECISIONS

    counts: dict[str | None, int] = {key: 0 for key in (None, *STAGE_DECISIONS)}
    for entry in ranking:
        counts[entry["stage"]["decision"]] += 1
    labels: dict[str | None, str] = {None: t["report_stage_no_decision"]}
    labels.update({d: t["report_decision_" + d] for d in STAGE_DECISIONS})
    return " · ".join(f"{labels[key]} {n}" for key, n in counts.items() if n)


def _disagreements(s: Scored, ranking: list[dict[str, Any]]
                   ) -> tuple[list[dict[str, Any]], list[int]]:
    """Every disagreement, widest spread (share of the scale) first, then report order; and
    each one's candidate's place in the ranking (0 = first)."""
    c_scores = s.stats.competency
    found = []
    for position, entry in enumerate(ranking):
        i = entry["code"]
        for flagged in np.flatnonzero(c_scores.disagreement[i]):
            c = int(flagged)
            spread = (c_scores.maximum[i, c] - c_scores.minimum[i, c]) / s.table.scale_range[c]
            found.append((-float(spread), position, entry, c))
    found.sort(key=lambda item: item[:2])
    rows = []
    places = [position for _, position, _, _ in found]
    for _, _, entry, c in found:
        i = entry["code"]
        rows.append({
            "candidate": entry["name"],
            "competency": s.competency_names[c],
            "ratings": ", ".join(f"{e['interviewer']} {e['score']}"
                                 for e in evidence(s, entry["id"], c)),
            "range": f"{s.num(c_scores.minimum[i, c], 0)}–{s.num(c_scores.maximum[i, c], 0)}",
            "consensus": (s.num(c_scores.consensus[i, c], 0)
                          if not np.isnan(c_scores.consensus[i, c]) else DASH),
        })
    return rows, places


def _missing_scorecards(s: Scored, bank: Bank, t: dict[str, str]) -> list[dict[str, Any]]:
    """What is not handed in, one row each (``hiring.reports.completeness``): drafts,
    missing scorecards of interviews that took place, candidates not interviewed yet."""
    names = dict(zip(s.table.competency_ids, s.competency_names, strict=True))
    rows = []
    for row in s.completeness.open_rows():
        if row.state == "not-interviewed":
            what = t["report_state_not_interviewed_what"]
        elif row.state == "draft":
            what = (t["report_state_draft_what"].format(items=_join([names[c] for c in
                                                                    row.missing], t))
                    if row.missing else t["report_state_draft_complete"])
        else:
            what = t["report_missing_all"]
        rows.append({
            "candidate_id": row.candidate_id,
            "candidate": s.names[row.candidate_id],
            "interviewer": row.interviewer or DASH,
            "round": row.round or DASH,
            "state": row.state,
            "state_label": t["report_state_" + row.state.replace("-", "_")],
            "what": what,
        })
    return rows


def _calibration(s: Scored) -> list[dict[str, Any]]:
    calibration = s.stats.calibration
    table = calibration.table  # the pool: erased candidates' ratings count here
    count = np.bincount(table.interviewer, minlength=table.n_interviewers)
    raw = np.bincount(table.interviewer, weights=table.score, minlength=table.n_interviewers)
    adjusted = np.bincount(table.interviewer, weights=calibration.adjusted,
                           minlength=table.n_interviewers)
    rows = []
    for j, name in enumerate(table.interviewer_ids):
        rows.append({
            "interviewer": name,
            "leniency": s.num(calibration.leniency[j], 2, signed=True),
            "comparisons": int(calibration.comparisons[j]),
            "ratings": int(count[j]),
            "mean_raw": s.num(raw[j] / count[j] if count[j] else None, 2),
            "mean_adjusted": s.num(adjusted[j] / count[j] if count[j] else None, 2),
        })
    return rows


def _page(t: dict[str, str], lang: str, title: str) -> dict[str, Any]:
    return {"t": t, "lang": lang, "title": title, "page_size": "A4", "author": "hiring"}


def _facts(s: Scored, bank: Bank, lang: str, t: dict[str, str]) -> dict[str, Any]:
    role = bank.role(s.data.role_id)
    rounds = ([s.data.round_id] if s.data.round_id
              else sorted({r.round for r in s.data.ratings},
                        key=lambda name: _round_order(bank, role.id).get(name, len(role.rounds))))
    round_names = [
        (localise(role.round(r).name, lang) if role.has_round(r) else "") or r for r in rounds
    ]
    counts = s.completeness.counts()
    return {
        "role": localise(role.name, lang),
        "round": _join(round_names, t),
        "candidates": len(s.data.candidates),
        "erased": (t["report_erased_counted"].format(n=s.data.erased_candidates)
                   if s.data.erased_candidates else ""),
        "interviewers": _join([str(x) for x in s.table.interviewer_ids], t),
        "completeness": t["report_completeness_value"].format(
            complete=counts["submitted"], total=counts["held"], draft=counts["draft"],
            missing=counts["missing"], rated=int(s.stats.overall.complete.sum()),
            candidates=len(s.data.candidates)),
        "not_interviewed": t["report_clause_separator"].join(
            [t["report_not_interviewed_value"].format(n=counts["not_interviewed"])]
            + ([t["report_scheduled_value"].format(n=counts["scheduled"])]
               if counts["scheduled"] else [])),
        "counts": counts,
        "scale": f"{s.num(s.stats.overall.scale_min, 0)}–{s.num(s.stats.overall.scale_max, 0)}",
        "left_out": account_text(s.data.account, t),
        **generated_stamp(lang),
    }


def _in_this_report(t: dict[str, str], total: int, details: int, table_rows: int,
                    open_shown: int, open_total: int, panels_shown: int = 0,
                    panels_total: int = 0) -> list[str]:
    """Page 1's account of what the report shortens (nothing silently): candidate pages
    for the top N of M, and, past ``LARGE_POOL`` in a PDF, the tables' top rows; where
    the rest is. Empty when everything is in."""
    lines = []
    if details < total:
        lines.append(t["report_shortlist_pages"].format(n=details, total=total))
    if table_rows < total:
        lines.append(t["report_shortlist_tables"].format(n=table_rows, total=total,
                                                         first=table_rows + 1))
    if open_shown < open_total:
        lines.append(t["report_shortlist_open"].format(n=open_shown, total=open_total))
    if panels_shown < panels_total:
        lines.append(t["report_shortlist_panels"].format(n=panels_shown, total=panels_total))
    if lines:
        lines.append(t["report_shortlist_rest"])
    return lines


def _method(t: dict[str, str], detail: int, total: int) -> list[str]:
    keys = ["report_method_mean", "report_method_overall", "report_method_interval",
            "report_method_profile", "report_method_consensus", "report_method_calibration",
            "report_method_reliability", "report_method_incomplete", "report_method_bands",
            "report_method_reliability_intervals"]
    paragraphs = [t[k] for k in keys]
    paragraphs.append(t["report_method_detail"].format(n=min(detail, total), total=total))
    return paragraphs


def compare_context(
    data: ReportData, bank: Bank, role_id: str, round_id: str | None, lang: str,
    detail: int = 20, shortlist: bool = False,
) -> dict[str, Any]:
    """Everything the comparison report template shows, as plain data (see module doc;
    ``shortlist``: a PDF, whose tables list the top rows only past ``LARGE_POOL``)."""
    if data.role_id != role_id or data.round_id != round_id:
        raise InputError("the report data was loaded for another role or round")
    t = ui_strings(lang)
    s = score_report_data(data, bank, lang)
    ranking = _ranking(s, t)
    missing = _missing_scorecards(s, bank, t)
    # The ranking marks the same scorecards the table lists (one count everywhere).
    stages = candidate_stages(s, bank, lang, t)
    for entry in ranking:
        entry["stage"] = stages[entry["id"]]
        states = s.completeness.of(entry["id"])
        entry["missing_scorecards"] = states["missing"]
        entry["draft_scorecards"] = states["draft"]
        entry["not_interviewed"] = bool(states["not-interviewed"])
    # One stage for everyone is said once, on page 1; else each row says its own.
    stage_texts = {entry["stage"]["text"] for entry in ranking}
    common_stage = stage_texts.pop() if len(stage_texts) == 1 else None
    detail_rows = [candidate_page(s, entry["code"], entry, t) for entry in ranking[:max(detail, 0)]]
    large = shortlist and len(ranking) > LARGE_POOL
    table_rows = max(LARGE_POOL, detail) if large else len(ranking)
    missing_shown = missing[:LARGE_POOL] if large else missing
    panel_flags = [e for e in ranking if e["small_panel"] and e["panel_size"] > 0]
    panels_shown = min(len(panel_flags), LARGE_POOL) if large else len(panel_flags)
    disagreements, places = _disagreements(s, ranking)
    # Those past the table's rows are marked ! in the heat map only if their candidate is in
    # it: past LARGE_POOL a PDF's heat map holds the top rows, so the others are counted apart.
    unlisted = places[MAX_LISTED:]
    more_in_heatmap = sum(1 for place in unlisted if place < table_rows)
    from hiring.reports.reliability_table import reliability_rows, watch_reliability

    reliability_table, reliability_notes = reliability_rows(s, t)
    title = t["report_title"]
    role_name = localise(bank.role(role_id).name, lang)
    return {
        **_page(t, lang, f"{title} · {role_name}"),
        "scored": s,  # for the figures (--json), not the page
        "facts": _facts(s, bank, lang, t),
        "blind": False,  # set by the build for --blind (hiring.reports.blind)
        "ranking": ranking,  # everyone (--json); the page shows ranking_top and ranking_rest
        "ranking_top": ranking[:table_rows],
        "ranking_rest": ranking[table_rows:],
        "ranking_rest_sections": [
            {"first": start + 1, "last": min(start + REST_SECTION_ROWS, len(ranking)),
             "rows": ranking[start:start + REST_SECTION_ROWS],
             "legend": start == table_rows}
            for start in range(table_rows, len(ranking), REST_SECTION_ROWS)],
        "ranks_shown": ranks_shown(s.stats.overall.rank),
        "table_chunk": TABLE_CHUNK,
        "common_stage": common_stage,
        "stage_summary": _stage_summary(ranking, t),
        "competencies": _competency_columns(s),
        "numbered_columns": s.table.n_competencies > 6,
        "heatmap": _heatmap(s, ranking[:table_rows]),
        "details": detail_rows,
        "detail_count": len(detail_rows),
        "in_this_report": _in_this_report(t, len(ranking), len(detail_rows),
                                          min(table_rows, len(ranking)), len(missing_shown),
                                          len(missing), panels_shown, len(panel_flags)),
        # Listed in full up to MAX_LISTED (widest first); the rest are marked ! in the heat
        # map, or counted as below its top rows (the HTML report and --json list every one).
        "disagreements": disagreements[:MAX_LISTED],
        "disagreements_total": len(disagreements),
        "disagreements_more": more_in_heatmap,
        "disagreements_below": len(unlisted) - more_in_heatmap,
        "heatmap_rows": min(table_rows, len(ranking)),
        "tally": [{"name": e["name"], "counts": [int(n) for n in s.tally[e["code"]]]}
                  for e in ranking[:table_rows]],
        "decisions": [t[DECISION_KEYS[d]] for d in DECISIONS],
        # Candidates without any rating are listed as missing scorecards instead.
        "panel_flags": panel_flags[:LARGE_POOL] if large else panel_flags,
        "panel_flags_total": len(panel_flags),
        "typical_panel": s.stats.panels.typical,
        "missing": missing_shown,
        "missing_note": " ".join(
            ([t["report_shortlist_open"].format(n=len(missing_shown), total=len(missing))]
             if len(missing_shown) < len(missing) else [])
            + ([t["report_shortlist_panels"].format(n=panels_shown, total=len(panel_flags))]
               if panels_shown < len(panel_flags) else [])),
        "calibration": _calibration(s),
        "reliability": reliability_table,
        "reliability_notes": reliability_notes,
        "watch_reliability": watch_reliability(s, t),
        "measures": [m.replace("alpha(", "α ").rstrip(")") if m.startswith("alpha") else m
                     for m in MEASURES],
        "method": _method(t, detail, len(ranking)),
    }
