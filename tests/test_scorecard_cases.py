"""The bugs of issue 12, cases 2-6, each as it was reported; every test here fails on the
code before the fix (they use only APIs that existed then), on SQLite and PostgreSQL."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from hiring.cli import app
from hiring.store import add_candidate, import_scores, open_store, set_score
from tests.cli_helpers import ok, refused, run
from tests.conftest import SMALL_BANK

ROLE = "inbound-agent"  # small bank: rounds screen (avoiding-arguments) and panel (both)


@pytest.fixture
def bank(small_bank_loaded):  # type: ignore[no-untyped-def]
    return small_bank_loaded


def pending(db_url: str) -> list[dict]:  # type: ignore[type-arg]
    return json.loads(ok(db_url, "score", "pending", "--json"))["pending"]  # type: ignore[no-any-return]


def notes(db_url: str) -> list[tuple[str, str, int, str | None]]:
    with open_store(db_url) as store:
        return [
            tuple(row)  # type: ignore[misc]
            for row in store.all(
                "SELECT i.interviewer, r.competency, r.score, r.note FROM ratings r "
                "JOIN interviews i ON i.id = r.interview_id ORDER BY i.interviewer, r.competency"
            )
        ]


# -- case 5: an update without a note erased the evidence ------------------------------------
def test_case5_update_without_note_keeps_the_note(db_url: str) -> None:
    ok(db_url, "candidate", "add", "Jo", "--role", ROLE)
    set_args = ["score", "set", "--candidate", "Jo", "--interviewer", "Ann", "--round", "panel",
                "--competency", "teamwork"]
    ok(db_url, *set_args, "--score", "3", "--note", "helped a colleague with a refund")
    ok(db_url, *set_args, "--score", "4")
    assert notes(db_url) == [("Ann", "teamwork", 4, "helped a colleague with a refund")]
    ok(db_url, *set_args, "--score", "4", "--note", "")
    assert notes(db_url) == [("Ann", "teamwork", 4, None)]


def test_case5_import_without_note_column_keeps_notes(db_url: str, bank, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    with open_store(db_url) as store:
        add_candidate(store, "Jo", role=ROLE)
        set_score(store, bank, "Jo", "Ann", "teamwork", 3, note="calm with an angry caller",
                  round_id="panel")
        source = tmp_path / "scores.csv"
        source.write_text(
            "candidate,interviewer,competency,score,round\nJo,Ann,teamwork,5,panel\n",
            encoding="utf-8",
        )
        import_scores(store, bank, source)
        assert notes(db_url) == [("Ann", "teamwork", 5, "calm with an angry caller")]
        # An empty note cell says nothing new: the evidence is kept (it was cleared).
        source.write_text(
            "candidate,interviewer,competency,score,round,note\nJo,Ann,teamwork,4,panel,\n",
            encoding="utf-8",
        )
        assert import_scores(store, bank, source)["notes_kept"] == 1
        assert notes(db_url) == [("Ann", "teamwork", 4, "calm with an angry caller")]
        # Cleared only when asked: the [clear] marker, or clear_empty (--clear-empty).
        source.write_text(
            "candidate,interviewer,competency,score,round,note\nJo,Ann,teamwork,4,panel,[clear]\n",
            encoding="utf-8",
        )
        assert import_scores(store, bank, source)["notes_cleared"] == 1
        assert notes(db_url) == [("Ann", "teamwork", 4, None)]
        set_score(store, bank, "Jo", "Ann", "teamwork", 3, note="again", round_id="panel")
        source.write_text(
            "candidate,interviewer,competency,score,round,note\nJo,Ann,teamwork,4,panel,\n",
            encoding="utf-8",
        )
        import_scores(store, bank, source, clear_empty=True)
    assert notes(db_url) == [("Ann", "teamwork", 4, None)]


def test_case5_note_changes_are_audited_with_old_and_new_text(db_url: str) -> None:
    ok(db_url, "candidate", "add", "Jo", "--role", ROLE)
    set_args = ["score", "set", "--candidate", "Jo", "--interviewer", "Ann", "--round", "panel",
                "--competency", "teamwork", "--score", "3"]
    ok(db_url, *set_args, "--note", "first")
    ok(db_url, *set_args, "--note", "second")
    ok(db_url, *set_args, "--note", "")
    with open_store(db_url) as store:
        rows = store.all("SELECT old_value, new_value FROM audit ORDER BY id")
    # the creation (score 3), then one row per note change, old and new text in it
    assert rows == [(None, "3"), ("first", "second"), ("second", None)]


# -- case 4: a competency the round does not rate, and the silent first round ----------------
def count_rows(db_url: str, table: str) -> int:
    with open_store(db_url) as store:
        row = store.one(f"SELECT COUNT(*) FROM {table}")
    assert row is not None
    return int(row[0])


def test_case4_set_refuses_a_competency_the_round_does_not_rate(db_url: str) -> None:
    ok(db_url, "candidate", "add", "Jo", "--role", ROLE)
    line = refused(db_url, "score", "set", "--candidate", "Jo", "--interviewer", "Ann",
                   "--round", "screen", "--competency", "teamwork", "--score", "4",
                   match="round 'screen' of inbound-agent does not rate 'teamwork'")
    assert line.endswith("(it rates: avoiding-arguments)")
    assert count_rows(db_url, "ratings") == count_rows(db_url, "interviews") == 0


def test_case4_import_refuses_a_competency_the_round_does_not_rate(
    db_url: str, tmp_path: Path
) -> None:
    ok(db_url, "candidate", "add", "Jo", "--role", ROLE)
    source = tmp_path / "scores.csv"
    source.write_text(
        "candidate,interviewer,competency,score,round\n"
        "Jo,Ann,avoiding-arguments,2,screen\nJo,Ann,teamwork,4,screen\n",
        encoding="utf-8",
    )
    result = run(db_url, "score", "import", str(source))
    assert result.exit_code == 1
    assert (f"{source}: line 3: round 'screen' of inbound-agent does not rate 'teamwork' "
            "(it rates: avoiding-arguments)") in result.stderr
    assert count_rows(db_url, "ratings") == count_rows(db_url, "interviews") == 0


def test_case4_enter_refuses_a_manifest_competency_the_round_does_not_rate(
    db_url: str, tmp_path: Path
) -> None:
    ok(db_url, "candidate", "add", "Jo", "--role", ROLE)
    manifest = tmp_path / "guide.json"
    manifest.write_text(json.dumps({
        "kind": "hiring-guide-manifest", "version": 1, "role": ROLE, "round": "screen",
        "competencies": ["teamwork"], "questions": [],
    }), encoding="utf-8")
    result = run(db_url, "score", "enter", "--candidate", "Jo", "--interviewer", "Ann",
                 "--manifest", str(manifest), input="4\n\nyes\n")
    assert result.exit_code == 1
    assert "round 'screen' of inbound-agent does not rate 'teamwork'" in result.stderr
    assert count_rows(db_url, "ratings") == count_rows(db_url, "interviews") == 0


def test_case4_a_row_without_round_is_not_put_in_the_first_round(
    db_url: str, tmp_path: Path
) -> None:
    ok(db_url, "candidate", "add", "Jo", "--role", ROLE)
    source = tmp_path / "scores.csv"
    source.write_text("candidate,interviewer,competency,score\nJo,Ann,avoiding-arguments,2\n",
                      encoding="utf-8")
    result = run(db_url, "score", "import", str(source))
    assert result.exit_code == 1
    assert ("line 2: Ann has no interview with Jo yet: give the round (--round; rounds of "
            "inbound-agent: screen, panel)") in result.stderr
    refused(db_url, "score", "set", "--candidate", "Jo", "--interviewer", "Ann", "--competency",
            "avoiding-arguments", "--score", "2", match="rounds of inbound-agent: screen, panel")
    assert count_rows(db_url, "ratings") == count_rows(db_url, "interviews") == 0
    # With one open interview, that is the round.
    ok(db_url, "interview", "add", "--candidate", "Jo", "--interviewer", "Ann", "--round", "panel")
    assert "round panel" in ok(db_url, "score", "set", "--candidate", "Jo", "--interviewer",
                               "Ann", "--competency", "avoiding-arguments", "--score", "2")


# -- case 2: independent rating leaked others' scores once one competency was rated ----------
def test_case2_list_as_hides_others_until_own_scorecard_is_submitted(db_url: str) -> None:
    ok(db_url, "candidate", "add", "Jo", "--role", ROLE)
    for competency, score in (("teamwork", 5), ("avoiding-arguments", 3)):
        ok(db_url, "score", "set", "--candidate", "Jo", "--interviewer", "Ann", "--round",
           "panel", "--competency", competency, "--score", str(score), "--note",
           f"ANN-NOTE-{competency}")
    # Mia has rated one of the two competencies: she must not see Ann's scores or notes.
    ok(db_url, "score", "set", "--candidate", "Jo", "--interviewer", "Mia", "--round", "panel",
       "--competency", "teamwork", "--score", "2")
    shown = ok(db_url, "score", "list", "--candidate", "Jo", "--as", "Mia")
    assert "ANN-NOTE" not in shown and "Ann" not in shown.split("hidden")[0]
    data = json.loads(ok(db_url, "score", "list", "--candidate", "Jo", "--as", "Mia", "--json"))
    assert [s["interviewer"] for s in data["scores"]] == ["Mia"]
    assert data["hidden"] == {"panel": 2}


# -- case 3: interviews that never happened could not be removed ------------------------------
def test_case3_a_typo_interview_can_be_cancelled_and_stops_counting(
    db_url: str, bank, tmp_path: Path
) -> None:
    from hiring.reports.context import compare_context
    from hiring.reports.data import load_report_data

    ok(db_url, "candidate", "add", "Jo", "--role", ROLE)
    for who in ("Ann Berg", "Mia"):
        for competency, score in (("teamwork", 4), ("avoiding-arguments", 2)):
            ok(db_url, "score", "set", "--candidate", "Jo", "--interviewer", who, "--round",
               "panel", "--competency", competency, "--score", str(score))
        ok(db_url, "score", "recommend", "--candidate", "Jo", "--interviewer", who, "--round",
           "panel", "--decision", "yes")
    # A typo'd interviewer name leaves an interview with one rating.
    ok(db_url, "score", "set", "--candidate", "Jo", "--interviewer", "Ann X", "--round", "panel",
       "--competency", "teamwork", "--score", "4")
    cancel = ["interview", "cancel", "--candidate", "Jo", "--interviewer", "Ann X", "--round",
              "panel", "--reason", "typo: Ann Berg"]
    refused(db_url, *cancel, match="has 1 rating(s): delete them first, or add --delete-ratings")
    assert "cancelled: Ann X's interview with Jo (1), round panel; deleted 1 rating(s)" in ok(
        db_url, *cancel, "--delete-ratings")
    # No longer chased, no longer blocking consensus, no missing scorecard in the report.
    chased = {p["interviewer"] for p in pending(db_url)}
    assert "Ann X" not in chased
    consensus = ["score", "consensus", "--candidate", "Jo", "--round", "panel", "--competency",
                 "teamwork", "--score", "4", "--note", "both saw it"]
    # Consensus waits for the two real scorecards only (submitted first), not for Ann X.
    refused(db_url, *consensus, match="waiting for Ann Berg (scorecard not submitted), "
                                      "Mia (scorecard not submitted)")
    for who in ("Ann Berg", "Mia"):
        ok(db_url, "score", "submit", "--candidate", "Jo", "--interviewer", who, "--round",
           "panel")
    ok(db_url, *consensus)
    with open_store(db_url) as store:
        context = compare_context(load_report_data(store, bank, ROLE, "panel"), bank, ROLE,
                                  "panel", "en")
    assert [m["interviewer"] for m in context["missing"]] == []
    assert context["ranking"][0]["missing_scorecards"] == 0
    listed = json.loads(ok(db_url, "interview", "list", "--candidate", "Jo", "--json"))
    assert [(i["interviewer"], i["state"], i["cancel_reason"]) for i in listed] == [
        ("Ann Berg", "submitted", None), ("Mia", "submitted", None),
        ("Ann X", "cancelled", "typo: Ann Berg")]
    history = ok(db_url, "score", "history", "--candidate", "Jo")
    assert "Ann X deleted the teamwork rating (was 4) (round panel)" in history
    assert 'Ann X cancelled the interview: "typo: Ann Berg" (round panel)' in history


def test_case3_quitting_enter_before_the_first_answer_leaves_no_interview(
    db_url: str, tmp_path: Path
) -> None:
    ok(db_url, "candidate", "add", "Jo", "--role", ROLE)
    quit_early = run(db_url, "score", "enter", "--candidate", "Jo", "--interviewer", "Eve",
                     "--round", "screen", input="")
    assert quit_early.exit_code == 1
    assert pending(db_url) == []
    assert count_rows(db_url, "interviews") == 0
    # A guide's manifest does record the interview (it was planned): cancellable.
    manifest = tmp_path / "guide.json"
    manifest.write_text(json.dumps({
        "kind": "hiring-guide-manifest", "version": 1, "role": ROLE, "round": "screen",
        "competencies": ["avoiding-arguments"], "questions": [],
    }), encoding="utf-8")
    run(db_url, "score", "enter", "--candidate", "Jo", "--interviewer", "Eve", "--manifest",
        str(manifest), input="")
    assert [p["interviewer"] for p in pending(db_url)] == ["Eve"]
    ok(db_url, "interview", "cancel", "--candidate", "Jo", "--interviewer", "Eve", "--round",
       "screen", "--reason", "did not take place", "--by", "Recruiter")
    assert pending(db_url) == []
    # Writing to it is refused until it is re-opened, explicitly.
    refused(db_url, "score", "set", "--candidate", "Jo", "--interviewer", "Eve", "--round",
            "screen", "--competency", "avoiding-arguments", "--score", "2",
            match="was cancelled (did not take place): 'hiring interview add' re-opens it")
    ok(db_url, "interview", "add", "--candidate", "Jo", "--interviewer", "Eve", "--round",
       "screen")
    ok(db_url, "score", "set", "--candidate", "Jo", "--interviewer", "Eve", "--round", "screen",
       "--competency", "avoiding-arguments", "--score", "2")
    history = ok(db_url, "score", "history", "--candidate", "Jo")
    assert "Recruiter cancelled Eve's interview: \"did not take place\"" in history
    assert "Eve re-opened the cancelled interview (round screen)" in history


# -- case 1: candidates without a role, their ratings left out of reports ---------------------
@pytest.fixture
def two_role_bank(tmp_path: Path) -> Path:
    """The small bank plus a second role (outbound-agent: one round rating teamwork)."""
    import shutil

    folder = tmp_path / "two-role-bank"
    shutil.copytree(SMALL_BANK, folder)
    (folder / "roles" / "outbound-agent.yaml").write_text(
        "role:\n  id: outbound-agent\n  name: {en: Outbound agent, da: Udgående medarbejder}\n"
        "  languages: [en, da]\n  competencies:\n    - {id: teamwork, weight: 1.0}\n"
        "  rounds:\n    - id: call\n      minutes: 20\n      competencies: [teamwork]\n",
        encoding="utf-8",
    )
    return folder


def run_with(bank_dir: Path, db_url: str, *args: str):  # type: ignore[no-untyped-def]
    return CliRunner().invoke(app, ["--bank", str(bank_dir), "--db", db_url, *args])


def report_candidates(db_url: str, bank, role: str = ROLE) -> list[str]:  # type: ignore[no-untyped-def]
    from hiring.reports.data import load_report_data

    with open_store(db_url) as store:
        return [c.name for c in load_report_data(store, bank, role, "panel").candidates]


def test_case1_created_candidates_get_the_only_role_and_reach_the_report(
    db_url: str, bank, tmp_path: Path
) -> None:
    source = tmp_path / "scores.csv"
    source.write_text(
        "candidate,interviewer,competency,score,round\n"
        "Kim,Lu,teamwork,4,panel\nKim,Lu,avoiding-arguments,2,panel\nIda,Lu,teamwork,3,panel\n",
        encoding="utf-8",
    )
    ok(db_url, "score", "import", str(source), "--create-candidates")
    assert report_candidates(db_url, bank) == ["Kim", "Ida"]
    roles = {c["name"]: c["role"] for c in json.loads(ok(db_url, "candidate", "list", "--json"))}
    assert roles == {"Kim": ROLE, "Ida": ROLE}


def test_case1_a_role_column_places_candidates_and_unplaceable_rows_are_refused(
    db_url: str, two_role_bank: Path, tmp_path: Path
) -> None:
    source = tmp_path / "scores.csv"
    source.write_text(
        "candidate,interviewer,competency,score,round\nKim,Lu,teamwork,4,panel\n",
        encoding="utf-8",
    )
    result = run_with(two_role_bank, db_url, "score", "import", str(source), "--create-candidates")
    assert result.exit_code == 1
    assert ("line 2: cannot place the new candidate 'Kim' in a role: add a role column or "
            "--role (roles: inbound-agent, outbound-agent)") in result.stderr
    assert json.loads(ok(db_url, "candidate", "list", "--json")) == []
    source.write_text(
        "candidate,interviewer,competency,score,round,role\n"
        "Kim,Lu,teamwork,4,panel,inbound-agent\nOla,Lu,teamwork,2,call,outbound-agent\n",
        encoding="utf-8",
    )
    assert run_with(two_role_bank, db_url, "score", "import", str(source),
                    "--create-candidates").exit_code == 0
    roles = {c["name"]: c["role"] for c in json.loads(ok(db_url, "candidate", "list", "--json"))}
    assert roles == {"Kim": "inbound-agent", "Ola": "outbound-agent"}


def test_case1_the_same_name_is_refused_unless_allowed(db_url: str, tmp_path: Path) -> None:
    ok(db_url, "candidate", "add", "Sam Berg", "--role", ROLE)
    refused(db_url, "candidate", "add", "Sam Berg",
            match="an active candidate is already called 'Sam Berg' (id 1)")
    people = tmp_path / "people.csv"
    people.write_text("name,email,role\nSam Berg,,\nNew Person,,\n", encoding="utf-8")
    result = run(db_url, "candidate", "import", str(people))
    assert result.exit_code == 1 and "line 2: an active candidate is already called" in (
        result.stderr)
    assert len(json.loads(ok(db_url, "candidate", "list", "--json"))) == 1
    assert ok(db_url, "candidate", "add", "Sam Berg", "--allow-same-name").strip() == "2"
    refused(db_url, "score", "set", "--candidate", "Sam Berg", "--interviewer", "Ann",
            "--round", "panel", "--competency", "teamwork", "--score", "3",
            match="2 candidates are called 'Sam Berg' (ids 1, 2): use the id")


def test_case1_a_candidate_without_a_role_can_be_given_one_later(db_url: str, bank) -> None:  # type: ignore[no-untyped-def]
    with open_store(db_url) as store:
        add_candidate(store, "Kim")  # as an old import left them: no role
        set_score(store, bank, "Kim", "Lu", "teamwork", 4, round_id="panel")
    assert report_candidates(db_url, bank) == []
    assert "1 interview(s) without a role now in inbound-agent" in ok(
        db_url, "candidate", "edit", "Kim", "--role", ROLE, "--by", "Recruiter")
    assert report_candidates(db_url, bank) == ["Kim"]
    assert "Recruiter changed the candidate's role from none to inbound-agent" in ok(
        db_url, "score", "history", "--candidate", "Kim")


# -- case 6: recommendations, consensus and roles lost on the way out and back in -----------
def test_case6_an_export_reimported_keeps_recommendations_and_roles(
    db_url: str, bank, tmp_path: Path
) -> None:
    from hiring.store import export_scores, set_recommendation

    with open_store(db_url) as store:
        add_candidate(store, "Jo", role=ROLE)
        set_score(store, bank, "Jo", "Ann", "avoiding-arguments", 2, round_id="screen")
        set_recommendation(store, bank, "Jo", "Ann", "screen", "strong-yes")
        exported = export_scores(store, "csv")
    source = tmp_path / "scores.csv"
    source.write_text(exported, encoding="utf-8")
    with open_store(tmp_path / "fresh.db") as fresh:
        import_scores(fresh, bank, source, create_candidates=True)
        assert fresh.all("SELECT name, role FROM candidates") == [("Jo", ROLE)]
        assert fresh.all(
            "SELECT i.interviewer, i.round, d.decision FROM recommendations d "
            "JOIN interviews i ON i.id = d.interview_id") == [("Ann", "screen", "strong-yes")]


def test_case6_score_list_and_json_export_show_recommendations_and_consensus(
    db_url: str,
) -> None:
    ok(db_url, "candidate", "add", "Jo", "--role", ROLE)
    for who in ("Ann", "Mia"):
        ok(db_url, "score", "set", "--candidate", "Jo", "--interviewer", who, "--round",
           "screen", "--competency", "avoiding-arguments", "--score", "2")
        ok(db_url, "score", "recommend", "--candidate", "Jo", "--interviewer", who, "--round",
           "screen", "--decision", "yes")
        ok(db_url, "score", "submit", "--candidate", "Jo", "--interviewer", who, "--round",
           "screen")
    ok(db_url, "score", "consensus", "--candidate", "Jo", "--round", "screen", "--competency",
       "avoiding-arguments", "--score", "2", "--note", "agreed on the call")
    listed = json.loads(ok(db_url, "score", "list", "--candidate", "Jo", "--json"))
    assert [(r["interviewer"], r["decision"]) for r in listed["recommendations"]] == [
        ("Ann", "yes"), ("Mia", "yes")]
    assert [(c["competency"], c["score"], c["note"]) for c in listed["consensus"]] == [
        ("avoiding-arguments", 2, "agreed on the call")]
    table = ok(db_url, "score", "list", "--candidate", "Jo")
    assert "consensus (panel)" in table and "RECOMMENDATION" in table
    exported = json.loads(ok(db_url, "score", "export", "--format", "json"))
    assert [(c["name"], c["role"]) for c in exported["candidates"]] == [("Jo", ROLE)]
    assert {r["role"] for r in exported["ratings"]} == {ROLE}
    assert len(exported["recommendations"]) == 2 and len(exported["consensus"]) == 1


def test_case6_imported_recommendations_count_and_completeness_counts_submissions(
    db_url: str, bank, tmp_path: Path
) -> None:
    from hiring.reports.context import compare_context
    from hiring.reports.data import load_report_data

    ok(db_url, "candidate", "add", "Jo", "--role", ROLE)
    ok(db_url, "candidate", "add", "Bo", "--role", ROLE)
    source = tmp_path / "scores.csv"
    source.write_text(
        "candidate,interviewer,competency,score,round,recommendation\n"
        "Jo,Ann,avoiding-arguments,2,screen,yes\nJo,Mia,avoiding-arguments,1,screen,no\n"
        "Bo,Ann,avoiding-arguments,3,screen,yes\nBo,Mia,avoiding-arguments,2,screen,yes\n",
        encoding="utf-8",
    )
    ok(db_url, "score", "import", str(source))
    drafts = pending(db_url)
    assert [p["missing_recommendation"] for p in drafts] == [False] * 4
    with open_store(db_url) as store:
        facts = compare_context(load_report_data(store, bank, ROLE, "screen"), bank, ROLE,
                                "screen", "en")["facts"]
    assert facts["completeness"].startswith("0 of 4 scorecards handed in")
    ok(db_url, "score", "import", str(source), "--submit")
    assert pending(db_url) == []
