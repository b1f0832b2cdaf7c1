"""The scorecard lifecycle: draft -> submitted, changes after submission marked, drafts
chased, imports that submit; and the schema migration that brought it."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from hiring.errors import InputError
from hiring.reports.context import compare_context
from hiring.reports.data import load_report_data
from hiring.store import (
    add_candidate,
    import_scores,
    list_scores,
    open_store,
    pending_scorecards,
    set_recommendation,
    set_score,
    submit_scorecard,
)
from hiring.store.schema import MIGRATIONS, SCHEMA_VERSION, database_version
from tests.test_scorecard_cases import ROLE, ok, refused, run


@pytest.fixture
def bank(small_bank_loaded):  # type: ignore[no-untyped-def]
    return small_bank_loaded


def full_scorecard(store, bank, name: str, who: str, decision: str = "yes") -> None:  # type: ignore[no-untyped-def]
    set_score(store, bank, name, who, "teamwork", 4, note=f"{who} teamwork", round_id="panel")
    set_score(store, bank, name, who, "avoiding-arguments", 2, round_id="panel")
    set_recommendation(store, bank, name, who, "panel", decision)


def test_submit_is_refused_while_anything_is_missing_and_lists_it(db_url: str) -> None:
    ok(db_url, "candidate", "add", "Jo", "--role", ROLE)
    submit = ["score", "submit", "--candidate", "Jo", "--interviewer", "Ann", "--round", "panel"]
    refused(db_url, *submit, match="Ann has no scorecard for Jo (1) in round panel")
    ok(db_url, "score", "set", "--candidate", "Jo", "--interviewer", "Ann", "--round", "panel",
       "--competency", "teamwork", "--score", "4")
    line = refused(db_url, *submit, match="cannot submit Ann's scorecard for Jo (1), round panel")
    assert line.endswith("missing avoiding-arguments, recommendation")
    ok(db_url, "score", "set", "--candidate", "Jo", "--interviewer", "Ann", "--round", "panel",
       "--competency", "avoiding-arguments", "--score", "1")
    refused(db_url, *submit, match="missing recommendation")
    ok(db_url, "score", "recommend", "--candidate", "Jo", "--interviewer", "Ann", "--round",
       "panel", "--decision", "YES")  # any case
    assert ok(db_url, *submit).startswith("submitted: Ann's scorecard for Jo (1), round panel")
    assert ok(db_url, *submit).startswith("already submitted")
    history = ok(db_url, "score", "history", "--candidate", "Jo")
    assert history.count("Ann submitted the scorecard (round panel)") == 1


def test_changes_after_submission_are_allowed_audited_and_marked(store, bank) -> None:  # type: ignore[no-untyped-def]
    add_candidate(store, "Jo", role=ROLE)
    full_scorecard(store, bank, "Jo", "Ann")
    submit_scorecard(store, bank, "Jo", "Ann", "panel")
    set_score(store, bank, "Jo", "Ann", "teamwork", 5, round_id="panel")  # nobody else yet
    full_scorecard(store, bank, "Jo", "Mia", "no")
    submit_scorecard(store, bank, "Jo", "Mia", "panel")
    # Ann can now see Mia's scores; her change is marked as made after seeing them.
    set_score(store, bank, "Jo", "Ann", "avoiding-arguments", 3, round_id="panel")
    set_recommendation(store, bank, "Jo", "Ann", "panel", "strong-yes")
    marks = dict(store.all(
        "SELECT r.competency, r.changed_after_submission FROM ratings r JOIN interviews i "
        "ON i.id = r.interview_id WHERE i.interviewer = 'Ann'"))
    assert marks == {"teamwork": "after-submission", "avoiding-arguments": "after-seeing-others"}
    audited = store.all("SELECT competency, new_value FROM audit "
                        "WHERE action = 'scorecard.change' ORDER BY id")
    assert audited == [("teamwork", "after-submission"),
                       ("avoiding-arguments", "after-seeing-others"),
                       (None, "after-seeing-others")]
    from hiring.store import delete_score

    delete_score(store, "Jo", "Mia", "teamwork", "panel", actor="Recruiter")
    assert store.all("SELECT actor, competency, new_value FROM audit "
                     "WHERE action = 'scorecard.change' ORDER BY id DESC LIMIT 1") == [
        ("Recruiter", "teamwork", "after-seeing-others")]
    full_scorecard(store, bank, "Jo", "Mia", "no")  # put back for the report below
    listing = list_scores(store, "Jo", as_interviewer="Ann")
    assert {(r["interviewer"], r["competency"], r["changed_after_submission"])
            for r in listing.rows if r["changed_after_submission"]} == {
        ("Ann", "teamwork", "after-submission"),
        ("Ann", "avoiding-arguments", "after-seeing-others"),
        ("Mia", "teamwork", "after-seeing-others")}  # re-entered after its deletion
    # The report marks them on the candidate's page.
    context = compare_context(load_report_data(store, bank, ROLE, "panel"), bank, ROLE,
                              "panel", "en")
    assert context["details"][0]["late_changes"] == [
        "Ann: Avoiding arguments with customers 3 (after seeing others)",
        "Ann: Teamwork 5",
        "Mia: Teamwork 4 (after seeing others)",
    ]


def test_report_completeness_counts_submitted_scorecards(store, bank) -> None:  # type: ignore[no-untyped-def]
    add_candidate(store, "Jo", role=ROLE)
    add_candidate(store, "Bo", role=ROLE)
    for name in ("Jo", "Bo"):
        for who in ("Ann", "Mia"):
            full_scorecard(store, bank, name, who)
    submit_scorecard(store, bank, "Jo", "Ann", "panel")
    context = compare_context(load_report_data(store, bank, ROLE, "panel"), bank, ROLE,
                              "panel", "en")
    # Four complete scorecards, one submitted: the other three are drafts, not handed in.
    assert context["facts"]["completeness"].startswith("1 of 4 scorecards handed in")


def test_pending_chases_drafts_and_missing_scorecards(store, bank) -> None:  # type: ignore[no-untyped-def]
    from hiring.store import record_interview

    add_candidate(store, "Jo", role=ROLE)
    record_interview(store, bank, "Jo", "Eve", round_id="screen")  # nothing entered
    set_score(store, bank, "Jo", "Ann", "teamwork", 4, round_id="panel")  # partial draft
    full_scorecard(store, bank, "Jo", "Mia")  # complete draft
    full_scorecard(store, bank, "Jo", "Ola")
    submit_scorecard(store, bank, "Jo", "Ola", "panel")  # done
    pending = {p["interviewer"]: (p["state"], p["missing_scores"], p["missing_recommendation"])
               for p in pending_scorecards(store, bank)}
    assert pending == {
        "Eve": ("missing", ["avoiding-arguments"], True),
        "Ann": ("draft", ["avoiding-arguments"], True),
        "Mia": ("draft", [], False),
    }


def test_enter_offers_to_submit_at_its_end(db_url: str) -> None:
    ok(db_url, "candidate", "add", "Jo", "--role", ROLE)
    enter = ["score", "enter", "--candidate", "Jo", "--interviewer", "Ann", "--round", "panel"]
    declined = ok(db_url, *enter, input="4\nhelped\n2\nstayed calm\nYes\nn\n")
    assert "saved as a draft: submit it with 'hiring score submit" in declined
    assert json.loads(ok(db_url, "score", "pending", "--json"))["pending"][0]["state"] == "draft"
    again = ok(db_url, *enter, input="y\n")  # nothing left to rate: only the offer
    assert "2 already scored" in again and again.splitlines()[-1] == "submitted"
    assert json.loads(ok(db_url, "score", "pending", "--json"))["pending"] == []
    assert "already submitted" in ok(db_url, *enter)


def test_import_submit_and_recommendation_column(db_url: str, bank, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    source = tmp_path / "scores.csv"
    source.write_text(
        "candidate,interviewer,competency,score,round,recommendation\n"
        "Jo,Ann,teamwork,4,panel,yes\nJo,Ann,avoiding-arguments,2,panel,\n"
        "Jo,Mia,teamwork,3,panel,no\n",
        encoding="utf-8",
    )
    with open_store(db_url) as store:
        add_candidate(store, "Jo", role=ROLE)
        with pytest.raises(InputError) as caught:
            import_scores(store, bank, source, submit=True)
        assert caught.value.details() == [  # type: ignore[attr-defined]
            f"{source}: line 4: cannot submit the scorecard of Mia for 1, round panel: "
            "missing avoiding-arguments"]
        assert store.one("SELECT COUNT(*) FROM ratings") == (0,)
        counts = import_scores(store, bank, source)  # without --submit: drafts
        assert (counts["recommendations"], counts["submitted"]) == (2, 0)
        source.write_text(
            "candidate,interviewer,competency,score,round\nJo,Mia,avoiding-arguments,1,panel\n",
            encoding="utf-8")
        counts = import_scores(store, bank, source, submit=True)  # stored ratings count
        assert counts["submitted"] == 1
        assert store.all("SELECT interviewer FROM interviews WHERE submitted IS NOT NULL") == [
            ("Mia",)]
    conflicting = tmp_path / "conflict.csv"
    conflicting.write_text(
        "candidate,interviewer,competency,score,round,recommendation\n"
        "Jo,Ann,teamwork,4,panel,yes\nJo,Ann,avoiding-arguments,2,panel,no\n",
        encoding="utf-8",
    )
    result = run(db_url, "score", "import", str(conflicting))
    assert result.exit_code == 1
    assert "line 3: recommendation 'no' differs from 'yes' on line 2" in result.stderr


def test_migration_from_version_1_keeps_data_and_submits_recommended_scorecards(
    db_url: str,
) -> None:
    from hiring.store.db import _connect_postgres, _connect_sqlite, is_postgres_url

    raw = _connect_postgres(db_url) if is_postgres_url(db_url) else _connect_sqlite(Path(db_url))
    with raw.write():  # a database as hiring with schema version 1 left it
        raw.execute("CREATE TABLE schema_version (version INTEGER NOT NULL)")
        for statement in MIGRATIONS[0]:
            raw.execute(statement.format(
                pk="INTEGER PRIMARY KEY" if raw.dialect == "sqlite"
                else "BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY",
                id="INTEGER" if raw.dialect == "sqlite" else "BIGINT"))
        raw.execute("INSERT INTO schema_version VALUES (1)")
        raw.execute("INSERT INTO candidates (name, role, status, created) "
                    "VALUES ('Jo', 'inbound-agent', 'active', '2026-01-01')")
        for who in ("Ann", "Mia"):
            raw.execute("INSERT INTO interviews (candidate_id, interviewer, role, round, date, "
                        "created) VALUES (1, :who, 'inbound-agent', 'panel', '2026-01-02', "
                        "'2026-01-02')", {"who": who})
        raw.execute("INSERT INTO ratings (interview_id, competency, score, note, created, "
                    "updated) VALUES (1, 'teamwork', 4, 'kept', '2026-01-02', '2026-01-02')")
        raw.execute("INSERT INTO recommendations VALUES (1, 'yes', '2026-01-03', '2026-01-03')")
    raw.close()
    with open_store(db_url) as store:
        assert database_version(store) == SCHEMA_VERSION
        assert store.all("SELECT interviewer, submitted, cancelled FROM interviews "
                         "ORDER BY id") == [("Ann", "2026-01-03", None), ("Mia", None, None)]
        assert store.all("SELECT score, note, changed_after_submission FROM ratings") == [
            (4, "kept", None)]
    with open_store(db_url) as again:  # migrating once is enough
        assert database_version(again) == SCHEMA_VERSION
