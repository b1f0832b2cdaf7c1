"""Markdown guides show untrusted names as text: a CommonMark parser (markdown-it-py, with
GFM tables) finds no link, image, HTML or extra table cell that came from a name."""

from __future__ import annotations

from pathlib import Path

import pytest

from hiring.bank import load_bank
from hiring.guides.build import render_guide_markdown, write_guide
from hiring.guides.context import GuideRequest
from tests.conftest import SMALL_BANK

markdown_it = pytest.importorskip("markdown_it")

HOSTILE = [
    "![x](http://127.0.0.1:8123/a) | x",
    "[click](javascript:alert(1))",
    "<img src=http://127.0.0.1:8123/b>",
    "<script>alert(1)</script>",
    "http://127.0.0.1:8123/c",
    "<http://127.0.0.1:8123/d>",
    "# Heading",
    "**bold** _it_ `code` ~~s~~",
    "Ann & Bo &amp; &#60;",
    "a\\|b",
]


def _tokens(text: str) -> list:  # type: ignore[type-arg]
    parser = markdown_it.MarkdownIt("commonmark").enable(["table", "strikethrough"])
    flat = []
    stack = list(parser.parse(text))
    while stack:
        token = stack.pop(0)
        flat.append(token)
        stack[0:0] = list(token.children or [])
    return flat


def _text(token) -> str:  # type: ignore[no-untyped-def]
    """What an inline token reads as (escapes and entities resolved)."""
    return "".join(c.content for c in token.children or [] if c.type in ("text", "text_special"))


@pytest.mark.parametrize("name", HOSTILE)
def test_a_hostile_name_is_only_text(tmp_path: Path, name: str) -> None:
    import dataclasses

    bank = load_bank([SMALL_BANK])
    out = write_guide(
        bank,
        GuideRequest(role="inbound-agent", candidate=name, interviewer=name),
        tmp_path / "g.md",
    )
    text = out.path.read_text(encoding="utf-8")
    # The same guide (same questions) with harmless names, as the reference structure.
    plain = render_guide_markdown(dataclasses.replace(out.guide, candidate="Ann",
                                                      interviewer="Bo"))
    tokens, reference = _tokens(text), _tokens(plain)
    kinds = {token.type for token in tokens}
    assert not kinds & {"image", "link_open", "html_inline", "html_block", "code_inline",
                        "s_open"}
    # The same document structure as with harmless names: no extra cell, row or heading.
    assert [t.type for t in tokens if t.type != "text"] == [
        t.type for t in reference if t.type != "text"
    ]
    # And the name reads back exactly, in the table's candidate and interviewer cells.
    cells = [_text(t) for t in tokens if t.type == "inline"]
    assert cells.count(name) == 2


def test_the_table_keeps_two_cells_per_row(tmp_path: Path) -> None:
    out = write_guide(
        load_bank([SMALL_BANK]),
        GuideRequest(role="inbound-agent", candidate="A | B | C", interviewer="Bo"),
        tmp_path / "g.md",
    )
    rows = [line for line in out.path.read_text(encoding="utf-8").splitlines()
            if line.startswith("|")]
    tokens = _tokens(out.path.read_text(encoding="utf-8"))
    assert sum(1 for t in tokens if t.type == "tr_open") == len(rows) - 1  # minus the rule
    assert sum(1 for t in tokens if t.type in ("td_open", "th_open")) == 2 * (len(rows) - 1)
    # GFM drops cells beyond the header's two: the whole name must be in the second cell.
    cells = [_text(t) for t in tokens if t.type == "inline"]
    assert cells[cells.index("Candidate") + 1] == "A | B | C"
