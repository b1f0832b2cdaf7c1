"""The team roster and the rules the tool applies with it (issue 20), on SQLite and, when
HIRING_TEST_PG_URL is set, on PostgreSQL before ``db init-team`` (the tool's own checks).
The server's enforcement with real login roles: ``test_team_postgres.py``.

The user running a command is ``HIRING_USER`` on SQLite; on PostgreSQL it is the database
login, so these tests give the PostgreSQL roster the owner's login for the recruiter and
switch users only on SQLite.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import Result
from typer.testing import CliRunner

from hiring.cli import app
from tests.cli_helpers import one_error_line
from tests.conftest import SMALL_BANK
from tests.json_schemas import check_json_output

ROLE = "inbound-agent"


def run_as(user: str, db: str, *args: str, input: str | None = None) -> Result:
    result = CliRunner().invoke(app, ["--bank", str(SMALL_BANK), "--db", db, *args],
                                input=input, env={"HIRING_USER": user})
    if result.exit_code == 0:
        check_json_output(list(args), result.stdout)  # against hiring/schemas/
    return result


def ok_as(user: str, db: str, *args: str) -> str:
    result = run_as(user, db, *args)
    assert result.exit_code == 0, (result.stdout, result.stderr)
    return result.stdout


def refused_as(user: str, db: str, *args: str, match: str = "") -> str:
    line = one_error_line(run_as(user, db, *args))
    assert match in line, line
    return line


def count(db: str, sql: str) -> int:
    from hiring.store import open_store

    with open_store(db) as store:
        row = store.one(sql)
        return int(row[0]) if row else 0


@pytest.fixture
def sqlite_db(tmp_path: Path) -> str:
    return str(tmp_path / "hiring.db")


@pytest.fixture
def team_db(sqlite_db: str) -> str:
    """Ann recruits, Anders Holm and Mia Lund interview, Karen manages; one candidate,
    whose panel round Anders and Mia interview."""
    ok_as("ann", sqlite_db, "team", "add", "Ann Berg", "--role", "recruiter")
    ok_as("ann", sqlite_db, "team", "add", "Anders Holm", "--role", "interviewer",
          "--login", "anders")
    ok_as("ann", sqlite_db, "team", "add", "Mia Lund", "--role", "interviewer",
          "--login", "mia", "--email", "mia@example.com")
    ok_as("ann", sqlite_db, "team", "add", "Karen Dahl", "--role", "manager", "--login", "karen")
    ok_as("ann", sqlite_db, "candidate", "add", "Camilla Sørensen", "--role", ROLE)
    for who in ("Anders Holm", "Mia Lund"):
        ok_as("ann", sqlite_db, "interview", "add", "--candidate", "1", "--interviewer", who,
              "--round", "panel")
    return sqlite_db


def rate(db: str, user: str, interviewer: str, competency: str, score: int, note: str) -> None:
    ok_as(user, db, "score", "set", "--candidate", "1", "--interviewer", interviewer,
          "--round", "panel", "--competency", competency, "--score", str(score), "--note", note)


def complete(db: str, user: str, interviewer: str, base: int) -> None:
    rate(db, user, interviewer, "avoiding-arguments", min(base, 3), f"{interviewer}: calm reply")
    rate(db, user, interviewer, "teamwork", base, f"{interviewer}: helped a colleague")
    ok_as(user, db, "score", "recommend", "--candidate", "1", "--interviewer", interviewer,
          "--round", "panel", "--decision", "yes")


# -- the roster ----------------------------------------------------------------------------
def test_an_empty_roster_keeps_todays_behaviour(sqlite_db: str) -> None:
    ok_as("anyone", sqlite_db, "candidate", "add", "Jo", "--role", ROLE)
    out = ok_as("anyone", sqlite_db, "score", "set", "--candidate", "1", "--interviewer",
                "Whoever Typed", "--round", "panel", "--competency", "teamwork", "--score", "3")
    assert out.startswith("created")
    assert "the roster is empty" in ok_as("anyone", sqlite_db, "whoami")


def test_team_list_and_whoami(team_db: str) -> None:
    listed = json.loads(ok_as("ann", team_db, "team", "list", "--json"))
    assert [(m["name"], m["roles"], m["login"]) for m in listed] == [
        ("Anders Holm", ["interviewer"], "anders"),
        ("Ann Berg", ["recruiter"], "ann"),  # the first member gets the runner's login
        ("Karen Dahl", ["manager"], "karen"),
        ("Mia Lund", ["interviewer"], "mia"),
    ]
    who = json.loads(ok_as("mia", team_db, "whoami", "--json"))
    assert (who["member"], who["roles"], who["login"], who["admin"]) == (
        "Mia Lund", ["interviewer"], "mia", False)
    assert "not on the team roster" in ok_as("stranger", team_db, "whoami")


def test_a_typod_interviewer_is_refused_with_a_suggestion_and_nothing_is_written(
    team_db: str,
) -> None:
    before = count(team_db, "SELECT COUNT(*) FROM interviews")
    line = refused_as("ann", team_db, "score", "set", "--candidate", "1", "--interviewer",
                      "Anders Hom", "--round", "panel", "--competency", "teamwork",
                      "--score", "4", match="did you mean 'Anders Holm'?")
    assert "'Anders Hom' is not on the team roster" in line
    assert count(team_db, "SELECT COUNT(*) FROM interviews") == before
    assert count(team_db, "SELECT COUNT(*) FROM ratings") == 0
    # The same for the other commands that take an interviewer name.
    refused_as("ann", team_db, "interview", "add", "--candidate", "1", "--interviewer",
               "Mia Lnud", "--round", "panel", match="did you mean 'Mia Lund'?")
    refused_as("ann", team_db, "score", "recommend", "--candidate", "1", "--interviewer",
               "Anders Hom", "--round", "panel", "--decision", "yes", match="Anders Holm")
    # A member without the interviewer role is not a panel member either.
    refused_as("ann", team_db, "interview", "add", "--candidate", "1", "--interviewer",
               "Karen Dahl", "--round", "panel", match="without the interviewer role")
    assert count(team_db, "SELECT COUNT(*) FROM interviews") == before


def test_an_import_refuses_unknown_interviewers_in_one_grouped_line(
    team_db: str, tmp_path: Path
) -> None:
    csv = tmp_path / "scores.csv"
    csv.write_text(
        "candidate,interviewer,round,competency,score\n"
        "1,Anders Hom,panel,teamwork,4\n"
        "1,Mia Lund,panel,teamwork,3\n"
        "1,Anders Hom,panel,avoiding-arguments,4\n"
        "1,Bo Xyz,panel,teamwork,2\n",
        encoding="utf-8",
    )
    result = run_as("ann", team_db, "score", "import", str(csv))
    assert result.exit_code == 1, result.output
    problems = [line for line in result.stderr.splitlines() if "team roster" in line]
    assert len(problems) == 1, result.stderr
    assert ("'Anders Hom' (lines 2, 4; did you mean 'Anders Holm'?), 'Bo Xyz' (line 5)"
            in problems[0])
    assert count(team_db, "SELECT COUNT(*) FROM ratings") == 0  # all or nothing


def test_names_match_the_roster_whatever_their_case(team_db: str) -> None:
    rate(team_db, "ann", "anders holm", "teamwork", 4, "x")
    assert count(team_db, "SELECT COUNT(*) FROM interviews WHERE interviewer = 'Anders Holm'"
                 ) == 1
    assert count(team_db, "SELECT COUNT(*) FROM interviews") == 2  # no third panel member


# -- permissions -----------------------------------------------------------------------------
def test_each_role_may_do_only_its_commands(team_db: str, tmp_path: Path) -> None:
    refused_as("mia", team_db, "candidate", "add", "Zed", "--role", ROLE,
               match="needs the recruiter role")
    refused_as("mia", team_db, "candidate", "erase", "1", "--yes",
               match="may not erase candidates: that needs the recruiter role")
    refused_as("karen", team_db, "team", "add", "Zed", "--role", "interviewer",
               match="may not change the team roster")
    refused_as("mia", team_db, "db", "export", str(tmp_path / "b.json"),
               match="needs the recruiter role")
    assert not (tmp_path / "b.json").exists()
    # An interviewer writes her own scorecard, not a colleague's.
    refused_as("mia", team_db, "score", "set", "--candidate", "1", "--interviewer",
               "Anders Holm", "--round", "panel", "--competency", "teamwork", "--score", "4",
               match="may write only your own scorecards, not Anders Holm's")
    refused_as("stranger", team_db, "score", "set", "--candidate", "1", "--interviewer",
               "Mia Lund", "--round", "panel", "--competency", "teamwork", "--score", "4",
               match="not on the team roster")
    rate(team_db, "mia", "Mia Lund", "teamwork", 4, "own")
    rate(team_db, "ann", "Anders Holm", "teamwork", 3, "entered by the recruiter from paper")
    assert count(team_db, "SELECT COUNT(*) FROM ratings") == 2
    assert count(team_db, "SELECT COUNT(*) FROM candidates") == 1


# -- whose scorecard without --interviewer --------------------------------------------------
def test_without_interviewer_an_interviewer_writes_her_own_scorecard(team_db: str) -> None:
    # No --interviewer, and no --round either: Mia's only open interview gives the round.
    out = ok_as("mia", team_db, "score", "set", "--candidate", "1", "--competency", "teamwork",
                "--score", "4", "--note", "helped a colleague")
    assert out.startswith("created: candidate 1, round panel, teamwork = 4")
    ok_as("mia", team_db, "score", "set", "--candidate", "1", "--round", "panel",
          "--competency", "avoiding-arguments", "--score", "1", "--note", "typo")
    ok_as("mia", team_db, "score", "delete", "--candidate", "1", "--round", "panel",
          "--competency", "avoiding-arguments")
    ok_as("mia", team_db, "score", "set", "--candidate", "1", "--round", "panel",
          "--competency", "avoiding-arguments", "--score", "3", "--note", "calm reply")
    ok_as("mia", team_db, "score", "recommend", "--candidate", "1", "--round", "panel",
          "--decision", "yes")
    out = ok_as("mia", team_db, "score", "submit", "--candidate", "1")
    assert out.startswith("submitted: Mia Lund's scorecard for Camilla Sørensen (1), round panel")
    # The recruiter sees them as Mia's, submitted; nothing was written for anyone else.
    listing = json.loads(ok_as("ann", team_db, "score", "list", "--candidate", "1", "--json"))
    assert sorted((r["interviewer"], r["competency"], r["score"], r["state"], r["note"])
                  for r in listing["scores"]) == [
        ("Mia Lund", "avoiding-arguments", 3, "submitted", "calm reply"),
        ("Mia Lund", "teamwork", 4, "submitted", "helped a colleague"),
    ]
    assert [(r["interviewer"], r["decision"]) for r in listing["recommendations"]] == [
        ("Mia Lund", "yes")]
    exported = run_as("ann", team_db, "score", "export", "--format", "json")
    assert exported.exit_code == 0, exported.output
    assert sorted((r["interviewer"], r["competency"], r["score"])
                  for r in json.loads(exported.stdout)["ratings"]) == [
        ("Mia Lund", "avoiding-arguments", 3), ("Mia Lund", "teamwork", 4)]
    assert count(team_db, "SELECT COUNT(*) FROM interviews") == 2  # the fixture's two


def test_without_interviewer_a_non_interviewer_is_refused_and_nothing_is_written(
    team_db: str,
) -> None:
    score_set = ("score", "set", "--candidate", "1", "--round", "panel", "--competency",
                 "teamwork", "--score", "4")
    line = refused_as("ann", team_db, *score_set, match="give --interviewer NAME")
    assert "you (Ann Berg, recruiter) are not on the team roster as an interviewer" in line
    refused_as("karen", team_db, "score", "recommend", "--candidate", "1", "--round", "panel",
               "--decision", "yes",
               match="you (Karen Dahl, manager) are not on the team roster as an interviewer")
    refused_as("stranger", team_db, "score", "submit", "--candidate", "1", "--round", "panel",
               match="give --interviewer NAME: you (login 'stranger') are not on the team roster")
    # score enter is refused before its first prompt.
    result = run_as("ann", team_db, "score", "enter", "--candidate", "1", "--round", "panel",
                    input="4\n")
    assert result.exit_code == 1 and result.stdout == "", result.output
    assert "not on the team roster as an interviewer" in result.stderr
    for table in ("ratings", "recommendations", "audit"):
        before = count(team_db, f"SELECT COUNT(*) FROM {table}")
        refused_as("ann", team_db, *score_set)
        assert count(team_db, f"SELECT COUNT(*) FROM {table}") == before
    assert count(team_db, "SELECT COUNT(*) FROM ratings") == 0
    assert count(team_db, "SELECT COUNT(*) FROM recommendations") == 0
    assert count(team_db, "SELECT COUNT(*) FROM interviews") == 2
    # With --interviewer the recruiter enters a colleague's scores from paper, as before.
    rate(team_db, "ann", "Mia Lund", "teamwork", 4, "from paper")
    assert count(team_db, "SELECT COUNT(*) FROM ratings") == 1


def test_without_interviewer_an_empty_roster_is_refused(sqlite_db: str) -> None:
    ok_as("anyone", sqlite_db, "candidate", "add", "Jo", "--role", ROLE)
    refused_as("anyone", sqlite_db, "score", "set", "--candidate", "1", "--round", "panel",
               "--competency", "teamwork", "--score", "3",
               match="give --interviewer NAME: the team roster is empty")
    assert count(sqlite_db, "SELECT COUNT(*) FROM interviews") == 0
    assert count(sqlite_db, "SELECT COUNT(*) FROM ratings") == 0


def test_score_enter_without_interviewer_enters_ones_own_scorecard(team_db: str) -> None:
    # Both competencies of the panel round (scored 3: on every scale), a recommendation, submit.
    result = run_as("mia", team_db, "score", "enter", "--candidate", "1", "--round", "panel",
                    input="3\nfirst evidence\n3\nsecond evidence\nyes\ny\n")
    assert result.exit_code == 0, (result.stdout, result.stderr)
    assert result.stdout.splitlines()[0].startswith("Camilla Sørensen, round panel:")
    assert result.stdout.splitlines()[-1] == "submitted"
    with_interviewer = ("SELECT COUNT(*) FROM ratings r JOIN interviews i ON i.id = "
                        "r.interview_id WHERE i.interviewer = 'Mia Lund' AND i.submitted "
                        "IS NOT NULL")
    assert count(team_db, with_interviewer) == 2
    assert count(team_db, "SELECT COUNT(*) FROM ratings") == 2
    assert count(team_db, "SELECT COUNT(*) FROM recommendations") == 1


def test_bad_roster_input_is_refused_in_one_line_and_changes_nothing(team_db: str) -> None:
    before = ok_as("ann", team_db, "team", "list", "--json")
    refused_as("ann", team_db, "team", "add", "Bo", "--role", "recuiter",
               match="'recuiter' is not a role (did you mean 'recruiter'?)")
    refused_as("ann", team_db, "team", "add", "Bo", "--role", "interviewer", "--login", "mia",
               match="the login 'mia' is already Mia Lund's")
    refused_as("ann", team_db, "team", "add", "mia lund", "--role", "interviewer",
               match="'Mia Lund' is already on the roster")
    refused_as("ann", team_db, "team", "remove", "Ann Berg", match="the last recruiter")
    refused_as("ann", team_db, "team", "edit", "Ann Berg", "--remove-role", "recruiter",
               match="no role")
    refused_as("ann", team_db, "team", "edit", "Ann Berg", "--role", "manager",
               match="the last recruiter")
    refused_as("ann", team_db, "team", "edit", "Mia Lnud", "--add-role", "manager",
               match="did you mean 'Mia Lund'?")
    assert ok_as("ann", team_db, "team", "list", "--json") == before


def test_a_login_that_maps_to_two_members_is_refused(team_db: str) -> None:
    from hiring.store import open_store

    with open_store(team_db) as store, store.write():  # as a restored backup could hold
        store.execute("UPDATE team_members SET login = 'mia' WHERE name = 'Karen Dahl'")
    refused_as("mia", team_db, "whoami",
               match="the login 'mia' maps to 2 roster members (Karen Dahl, Mia Lund)")


def test_the_first_member_must_be_a_recruiter(sqlite_db: str) -> None:
    refused_as("ann", sqlite_db, "team", "add", "Mia", "--role", "interviewer",
               match="the first member of the roster must hold the recruiter role")
    assert count(sqlite_db, "SELECT COUNT(*) FROM team_members") == 0


def test_a_removed_member_keeps_past_ratings_but_rates_no_more(team_db: str) -> None:
    rate(team_db, "anders", "Anders Holm", "teamwork", 4, "before leaving")
    ok_as("ann", team_db, "team", "remove", "Anders Holm")
    assert count(team_db, "SELECT COUNT(*) FROM ratings") == 1
    refused_as("ann", team_db, "score", "set", "--candidate", "1", "--interviewer",
               "Anders Holm", "--round", "panel", "--competency", "teamwork", "--score", "2",
               match="not on the team roster")
    listed = json.loads(ok_as("ann", team_db, "team", "list", "--all", "--json"))
    assert [m["removed"] is not None for m in listed if m["name"] == "Anders Holm"] == [True]


# -- rate before you see others ----------------------------------------------------------------
def test_a_colleagues_draft_is_hidden_until_ones_own_scorecard_is_submitted(
    team_db: str,
) -> None:
    complete(team_db, "anders", "Anders Holm", 4)  # Anders's draft
    # Mia has not rated: she sees nothing of Anders's, even with --as someone else.
    listing = json.loads(ok_as("mia", team_db, "score", "list", "--candidate", "1", "--json"))
    assert listing["scores"] == [] and listing["hidden"] == {"panel": 2}
    refused_as("mia", team_db, "score", "list", "--candidate", "1", "--as", "Anders Holm",
               match="--as 'Anders Holm': you are Mia Lund")
    complete(team_db, "mia", "Mia Lund", 3)
    ok_as("mia", team_db, "score", "submit", "--candidate", "1", "--interviewer", "Mia Lund",
          "--round", "panel")
    # Mia's is submitted, Anders's is still a draft: drafts of others are never shown.
    listing = json.loads(ok_as("mia", team_db, "score", "list", "--candidate", "1", "--json"))
    assert {row["interviewer"] for row in listing["scores"]} == {"Mia Lund"}
    assert listing["hidden"] == {"panel": 2}
    ok_as("anders", team_db, "score", "submit", "--candidate", "1", "--interviewer",
          "Anders Holm", "--round", "panel")
    listing = json.loads(ok_as("mia", team_db, "score", "list", "--candidate", "1", "--json"))
    assert {row["interviewer"] for row in listing["scores"]} == {"Mia Lund", "Anders Holm"}
    assert listing["hidden"] == {}


def test_a_manager_never_sees_drafts_in_lists_history_exports_or_reports(
    team_db: str, tmp_path: Path
) -> None:
    complete(team_db, "anders", "Anders Holm", 4)
    ok_as("anders", team_db, "score", "submit", "--candidate", "1", "--interviewer",
          "Anders Holm", "--round", "panel")
    complete(team_db, "mia", "Mia Lund", 2)  # a draft, with notes
    listing = json.loads(ok_as("karen", team_db, "score", "list", "--candidate", "1", "--json"))
    assert {row["interviewer"] for row in listing["scores"]} == {"Anders Holm"}
    assert listing["hidden"] == {"panel": 2}
    history = ok_as("karen", team_db, "score", "history", "--candidate", "1")
    assert "Mia Lund" not in history and "Anders Holm (login anders) rated teamwork 4" in history
    exported = run_as("karen", team_db, "score", "export", "--format", "json")
    assert exported.exit_code == 0, exported.output
    ratings = json.loads(exported.stdout)["ratings"]
    assert {row["interviewer"] for row in ratings} == {"Anders Holm"}
    assert "left out: 2 rating(s) you may not read yet" in exported.stderr
    report = tmp_path / "r.html"
    ok_as("karen", team_db, "report", "compare", "--role", ROLE, "--round", "panel",
          "--out", str(report))
    html = report.read_text(encoding="utf-8")
    assert "Mia Lund: calm reply" not in html
    assert "draft, or not yet visible to you 2" in html
    # The recruiter holds the data (backups, erasure): she sees the draft.
    listing = json.loads(ok_as("ann", team_db, "score", "list", "--candidate", "1", "--json"))
    assert len(listing["scores"]) == 4


def test_the_audit_trail_names_the_member_and_the_login(team_db: str) -> None:
    rate(team_db, "ann", "Mia Lund", "teamwork", 3, "entered from paper")
    rate(team_db, "mia", "Mia Lund", "teamwork", 4, "corrected")
    history = json.loads(ok_as("ann", team_db, "score", "history", "--candidate", "1", "--json"))
    rows = [(e["action"], e["actor"], e["member"], e["login"]) for e in history["history"]]
    assert ("rating.create", "Ann Berg", "Ann Berg", "ann") in rows
    assert ("rating.update", "Mia Lund", "Mia Lund", "mia") in rows
    text = ok_as("ann", team_db, "score", "history", "--candidate", "1")
    assert "Ann Berg (login ann) rated teamwork 3" in text


def test_backups_carry_the_roster(team_db: str, tmp_path: Path) -> None:
    backup = tmp_path / "b.json"
    ok_as("ann", team_db, "db", "export", str(backup))
    data = json.loads(backup.read_text(encoding="utf-8"))
    assert [row[1] for row in data["tables"]["team_members"]["rows"]] == [
        "Ann Berg", "Anders Holm", "Mia Lund", "Karen Dahl"]
    assert "password" not in backup.read_text(encoding="utf-8").lower()
    restored = str(tmp_path / "restored.db")
    ok_as("whoever", restored, "db", "import", str(backup))
    assert "Mia Lund" in ok_as("ann", restored, "team", "list")
