"""The fairness report's page: figures (``hiring.reports.fairness``) -> template context,
and the build (check, compute, render, write).

``build_fairness_report(store, bank, role_id, attribute, lang, fmt, out, templates_dir,
min_group)`` -> ``ReportOutput`` whose ``figures`` are ``FairnessFigures.to_json()``
(numbers as numbers, for ``--json``); ``out`` None writes nothing.
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import TYPE_CHECKING, Any

from hiring.bank.models import localise
from hiring.render.formats import generated_stamp
from hiring.render.strings import ui_strings
from hiring.reports.build import ReportOutput, figures_report, format_of
from hiring.reports.fairness import HIRED_STAGE, FairnessFigures, check_min_group
from hiring.reports.scored import DASH, fmt
from hiring.scoring.fairness import (
    MIN_APPLICANTS,
    MIN_SELECTED,
    OTHER,
    GroupImpact,
    Instability,
)

if TYPE_CHECKING:
    from hiring.bank.models import Bank
    from hiring.store.db import Store

TEMPLATE = "report_fairness.html.j2"


def number(value: float | None, digits: int = 2, *, lang: str = "en") -> str:
    """``fmt`` without a negative zero: -0.001 to two places prints 0.00, not −0.00."""
    if value is None or math.isnan(value):
        return DASH
    rounded = round(value, digits)
    return fmt(0.0 if rounded == 0 else rounded, digits, lang=lang)


def p_value(p: float | None, *, lang: str = "en") -> str:
    if p is None:
        return DASH
    return f"< {fmt(0.001, 3, lang=lang)}" if p < 0.001 else fmt(p, 3, lang=lang)


def _group_name(name: str, t: dict[str, str]) -> str:
    return t["report_fairness_other"] if name == OTHER else name


def _stage_name(bank: Bank, role_id: str, stage: str, lang: str, t: dict[str, str],
                plain: bool = False) -> str:
    """"Stage: Screening interview" (``plain``: "Screening interview")."""
    if stage == HIRED_STAGE:
        return t["report_fairness_hired"] if plain else t["report_fairness_stage_hired"]
    role = bank.role(role_id)
    name = (localise(role.round(stage).name, lang) if role.has_round(stage) else "") or stage
    return name if plain else t["report_fairness_stage_round"].format(round=name)


def _unstable(reason: Instability, t: dict[str, str]) -> str:
    if reason.code == "few_applicants":
        return t["report_fairness_unstable_applicants"].format(
            group=_group_name(reason.group or "", t), n=reason.count, min=reason.threshold)
    return t["report_fairness_unstable_selected"].format(n=reason.count, min=reason.threshold)


def _impact_row(g: GroupImpact, t: dict[str, str], lang: str) -> dict[str, Any]:
    if g.reference:
        flag = t["report_fairness_reference"]
    elif g.unstable:
        flag = t["report_fairness_unstable"] + ": " + t["report_clause_separator"].join(
            _unstable(reason, t) for reason in g.unstable)
    elif g.flagged:
        flag = t["report_fairness_below"]
    else:
        flag = ""
    return {
        "group": _group_name(g.group, t), "applicants": g.applicants, "selected": g.selected,
        "rate": number(g.rate, 2, lang=lang), "ratio": number(g.impact_ratio, 2, lang=lang),
        "p": p_value(g.fisher_p, lang=lang),
        "shortfall": DASH if g.shortfall is None else str(g.shortfall),
        "flag": flag, "flagged": g.flagged, "unstable": bool(g.unstable),
    }


def _left_out(left_out: dict[str, int], t: dict[str, str]) -> str:
    if not left_out:
        return ""
    items = t["report_list_separator"].join(
        f"{t['report_fairness_left_out_' + reason]} {n}" for reason, n in left_out.items())
    return t["report_fairness_left_out"].format(items=items)


def _merge_notes(merged: tuple[str, ...], hidden: int, min_group: int,
                 t: dict[str, str]) -> list[str]:
    notes = []
    if merged:
        names = t["report_list_separator"].join(_group_name(g, t) for g in merged)
        notes.append(t["report_fairness_merged"].format(other=t["report_fairness_other"],
                                                        groups=names, n=min_group))
    if hidden:
        notes.append(t["report_fairness_hidden"].format(n=hidden))
    return notes


def fairness_context(figures: FairnessFigures, bank: Bank, lang: str) -> dict[str, Any]:
    """Everything the fairness report's page shows, as strings and numbers."""
    t = ui_strings(lang)
    role = bank.role(figures.role_id)
    role_name = localise(role.name, lang)
    competency_names = {c.id: localise(bank.competency(c.id).name, lang)
                        for c in role.competencies}
    summary: list[str] = []
    unstable = 0
    sections = []
    for attribute in figures.attributes:
        stages = []
        for stage in attribute.stages:
            name = _stage_name(bank, figures.role_id, stage.id, lang, t)
            plain = _stage_name(bank, figures.role_id, stage.id, lang, t, plain=True)
            rows = [_impact_row(g, t, lang) for g in stage.impact.groups]
            unstable += sum(1 for g in stage.impact.groups if g.unstable)
            for g in stage.impact.groups:
                if g.flagged:
                    summary.append(t["report_fairness_flag_line"].format(
                        attribute=attribute.attribute, stage=plain,
                        group=_group_name(g.group, t), ratio=number(g.impact_ratio, 2, lang=lang),
                        p=p_value(g.fisher_p, lang=lang), shortfall=g.shortfall or 0))
            stages.append({
                "name": name, "rows": rows,
                "empty": not rows,
                "left_out": _left_out(stage.left_out, t),
                "notes": _merge_notes(stage.impact.merge.merged,
                                      stage.impact.merge.left_out_people, figures.min_group, t),
            })
        columns: list[str] = []
        for score in attribute.scores:
            for m in score.means.groups:
                if m.group not in columns:
                    columns.append(m.group)
        seen = {g: i for i, g in enumerate(columns)}
        columns = sorted(columns, key=lambda g: (g == OTHER, seen[g]))
        score_rows = []
        score_notes: list[str] = []
        for score in attribute.scores:
            by_group = {m.group: m for m in score.means.groups}
            cells: list[dict[str, Any] | None] = []
            for group in columns:
                found = by_group.get(group)
                if found is None:
                    cells.append(None)
                    continue
                interval = (DASH if found.low is None or found.high is None
                            else f"{number(found.low, 2, lang=lang)}–"
                                 f"{number(found.high, 2, lang=lang)}")
                cells.append({"mean": number(found.mean, 2, lang=lang), "interval": interval,
                              "n": found.n})
            score_rows.append({
                "label": (t["report_fairness_overall"] if score.competency is None
                          else competency_names.get(score.competency, score.competency)),
                "overall": score.competency is None, "cells": cells,
            })
            notes = _merge_notes(score.means.merge.merged, score.means.left_out_people,
                                 figures.min_group, t)
            for note in notes:  # the merges differ by row only where groups are scored apart
                if note not in score_notes:
                    score_notes.append(note)
        sections.append({
            "attribute": attribute.attribute, "people": attribute.people,
            "stages": stages, "scores": score_rows, "score_notes": score_notes,
            "score_groups": [_group_name(g, t) for g in columns],
            "unscored": attribute.unscored,
        })
    scale = (f"{number(figures.scale[0], 0, lang=lang)}–{number(figures.scale[1], 0, lang=lang)}"
             if figures.scale else DASH)
    round_names = [localise(role.round(r).name, lang) or r
                   for r in figures.rounds_without_decisions]
    return {
        "t": t, "lang": lang, "title": f"{t['report_fairness_title']} · {role_name}",
        "page_size": "A4", "author": "hiring",
        "facts": {
            "role": role_name, "candidates": figures.candidates, "decided": figures.decided,
            "attributes": t["report_list_separator"].join(
                t["report_fairness_attribute_value"].format(name=a.attribute, n=a.people)
                for a in figures.attributes),
            "no_decisions": t["report_list_separator"].join(round_names) or DASH,
            **generated_stamp(lang),
        },
        "confidential": t["report_fairness_confidential"].format(n=figures.min_group),
        "summary": summary,
        "unstable": unstable,
        "sections": sections,
        "scale": scale,
        "method": [
            t["report_fairness_method_data"],
            t["report_fairness_method_stages"],
            t["report_fairness_method_rule"],
            t["report_fairness_method_fisher"],
            t["report_fairness_method_shortfall"],
            t["report_fairness_method_small"].format(applicants=MIN_APPLICANTS,
                                                     selected=MIN_SELECTED),
            t["report_fairness_method_merge"].format(n=figures.min_group),
            t["report_fairness_method_scores"],
        ],
    }


def build_fairness_report(
    store: Store, bank: Bank, role_id: str | None, attribute: str | None, lang: str,
    fmt_name: str | None, out: Path | None, templates_dir: Path | None = None,
    min_group: int = 5,
) -> ReportOutput:
    """Check the options, compute the figures, and write the report to ``out`` (PDF or
    HTML; ``None``: the figures only)."""
    from hiring.reports.data import default_role
    from hiring.reports.fairness import fairness_figures

    out = Path(out) if out is not None else None
    chosen = format_of(out, fmt_name) if out is not None else "json"
    check_min_group(min_group)
    role_id = role_id or default_role(store, bank)
    figures = fairness_figures(store, bank, role_id, attribute, min_group)
    return figures_report(out, chosen, figures.candidates, figures.to_json(), TEMPLATE,
                          lambda: fairness_context(figures, bank, lang), lang, templates_dir)
