"""Shared rendering layer for guides and reports.

Jinja templates (autoescaped, overridable by name with a templates folder), translated
UI strings, HTML/Markdown output, and HTML -> PDF through WeasyPrint with a URL fetcher
that only reads the project's own template and asset files. WeasyPrint is imported only
inside ``hiring.render.pdf``, so HTML and Markdown output never load it.
"""

from __future__ import annotations

from hiring.render.environment import render_template, template_environment, template_source
from hiring.render.fonts import font_family, require_font
from hiring.render.output import write_atomic
from hiring.render.strings import ui_strings

__all__ = [
    "font_family",
    "render_template",
    "require_font",
    "template_environment",
    "template_source",
    "ui_strings",
    "write_atomic",
]
