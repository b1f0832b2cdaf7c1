"""The validity report's page: figures (``hiring.reports.validity``) -> template context,
and the build (check, compute, render, write).

``build_validity_report(store, bank, role_id, measure, lang, fmt, out, templates_dir)`` ->
``ReportOutput`` whose ``figures`` are ``ValidityFigures.to_json()`` (numbers as numbers,
for ``--json``); ``out`` None writes nothing.

A question is marked when its ceiling share is ``CEILING_MARK`` (50%) or more (it does not
separate the best candidates) or its item-rest correlation is below ``ITEM_REST_MARK``
(0.20, a common rule of thumb of classical test theory: it does not agree with the rest
of the competency's evidence).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from hiring.bank.models import localise
from hiring.render.formats import format_percent, generated_stamp
from hiring.render.strings import ui_strings
from hiring.reports.build import ReportOutput, figures_report, format_of
from hiring.reports.fairness_page import number, p_value
from hiring.reports.scored import DASH
from hiring.reports.validity import ValidityFigures
from hiring.scoring.validity import MIN_DF, MIN_N, Correlation, Undefined

if TYPE_CHECKING:
    from hiring.bank.models import Bank
    from hiring.store.db import Store

TEMPLATE = "report_validity.html.j2"
CEILING_MARK = 0.5
ITEM_REST_MARK = 0.20
QUESTION_CHARS = 70


def _reason(why: Undefined | None, t: dict[str, str]) -> str:
    if why is None:
        return t["report_not_defined"]
    text = t["report_validity_reason_" + why.code]
    return text.format(n=why.count, min=why.threshold)


def _interval(low: float | None, high: float | None, lang: str) -> str:
    if low is None or high is None:
        return DASH
    return f"{number(low, 2, lang=lang)}–{number(high, 2, lang=lang)}"


def _correlation(c: Correlation, t: dict[str, str], lang: str) -> dict[str, Any]:
    if c.r is None:
        return {"r": DASH, "interval": DASH, "p": DASH, "n": c.n,
                "why": f"{t['report_not_defined']}: {_reason(c.undefined, t)}"}
    return {"r": number(c.r, 2, lang=lang), "interval": _interval(c.low, c.high, lang),
            "p": p_value(c.p, lang=lang),
            "n": c.n, "why": ""}


def _question_text(bank: Bank, question_id: str, lang: str) -> str:
    try:
        _, question = bank.question(question_id)
    except Exception:  # a question no longer in the bank: its id is all we have
        return ""
    text = " ".join(localise(question.text, lang).split())
    return text if len(text) <= QUESTION_CHARS else text[:QUESTION_CHARS - 1] + "…"


def validity_context(figures: ValidityFigures, bank: Bank, lang: str) -> dict[str, Any]:
    """Everything the validity report's page shows, as strings and numbers."""
    t = ui_strings(lang)
    role = bank.role(figures.role_id)
    role_name = localise(role.name, lang)
    names = {c.id: localise(bank.competency(c.id).name, lang) for c in role.competencies}
    rows = []
    for row in figures.rows:
        observed = _correlation(row.observed, t, lang)
        corrected = row.corrected
        increment = row.increment
        rows.append({
            "label": t["report_fairness_overall"] if row.competency is None
            else names.get(row.competency, row.competency),
            "overall": row.competency is None,
            **observed,
            "corrected": number(corrected.r, 2, lang=lang) if corrected else DASH,
            "corrected_interval": (_interval(corrected.low, corrected.high, lang) if corrected
                                   else DASH),
            "u": number(corrected.u, 2, lang=lang) if corrected else DASH,
            "delta": (DASH if increment is None or increment.delta_r2 is None
                      else number(increment.delta_r2, 3, lang=lang)),
            "delta_p": DASH if increment is None else p_value(increment.p, lang=lang),
        })
    order = {c.id: i for i, c in enumerate(role.competencies)}
    items = []
    for item in sorted(figures.items, key=lambda i: (order.get(i.competency, len(order)),
                                                     i.question)):
        rest = item.item_rest
        marks = []
        if item.ceiling >= CEILING_MARK:
            marks.append(t["report_validity_flag_ceiling"])
        if rest.r is not None and rest.r < ITEM_REST_MARK:
            marks.append(t["report_validity_flag_low"])
        items.append({
            "competency": names.get(item.competency, item.competency),
            "question": item.question,
            "text": _question_text(bank, item.question, lang),
            "n": item.n_ratings, "mean": number(item.mean, 2, lang=lang),
            "sd": number(item.sd, 2, lang=lang),
            "ceiling": format_percent(item.ceiling, lang),
            "rest": number(rest.r, 2, lang=lang) if rest.r is not None else DASH,
            "rest_n": rest.n,
            "rest_why": "" if rest.r is not None else _reason(rest.undefined, t),
            "marks": t["report_list_separator"].join(marks),
        })
    if figures.binary:
        kind = t["report_validity_kind_binary"].format(
            share=number(figures.outcome_mean, 2, lang=lang))
    else:
        kind = t["report_validity_kind_number"].format(
            mean=number(figures.outcome_mean, 2, lang=lang),
            sd=number(figures.outcome_sd, 2, lang=lang))
    left_out = t["report_list_separator"].join(
        f"{t['report_validity_left_out_' + reason]} {n}"
        for reason, n in figures.left_out.items()) or t["report_none"]
    warnings = []
    if figures.hired == 0:
        warnings.append(t["report_validity_none_hired"])
    elif figures.n < MIN_N:
        warnings.append(t["report_validity_too_few"].format(n=figures.n, min=MIN_N))
    correlation_kind = t["report_validity_kind_point_biserial" if figures.binary
                         else "report_validity_kind_pearson"]
    return {
        "t": t, "lang": lang, "title": f"{t['report_validity_title']} · {role_name}",
        "page_size": "A4", "author": "hiring",
        "facts": {
            "role": role_name, "measure": figures.measure, "kind": kind,
            "applicants": figures.applicants, "pool": figures.pool, "hired": figures.hired,
            "n": figures.n,
            "left_out": left_out,
            **generated_stamp(lang),
        },
        "warnings": warnings,
        "rows": rows,
        "legend": t["report_validity_legend"].format(kind=correlation_kind),
        "r2": (t["report_validity_r2"].format(r2=number(figures.r2, 3, lang=lang),
                                              n=figures.increment_n)
               if figures.r2 is not None else ""),
        "items": items,
        "no_question": figures.no_question,
        "items_legend": t["report_validity_items_legend"].format(
            ceiling=format_percent(CEILING_MARK, lang),
                rest=number(ITEM_REST_MARK, 2, lang=lang)),
        "method": [
            t["report_validity_method_sample"].format(min=MIN_N),
            t["report_validity_method_r"],
            t["report_validity_method_thorndike"],
            t["report_validity_method_increment"].format(df=MIN_DF),
            t["report_validity_method_items"].format(
                ceiling=format_percent(CEILING_MARK, lang),
                rest=number(ITEM_REST_MARK, 2, lang=lang)),
            t["report_validity_method_reference"],
        ],
    }


def build_validity_report(
    store: Store, bank: Bank, role_id: str | None, measure: str, lang: str,
    fmt_name: str | None, out: Path | None, templates_dir: Path | None = None,
) -> ReportOutput:
    """Check the options, compute the figures, and write the report to ``out`` (PDF or
    HTML; ``None``: the figures only)."""
    from hiring.reports.data import default_role
    from hiring.reports.validity import validity_figures

    out = Path(out) if out is not None else None
    chosen = format_of(out, fmt_name) if out is not None else "json"
    role_id = role_id or default_role(store, bank)
    figures = validity_figures(store, bank, role_id, measure)
    return figures_report(out, chosen, figures.applicants, figures.to_json(), TEMPLATE,
                          lambda: validity_context(figures, bank, lang), lang, templates_dir)
