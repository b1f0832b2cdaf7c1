"""Load from the store, build the context, render, write atomically.

``build_compare_report(store, bank, role_id, round_id, candidates, lang, fmt, out,
pdf_variant, templates_dir, detail, blind, seed, key_out)``,
``build_competency_report(store, bank, competency, ...)`` (one competency, every
candidate's evidence side by side) and ``build_candidate_report(store, bank, candidate,
role_id, round_id, lang, fmt, out, templates_dir, pool_rounds)`` return a
``ReportOutput``. HTML output never imports WeasyPrint.
"""

from __future__ import annotations

import csv
import io
import json
import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from hiring.errors import InputError
from hiring.files import check_output, spreadsheet_safe, write_atomic
from hiring.progress import Step, no_progress
from hiring.render.environment import render_template, template_dirs, template_source
from hiring.render.fonts import font_family, require_font
from hiring.reports.data import RatingAccount, ReportData, default_role, load_report_data
from hiring.reports.figures import candidate_figures, compare_figures, competency_figures

if TYPE_CHECKING:
    from hiring.bank.models import Bank
    from hiring.store.db import Store

FORMATS = ("pdf", "html")
STYLESHEETS = ("print.css", "report_print.css")
RATINGS_COLUMNS = ("candidate_id", "candidate", "interviewer", "round", "competency",
                   "question", "score", "note")


@dataclass
class ReportOutput:
    path: Path | None  # None: figures only (``--json`` without ``--out``)
    format: str
    pages: int | None = None
    candidates: int = 0
    warnings: list[str] = field(default_factory=list)
    figures: dict[str, Any] = field(default_factory=dict)
    key: Path | None = None  # blind review: the file that maps codes to names
    ratings: RatingAccount | None = None  # stored ratings used and left out


def figures_json(figures: dict[str, Any]) -> str:
    """The report's figures (``hiring.reports.figures``) as strict JSON: no NaN."""
    return json.dumps(figures, ensure_ascii=False, indent=2, allow_nan=False)


def format_of(out: Path, fmt: str | None) -> str:
    chosen = (fmt or out.suffix.lstrip(".") or "pdf").lower()
    if chosen not in FORMATS:
        raise InputError(f"unknown format '{chosen}' (expected: {', '.join(FORMATS)})")
    return chosen


ERASED_LABEL = "erased candidate {n}"


def _erased_labels(data: ReportData) -> dict[int, str]:
    """"erased candidate 1", ... for the erased candidates whose anonymised ratings the
    statistics use: the attachments hold every rating the figures rest on, never a name
    or an id of the store."""
    ids = sorted({r.candidate_id for r in data.erased_ratings})
    return {cid: ERASED_LABEL.format(n=n) for n, cid in enumerate(ids, start=1)}


def ratings_csv(data: ReportData) -> str:
    """The ratings behind a report as CSV (one row per rating, the store's values; erased
    candidates' anonymised ratings last, with no id and no note)."""
    names = {c.id: c.name for c in data.candidates}
    erased = _erased_labels(data)
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(RATINGS_COLUMNS)
    for r in data.ratings:
        # Names and notes are untrusted: keep a spreadsheet from running them as formulas.
        writer.writerow([r.candidate_id, spreadsheet_safe(names[r.candidate_id]),
                         spreadsheet_safe(r.interviewer), spreadsheet_safe(r.round), r.competency,
                         r.question or "", r.score, spreadsheet_safe(r.note or "")])
    for r in data.erased_ratings:
        writer.writerow(["", erased[r.candidate_id], spreadsheet_safe(r.interviewer),
                         spreadsheet_safe(r.round), r.competency, r.question or "", r.score, ""])
    return buffer.getvalue()


def ratings_json(data: ReportData) -> str:
    """Ratings, recommendations and consensus behind a report, as JSON."""
    names = {c.id: c.name for c in data.candidates}
    erased = _erased_labels(data)
    payload: dict[str, Any] = {
        "role": data.role_id,
        "round": data.round_id,
        "generated": datetime.now(UTC).isoformat(timespec="seconds"),
        "candidates": [{"id": c.id, "name": c.name} for c in data.candidates],
        "ratings": [dict(zip(RATINGS_COLUMNS, (r.candidate_id, names[r.candidate_id],
                                                r.interviewer, r.round, r.competency,
                                                r.question, r.score, r.note), strict=True))
                    for r in data.ratings],
        # Used in the statistics, never ranked: anonymised, no id, no note.
        "erased_ratings": [dict(zip(RATINGS_COLUMNS, (None, erased[r.candidate_id],
                                                      r.interviewer, r.round, r.competency,
                                                      r.question, r.score, None), strict=True))
                           for r in data.erased_ratings],
        "recommendations": [r._asdict() for r in data.recommendations],
        "consensus": [r._asdict() for r in data.consensus],
    }
    return json.dumps(payload, ensure_ascii=False, indent=1) + "\n"


# Candidate pages a report needs before laying it out in parts pays: a worker's start
# (an interpreter, WeasyPrint, fonts: about 1 s of CPU) and the join (0.9 s for the 73
# pages of 500 candidates) against the pages it takes off the main process
# (benchmarks/table.py, report row).
PARALLEL_MIN_DETAILS = 8


def report_parts(context: dict[str, Any], workers: int) -> list[dict[str, Any]]:
    """The contexts of the parts a report is laid out in: the whole report alone, or,
    with ``workers`` > 1 and at least PARALLEL_MIN_DETAILS candidate pages, everything
    before the candidate pages ("summary"), the candidate pages in ``workers - 1`` runs
    ("details"), then each section of the rest of the ranking ("rest"), the last with
    the method. Each part starts a page: the candidate pages and the sections after them
    do (report_print.css)."""
    details = context.get("details") or []
    if workers < 2 or len(details) < PARALLEL_MIN_DETAILS:
        return [context]
    runs = min(workers - 1, len(details))
    size = -(-len(details) // runs)
    sections = context.get("ranking_rest_sections") or []
    rests = [[section] for section in sections] or [[]]
    return [
        {**context, "report_part": "summary"},
        *({**context, "report_part": "details", "details": details[i:i + size]}
          for i in range(0, len(details), size)),
        *({**context, "report_part": "rest", "ranking_rest_sections": rest,
           "report_method": index == len(rests) - 1} for index, rest in enumerate(rests)),
    ]


def render_page(
    template: str, context: dict[str, Any], fmt: str, out: Path, lang: str,
    templates_dir: Path | None, pdf_variant: str | None = None,
    attachments: Callable[[], list[Any]] | None = None, progress: Step = no_progress,
    workers: int = 1,
) -> tuple[int | None, list[str]]:
    """Render a report template to ``out`` as HTML (CSS inlined) or PDF, written
    atomically; the PDF's pages and warnings. ``attachments`` makes the PDF/A files;
    ``workers`` > 1 lays a long report out in parts in parallel (``report_parts``)."""
    if fmt == "html":
        if pdf_variant:
            raise InputError("--pdf-variant needs --format pdf")
        css = "\n".join(template_source(name, templates_dir) for name in STYLESHEETS)
        html = render_template(template, {**context, "font_family": font_family(lang),
                                          "inline_css": css}, templates_dir)
        write_atomic(out, html)
        return None, []
    from hiring.render.pdf import DEFAULT_PDF_VARIANT, JOINABLE_PDF_VARIANTS
    from hiring.reports.pdf import archival, report_pdf

    progress("writing the pages")
    if (pdf_variant or DEFAULT_PDF_VARIANT) not in JOINABLE_PDF_VARIANTS:
        workers = 1
    page_context = {**context, "font_family": require_font(lang), "inline_css": None}
    parts = [render_template(template, part, templates_dir)
             for part in report_parts(page_context, workers)]
    progress("laying out the PDF" if len(parts) == 1
             else f"laying out the PDF in {len(parts)} parts")
    pdf = report_pdf(
        parts, roots=template_dirs(templates_dir),
        stylesheets=[template_source(name, templates_dir) for name in STYLESHEETS],
        pdf_variant=pdf_variant,
        attachments=attachments() if archival(pdf_variant) and attachments else [],
        workers=workers,
    )
    write_atomic(out, pdf.data)
    return pdf.pages, pdf.warnings


def figures_report(
    out: Path | None, fmt: str, candidates: int, figures: dict[str, Any], template: str,
    context: Callable[[], dict[str, Any]], lang: str, templates_dir: Path | None,
) -> ReportOutput:
    """A report whose ``--json`` is its figures: rendered to ``out`` when given (the
    context is only made then)."""
    result = ReportOutput(out, fmt, candidates=candidates, figures=figures)
    if out is not None:
        result.pages, result.warnings = render_page(template, context(), fmt, out, lang,
                                                    templates_dir)
    return result


def _render(
    template: str, context: dict[str, Any], fmt: str, out: Path, lang: str,
    templates_dir: Path | None, pdf_variant: str | None, data: ReportData,
    progress: Step = no_progress, workers: int = 1,
) -> ReportOutput:
    def attachments() -> list[Any]:
        from hiring.reports.pdf import EmbeddedFile

        return [
            EmbeddedFile("ratings.csv", ratings_csv(data),
                         "The ratings this report is built on (erased candidates' anonymised "
                         "ratings, used in the statistics only, last)"),
            EmbeddedFile("ratings.json", ratings_json(data),
                         "Ratings, recommendations and consensus behind this report"),
        ]

    result = ReportOutput(path=out, format=fmt, candidates=len(data.candidates),
                          ratings=data.account)
    result.pages, result.warnings = render_page(template, context, fmt, out, lang,
                                                templates_dir, pdf_variant, attachments,
                                                progress, workers)
    return result


@dataclass
class _Blinding:
    """--blind, --seed and --key-out, checked before anything is read or written."""

    blind: bool
    seed: int | None
    key_path: Path | None

    @classmethod
    def check(cls, blind: bool, seed: int | None, key_out: Path | None,
              out: Path | None) -> _Blinding:
        if not blind and (seed is not None or key_out is not None):
            raise InputError("--seed and --key-out only apply with --blind")
        if not blind:
            return cls(False, None, None)
        if seed is not None and seed < 0:
            raise InputError(f"--seed must be 0 or more, not {seed}")
        if key_out is not None:
            key_path = Path(key_out)
        elif out is not None:
            key_path = out.with_name(f"{out.stem}-key.csv")
        else:  # --json alone: no report file to put the key beside
            raise InputError("--blind without --out: give --key-out FILE for the code key")
        if out is not None and key_path.resolve() == out.resolve():
            raise InputError("the code key must go to another file than the report")
        check_output(key_path, "--key-out")  # before the report is written, not after
        return cls(True, seed, key_path)

    def apply(self, data: ReportData) -> tuple[ReportData, Any]:
        if not self.blind:
            return data, None
        import secrets

        from hiring.reports.blind import blind_report_data

        seed = self.seed if self.seed is not None else secrets.randbelow(2**31)
        return blind_report_data(data, seed)

    def write_key(self, key: Any, result: ReportOutput) -> None:
        if key is None or self.key_path is None:
            return
        from hiring.reports.blind import key_csv

        try:
            write_atomic(self.key_path, key_csv(key))
        except BaseException:
            # A blind report without its key is no use: it goes too (files appear only
            # when the command succeeds).
            if result.path is not None:
                result.path.unlink(missing_ok=True)
            raise
        result.key = self.key_path


def build_compare_report(
    store: Store,
    bank: Bank,
    role_id: str | None,
    round_id: str | None,
    candidates: Sequence[str | int] | None,
    lang: str,
    fmt: str | None,
    out: Path | None,
    pdf_variant: str | None = None,
    templates_dir: Path | None = None,
    detail: int = 20,
    blind: bool = False,
    seed: int | None = None,
    key_out: Path | None = None,
    progress: Step = no_progress,
    workers: int | None = None,
) -> ReportOutput:
    """Compare the role's candidates (or those named) and write the report to ``out``
    (``None``: nothing is written; the result's ``figures`` hold what the page shows).

    ``blind``: candidates as codes in a seeded random order, names out of the notes and
    attachments (``hiring.reports.blind``); the code key goes to ``key_out`` (default:
    ``<out stem>-key.csv`` beside the report), written after the report. ``workers``: the
    processes a long PDF is laid out in (``report_parts``; default: all cores)."""
    from hiring.reports.context import compare_context

    out = Path(out) if out is not None else None
    fmt = format_of(out, fmt) if out is not None else "json"
    if pdf_variant is not None:
        from hiring.render.pdf import check_pdf_variant

        check_pdf_variant(pdf_variant)
    if detail < 0:
        raise InputError(f"--detail {detail}: give 0 or more candidate pages")
    blinding = _Blinding.check(blind, seed, key_out, out)
    role_id = role_id or default_role(store, bank)
    progress("reading the database")
    data, key = blinding.apply(load_report_data(store, bank, role_id, round_id, candidates))
    progress(f"computing the statistics ({len(data.ratings)} ratings)")
    # The PDF is a shortlist document past LARGE_POOL candidates; HTML and --json list all.
    context = compare_context(data, bank, role_id, round_id, lang, detail=detail,
                              shortlist=fmt == "pdf")
    context["blind"] = blind
    if out is None:
        result = ReportOutput(None, fmt, candidates=len(data.candidates),
                              figures=compare_figures(context))
        blinding.write_key(key, result)
        return result
    result = _render("report_compare.html.j2", context, fmt, out, lang, templates_dir,
                     pdf_variant, data, progress, workers or os.cpu_count() or 1)
    result.figures = compare_figures(context)
    blinding.write_key(key, result)
    return result


def build_competency_report(
    store: Store,
    bank: Bank,
    competency: str,
    role_id: str | None,
    round_id: str | None,
    candidates: Sequence[str | int] | None,
    lang: str,
    fmt: str | None,
    out: Path | None,
    templates_dir: Path | None = None,
    blind: bool = False,
    seed: int | None = None,
    key_out: Path | None = None,
    progress: Step = no_progress,
) -> ReportOutput:
    """Every candidate's evidence on one competency side by side, ranked by it (same
    options as ``build_compare_report``, blind review included; ``out`` None: figures
    only)."""
    from hiring.reports.scorecards import competency_context

    out = Path(out) if out is not None else None
    fmt = format_of(out, fmt) if out is not None else "json"
    blinding = _Blinding.check(blind, seed, key_out, out)
    role_id = role_id or default_role(store, bank)
    progress("reading the database")
    data, key = blinding.apply(load_report_data(store, bank, role_id, round_id, candidates))
    progress(f"computing the statistics ({len(data.ratings)} ratings)")
    context = competency_context(data, bank, role_id, round_id, lang, competency)
    context["blind"] = blind
    if out is None:
        result = ReportOutput(None, fmt, candidates=len(data.candidates),
                              figures=competency_figures(context))
        blinding.write_key(key, result)
        return result
    result = _render("report_competency.html.j2", context, fmt, out, lang, templates_dir,
                     None, data, progress)
    result.figures = competency_figures(context)
    blinding.write_key(key, result)
    return result


def build_candidate_report(
    store: Store,
    bank: Bank,
    candidate: str | int,
    role_id: str | None,
    round_id: str | None,
    lang: str,
    fmt: str | None,
    out: Path | None,
    templates_dir: Path | None = None,
    pool_rounds: bool = False,
    progress: Step = no_progress,
) -> ReportOutput:
    """One candidate's scorecard, scored against the rest of the role's pool: one
    section per round (``round_id`` for one round; ``pool_rounds`` for one pooled,
    labelled section over every round). ``out`` ``None``: nothing written, ``figures``
    only."""
    from hiring.reports.scorecards import candidate_context
    from hiring.store import find_candidate

    if pool_rounds and round_id is not None:
        raise InputError("give --round for one round or --pool-rounds for all, not both")
    out = Path(out) if out is not None else None
    fmt = format_of(out, fmt) if out is not None else "json"
    found = find_candidate(store, candidate)
    role_id = role_id or found.role or default_role(store, bank)
    progress("reading the database")
    data = load_report_data(store, bank, role_id, round_id)
    if found.id not in {c.id for c in data.candidates}:
        raise InputError(_not_in_report(found.id, found.status, found.role, role_id))
    progress(f"computing the statistics ({len(data.ratings)} ratings)")
    context = candidate_context(data, bank, role_id, round_id, lang, found.id,
                                by_round=round_id is None and not pool_rounds)
    if out is None:
        return ReportOutput(None, fmt, candidates=1, figures=candidate_figures(context))
    result = _render("report_candidate.html.j2", context, fmt, out, lang, templates_dir,
                     None, data, progress)
    result.candidates = 1
    result.figures = candidate_figures(context)
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
