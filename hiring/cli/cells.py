"""Terminal text measured in cells, not characters: a Chinese character takes two cells of
a terminal, a combining accent none. Tables (``table``) line their columns up by cells and
wrap their last column by cells; ``wrap`` breaks paragraphs with or without spaces
(Chinese has none: a line may break between any two characters, never before a closing
mark such as ，or 。 nor after an opening one such as “).

The widths follow wcwidth's rules (East Asian Wide and Fullwidth: 2; combining marks,
format characters and zero-width spaces: 0; everything else 1) from the standard
library's ``unicodedata``, so the quick commands import nothing more. Every cell goes
through ``for_terminal`` before it is measured: what is measured is what is printed.
"""

from __future__ import annotations

import os
import sys
import unicodedata
from collections.abc import Collection, Iterable, Sequence

from hiring.user_text import for_terminal

# Where a line may not start (closing marks) or end (opening marks): the common CJK ones.
_NO_START = set("，。、；：！？）》」』】〕〉”’…·‰%,.;:!?)]}")
_NO_END = set("（《「『【〔〈“‘([{")
MIN_WRAP = 16  # narrower than this, the last column is not wrapped (one long line instead)


def char_cells(char: str) -> int:
    """Cells one character takes in a terminal (0, 1 or 2)."""
    if char in "\u200b\u200c\u200d\u2060\ufeff":
        return 0
    if unicodedata.category(char) in ("Mn", "Me", "Cf"):
        return 0
    return 2 if unicodedata.east_asian_width(char) in ("W", "F") else 1


def cells(text: str) -> int:
    """Cells ``text`` takes in a terminal.

    >>> cells("abc"), cells("张伟"), cells("Søren"), cells("e\\u0301")
    (3, 4, 5, 1)
    """
    if text.isascii():
        return len(text)
    return sum(char_cells(char) for char in text)


def pad(text: str, width: int, right: bool = False) -> str:
    """``text`` filled with spaces to ``width`` cells (aligned left, or right)."""
    fill = " " * max(0, width - cells(text))
    return fill + text if right else text + fill


def terminal_columns() -> int | None:
    """The terminal's width in cells: ``COLUMNS`` when set, else the terminal's own when
    standard output is one; ``None`` when output goes to a file or pipe (then table rows
    stay one line each, for grep and friends)."""
    value = os.environ.get("COLUMNS", "")
    if value.isdecimal() and int(value) > 0:
        return int(value)
    try:
        if sys.stdout.isatty():
            return os.get_terminal_size(sys.stdout.fileno()).columns
    except (OSError, ValueError, AttributeError):
        pass
    return None


def _atoms(text: str) -> list[tuple[bool, str]]:
    """``text`` cut where a line may break: (space before it, piece). A run of letters
    without spaces is one piece; each wide character is a piece of its own; closing marks
    stick to the piece before them and opening marks to the piece after."""
    atoms: list[tuple[bool, str]] = []
    space, word = False, ""
    for char in text:
        if char.isspace():
            if word:
                atoms.append((space, word))
                word = ""
            space = True
            continue
        if (word and char not in _NO_START and word[-1] not in _NO_END
                and (char_cells(char) == 2 or char_cells(word[-1]) == 2)):
            atoms.append((space, word))
            space, word = False, ""
        word += char
    if word:
        atoms.append((space, word))
    return atoms


def wrap(text: str, width: int, indent: str = "", hanging: str = "") -> list[str]:
    """``text`` in lines of at most ``width`` cells (a word wider than a line stays whole
    on its own line): after ``indent`` on the first line and ``indent + hanging`` after.
    Breaks at spaces, and between Chinese characters where there are none.

    >>> wrap("一二三四五六七八。", 10)
    ['一二三四五', '六七八。']
    >>> wrap("one two three", 9, "  ")
    ['  one two', '  three']
    """
    lines: list[str] = []
    prefix = indent
    line, used = prefix, cells(prefix)
    empty = True
    for space, piece in _atoms(text):
        size = cells(piece)
        gap = 1 if space and not empty else 0
        if not empty and used + gap + size > width:
            lines.append(line.rstrip())
            prefix = indent + hanging
            line, used, empty, gap = prefix, cells(prefix), True, 0
        line += " " * gap + piece
        used += gap + size
        empty = False
    if not empty or not lines:
        lines.append(line.rstrip() if not empty else line)
    return lines


def table(
    headers: Sequence[str],
    rows: Iterable[Sequence[object]],
    right: Collection[int] = (),
    width: int | None = None,
    gap: int = 2,
) -> list[str]:
    """A terminal table as lines: each column as wide as its widest cell, in cells
    (columns numbered in ``right`` aligned right), ``gap`` spaces between. The last column
    is not padded; it wraps by cells under itself when the line would pass ``width``
    (default: the terminal's, see ``terminal_columns``; no wrapping when output is not a
    terminal). Every cell is shown through ``for_terminal``."""
    body = [[for_terminal(str(cell)) for cell in row] for row in rows]
    head = [for_terminal(str(cell)) for cell in headers]
    count = len(head)
    widths = [max([cells(head[i])] + [cells(row[i]) for row in body]) for i in range(count)]
    width = terminal_columns() if width is None else width
    start = sum(widths[:-1]) + gap * (count - 1)
    wrap_last = width is not None and width - start >= MIN_WRAP
    lines = []
    for row in [head, *body]:
        left = (" " * gap).join(
            pad(cell, widths[i], right=i in right) for i, cell in enumerate(row[:-1])
        )
        last = row[-1]
        if count == 1:
            lines.append(last)
            continue
        if wrap_last and width is not None and start + cells(last) > width:
            parts = wrap(last, width - start)
            lines.append(left + " " * gap + parts[0])
            lines.extend(" " * start + part for part in parts[1:])
        else:
            lines.append((left + " " * gap + last).rstrip())
    return lines
