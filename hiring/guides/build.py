"""Render a guide to PDF, HTML or Markdown and write it, with its manifest, atomically."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from hiring.bank.models import Bank
from hiring.errors import InputError
from hiring.files import check_output, write_atomic
from hiring.guides.context import Guide, GuideRequest, build_guide
from hiring.guides.page import page_context
from hiring.render.environment import render_template, template_dirs, template_source
from hiring.render.fonts import font_family, require_font

if TYPE_CHECKING:
    from hiring.render.pdf import PdfResult

Format = Literal["pdf", "html", "md"]
FORMATS: tuple[str, ...] = ("pdf", "html", "md")


@dataclass
class GuideOutput:
    path: Path
    manifest_path: Path
    guide: Guide
    pages: int | None = None  # PDF only
    warnings: list[str] = field(default_factory=list)
    handout_path: Path | None = None  # written exercises: the candidate's hand-out


def render_guide_html(
    guide: Guide,
    templates_dir: Path | None = None,
    *,
    for_pdf: bool = False,
    fillable: bool = False,
    blank_names: bool = False,
) -> str:
    """The guide as HTML. Standalone (styles inline) unless ``for_pdf`` (stylesheet cached).

    ``fillable`` adds form inputs (WeasyPrint makes PDF fields of them)."""
    fonts = require_font(guide.lang) if for_pdf else font_family(guide.lang)
    css = None if for_pdf else template_source("print.css", templates_dir)
    context = page_context(
        guide, fonts=fonts, inline_css=css, fillable=fillable, blank_names=blank_names
    )
    return render_template("guide.html.j2", context, templates_dir)


MANIFEST_ATTACHMENT = "hiring-guide-manifest.json"


def _field_font_css(lang: str) -> tuple[str, list[Path]]:
    """CSS giving form fields their own small font, and the folder it is read from."""
    from hiring.render.fonts import field_font

    font = field_font(lang)
    if font is None:
        return "", []
    # One family name per font file: the process's font configuration keeps every
    # @font-face it has seen, so one shared name would give Chinese fields a Latin font.
    family = f"hiring-{font.stem}"
    css = (
        f'@font-face {{ font-family: "{family}"; src: url("{font.as_uri()}"); }}\n'
        f'.kit input, .kit textarea, .kit select {{ font-family: "{family}" !important; }}\n'
    )
    return css, [font.parent]


def manifest_text(guide: Guide) -> str:
    return json.dumps(guide.manifest(), ensure_ascii=False, indent=2) + "\n"


def guide_pdf_inputs(
    guide: Guide,
    templates_dir: Path | None = None,
    *,
    fillable: bool = False,
    blank_names: bool = False,
) -> tuple[str, list[Path], list[str]]:
    """The HTML, allowed folders and stylesheets WeasyPrint lays the guide out from."""
    html = render_guide_html(
        guide, templates_dir, for_pdf=True, fillable=fillable, blank_names=blank_names
    )
    stylesheets = [template_source("print.css", templates_dir)]
    roots = template_dirs(templates_dir)
    if fillable:
        field_css, font_roots = _field_font_css(guide.lang)
        stylesheets.append(field_css)
        roots += font_roots
    return html, roots, stylesheets


def guide_pdf(
    guide: Guide, templates_dir: Path | None = None, *, fillable: bool = False
) -> PdfResult:
    """Lay the guide out as PDF. Fillable: form fields, the manifest embedded as a file."""
    from hiring.render.pdf import EmbeddedFile, html_to_pdf

    html, roots, stylesheets = guide_pdf_inputs(guide, templates_dir, fillable=fillable)
    attachments = []
    if fillable:
        attachments.append(
            EmbeddedFile(MANIFEST_ATTACHMENT, manifest_text(guide), "The questions this guide asks")
        )
    # Fillable stays a plain PDF: NeedAppearances (set with form fields) is not allowed in
    # PDF/A.
    return html_to_pdf(
        html, roots=roots, stylesheets=stylesheets, attachments=attachments, pdf_forms=fillable
    )


def render_guide_markdown(guide: Guide, templates_dir: Path | None = None) -> str:
    """The guide as Markdown. Bank text is autoescaped like HTML, so ``<`` and ``&`` print
    literally; names (untrusted) are escaped for Markdown too: no links, images, HTML or
    table cells (see ``hiring.render.markdown``)."""
    import dataclasses

    from hiring.render.markdown import markdown_text

    escaped = dataclasses.replace(
        guide,
        candidate=markdown_text(guide.candidate) if guide.candidate else guide.candidate,
        interviewer=markdown_text(guide.interviewer) if guide.interviewer else guide.interviewer,
    )
    text = render_template(
        "guide.md.j2", page_context(escaped, fonts="", inline_css=None), templates_dir
    )
    # Quotes are harmless in Markdown once < and > are escaped; keep them readable.
    return text.replace("&#39;", "'").replace("&#34;", '"')


def manifest_path_for(out: Path) -> Path:
    return out.with_name(out.name + ".manifest.json")


def check_request_names(request: GuideRequest) -> None:
    """Names go on the page and into the database: no control or bidi characters (U+202E
    would show a name backwards), no line separators, not over-long."""
    from hiring.user_text import check_name

    if request.candidate is not None:
        check_name(request.candidate, "the candidate's name")
    if request.interviewer is not None:
        check_name(request.interviewer, "the interviewer's name")


def write_guide(
    bank: Bank,
    request: GuideRequest,
    out: Path,
    fmt: str | None = None,
    templates_dir: Path | None = None,
    *,
    fillable: bool = False,
) -> GuideOutput:
    """Build one guide and write it to ``out`` (format from ``fmt`` or the file suffix).

    Also writes ``<out>.manifest.json`` listing the questions asked and, for written
    exercises, the candidate's hand-out (``hiring.guides.handout``). Each atomically.
    ``fillable`` (PDF only) adds form fields and embeds the manifest in the PDF.
    """
    out = Path(out)
    fmt = fmt or (out.suffix.lstrip(".").lower() or "pdf")
    if fmt == "markdown":
        fmt = "md"
    if fmt not in FORMATS:
        raise InputError(f"unknown format '{fmt}' (expected: {', '.join(FORMATS)})")
    if fillable and fmt != "pdf":
        raise InputError(f"--fillable makes a PDF; the output is {fmt}")
    check_request_names(request)
    guide = build_guide(bank, request)
    template_dirs(templates_dir)  # checks the folder and keeps outputs out of it
    from hiring.guides.handout import handout_path_for, handout_questions, render_handout

    handout = handout_path_for(out) if handout_questions(guide) else None
    check_output(out)
    check_output(manifest_path_for(out))  # all refused or all written
    if handout is not None:
        check_output(handout)
    result = GuideOutput(path=out, manifest_path=manifest_path_for(out), guide=guide,
                         handout_path=handout)
    data: bytes | str
    if fmt == "pdf":
        pdf = guide_pdf(guide, templates_dir, fillable=fillable)
        data, result.pages, result.warnings = pdf.data, pdf.pages, pdf.warnings
    elif fmt == "html":
        data = render_guide_html(guide, templates_dir)
    else:
        data = render_guide_markdown(guide, templates_dir)
    handout_data: bytes | str | None = None
    if handout is not None:  # rendered before anything is written
        handout_data, handout_warnings = render_handout(guide, fmt, templates_dir)
        result.warnings += handout_warnings
    write_atomic(out, data)
    write_atomic(result.manifest_path, manifest_text(guide))
    if handout is not None and handout_data is not None:
        write_atomic(handout, handout_data)
    return result
