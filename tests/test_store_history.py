"""``hiring score history``: the audit trail as sentences a person reads, and as JSON."""

from __future__ import annotations

import json

from tests.test_scorecard_cases import ROLE, ok


def test_history_tells_who_changed_what_and_when(db_url: str) -> None:
    ok(db_url, "candidate", "add", "Jo", "--role", ROLE)
    set_args = ["score", "set", "--candidate", "Jo", "--interviewer", "Ann", "--round", "panel",
                "--competency", "teamwork"]
    ok(db_url, *set_args, "--score", "3", "--note", "first note")
    ok(db_url, *set_args, "--score", "4")  # keeps the note: only the score is audited
    ok(db_url, *set_args, "--score", "4", "--note", "better\nnote")
    ok(db_url, *set_args, "--score", "4", "--note", "")
    ok(db_url, "score", "recommend", "--candidate", "Jo", "--interviewer", "Ann", "--round",
       "panel", "--decision", "yes")
    text = ok(db_url, "score", "history", "--candidate", "Jo")
    lines = text.splitlines()
    assert lines[0] == "Jo (id 1): 5 change(s)"
    sentences = [line[21:] for line in lines[1:]]  # after "YYYY-MM-DD HH:MM:SS  "
    assert sentences == [
        "Ann rated teamwork 3 (round panel)",
        "Ann changed teamwork from 3 to 4 (round panel)",
        'Ann changed the evidence note on teamwork from "first note" to "better note" '
        "(round panel)",
        'Ann cleared the evidence note on teamwork (was "better note") (round panel)',
        "Ann recommended yes (round panel)",
    ]
    assert lines[1][:4].isdigit() and lines[1][10] == " "
    data = json.loads(ok(db_url, "score", "history", "--candidate", "1", "--json"))
    assert data["candidate"]["name"] == "Jo"
    assert [(e["action"], e["old"], e["new"], e["interviewer"]) for e in data["history"]] == [
        ("rating.create", None, "3", "Ann"),
        ("rating.update", "3", "4", "Ann"),
        ("rating.note", "first note", "better\nnote", "Ann"),
        ("rating.note", "better\nnote", None, "Ann"),
        ("recommendation.set", None, "yes", "Ann"),
    ]


def test_history_of_an_erased_candidate_keeps_the_entries_but_not_the_notes(
    db_url: str,
) -> None:
    ok(db_url, "candidate", "add", "Jo", "--role", ROLE)
    set_args = ["score", "set", "--candidate", "Jo", "--interviewer", "Ann", "--round", "panel",
                "--competency", "teamwork", "--score", "3"]
    ok(db_url, *set_args, "--note", "SECRET-ONE")
    ok(db_url, *set_args, "--note", "SECRET-TWO")
    ok(db_url, "interview", "add", "--candidate", "Jo", "--interviewer", "Eve", "--round",
       "screen")
    ok(db_url, "interview", "cancel", "--candidate", "Jo", "--interviewer", "Eve", "--round",
       "screen", "--reason", "SECRET-THREE")
    ok(db_url, "candidate", "erase", "Jo", "--yes", "--by", "DPO")
    text = ok(db_url, "score", "history", "--candidate", "1")
    assert "SECRET" not in text
    assert "SECRET" not in ok(db_url, "interview", "list", "--json")
    assert 'changed the evidence note on teamwork from "[erased]" to "[erased]"' in text
    assert text.splitlines()[-1].endswith("DPO erased the candidate's name, e-mail and notes")
