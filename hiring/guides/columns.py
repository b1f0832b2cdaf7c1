"""Probes, listen-for and red flags in three columns of about equal height.

CSS multi-column layout balances them too, but WeasyPrint lays a balanced column set out
many times over (it doubled the time of a guide); splitting the items here by their length
gives nearly the same columns in one pass.
"""

from __future__ import annotations

from dataclasses import dataclass, field

_CHARS_PER_LINE = 34  # of a third of the page at the lists' font size
_TITLE_LINES = 1.4


@dataclass
class ColumnBlock:
    kind: str  # "probes", "listen_for" or "red_flags"
    title: bool  # the list's title starts here (False: the list goes on from a column before)
    items: list[str] = field(default_factory=list)


def _lines(text: str) -> float:
    return len(text) // _CHARS_PER_LINE + 1.25


def balance(lists: list[tuple[str, list[str]]], columns: int = 3) -> list[list[ColumnBlock]]:
    """``lists`` ((kind, items), ...) flowed in order into ``columns`` columns of about
    equal height; a title always stays with its list's first item.

    >>> [[(b.kind, b.title, len(b.items)) for b in c] for c in balance(
    ...     [("probes", ["a"] * 2), ("listen_for", ["b"] * 4)], 3)]
    [[('probes', True, 2)], [('listen_for', True, 1)], [('listen_for', False, 3)]]
    >>> balance([("probes", [])])
    [[]]
    """
    entries = [(kind, index == 0, item) for kind, items in lists
               for index, item in enumerate(items)]
    heights = [_lines(item) + (_TITLE_LINES if first else 0) for _, first, item in entries]
    # A dozen items at most: try every pair of cuts, keep the lowest tallest column.
    n = len(entries)
    prefix = [0.0]
    for height in heights:
        prefix.append(prefix[-1] + height)
    def splits(cut: int) -> int:  # 1 when the cut falls inside a list
        return int(0 < cut < n and not entries[cut][1])

    best: tuple[float, int, list[int]] = (float("inf"), 0, [n] * (columns - 1))
    if columns == 3:
        for i in range(n + 1):
            for j in range(i, n + 1):
                tallest = round(max(prefix[i], prefix[j] - prefix[i], prefix[n] - prefix[j]), 6)
                key = (tallest, splits(i) + splits(j))
                if key < best[:2]:
                    best = (*key, [i, j])
    cuts = best[2]
    result: list[list[ColumnBlock]] = [[] for _ in range(columns)]
    for index, (kind, first, item) in enumerate(entries):
        column = sum(1 for cut in cuts if index >= cut)
        blocks = result[column]
        if not blocks or blocks[-1].kind != kind:
            blocks.append(ColumnBlock(kind, first))
        blocks[-1].items.append(item)
    return [c for c in result if c] or [[]]
