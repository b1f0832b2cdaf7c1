"""Load from the store, build the context, render, write atomically.

``build_compare_report(store, bank, role_id, round_id, candidates, lang, fmt, out,
pdf_variant, templates_dir, detail)`` and ``build_candidate_report(store, bank,
candidate, role_id, round_id, lang, fmt, out, templates_dir)`` return a ``ReportOutput``.
``reliability_figures(store, bank, role_id, round_id, competency)`` gives the rows of
``hiring stats reliability``. HTML output never imports WeasyPrint.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from hiring.errors import InputError
from hiring.files import spreadsheet_safe, write_atomic
from hiring.render.environment import render_template, template_dirs, template_source
from hiring.render.fonts import font_family, require_font
from hiring.reports.data import RatingAccount, ReportData, default_role, load_report_data

if TYPE_CHECKING:
    from hiring.bank.models import Bank
    from hiring.store.db import Store

FORMATS = ("pdf", "html")
STYLESHEETS = ("print.css", "report_print.css")
RATINGS_COLUMNS = ("candidate_id", "candidate", "interviewer", "round", "competency",
                   "question", "score", "note")


@dataclass
class ReportOutput:
    path: Path
    format: str
    pages: int | None = None
    candidates: int = 0
    warnings: list[str] = field(default_factory=list)
    ratings: RatingAccount | None = None  # stored ratings used and left out


def _format_of(out: Path, fmt: str | None) -> str:
    chosen = (fmt or out.suffix.lstrip(".") or "pdf").lower()
    if chosen not in FORMATS:
        raise InputError(f"unknown format '{chosen}' (expected: {', '.join(FORMATS)})")
    return chosen


def ratings_csv(data: ReportData) -> str:
    """The ratings behind a report as CSV (one row per rating, the store's values)."""
    names = {c.id: c.name for c in data.candidates}
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(RATINGS_COLUMNS)
    for r in data.ratings:
        # Names and notes are untrusted: keep a spreadsheet from running them as formulas.
        writer.writerow([r.candidate_id, spreadsheet_safe(names[r.candidate_id]),
                         spreadsheet_safe(r.interviewer), spreadsheet_safe(r.round), r.competency,
                         r.question or "", r.score, spreadsheet_safe(r.note or "")])
    return buffer.getvalue()


def ratings_json(data: ReportData) -> str:
    """Ratings, recommendations and consensus behind a report, as JSON."""
    names = {c.id: c.name for c in data.candidates}
    payload: dict[str, Any] = {
        "role": data.role_id,
        "round": data.round_id,
        "generated": datetime.now(UTC).isoformat(timespec="seconds"),
        "candidates": [{"id": c.id, "name": c.name} for c in data.candidates],
        "ratings": [dict(zip(RATINGS_COLUMNS, (r.candidate_id, names[r.candidate_id],
                                                r.interviewer, r.round, r.competency,
                                                r.question, r.score, r.note), strict=True))
                    for r in data.ratings],
        "recommendations": [r._asdict() for r in data.recommendations],
        "consensus": [r._asdict() for r in data.consensus],
    }
    return json.dumps(payload, ensure_ascii=False, indent=1) + "\n"


def _render(
    template: str, context: dict[str, Any], fmt: str, out: Path, lang: str,
    templates_dir: Path | None, pdf_variant: str | None, data: ReportData,
) -> ReportOutput:
    result = ReportOutput(path=out, format=fmt, candidates=len(data.candidates),
                          ratings=data.account)
    if fmt == "html":
        if pdf_variant:
            raise InputError("--pdf-variant needs --format pdf")
        css = "\n".join(template_source(name, templates_dir) for name in STYLESHEETS)
        html = render_template(template, {**context, "font_family": font_family(lang),
                                          "inline_css": css}, templates_dir)
        write_atomic(out, html)
        return result
    from hiring.reports.pdf import EmbeddedFile, report_pdf

    html = render_template(template, {**context, "font_family": require_font(lang),
                                      "inline_css": None}, templates_dir)
    attachments = []
    if pdf_variant:
        attachments = [
            EmbeddedFile("ratings.csv", ratings_csv(data), "The ratings this report is built on"),
            EmbeddedFile("ratings.json", ratings_json(data),
                         "Ratings, recommendations and consensus behind this report"),
        ]
    pdf = report_pdf(
        html, roots=template_dirs(templates_dir),
        stylesheets=[template_source(name, templates_dir) for name in STYLESHEETS],
        pdf_variant=pdf_variant, attachments=attachments,
    )
    write_atomic(out, pdf.data)
    result.pages, result.warnings = pdf.pages, pdf.warnings
    return result


def build_compare_report(
    store: Store,
    bank: Bank,
    role_id: str | None,
    round_id: str | None,
    candidates: Sequence[str | int] | None,
    lang: str,
    fmt: str | None,
    out: Path,
    pdf_variant: str | None = None,
    templates_dir: Path | None = None,
    detail: int = 20,
) -> ReportOutput:
    """Compare the role's candidates (or those named) and write the report to ``out``."""
    from hiring.reports.context import compare_context

    out = Path(out)
    fmt = _format_of(out, fmt)
    role_id = role_id or default_role(store, bank)
    data = load_report_data(store, bank, role_id, round_id, candidates)
    context = compare_context(data, bank, role_id, round_id, lang, detail=detail)
    return _render("report_compare.html.j2", context, fmt, out, lang, templates_dir,
                   pdf_variant, data)


def build_candidate_report(
    store: Store,
    bank: Bank,
    candidate: str | int,
    role_id: str | None,
    round_id: str | None,
    lang: str,
    fmt: str | None,
    out: Path,
    templates_dir: Path | None = None,
) -> ReportOutput:
    """One candidate's scorecard, scored against the rest of the role's pool."""
    from hiring.reports.context import candidate_context
    from hiring.store import find_candidate

    out = Path(out)
    fmt = _format_of(out, fmt)
    found = find_candidate(store, candidate)
    role_id = role_id or found.role or default_role(store, bank)
    data = load_report_data(store, bank, role_id, round_id)
    if found.id not in {c.id for c in data.candidates}:
        raise InputError(_not_in_report(found.id, found.status, found.role, role_id))
    context = candidate_context(data, bank, role_id, round_id, lang, found.id)
    result = _render("report_candidate.html.j2", context, fmt, out, lang, templates_dir,
                     None, data)
    result.candidates = 1
    return result


def _not_in_report(candidate_id: int, status: str, role: str | None, role_id: str) -> str:
    """Why a candidate is not among a role's report candidates, and what to do."""
    if status == "erased":
        return f"candidate {candidate_id} was erased: their ratings are left out of reports"
    if role is None:
        return (
            f"candidate {candidate_id} has no role and no interview for {role_id}: give them "
            f"one with 'hiring candidate edit {candidate_id} --role {role_id}'"
        )
    return (
        f"candidate {candidate_id} is in role {role} and has no interview for {role_id}: "
        f"use --role {role}"
    )


def reliability_figures(
    store: Store,
    bank: Bank,
    role_id: str | None = None,
    round_id: str | None = None,
    competency: str | None = None,
) -> dict[str, Any]:
    """Reliability rows (``hiring.scoring.reliability``) for a role, per competency and
    overall, plus the size of the data; ``competency`` keeps that competency's rows."""
    from hiring.reports.context import score_report_data

    role_id = role_id or default_role(store, bank)
    data = load_report_data(store, bank, role_id, round_id)
    scored = score_report_data(data, bank, "en")
    rows = scored.stats.reliability
    if competency is not None:
        scored.table.competency_code(competency)  # InputError when not in the role/round
        rows = [row for row in rows if row["competency"] == competency]
    return {
        "role": role_id,
        "round": round_id,
        "candidates": scored.table.n_candidates,
        "interviewers": scored.table.n_interviewers,
        "ratings": scored.table.n_ratings,
        "stored_ratings": data.account.to_json(),
        "rows": rows,
    }
