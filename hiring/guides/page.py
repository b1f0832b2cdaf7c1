"""The template context every guide page starts from: the interviewer's kit (``build``) and
the candidate's hand-out (``handout``)."""

from __future__ import annotations

from typing import Any

from hiring.guides.columns import balance
from hiring.guides.context import PAPER_SIZES, Guide
from hiring.render.strings import ui_strings


def page_context(
    guide: Guide,
    *,
    fonts: str,
    inline_css: str | None,
    fillable: bool = False,
    blank_names: bool = False,
) -> dict[str, Any]:
    t = ui_strings(guide.lang)
    author = guide.interviewer or guide.role_name
    return {
        "guide": guide,
        "t": t,
        "lang": guide.lang,
        "title": " · ".join(x for x in (t["guide_title"], guide.role_name, guide.candidate) if x),
        "author": author,
        "page_size": PAPER_SIZES[guide.paper],
        "font_family": fonts,
        "inline_css": inline_css,
        "fillable": fillable,
        "blank_names": blank_names,
        "balance": balance,
        "max_points": max((len(c.scale) for c in guide.competencies()), default=0),
    }
