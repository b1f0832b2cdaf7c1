"""What every HTML document needs for screen readers and keyboards, added after rendering,
so the bundled templates and a team's own (``--templates``) get it alike.

- Every table header cell says what it heads (``scope``): ``col`` in a ``<thead>`` or in a
  row of header cells only, ``row`` beside data cells (a facts table's "Round | panel").
  WeasyPrint turns ``scope="row"`` into the PDF's row headers (each data cell's
  ``/Headers``), and ``hiring.render.pdf`` writes ``/Scope`` from the same structure.
- Every box that scrolls a wide table sideways on a narrow screen (``class="table-scroll"``)
  can be reached with the keyboard (``tabindex="0"``, WCAG 2.1.1; axe-core
  ``scrollable-region-focusable``) and is announced as a group named after the heading it
  stands under. A group, not a region: a candidate's page has two tables under its heading,
  and landmarks (regions) must have names of their own; a report's twenty would also
  crowd a screen reader's list of landmarks.

A header cell or box that already carries the attribute keeps it. The HTML is ours (Jinja,
autoescaped), so tags are found with one regular expression; text is never touched.
Pure standard library: imported on every render.
"""

from __future__ import annotations

import re

_TAG = re.compile(
    r"<(?P<close>/?)(?P<name>table|thead|tbody|tfoot|tr|th|td|div|h[1-6])\b(?P<attrs>[^>]*)>",
    re.IGNORECASE,
)
_HAS_SCOPE = re.compile(r"\sscope\s*=", re.IGNORECASE)
_HAS_TABINDEX = re.compile(r"\stabindex\s*=", re.IGNORECASE)
_SCROLL_CLASS = re.compile(r"""\sclass\s*=\s*["'][^"']*\btable-scroll\b""", re.IGNORECASE)
_MARKUP = re.compile(r"<[^>]*>")
_SPACE = re.compile(r"\s+")


def accessible_html(html: str) -> str:
    """``html`` with ``scope`` on every header cell and named, focusable scrolling boxes."""
    inserts: list[tuple[int, str]] = []  # (offset just before the tag's ">", text to insert)
    in_head: list[bool] = []  # one entry per open table: inside its <thead>?
    row: list[tuple[str, int, bool]] = []  # the open row's cells: (th|td, insert at, scoped)
    heading = ""
    heading_start: int | None = None

    def close_row() -> None:
        if not row:
            return
        head = bool(in_head and in_head[-1]) or all(kind == "th" for kind, _, _ in row)
        for kind, at, scoped in row:
            if kind == "th" and not scoped:
                inserts.append((at, f' scope="{"col" if head else "row"}"'))
        row.clear()

    for match in _TAG.finditer(html):
        name = match.group("name").lower()
        closing = bool(match.group("close"))
        attrs = match.group("attrs")
        end = match.end() - 1 - (1 if attrs.endswith("/") else 0)
        if name[0] == "h" and name[1:].isdigit():
            if not closing:
                heading_start = match.end()
            elif heading_start is not None:
                text = _MARKUP.sub(" ", html[heading_start:match.start()])
                heading = _SPACE.sub(" ", text).strip().replace('"', "&#34;")
                heading_start = None
        elif name == "div":
            if not closing and _SCROLL_CLASS.search(attrs) and not _HAS_TABINDEX.search(attrs):
                label = f' aria-label="{heading}"' if heading else ""
                inserts.append((end, f' tabindex="0" role="group"{label}'))
        elif name == "table":
            close_row()
            if closing:
                if in_head:
                    in_head.pop()
            else:
                in_head.append(False)
        elif name in ("thead", "tbody", "tfoot"):
            close_row()
            if in_head:
                in_head[-1] = name == "thead" and not closing
        elif name == "tr":
            close_row()
        elif not closing:  # th or td
            row.append((name, end, bool(_HAS_SCOPE.search(attrs))))
    close_row()
    if not inserts:
        return html
    inserts.sort()
    parts: list[str] = []
    last = 0
    for at, text in inserts:
        parts.append(html[last:at])
        parts.append(text)
        last = at
    parts.append(html[last:])
    return "".join(parts)
