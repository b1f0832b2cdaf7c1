"""Probes, listen-for and red flags side by side: one column per list, each under its
heading, in that order.

The lists used to be flowed into three columns of about equal height, cutting a list
where the heights came out even: in Danish (the longest words) a listen-for list went on
under the red-flag column, or into the next column without its heading (issue 23). A list
is never cut now. To keep the block about as low as the balanced one was (a question and
its evidence space fit one page), each column is as wide as its share of the text: a
long list gets a wide column, a short one a narrow column (within limits, so a heading
still fits).
"""

from __future__ import annotations

from dataclasses import dataclass, field

_ITEM_CHARS = 24  # what an item costs besides its text (its tick box, line end, spacing)
_TITLE_CHARS = 30
_NARROWEST, _WIDEST = 0.6, 1.7  # a column's width, relative to an equal share


@dataclass
class ColumnBlock:
    kind: str  # "probes", "listen_for" or "red_flags"
    title: bool  # the list's title starts here (always, now that lists are not cut)
    items: list[str] = field(default_factory=list)


class Column(list[ColumnBlock]):
    """The blocks of one column and its width (``grow``: its CSS flex-grow, the equal
    share being 1)."""

    grow: float = 1.0


def _chars(column: Column) -> float:
    return sum(_TITLE_CHARS + sum(len(item) + _ITEM_CHARS for item in block.items)
               for block in column)


def balance(lists: list[tuple[str, list[str]]], columns: int = 3) -> list[Column]:
    """``lists`` ((kind, items), ...) as columns, one list each with its title, in order;
    empty lists left out. More lists than ``columns``: the last column takes the rest,
    each list still whole under its own title. Each column's ``grow`` is its share of
    the text, kept between 0.6 and 1.7 of an equal share.

    >>> found = balance([("probes", ["a"] * 2), ("listen_for", ["b"] * 4)], 3)
    >>> [[(b.kind, b.title, len(b.items)) for b in c] for c in found]
    [[('probes', True, 2)], [('listen_for', True, 4)]]
    >>> [c.grow for c in found]
    [0.76, 1.24]
    >>> balance([("probes", [])])
    [[]]
    """
    blocks = [ColumnBlock(kind, True, list(items)) for kind, items in lists if items]
    if not blocks:
        return [Column()]
    result = [Column([block]) for block in blocks[:columns]]
    result[-1].extend(blocks[columns:])
    total = sum(_chars(column) for column in result)
    for column in result:
        share = _chars(column) / total * len(result)
        column.grow = round(min(_WIDEST, max(_NARROWEST, share)), 2)
    spare = len(result) - sum(column.grow for column in result)  # clamping moved some
    loose = [c for c in result if _NARROWEST < c.grow < _WIDEST]
    for column in loose:
        column.grow = round(column.grow + spare / len(loose), 2)
    return result
