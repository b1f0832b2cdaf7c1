"""``candidate edit`` and the role rules of ``score import`` / ``candidate import``."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from hiring.store import RowsError, add_candidate, edit_candidate, import_scores
from tests.test_scorecard_cases import ROLE, ok, refused


@pytest.fixture
def bank(small_bank_loaded):  # type: ignore[no-untyped-def]
    return small_bank_loaded


def test_candidate_edit_name_email_role_audited_without_personal_data(db_url: str) -> None:
    ok(db_url, "candidate", "add", "Kim Lee", "--email", "kim@example.com")
    ok(db_url, "candidate", "add", "Bo Ek")
    refused(db_url, "candidate", "edit", "Kim Lee", match="nothing to change")
    refused(db_url, "candidate", "edit", "Kim Lee", "--name", "Bo Ek",
            match="already called 'Bo Ek' (id 2)")
    refused(db_url, "candidate", "edit", "Kim Lee", "--role", "nope", match="no role 'nope'")
    assert ok(db_url, "candidate", "edit", "Kim Lee", "--name", "Kim Larsen", "--email", "",
              "--role", ROLE).strip() == "changed candidate 1: name, email, role"
    shown = json.loads(ok(db_url, "candidate", "show", "1", "--json"))
    assert (shown["name"], shown["email"], shown["role"]) == ("Kim Larsen", None, ROLE)
    assert ok(db_url, "candidate", "edit", "1", "--role", ROLE).strip() == "unchanged: candidate 1"
    history = json.loads(ok(db_url, "score", "history", "--candidate", "1", "--json"))["history"]
    assert [(e["action"], e["old"], e["new"]) for e in history] == [
        ("candidate.name", None, None), ("candidate.email", None, None),
        ("candidate.role", None, ROLE)]
    dump = json.dumps(history)
    assert "Kim Lee" not in dump and "kim@example.com" not in dump
    ok(db_url, "candidate", "erase", "1", "--yes")
    refused(db_url, "candidate", "edit", "1", "--name", "Back", match="was erased")


def test_score_import_roles_of_stored_candidates(store, bank, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    add_candidate(store, "Placed", role=ROLE)
    add_candidate(store, "Roleless")
    source = tmp_path / "scores.csv"
    source.write_text("candidate,interviewer,competency,score,round,role\n"
                      "Placed,Lu,teamwork,4,panel,outbound\n", encoding="utf-8")
    with pytest.raises(RowsError) as caught:
        import_scores(store, bank, source)
    assert caught.value.problems == [
        "line 2: no role 'outbound' in the bank (roles: inbound-agent)"]
    with pytest.raises(Exception, match="no role 'outbound'"):
        import_scores(store, bank, source, role="outbound")
    source.write_text("candidate,interviewer,competency,score,round,role\n"
                      "Roleless,Lu,teamwork,4,panel,inbound-agent\n"
                      "Placed,Lu,teamwork,3,panel,\n", encoding="utf-8")
    counts = import_scores(store, bank, source)
    assert counts["roles_given"] == 1
    assert store.all("SELECT name, role FROM candidates ORDER BY id") == [
        ("Placed", ROLE), ("Roleless", ROLE)]
    assert store.all("SELECT DISTINCT role FROM interviews") == [(ROLE,)]


def test_candidate_import_role_option_and_roleless_rows_are_said(
    db_url: str, tmp_path: Path
) -> None:
    people = tmp_path / "people.csv"
    people.write_text("name,email\nA One,\nB Two,\n", encoding="utf-8")
    ok(db_url, "candidate", "import", str(people))  # the small bank has one role: used
    assert {c["role"] for c in json.loads(ok(db_url, "candidate", "list", "--json"))} == {ROLE}
    refused(db_url, "candidate", "import", str(people), "--allow-same-name", "--role", "x",
            match="no role 'x'")
    same = tmp_path / "same.csv"
    same.write_text("name\nC Three\nC Three\n", encoding="utf-8")
    result = ok(db_url, "candidate", "import", str(same), "--allow-same-name")
    assert "added 2 candidate(s)" in result
    refused_twice = tmp_path / "twice.csv"
    refused_twice.write_text("name\nD Four\nD Four\n", encoding="utf-8")
    from tests.test_scorecard_cases import run

    failed = run(db_url, "candidate", "import", str(refused_twice))
    assert failed.exit_code == 1 and "line 3: the same name as line 2" in failed.stderr


def test_edit_candidate_library_refuses_an_empty_role(store) -> None:  # type: ignore[no-untyped-def]
    add_candidate(store, "Kim")
    with pytest.raises(Exception, match="the role is empty"):
        edit_candidate(store, "Kim", role=" ")
