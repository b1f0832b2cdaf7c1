"""The ICU plural blocks of a UI string, read one way for both their readers: the UI
strings (``hiring.render.strings``) and a team's gettext catalogs
(``hiring.render.gettext_forms``)."""

from __future__ import annotations

import re
from dataclasses import dataclass


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


_BLOCK_HEAD = re.compile(r"\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*,\s*plural\s*,")
_CATEGORY = re.compile(r"\s*(zero|one|two|few|many|other)\s*\{")


@dataclass(frozen=True)
class PluralBlock:
    """``{name, plural, one {...} other {...}}`` at ``text[start:end]``."""

    start: int
    end: int  # one past the closing brace
    name: str
    forms: dict[str, str]



def plural_blocks(text: str) -> list[PluralBlock]:
    """The ``{name, plural, one {...} other {...}}`` blocks of ``text`` (ValueError if bad)."""
    found: list[PluralBlock] = []
    index = 0
    while (head := _BLOCK_HEAD.search(text, index)) is not None:
        end = closing_brace(text, head.start())
        forms: dict[str, str] = {}
        position = head.end()
        while (category := _CATEGORY.match(text, position)) is not None and category.end() <= end:
            closing = closing_brace(text, category.end() - 1)
            forms[category.group(1)] = text[category.end() : closing]
            position = closing + 1
        if text[position:end].strip():
            raise ValueError(f"'{text[position:end].strip()[:40]}' in a plural block")
        if "other" not in forms:
            raise ValueError(f"the plural block of '{head.group(1)}' has no 'other' form")
        found.append(PluralBlock(head.start(), end + 1, head.group(1), forms))
        index = end + 1
    return found
