"""Untrusted text in Markdown output, shown as text and nothing else.

A name like ``![x](http://host/a) | x`` must not become an image a Markdown viewer fetches,
a link, raw HTML or an extra table cell. Names are printed inline (in table cells), so the
characters with an inline meaning are backslash-escaped (CommonMark allows it for every
ASCII punctuation mark): emphasis, code, links and images, ``|`` cells, ``~`` strikethrough,
and ``@`` ``:`` ``.`` so GFM finds no bare URL, www. or e-mail link; ``<``, ``>`` and ``&``
become entities (raw HTML, autolinks, entities); line breaks become spaces. Hyphens,
apostrophes and commas, common in names, stay as they are.

>>> str(markdown_text("![x](http://h.dk/a) | O'Hara-Lund"))
"\\\\!\\\\[x\\\\]\\\\(http\\\\://h\\\\.dk/a\\\\) \\\\| O'Hara-Lund"
"""

from __future__ import annotations

import re

from markupsafe import Markup

_ENTITIES = {"&": "&amp;", "<": "&lt;", ">": "&gt;"}
_ESCAPED = frozenset("\\`*_{}[]()#+!|~@:.$^")
_LINE_BREAKS = re.compile(r"[\r\n\u0085\u2028\u2029\v\f]+")


def markdown_text(text: str) -> Markup:
    """``text`` escaped for Markdown, marked safe so the HTML autoescape leaves it alone."""
    flat = _LINE_BREAKS.sub(" ", text)
    return Markup(
        "".join(
            _ENTITIES[char] if char in _ENTITIES else "\\" + char if char in _ESCAPED else char
            for char in flat
        )
    )
