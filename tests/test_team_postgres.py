"""The team's rules enforced by PostgreSQL itself (issue 20): real login roles, one per
role, raw SQL as each of them, and the CLI connected as them.

Needs HIRING_TEST_PG_URL (a superuser, as CI's is: it owns the tables and creates the
logins). Login names carry a random suffix: roles are cluster-wide, and several test runs
may share the server.
"""

from __future__ import annotations

import json
import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import Result
from typer.testing import CliRunner

from hiring.cli import app
from tests.cli_helpers import one_error_line
from tests.conftest import PG_URL, SMALL_BANK, _pg_url_with_schema
from tests.json_schemas import check_json_output

pytestmark = pytest.mark.skipif(not PG_URL, reason="HIRING_TEST_PG_URL is not set")
ROLE = "inbound-agent"


def as_login(url: str, login: str) -> str:
    """The same database and schema, connecting as ``login`` (trust auth on 127.0.0.1)."""
    scheme, rest = url.split("://", 1)
    host = rest.split("@", 1)[1] if "@" in rest.split("/", 1)[0] else rest
    return f"{scheme}://{login}@{host}"


class Team:
    def __init__(self, owner_url: str, suffix: str) -> None:
        self.owner = owner_url
        self.logins = {who: f"{who}_{suffix}" for who in ("ann", "mia", "anders", "karen")}

    def url(self, who: str) -> str:
        return self.owner if who == "owner" else as_login(self.owner, self.logins[who])

    def run(self, who: str, *args: str) -> Result:
        env = {"HIRING_USER": None}
        result = CliRunner().invoke(app, ["--bank", str(SMALL_BANK), "--db", self.url(who),
                                          *args], env=env)  # type: ignore[arg-type]
        if result.exit_code == 0:
            check_json_output(list(args), result.stdout)  # against hiring/schemas/
        return result

    def ok(self, who: str, *args: str) -> str:
        result = self.run(who, *args)
        assert result.exit_code == 0, (result.stdout, result.stderr)
        return result.stdout

    def refused(self, who: str, *args: str, match: str = "") -> str:
        line = one_error_line(self.run(who, *args))
        assert match in line, line
        return line

    def sql(self, who: str, statement: str, params: tuple[object, ...] = ()) -> list[tuple]:
        import psycopg

        with psycopg.connect(self.url(who), autocommit=True) as connection:
            cursor = connection.execute(statement, params)
            return cursor.fetchall() if cursor.description else []


@pytest.fixture
def team() -> Iterator[Team]:
    import psycopg

    assert PG_URL is not None
    suffix = uuid.uuid4().hex[:8]
    schema = f"hiring_team_{suffix}"
    with psycopg.connect(PG_URL, autocommit=True) as admin:
        admin.execute(f'CREATE SCHEMA "{schema}"')
    team = Team(_pg_url_with_schema(PG_URL, schema), suffix)
    try:
        team.ok("owner", "db", "init-team")
        team.ok("owner", "team", "add", "Ann Berg", "--role", "recruiter",
                "--login", team.logins["ann"])
        team.ok("owner", "team", "add", "Mia Lund", "--role", "interviewer",
                "--login", team.logins["mia"])
        team.ok("ann", "team", "add", "Anders Holm", "--role", "interviewer",
                "--login", team.logins["anders"])
        team.ok("ann", "team", "add", "Karen Dahl", "--role", "manager",
                "--login", team.logins["karen"])
        team.ok("ann", "candidate", "add", "Camilla Sørensen", "--role", ROLE)
        for who in ("Anders Holm", "Mia Lund"):
            team.ok("ann", "interview", "add", "--candidate", "1", "--interviewer", who,
                    "--round", "panel")
        yield team
    finally:
        with psycopg.connect(PG_URL, autocommit=True) as admin:
            admin.execute(f'DROP SCHEMA "{schema}" CASCADE')
            for login in team.logins.values():
                admin.execute(f'DROP ROLE IF EXISTS "{login}"')


def scorecard(team: Team, who: str, name: str, base: int, submit: bool = False) -> None:
    for competency, score in (("avoiding-arguments", min(base, 3)), ("teamwork", base)):
        team.ok(who, "score", "set", "--candidate", "1", "--interviewer", name, "--round",
                "panel", "--competency", competency, "--score", str(score), "--note",
                f"{name}'s evidence on {competency}")
    team.ok(who, "score", "recommend", "--candidate", "1", "--interviewer", name, "--round",
            "panel", "--decision", "yes")
    if submit:
        team.ok(who, "score", "submit", "--candidate", "1", "--interviewer", name,
                "--round", "panel")


RATINGS_BY = ("SELECT i.interviewer, r.competency, r.note FROM ratings r "
              "JOIN interviews i ON i.id = r.interview_id ORDER BY 1, 2")


def who_rated(rows: list[tuple]) -> set[str]:
    return {row[0] for row in rows}


def test_team_add_creates_logins_in_the_group_roles(team: Team) -> None:
    rows = team.sql("owner", "SELECT r.rolname, g.rolname FROM pg_auth_members m "
                    "JOIN pg_roles r ON r.oid = m.member JOIN pg_roles g ON g.oid = m.roleid "
                    "WHERE r.rolname = ANY(%s) ORDER BY 1", (list(team.logins.values()),))
    assert sorted(rows) == sorted([
        (team.logins["ann"], "hiring_recruiter"), (team.logins["mia"], "hiring_interviewer"),
        (team.logins["anders"], "hiring_interviewer"), (team.logins["karen"], "hiring_manager"),
    ])
    who = json.loads(team.ok("mia", "whoami", "--json"))
    assert (who["member"], who["login"], who["admin"]) == ("Mia Lund", team.logins["mia"], False)


def test_a_draft_is_invisible_to_a_colleague_in_raw_sql_until_she_submits(team: Team) -> None:
    scorecard(team, "anders", "Anders Holm", 4)  # a draft
    assert team.sql("mia", RATINGS_BY) == []
    assert team.sql("mia", "SELECT COUNT(*) FROM recommendations") == [(0,)]
    # Nor through the audit log, which holds the scores and notes of changes.
    assert team.sql("mia", "SELECT COUNT(*) FROM audit WHERE interview_id IS NOT NULL") == [(0,)]
    scorecard(team, "mia", "Mia Lund", 3, submit=True)
    # Mia's own is submitted; Anders's is still a draft: never shown to a colleague.
    assert who_rated(team.sql("mia", RATINGS_BY)) == {"Mia Lund"}
    team.ok("anders", "score", "submit", "--candidate", "1", "--interviewer", "Anders Holm",
            "--round", "panel")
    assert who_rated(team.sql("mia", RATINGS_BY)) == {"Mia Lund", "Anders Holm"}
    # The CLI as Mia shows the same.
    listing = json.loads(team.ok("mia", "score", "list", "--candidate", "1", "--json"))
    assert {row["interviewer"] for row in listing["scores"]} == {"Mia Lund", "Anders Holm"}


def test_the_cli_counts_what_the_server_hides(team: Team) -> None:
    scorecard(team, "anders", "Anders Holm", 4)
    listing = json.loads(team.ok("mia", "score", "list", "--candidate", "1", "--json"))
    assert listing["scores"] == [] and listing["hidden"] == {"panel": 2}


def test_a_manager_never_sees_drafts(team: Team) -> None:
    scorecard(team, "anders", "Anders Holm", 4, submit=True)
    scorecard(team, "mia", "Mia Lund", 2)  # a draft
    assert who_rated(team.sql("karen", RATINGS_BY)) == {"Anders Holm"}
    notes = [row[2] for row in team.sql("karen", RATINGS_BY)]
    assert not any("Mia Lund" in (note or "") for note in notes)
    # The recruiter holds the data (backups, erasure, paper entry): she reads drafts.
    assert who_rated(team.sql("ann", RATINGS_BY)) == {"Anders Holm", "Mia Lund"}


def test_an_interviewer_login_cannot_erase_import_or_touch_the_audit_log(
    team: Team, tmp_path: Path
) -> None:
    import psycopg

    scorecard(team, "mia", "Mia Lund", 3)
    for statement in (
        "DELETE FROM candidates",
        "INSERT INTO candidates (name, status, created) VALUES ('x', 'active', 'now')",
        "DELETE FROM audit",
        "UPDATE audit SET actor = 'someone else'",
        "TRUNCATE audit",
        "DELETE FROM team_members",
    ):
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            team.sql("mia", statement)
    # Locking a candidate's row is allowed (writers do it); changing it is not.
    with pytest.raises(psycopg.errors.InsufficientPrivilege, match="row-level security"):
        team.sql("mia", "UPDATE candidates SET name = 'renamed'")
    # A colleague's scorecard cannot be written around the tool either.
    scorecard(team, "anders", "Anders Holm", 4)
    assert team.sql("mia", "UPDATE ratings SET score = 1 RETURNING id") == [
        (row[0],) for row in team.sql("mia", "SELECT id FROM ratings")]
    assert team.sql("owner", "SELECT MIN(score) FROM ratings r JOIN interviews i "
                    "ON i.id = r.interview_id WHERE i.interviewer = 'Anders Holm'") != [(1,)]
    # Even the recruiter cannot rewrite the audit log; only the owner can.
    with pytest.raises(psycopg.errors.InsufficientPrivilege):
        team.sql("ann", "DELETE FROM audit")
    # The CLI says so in one line.
    team.refused("mia", "candidate", "erase", "1", "--yes", match="needs the recruiter role")
    csv = tmp_path / "c.csv"
    csv.write_text("name,role\nZed,inbound-agent\n", encoding="utf-8")
    team.refused("mia", "candidate", "import", str(csv), match="needs the recruiter role")
    assert team.sql("owner", "SELECT COUNT(*) FROM candidates") == [(1,)]


def test_the_server_refuses_what_the_tool_would_allow_in_one_line(team: Team) -> None:
    # The roster still says Mia interviews, but the server no longer lets interviewers add
    # ratings: the refusal comes from PostgreSQL, reported in one line.
    team.sql("owner", "REVOKE INSERT ON ratings FROM hiring_interviewer")
    line = team.refused("mia", "score", "set", "--candidate", "1", "--interviewer",
                        "Mia Lund", "--round", "panel", "--competency", "teamwork",
                        "--score", "3")
    assert "refused: permission denied for table ratings" in line
    assert team.sql("owner", "SELECT COUNT(*) FROM ratings") == [(0,)]
    # A login with no rights on the tables at all is told so, not "no schema selected".
    team.sql("owner", f'REVOKE hiring_interviewer FROM "{team.logins["mia"]}"')
    team.refused("mia", "score", "list", "--candidate", "1",
                 match="has no rights on the hiring tables")


def test_the_audit_actor_cannot_be_forged_by_the_client(team: Team) -> None:
    team.sql("mia", "INSERT INTO audit (at, actor, action, member, login) VALUES "
             "('2026-01-01', 'Anders Holm', 'forged', 'Anders Holm', 'anders')")
    assert team.sql("owner", "SELECT actor, member, login FROM audit WHERE action = 'forged'"
                    ) == [("Mia Lund", "Mia Lund", team.logins["mia"])]
    scorecard(team, "mia", "Mia Lund", 3)
    history = json.loads(team.ok("mia", "score", "history", "--candidate", "1", "--json"))
    rated = [e for e in history["history"] if e["action"] == "rating.create"]
    assert {(e["member"], e["login"]) for e in rated} == {("Mia Lund", team.logins["mia"])}


def test_opening_reads_version_erasures_and_login_in_one_statement(
    team: Team, monkeypatch: pytest.MonkeyPatch
) -> None:
    import psycopg

    from hiring.store import open_store
    from hiring.store.team import current_viewer

    sent: list[str] = []
    execute = psycopg.Cursor.execute

    def counted(cursor, query, *args, **kwargs):  # type: ignore[no-untyped-def]
        sent.append(str(query))
        return execute(cursor, query, *args, **kwargs)

    monkeypatch.setattr(psycopg.Cursor, "execute", counted)
    with open_store(team.url("mia")) as store:
        assert len(sent) == 1 and "session_user" in sent[0], sent
        assert store.session_user == team.logins["mia"]
        viewer = current_viewer(store)  # the roster only: the login is known
        assert len(sent) == 2 and "session_user" not in sent[1], sent
    assert viewer.member is not None and viewer.member.name == "Mia Lund"
    assert not viewer.admin


def test_only_the_owner_sets_up_the_team(team: Team) -> None:
    team.refused("ann", "db", "init-team", match="only the owner of the hiring tables")


def test_a_restore_into_postgresql_lists_the_logins_to_create(tmp_path: Path) -> None:
    import psycopg

    assert PG_URL is not None
    source = str(tmp_path / "source.db")
    env = {"HIRING_USER": "lead"}
    for args in (("team", "add", "Lead", "--role", "recruiter"),
                 ("team", "add", "New Person", "--role", "interviewer", "--login",
                  f"nobody_{uuid.uuid4().hex[:8]}"),
                 ("db", "export", str(tmp_path / "b.json"))):
        result = CliRunner().invoke(app, ["--db", source, *args], env=env)
        assert result.exit_code == 0, result.output
    schema = f"hiring_restore_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(PG_URL, autocommit=True) as admin:
        admin.execute(f'CREATE SCHEMA "{schema}"')
    try:
        url = _pg_url_with_schema(PG_URL, schema)
        result = CliRunner().invoke(app, ["--db", url, "db", "import", str(tmp_path / "b.json")])
        assert result.exit_code == 0, result.output
        assert "New Person's login nobody_" in result.stdout
        assert "does not exist on this server: create it with 'hiring team edit" in result.stdout
        with psycopg.connect(PG_URL, autocommit=True) as admin:
            assert admin.execute("SELECT COUNT(*) FROM pg_roles WHERE rolname LIKE "
                                 "'nobody\\_%'").fetchone() == (0,)
    finally:
        with psycopg.connect(PG_URL, autocommit=True) as admin:
            admin.execute(f'DROP SCHEMA "{schema}" CASCADE')


def test_environment_is_superuser() -> None:
    """The fixtures above create logins: the test URL's user must be allowed to."""
    import psycopg

    assert PG_URL is not None
    with psycopg.connect(PG_URL, autocommit=True) as admin:
        row = admin.execute("SELECT rolsuper OR rolcreaterole FROM pg_roles "
                            "WHERE rolname = current_user").fetchone()
    assert row == (True,), os.environ.get("HIRING_TEST_PG_URL")


def test_a_typod_interviewer_is_refused_on_postgresql_too(team: Team) -> None:
    line = team.refused("ann", "score", "set", "--candidate", "1", "--interviewer",
                        "Anders Hom", "--round", "panel", "--competency", "teamwork",
                        "--score", "4", match="did you mean 'Anders Holm'?")
    assert "not on the team roster" in line
    assert team.sql("owner", "SELECT COUNT(*) FROM interviews") == [(2,)]
    assert team.sql("owner", "SELECT COUNT(*) FROM ratings") == [(0,)]


def test_an_interviewers_login_without_interviewer_writes_her_own_scorecard(
    team: Team,
) -> None:
    # No --interviewer: the database login says who she is (HIRING_USER is not set).
    for competency, score in (("avoiding-arguments", 3), ("teamwork", 4)):
        team.ok("mia", "score", "set", "--candidate", "1", "--round", "panel",
                "--competency", competency, "--score", str(score), "--note", "her own words")
    team.ok("mia", "score", "recommend", "--candidate", "1", "--round", "panel",
            "--decision", "yes")
    out = team.ok("mia", "score", "submit", "--candidate", "1", "--round", "panel")
    assert out.startswith("submitted: Mia Lund's scorecard")
    assert team.sql("owner", RATINGS_BY) == [
        ("Mia Lund", "avoiding-arguments", "her own words"),
        ("Mia Lund", "teamwork", "her own words")]
    assert team.sql("owner", "SELECT i.interviewer, i.submitted IS NOT NULL FROM "
                    "recommendations r JOIN interviews i ON i.id = r.interview_id") == [
        ("Mia Lund", True)]
    assert team.sql("owner", "SELECT DISTINCT member, login FROM audit WHERE action = "
                    "'rating.create'") == [("Mia Lund", team.logins["mia"])]
    # The recruiter's login holds no interviewer role: she is asked for --interviewer.
    team.refused("ann", "score", "set", "--candidate", "1", "--round", "panel",
                 "--competency", "teamwork", "--score", "2",
                 match="you (Ann Berg, recruiter) are not on the team roster as an interviewer")
    assert team.sql("owner", "SELECT COUNT(*) FROM ratings") == [(2,)]


def test_a_managers_report_leaves_drafts_out_and_says_how_many(team: Team,
                                                                tmp_path: Path) -> None:
    scorecard(team, "anders", "Anders Holm", 4, submit=True)
    scorecard(team, "mia", "Mia Lund", 2)  # a draft: 2 ratings the manager may not read
    out = tmp_path / "report.html"
    team.ok("karen", "report", "compare", "--role", ROLE, "--round", "panel",
            "--out", str(out))
    import html as markup

    html = markup.unescape(out.read_text(encoding="utf-8"))
    assert "Mia Lund's evidence" not in html
    assert "Anders Holm's evidence" in html
    assert "draft, or not yet visible to you 2" in html


def test_group_data_and_outcomes_are_for_managers_and_recruiters_only(team: Team,
                                                                     tmp_path: Path) -> None:
    import psycopg

    groups = tmp_path / "groups.csv"
    groups.write_text("candidate,attribute,group\n1,gender,woman\n", encoding="utf-8")
    team.ok("ann", "fairness", "import", str(groups))
    assert team.sql("karen", "SELECT attribute, group_name FROM group_data") == [
        ("gender", "woman")]
    for statement in ("SELECT * FROM group_data", "SELECT * FROM outcomes"):
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            team.sql("mia", statement)
    team.refused("mia", "fairness", "import", str(groups), match="group data")
