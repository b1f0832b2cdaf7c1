"""One candidate's scorecard (each round separately, or pooled and labelled) and the
evidence-by-competency report, built from the pieces of ``hiring.reports.context``.

``candidate_context(data, bank, role_id, round_id, lang, candidate_id, by_round)`` and
``competency_context(data, bank, role_id, round_id, lang, competency_id)``.
"""

from __future__ import annotations

import dataclasses
from typing import TYPE_CHECKING, Any

import numpy as np

from hiring.bank.models import localise
from hiring.errors import InputError
from hiring.render.strings import ui_strings
from hiring.reports.candidate_page import candidate_page
from hiring.reports.candidate_page import evidence as competency_evidence
from hiring.reports.context import (
    _competency_columns,
    _facts,
    _join,
    _method,
    _missing_scorecards,
    _page,
    _ranking,
    candidate_stages,
    rank_text,
    ranks_shown,
)
from hiring.reports.data import ReportData
from hiring.reports.scored import DASH, _round_order, score_report_data

if TYPE_CHECKING:
    from hiring.bank.models import Bank


def only_round(data: ReportData, round_id: str, known: bool) -> ReportData:
    """``data`` cut down to one round (``known``: the role still has that round, so its
    competency list applies; a renamed round keeps the role's full list)."""
    return dataclasses.replace(
        data,
        round_id=round_id if known else None,
        ratings=[r for r in data.ratings if r.round == round_id],
        recommendations=[r for r in data.recommendations if r.round == round_id],
        consensus=[r for r in data.consensus if r.round == round_id],
        interviews=[r for r in data.interviews if r.round == round_id],
        erased_ratings=[r for r in data.erased_ratings if r.round == round_id],
    )


def candidate_rounds(data: ReportData, bank: Bank, candidate_id: int) -> list[str]:
    """The rounds the candidate was rated in, in the role's order (renamed ones last)."""
    order = _round_order(bank, data.role_id)
    rounds = {r.round for r in data.ratings if r.candidate_id == candidate_id}
    return sorted(rounds, key=lambda r: (order.get(r, len(order)), r))


def _round_name(bank: Bank, role_id: str, round_id: str, lang: str) -> str:
    role = bank.role(role_id)
    return (localise(role.round(round_id).name, lang) if role.has_round(round_id)
            else "") or round_id


def _candidate_section(
    data: ReportData, bank: Bank, lang: str, candidate_id: int, t: dict[str, str],
    label: str,
) -> dict[str, Any]:
    s = score_report_data(data, bank, lang)
    ranking = _ranking(s, t)
    entry = next((e for e in ranking if e["id"] == candidate_id), None)
    if entry is None:
        raise InputError(f"candidate {candidate_id} is not in this report")
    entry["stage"] = candidate_stages(s, bank, lang, t)[candidate_id]
    states = s.completeness.of(candidate_id)
    entry["missing_scorecards"] = states["missing"]
    entry["draft_scorecards"] = states["draft"]
    entry["not_interviewed"] = bool(states["not-interviewed"])
    detail = candidate_page(s, entry["code"], entry, t)
    detail["round_label"] = label
    return {
        "label": label,
        "candidate": detail,
        "scored": s,
        "pool_size": len(ranking),
        "ranks_shown": ranks_shown(s.stats.overall.rank),
        "facts": _facts(s, bank, lang, t),
        "missing": [m for m in _missing_scorecards(s, bank, t)
                    if m["candidate_id"] == candidate_id],
    }


def candidate_context(
    data: ReportData, bank: Bank, role_id: str, round_id: str | None, lang: str,
    candidate_id: int, by_round: bool = False,
) -> dict[str, Any]:
    """One candidate's scorecard, scored within the whole pool of ``data``.

    ``by_round``: one section per round the candidate was rated in, each scored within
    that round's pool (the default of ``report candidate``: a screen and a panel are
    different evidence). Otherwise one section over ``data``; when ``data`` spans
    several rounds (``--pool-rounds``) it is labelled as pooled, naming the rounds."""
    t = ui_strings(lang)
    rounds = candidate_rounds(data, bank, candidate_id)
    role = bank.role(role_id)
    if by_round and rounds:
        sections = [
            _candidate_section(only_round(data, r, role.has_round(r)), bank, lang,
                               candidate_id, t,
                               t["report_round_label"].format(
                                   round=_round_name(bank, role_id, r, lang)))
            for r in rounds
        ]
    else:
        pooled = round_id is None and len({r.round for r in data.ratings}) > 1
        label = (t["report_rounds_pooled"].format(rounds=_join(
            [_round_name(bank, role_id, r, lang) for r in sorted(
                {r.round for r in data.ratings},
                key=lambda name: (_round_order(bank, role_id).get(name, 99), name))], t))
            if pooled else "")
        sections = [_candidate_section(data, bank, lang, candidate_id, t, label)]
    first = sections[0]
    title = t["report_candidate_title"]
    facts = dict(first["facts"])
    if by_round and len(sections) > 1:
        facts["round"] = _join([_round_name(bank, role_id, r, lang) for r in rounds], t)
    return {
        **_page(t, lang, f"{title} · {first['candidate']['name']}"),
        "round_id": round_id,
        "facts": facts,
        "pool_size": first["pool_size"],
        "candidate": first["candidate"],
        "sections": sections,
        "missing": [m for section in sections for m in section["missing"]],
        "method": _method(t, 1, 1)[:-1],
    }


def competency_context(
    data: ReportData, bank: Bank, role_id: str, round_id: str | None, lang: str,
    competency_id: str,
) -> dict[str, Any]:
    """One competency, every candidate's evidence side by side (report order), so a
    manager compares answers to the same questions rather than whole people."""
    if data.role_id != role_id or data.round_id != round_id:
        raise InputError("the report data was loaded for another role or round")
    t = ui_strings(lang)
    s = score_report_data(data, bank, lang)
    c = s.table.competency_code(competency_id)  # InputError when not in the role/round
    spec = s.table.competencies[c]
    competency = bank.competency(competency_id)
    c_scores, profiles = s.stats.competency, s.stats.profiles
    questions = {q.id: localise(q.text, lang) for q in competency.questions}
    # Ranked by this competency's score (the consensus where agreed, else the mean), not
    # by the overall score: the page is about this competency. Ties share a rank.
    used = np.where(c_scores.n_ratings[:, c] > 0, c_scores.used[:, c], np.nan)
    from hiring.scoring.aggregate import competition_rank

    rated = ~np.isnan(used)
    rank = competition_rank(np.nan_to_num(used, nan=-np.inf), rated)
    tied = {int(r) for r, n in zip(*np.unique(rank[rank > 0], return_counts=True),
                                   strict=True) if n > 1}
    shown = ranks_shown(rank)
    by_overall = {entry["code"]: entry for entry in _ranking(s, t)}
    position = {code: n for n, code in enumerate(by_overall)}
    order = sorted(by_overall, key=lambda i: (rank[i] == 0, rank[i], position[i]))
    rows = []
    for i in order:
        entry = by_overall[i]
        cid = entry["id"]
        n = int(c_scores.n_ratings[i, c])
        evidence = competency_evidence(s, cid, c)
        for item in evidence:
            item["question"] = questions.get(item["question_id"] or "", "")
        rows.append({
            "code": int(i),
            "id": cid,
            "name": entry["name"],
            "rank": rank_text(int(rank[i]), tied, shown),
            "overall": entry["score"],
            "overall_rank": entry["rank"],
            "used": s.num(c_scores.used[i, c]) if n else DASH,
            "n": n,
            "range": (f"{s.num(c_scores.minimum[i, c], 0)}–{s.num(c_scores.maximum[i, c], 0)}"
                      if n else DASH),
            "consensus": (s.num(c_scores.consensus[i, c], 0)
                          if not np.isnan(c_scores.consensus[i, c]) else ""),
            "consensus_note": s.consensus_notes.get((int(cid), competency_id)) or "",
            "disagreement": bool(c_scores.disagreement[i, c]),
            "risk": bool(profiles.risk[i, c]),
            "evidence": evidence,
        })
    column = _competency_columns(s)[c]
    name = s.competency_names[c]
    return {
        **_page(t, lang, f"{t['report_by_competency']} · {name}"),
        "facts": _facts(s, bank, lang, t),
        "blind": False,
        "competency": {
            "name": name,
            "definition": localise(competency.definition, lang),
            "scale": f"{spec.scale_min}–{spec.scale_max}",
            "kind": spec.kind,
            "pool_mean": column["pool_mean"],
        },
        "rows": rows,
        "ranks_shown": shown,
        "scored": s,
        "competency_code": c,
        "method": _method(t, 1, 1)[:1],
    }
