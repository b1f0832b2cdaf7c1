"""Issue 21, item 8: untrusted text reaches the terminal only through ``for_terminal``: no
escape sequence (``ESC]0;TITLE BEL`` retitles the window, ``ESC[2J`` clears it), no bidi
override (U+202E shows a name backwards) and no line break (a second row) gets through."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from tests.cli_helpers import ok, run

HOSTILE = [
    "Ann\x1b]0;TITLE\x07",
    "Bo\x1b[2J",
    "nnA\u202eBerg",
    "Cy\nfake row",
    "Di\u2028Lund",
]
RAW = ("\x1b", "\x07", "\u202e", "\u2028")


def _hostile_database(path: Path) -> str:
    """Names and notes as a database written before these checks (or edited) holds them."""
    db = str(path)
    ok(db, "candidate", "add", "Plain Name", "--role", "inbound-agent")
    ok(db, "score", "set", "--round", "panel", "--candidate", "1", "--interviewer", "Ann",
       "--competency", "teamwork", "--score", "3")
    with sqlite3.connect(db) as connection:
        for name in HOSTILE:
            connection.execute(
                "INSERT INTO candidates (name, role, status, created) "
                "VALUES (?, 'inbound-agent', 'active', '2026-01-01T00:00:00+00:00')", (name,))
        connection.execute("UPDATE interviews SET interviewer = ?", (HOSTILE[0],))
        connection.execute("UPDATE ratings SET note = ?", ("fine\x1b[31m red\nsecond line",))
    return db


def _clean(text: str) -> None:
    for char in RAW:
        assert char not in text, repr(text)


def test_listings_show_escapes_and_one_row_per_candidate(tmp_path: Path) -> None:
    from hiring.user_text import for_terminal

    db = _hostile_database(tmp_path / "h.db")
    listed = ok(db, "candidate", "list")
    _clean(listed)
    rows = listed.strip().splitlines()
    assert len(rows) == 1 + 1 + len(HOSTILE)  # header, the plain one, one row per name
    assert r"Ann\x1b]0;TITLE\x07" in listed and r"nnA\u202eBerg" in listed
    assert r"Cy\nfake row" in listed
    for args in (["candidate", "show", "1"], ["interview", "list"],
                 ["score", "list", "--candidate", "1"], ["score", "pending"],
                 ["score", "history", "--candidate", "1"]):
        output = run(db, *args)
        assert output.exit_code == 0, (args, output.stderr)
        _clean(output.stdout + output.stderr)
    assert for_terminal(HOSTILE[0]) in ok(db, "interview", "list")


def test_json_output_escapes_what_a_terminal_acts_on_and_keeps_the_values(
    tmp_path: Path,
) -> None:
    db = _hostile_database(tmp_path / "h.db")
    output = ok(db, "candidate", "list", "--json")
    _clean(output)
    assert [c["name"] for c in json.loads(output)][1:] == HOSTILE  # the same values


@pytest.mark.parametrize("name", HOSTILE)
def test_error_lines_show_the_escapes(tmp_path: Path, name: str) -> None:
    db = str(tmp_path / "h.db")
    ok(db, "candidate", "add", "Plain Name")
    result = run(db, "candidate", "show", name)
    assert result.exit_code == 1
    _clean(result.stderr)
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("Error: no candidate"), lines


def test_score_import_problems_show_the_escapes(tmp_path: Path) -> None:
    db = str(tmp_path / "h.db")
    ok(db, "candidate", "add", "Plain Name", "--role", "inbound-agent")
    rows = tmp_path / "scores.csv"
    rows.write_text(
        "candidate,interviewer,competency,score,round\n"
        + "".join(f'"{name}",Ann,teamwork,3,panel\n' for name in HOSTILE),
        encoding="utf-8",
    )
    result = run(db, "score", "import", str(rows))
    assert result.exit_code == 1
    _clean(result.stderr)
    assert r"Ann\x1b]0;TITLE\x07" in result.stderr
    assert result.stderr.strip().splitlines()[-1].startswith("Error: ")


def test_guide_batch_failures_show_the_escapes(tmp_path: Path) -> None:
    people = tmp_path / "people.csv"
    people.write_text("name,interviewer\n" + "".join(
        f'"{name}",Kim\n' for name in HOSTILE), encoding="utf-8")
    result = run(str(tmp_path / "h.db"), "guide", "batch", "--role", "inbound-agent",
                 "--candidates", str(people), "--out-dir", str(tmp_path / "out"),
                 "--format", "md", "--workers", "1", "--no-record")
    assert result.exit_code == 1
    _clean(result.stderr + result.stdout)
    failed = [line for line in result.stderr.splitlines() if line.startswith("failed")]
    assert len(failed) == len(HOSTILE), result.stderr  # one line each: no row split


def test_for_terminal_makes_every_invisible_character_visible() -> None:
    import unicodedata

    from hiring.user_text import for_terminal

    assert for_terminal("Åse Ødegård 王") == "Åse Ødegård 王"  # letters of any script stay
    assert for_terminal("a\tb\r\n") == r"a\tb\r\n"
    assert for_terminal("x\x9b31m") == r"x\x9b31m"  # the C1 CSI
    assert for_terminal("x\ud800") == r"x\ud800"
    assert for_terminal("a\nb", keep_newlines=True) == "a\nb"
    every = "".join(chr(code) for code in range(0x110000)
                    if unicodedata.category(chr(code)) in ("Cc", "Cf", "Zl", "Zp"))
    shown = for_terminal(every)
    assert all(unicodedata.category(char) not in ("Cc", "Cf", "Zl", "Zp") for char in shown)
