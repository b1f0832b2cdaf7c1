"""The one piece of ICU message syntax both readers of plural blocks need: the UI strings
(``hiring.render.strings``) and a team's gettext catalogs (``hiring.render.gettext_forms``)."""

from __future__ import annotations


def closing_brace(text: str, opening: int) -> int:
    """The index of the brace closing the one at ``opening`` (ValueError if none does).

    >>> closing_brace("{n, plural, one {# x} other {# xs}} left", 0)
    34
    """
    depth = 0
    for index in range(opening, len(text)):
        if text[index] == "{":
            depth += 1
        elif text[index] == "}":
            depth -= 1
            if depth == 0:
                return index
    raise ValueError(f"a '{{' is never closed in {text[opening:opening + 60]!r}")
