"""``hiring score enter`` as an interviewer expects: the question asked (and stored), prompts
in the guide's language, decisions in any case, a warning on empty evidence, wrapped text
and one style for a bad value."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from hiring.cli import app
from hiring.store import open_store
from tests.conftest import SMALL_BANK
from tests.test_scorecard_cases import ROLE, ok


def enter(db_url: str, *args: str, input: str, columns: int = 80):  # type: ignore[no-untyped-def]
    return CliRunner(env={"COLUMNS": str(columns)}).invoke(
        app, ["--bank", str(SMALL_BANK), "--db", db_url, "score", "enter", *args], input=input)


def manifest(tmp_path: Path, language: str = "en") -> Path:
    path = tmp_path / "guide.manifest.json"
    path.write_text(json.dumps({
        "kind": "hiring-guide-manifest", "version": 1, "role": ROLE, "round": "panel",
        "candidate": "Jo", "interviewer": "Ann", "language": language,
        "competencies": ["teamwork", "avoiding-arguments"],
        "questions": [{"competency": "teamwork", "question": "teamwork-02"},
                      {"competency": "avoiding-arguments", "question": "avoiding-arguments-02"}],
    }), encoding="utf-8")
    return path


def test_enter_shows_and_stores_the_question_asked(db_url: str, tmp_path: Path) -> None:
    ok(db_url, "candidate", "add", "Jo", "--role", ROLE)
    result = enter(db_url, "--candidate", "Jo", "--interviewer", "Ann", "--manifest",
                   str(manifest(tmp_path)),
                   input="x\n9\n4\nhelped\n2\n\nn\nstayed calm\nStrong-Yes\ny\n")
    assert result.exit_code == 0, (result.stdout, result.stderr)
    out = result.stdout
    assert "Asked: The queue is long and a colleague is struggling. What do you do?" in out
    assert "Asked: Customer: 'You people took my money twice" in out
    # A bad value is said in one style, whatever it is (not a number, out of range).
    assert out.count("the score must be a whole number from 1 to 5") == 2
    assert "is not a valid integer" not in out
    assert "No evidence note: continue? [y/N]" in out  # the empty note was caught
    assert out.splitlines()[-1] == "submitted"
    with open_store(db_url) as store:
        assert store.all("SELECT competency, question, score, note FROM ratings "
                         "ORDER BY competency") == [
            ("avoiding-arguments", "avoiding-arguments-02", 2, "stayed calm"),
            ("teamwork", "teamwork-02", 4, "helped")]
        assert store.one("SELECT decision FROM recommendations") == ("strong-yes",)


def test_enter_prompts_in_the_guides_language(db_url: str, tmp_path: Path) -> None:
    ok(db_url, "candidate", "add", "Jo", "--role", ROLE)
    result = enter(db_url, "--candidate", "Jo", "--interviewer", "Ann", "--manifest",
                   str(manifest(tmp_path, "da")), input="4\n\nj\n2\nrolig\nmåske\nKlart ja\nj\n")
    assert result.exit_code == 0, (result.stdout, result.stderr)
    out = result.stdout
    assert "Spurgt: Køen er lang og en kollega har det svært." in out
    assert "Ingen dokumentation: fortsæt? [j/N]" in out
    assert "anbefalingen skal være en af strong-no, no, yes, strong-yes" in out  # "måske"
    assert "Aflever bedømmelsesskemaet nu?" in out and out.splitlines()[-1] == "submitted"
    with open_store(db_url) as store:
        assert store.one("SELECT decision FROM recommendations") == ("strong-yes",)
    # --lang wins over the guide's language; an unknown one is refused before any write.
    bad = enter(db_url, "--candidate", "Jo", "--interviewer", "Eve", "--round", "screen",
                "--lang", "xx", input="")
    assert bad.exit_code == 1 and "--lang 'xx' is not a language hiring knows" in bad.stderr
    with open_store(db_url) as store:
        assert store.one("SELECT COUNT(*) FROM interviews WHERE interviewer = 'Eve'") == (0,)


def test_enter_wraps_at_word_boundaries(db_url: str) -> None:
    ok(db_url, "candidate", "add", "Jo", "--role", ROLE)
    result = enter(db_url, "--candidate", "Jo", "--interviewer", "Ann", "--round", "panel",
                   input="", columns=50)
    shown = [line for line in result.stdout.splitlines() if not line.startswith("Score")]
    assert max(len(line) for line in shown if line.startswith("  ")) <= 50
    text = " ".join(line.strip() for line in shown)
    # The anchor of 5 (67 characters with its label) arrives whole, split only at spaces.
    assert "Organised help across the team and says what changed for customers." in text
