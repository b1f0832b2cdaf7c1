"""Probes, listen-for and red flags side by side: one column per list, each under its
heading, in that order.

The lists used to be flowed into three columns of about equal height, cutting a list
where the heights came out even: in Danish (the longest words) a listen-for list went on
under the red-flag column, or into the next column without its heading (issue 23). A list
is never cut now; the block is as tall as its longest list.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class ColumnBlock:
    kind: str  # "probes", "listen_for" or "red_flags"
    title: bool  # the list's title starts here (always, now that lists are not cut)
    items: list[str] = field(default_factory=list)


def balance(lists: list[tuple[str, list[str]]], columns: int = 3) -> list[list[ColumnBlock]]:
    """``lists`` ((kind, items), ...) as columns, one list each with its title, in order;
    empty lists left out. More lists than ``columns``: the last column takes the rest,
    each list still whole under its own title.

    >>> [[(b.kind, b.title, len(b.items)) for b in c] for c in balance(
    ...     [("probes", ["a"] * 2), ("listen_for", ["b"] * 4)], 3)]
    [[('probes', True, 2)], [('listen_for', True, 4)]]
    >>> balance([("probes", [])])
    [[]]
    """
    blocks = [ColumnBlock(kind, True, list(items)) for kind, items in lists if items]
    if not blocks:
        return [[]]
    result = [[block] for block in blocks[:columns]]
    result[-1].extend(blocks[columns:])
    return result
