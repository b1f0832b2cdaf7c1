"""The candidate's hand-out of a written work sample: the exercises as the candidate sees
them (task, customer's message, reply space), one page each.

The interviewer's kit holds the rating anchors beside each message, so the candidate must
not be handed the kit: the hand-out is written next to the guide whenever the round has
written exercises (``anna.pdf`` -> ``anna.handout.pdf``). It names no candidate, so it is
the same for every candidate of the round, language and question set.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from hiring.guides.context import Guide, GuideQuestion
from hiring.guides.page import page_context
from hiring.render.environment import render_template, template_dirs, template_source
from hiring.render.fonts import font_family, require_font
from hiring.render.strings import ui_strings


def handout_path_for(out: Path) -> Path:
    """``kits/anna.pdf`` -> ``kits/anna.handout.pdf``."""
    return out.with_name(f"{out.stem}.handout{out.suffix}")


def handout_questions(guide: Guide) -> list[GuideQuestion]:
    """The guide's written exercises, in the guide's order (none: no hand-out)."""
    return [q for q in guide.questions() if q.type == "written"]


def _context(guide: Guide, *, fonts: str, inline_css: str | None) -> dict[str, Any]:
    """The guide's page context, less the names: the hand-out is the same for everyone."""
    t = ui_strings(guide.lang)
    return {
        **page_context(guide, fonts=fonts, inline_css=inline_css),
        "title": f"{t['handout_doc_title']} · {guide.role_name}",
        "author": guide.role_name,
        "questions": handout_questions(guide),
    }


def render_handout(guide: Guide, fmt: str, templates_dir: Path | None = None
                   ) -> tuple[bytes | str, list[str]]:
    """The hand-out as ``fmt`` ("pdf", "html" or "md") and the renderer's warnings."""
    if fmt == "md":
        return render_template("handout.md.j2", _context(guide, fonts="", inline_css=None),
                               templates_dir), []
    if fmt == "html":
        css = template_source("print.css", templates_dir)
        context = _context(guide, fonts=font_family(guide.lang), inline_css=css)
        return render_template("handout.html.j2", context, templates_dir), []
    from hiring.render.pdf import html_to_pdf

    html = render_template(
        "handout.html.j2", _context(guide, fonts=require_font(guide.lang), inline_css=None),
        templates_dir,
    )
    pdf = html_to_pdf(html, roots=template_dirs(templates_dir),
                      stylesheets=[template_source("print.css", templates_dir)])
    return pdf.data, pdf.warnings
