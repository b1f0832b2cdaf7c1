"""Issue 23, terminal: CLI tables line their columns up in terminal cells (a Chinese
character takes two), and text wraps by cells even without spaces. Widths are counted here
by hand from the Unicode East Asian Width property (W/F: two cells), not by the code."""

from __future__ import annotations

import unicodedata
from pathlib import Path

import pytest
from typer.testing import CliRunner

from hiring.cli import app
from tests.cli_helpers import ok

ROLE = "inbound-agent"


def width(line: str) -> int:
    """Cells of a line as a terminal shows it, counted independently of hiring.cli.cells."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else
               0 if unicodedata.combining(c) else 1 for c in line)


def column_start(line: str, text: str) -> int:
    """The cell at which ``text`` starts in ``line``."""
    return width(line[: line.index(text)])


def test_cells_and_wrap_by_hand() -> None:
    from hiring.cli.cells import cells, table, wrap

    assert [cells(s) for s in ("Jo", "张伟", "Søren", "e\u0301", "欧阳 Na")] == [2, 4, 5, 1, 7]
    text = "客户在电话里大喊大叫，说上个月的账单多扣了钱，要求马上退款，否则就投诉到监管部门。"
    lines = wrap(text, 20, "  ", "  ")
    assert "".join(line.strip() for line in lines) == text  # nothing lost, nothing added
    assert all(width(line) <= 20 for line in lines), lines
    assert len(lines) == 5  # 41 characters: 9 after the indent, then 8 after indent + hanging
    assert not any(line.strip()[0] in "，。" for line in lines)  # no line opens with a comma
    assert wrap("a few words here", 9) == ["a few", "words", "here"]
    # A table of Chinese and Latin names: the second column starts at one cell on every row.
    rows = table(["NAME", "ROUND"], [["张伟", "panel"], ["Anna Jensen", "screen"],
                                     ["欧阳娜娜", "panel"]], width=None)
    starts = {column_start(line, word) for line, word in zip(
        rows, ["ROUND", "panel", "screen", "panel"], strict=True)}
    assert starts == {13}, rows  # "Anna Jensen" (11 cells) + 2 spaces


@pytest.fixture
def chinese_pending(tmp_path: Path) -> str:
    db = str(tmp_path / "h.db")
    for name in ("张伟", "Anna Jensen", "欧阳娜娜"):
        ok(db, "candidate", "add", name, "--role", ROLE)
        ok(db, "interview", "add", "--candidate", name, "--interviewer", "李娜",
           "--round", "panel")
    ok(db, "interview", "add", "--candidate", "Anna Jensen", "--interviewer", "Sofie Nielsen",
       "--round", "panel")
    return db


def test_score_pending_columns_line_up_with_chinese_names(chinese_pending: str) -> None:
    # Issue 23: Chinese names pushed the columns 3 cells out of line (widths in characters).
    lines = ok(chinese_pending, "score", "pending").splitlines()
    rows = [line for line in lines if line.startswith(("DATE", "20"))]
    assert len(rows) == 5, lines  # header + 4 interviews
    for column in ("CANDIDATE", "ROUND", "STATE"):
        header = rows[0]
        here = column_start(header, column)
        for row in rows[1:]:
            value = {"CANDIDATE": None, "ROUND": "panel", "STATE": "missing"}[column]
            if value is None:  # the candidate column: the name after the interviewer's
                value = next(n for n in ("张伟", "Anna Jensen", "欧阳娜娜") if n in row)
            assert column_start(row, value) == here, (column, rows)


def test_interview_list_and_candidate_list_line_up(chinese_pending: str) -> None:
    for args, column in ((("interview", "list"), "ROUND"), (("candidate", "list"), "CREATED")):
        rows = [line for line in ok(chinese_pending, *args).splitlines() if line.strip()]
        value = "panel" if column == "ROUND" else "20"
        starts = {column_start(row, value) for row in rows[1:]}
        assert starts == {column_start(rows[0], column)}, rows


def test_bank_list_danish_rows_line_up() -> None:
    # Issue 23: `bank list --lang da` pushed the chat-email-agent row out of line (its
    # rounds are longer than the 24 characters the column had).
    result = CliRunner().invoke(app, ["bank", "list", "--lang", "da"])
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    roles = lines[lines.index(next(x for x in lines if x.startswith("ROLE"))):][:4]
    assert roles[1].startswith("chat-email-agent"), roles
    languages = {column_start(row, "en,da,ru,bg,zh") for row in roles[1:]}
    assert languages == {column_start(roles[0], "LANGUAGES")}, roles
    names = {row.index("en,da,ru,bg,zh") + len("en,da,ru,bg,zh  ") for row in roles[1:]}
    assert names == {column_start(roles[0], "NAME")}, roles  # the names start in one column
    zh = CliRunner().invoke(app, ["bank", "list", "--lang", "zh"]).stdout.splitlines()
    competencies = zh[2:2 + 17]
    assert competencies[0].startswith("COMPETENCY")
    # Chinese names in the last column: the columns before them still line up.
    assert len({column_start(row, "en,da") for row in competencies[1:]}) == 1


def test_table_wraps_its_last_column_by_cells_in_a_narrow_terminal() -> None:
    from hiring.cli.cells import table

    note = "候选人描述了如何安抚客户并在通话结束前确认了下一步的安排，" * 2
    lines = table(["ROUND", "SCORE", "NOTE"], [["panel", "4", note]], right={1}, width=60)
    assert all(width(line) <= 60 for line in lines), lines
    assert len(lines) == 1 + 3  # 58 characters in lines of 23 (46 cells after 14)
    assert all(line.startswith(" " * 14) for line in lines[2:])  # under its column


def test_score_enter_in_chinese_fits_a_60_column_terminal(tmp_path: Path) -> None:
    # Issue 23: `score enter --lang zh` printed a 180-cell line in a 60-column terminal
    # (textwrap breaks only at spaces, and Chinese has none).
    db = str(tmp_path / "h.db")
    ok(db, "candidate", "add", "张伟", "--role", ROLE, bank=None)
    result = CliRunner(env={"COLUMNS": "60"}).invoke(
        app, ["--db", db, "score", "enter", "--candidate", "张伟", "--interviewer", "李娜",
              "--round", "panel", "--lang", "zh"], input="")
    shown = result.stdout.splitlines()
    anchors = [line for line in shown if line.startswith("  ")]
    assert len(anchors) >= 6, shown  # the definition and five anchors, wrapped
    assert max(width(line) for line in shown) <= 60, max(shown, key=width)
    # Wrapped, not cut: the first anchor's text arrives whole.
    text = "".join(line.strip() for line in anchors)
    assert "描述自己提高嗓门" in text
