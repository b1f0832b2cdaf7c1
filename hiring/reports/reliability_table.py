"""The reliability table of the comparison report, and its line in "Before you decide".

``reliability_rows(scored, t)`` -> (rows with one cell per measure: the value or "not
defined" with a lettered footnote, the 95% interval, the band read from the interval;
the footnotes), ``watch_reliability(scored, t)`` -> the overall ICC(2,1) and alpha with
their intervals. Numbers come from ``hiring.scoring.reliability``; only formatting here.
"""

from __future__ import annotations

from typing import Any

from hiring.render.formats import list_separator
from hiring.reports.scored import DASH, MEASURES, Scored
from hiring.scoring import alpha, icc
from hiring.scoring.reliability import OVERALL

_REASON_KEYS = {
    icc.REASON_FEW: "report_reason_few", icc.REASON_BLOCK: "report_reason_few",
    alpha.REASON_FEW: "report_reason_few",
    icc.REASON_IDENTICAL: "report_reason_identical",
    icc.REASON_NO_VARIANCE: "report_reason_no_variance",
    icc.REASON_OUT_OF_RANGE: "report_reason_out_of_range",
    alpha.REASON_OUT_OF_RANGE: "report_reason_out_of_range",
    icc.REASON_NO_INTERVAL: "report_reason_no_interval",
    alpha.REASON_NO_INTERVAL: "report_reason_no_interval",
    alpha.REASON_NO_SPREAD: "report_reason_no_spread",
}


def _band_text(bands: list[str], t: dict[str, str], short: bool = False) -> str:
    """The band word read from the interval, in the report's language (``short``: the
    table's cells, where "too few candidates to tell" took three lines of a narrow column
    and pushed the table's last rows onto a page of their own)."""
    if not bands:
        return ""
    if len(bands) == 1:
        return t[f"report_band_{bands[0]}"]
    if len(bands) == 2:
        return t["report_band_range"].format(low=t[f"report_band_{bands[0]}"],
                                             high=t[f"report_band_{bands[1]}"])
    return t["report_band_too_few_short" if short else "report_band_too_few"]


def _interval_text(s: Scored, row: dict[str, Any]) -> str:
    if row["low"] is None or row["high"] is None:
        return ""
    # "[0,42; 0,61]" where the decimal mark is a comma, so the two numbers stay apart.
    return f"[{s.num(row['low'], 2)}{list_separator(s.lang)}{s.num(row['high'], 2)}]"


def reliability_rows(s: Scored, t: dict[str, str]) -> tuple[list[dict[str, Any]],
                                                         list[dict[str, str]]]:
    """Rows of the reliability table, and the footnotes that explain undefined cells
    (one letter per distinct reason, in order of first use)."""
    names = dict(zip(s.table.competency_ids, s.competency_names, strict=True))
    names[OVERALL] = t["report_overall"]
    grouped: dict[str, dict[str, dict[str, Any]]] = {}
    for figure in s.stats.reliability:
        grouped.setdefault(figure["competency"], {})[figure["measure"]] = figure
    marks: dict[str, str] = {}

    def mark(reason: str) -> str:
        key = _REASON_KEYS.get(reason, "report_reason_few")
        return marks.setdefault(key, "abcdefghij"[len(marks)])

    rows: list[dict[str, Any]] = []
    for competency, measures in grouped.items():
        block = measures.get("ICC(2,1)", {})
        one_way = measures.get("ICC(1,1)", {})
        cells = []
        for m in MEASURES:
            row: dict[str, Any] | None = measures.get(m)
            if row is None:
                cells.append({"value": DASH, "mark": "", "interval": "", "band": ""})
            elif row["value"] is None:
                cells.append({"value": t["report_not_defined"], "mark": mark(row["reason"]),
                              "interval": "", "band": ""})
            else:
                cells.append({
                    "value": s.num(row["value"], 2),
                    "mark": mark(row["interval_reason"]) if row["interval_reason"] else "",
                    "interval": _interval_text(s, row),
                    "band": _band_text(row["bands"], t, short=True),
                })
        rows.append({
            "competency": names.get(competency, competency),
            "overall": competency == OVERALL,
            "cells": cells,
            "block": (f"{block.get('targets', 0)} × {s.num(block.get('raters'), 0)}"
                      if block.get("value") is not None else DASH),
            "k0": s.num(one_way.get("raters"), 2) if one_way.get("value") is not None else DASH,
        })
    notes = [{"mark": letter, "text": t[key]} for key, letter in marks.items()]
    return rows, notes


def watch_reliability(s: Scored, t: dict[str, str]) -> str:
    """The overall ICC(2,1) and interval alpha, with intervals, for "Before you decide"."""
    parts = []
    for row in s.stats.reliability:
        if row["competency"] != OVERALL or row["measure"] not in ("ICC(2,1)",
                                                                    "alpha(interval)"):
            continue
        label = "ICC(2,1)" if row["measure"] == "ICC(2,1)" else "α"
        if row["value"] is None:
            reason = t[_REASON_KEYS.get(row["reason"], "report_reason_few")]
            parts.append(f"{label} {t['report_not_defined']} ({reason})")
        else:
            interval = _interval_text(s, row)
            band = _band_text(row["bands"], t)
            parts.append(" ".join(x for x in (label, s.num(row["value"], 2), interval, band) if x))
    return "; ".join(parts)
