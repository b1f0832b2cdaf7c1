"""Untrusted text in Markdown output, shown as text and nothing else.

A name like ``![x](http://host/a) | x`` must not become an image a Markdown viewer fetches,
a link, raw HTML or an extra table cell. Every ASCII punctuation character is backslash-
escaped (CommonMark allows that for all of them, so ``|`` cannot split a table cell and a
bare URL is no autolink), ``<``, ``>`` and ``&`` become entities (a backslash before them is
not enough inside HTML blocks), and line breaks become spaces.

>>> str(markdown_text("![x](http://h/a) | x"))
'\\\\!\\\\[x\\\\]\\\\(http\\\\:\\\\/\\\\/h\\\\/a\\\\) \\\\| x'
"""

from __future__ import annotations

import re
import string

from markupsafe import Markup

_ENTITIES = {"&": "&amp;", "<": "&lt;", ">": "&gt;"}
_PUNCTUATION = frozenset(string.punctuation) - set(_ENTITIES)
_LINE_BREAKS = re.compile(r"[\r\n\u0085\u2028\u2029\v\f]+")


def markdown_text(text: str) -> Markup:
    """``text`` escaped for Markdown, marked safe so the HTML autoescape leaves it alone."""
    flat = _LINE_BREAKS.sub(" ", text)
    return Markup(
        "".join(
            _ENTITIES[char] if char in _ENTITIES else "\\" + char if char in _PUNCTUATION else char
            for char in flat
        )
    )
