"""``score import`` on PostgreSQL writes by COPY into temporary tables and one set-based
statement per table (issue 28, ``hiring.store.bulk``): the same result as SQLite, all or
nothing when the server refuses one row, and audit rows whose author the server sets. And
the lean ``stats reliability`` path with the team set up (row-level security).

Needs HIRING_TEST_PG_URL (real PostgreSQL).
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from pathlib import Path

import pytest

from hiring.bank import load_bank
from hiring.errors import HiringError
from hiring.store import open_store
from hiring.store.transfer import import_scores
from tests.conftest import PG_URL, SMALL_BANK, fresh_pg_schema
from tests.test_team_postgres import Team, team  # noqa: F401  (the fixture)

pytestmark = pytest.mark.skipif(not PG_URL, reason="HIRING_TEST_PG_URL is not set")
ROLE = "inbound-agent"
HEADER = ["candidate", "interviewer", "competency", "score", "note", "round", "role",
          "recommendation"]


@pytest.fixture
def pg_url() -> Iterator[str]:
    with fresh_pg_schema("hiring_copy") as url:
        yield url


def write(path: Path, rows: list[list[object]]) -> Path:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(HEADER)
        writer.writerows(rows)
    return path


def first_file(tmp_path: Path) -> Path:
    """12 new candidates x 2 interviewers x 2 competencies in the panel, a screen rating
    each, one recommendation per panel scorecard."""
    rows: list[list[object]] = []
    for c in range(12):
        for i, who in enumerate(("Ann", "Bo")):
            decision = ("yes", "no")[(c + i) % 2]
            rows.append([f"Person {c:02d}", who, "teamwork", 1 + (c + i) % 5,
                         f"note {c}-{i}, with a comma and a \"quote\"", "panel", ROLE, decision])
            rows.append([f"Person {c:02d}", who, "avoiding-arguments", (c * i) % 4, "", "panel",
                         ROLE, decision])
        rows.append([f"Person {c:02d}", "Cleo", "avoiding-arguments", c % 4, "tab\there",
                     "screen", ROLE, ""])
    return write(tmp_path / "first.csv", rows)


def second_file(tmp_path: Path) -> Path:
    """Changes: new scores, a cleared note, an unchanged row, a new candidate."""
    return write(tmp_path / "second.csv", [
        ["Person 00", "Ann", "teamwork", 5, "revised", "panel", ROLE, "yes"],
        ["Person 01", "Bo", "teamwork", 1, "[clear]", "panel", ROLE, "no"],
        ["Person 02", "Ann", "avoiding-arguments", 0, "", "panel", ROLE, "no"],  # unchanged
        ["Person 99", "Ann", "teamwork", 3, "new person", "panel", ROLE, "yes"],
    ])


DUMPS = {
    "candidates": "SELECT id, name, role, status FROM candidates ORDER BY id",
    # (Interview ids may differ: PostgreSQL spends a sequence number on a row ON CONFLICT
    # leaves out, with single INSERTs as with one.)
    "interviews": "SELECT candidate_id, interviewer, role, round, "
                  "CASE WHEN submitted IS NULL THEN 0 ELSE 1 END "
                  "FROM interviews ORDER BY candidate_id, round, interviewer",
    "ratings": "SELECT i.candidate_id, i.interviewer, i.round, r.competency, r.score, r.note, "
               "r.question FROM ratings r JOIN interviews i ON i.id = r.interview_id "
               "ORDER BY 1, 2, 3, 4",
    "recommendations": "SELECT i.candidate_id, i.interviewer, d.decision FROM recommendations d "
                       "JOIN interviews i ON i.id = d.interview_id ORDER BY 1, 2",
    "audit": "SELECT a.action, a.actor, a.candidate_id, i.interviewer, a.round, a.competency, "
             "a.old_value, a.new_value FROM audit a LEFT JOIN interviews i "
             "ON i.id = a.interview_id ORDER BY 1, 3, 4, 5, 6, 7, 8",
}


def dump(url: str) -> dict[str, list[tuple[object, ...]]]:
    with open_store(url) as store:
        # Sorted here: the two databases put NULLs at opposite ends.
        return {name: sorted((tuple(row) for row in store.all(sql)),
                             key=lambda row: [(v is not None, v) for v in row])
                for name, sql in DUMPS.items()}


def test_postgresql_import_gives_what_sqlite_gives(pg_url: str, tmp_path: Path) -> None:
    bank = load_bank([SMALL_BANK])
    counts = {}
    for url in (str(tmp_path / "hiring.db"), pg_url):
        with open_store(url) as store:
            first = import_scores(store, bank, first_file(tmp_path), create_candidates=True)
            second = import_scores(store, bank, second_file(tmp_path), create_candidates=True,
                                   submit=False)
        counts[url] = (first, second)
    sqlite_counts, pg_counts = counts.values()
    assert sqlite_counts == pg_counts
    assert sqlite_counts[0]["created"] == 60 and sqlite_counts[0]["candidates_created"] == 12
    assert (sqlite_counts[1]["updated"], sqlite_counts[1]["unchanged"]) == (2, 1)
    lite, pg = dump(str(tmp_path / "hiring.db")), dump(pg_url)
    for name in DUMPS:
        assert pg[name] == lite[name], name
    # Ids in the file's order: Person 00 is candidate 1, the new Person 99 the 13th.
    assert [row[1] for row in pg["candidates"]] == [f"Person {c:02d}" for c in range(12)] + [
        "Person 99"]
    assert ("rating.create", "Ann", 1, "Ann", "panel", "teamwork", None, "1") in pg["audit"]
    assert len([a for a in pg["audit"] if a[0].startswith("rating.")]) >= 61 + 2
    notes = {(r[0], r[1], r[3]): r[5] for r in pg["ratings"]}
    assert notes[(1, "Ann", "teamwork")] == "revised" and notes[(2, "Bo", "teamwork")] is None
    assert notes[(1, "Cleo", "avoiding-arguments")] == "tab\there"


def test_a_row_the_server_refuses_leaves_nothing_written(pg_url: str, tmp_path: Path) -> None:
    bank = load_bank([SMALL_BANK])
    with open_store(pg_url) as store:
        store.execute("SELECT 1")  # the schema is made
    import psycopg

    with psycopg.connect(pg_url, autocommit=True) as owner:
        # A check only the server knows: the tool's own checks pass the row.
        owner.execute("ALTER TABLE ratings ADD CONSTRAINT no_secret "
                      "CHECK (note IS NULL OR note <> 'secret')")
    source = first_file(tmp_path)
    rows = source.read_text(encoding="utf-8").splitlines()
    rows.append(f"Person 11,Bo,teamwork,3,secret,screen2,{ROLE},")  # a bad round: refused
    bad = tmp_path / "bad.csv"
    bad.write_text("\n".join(rows) + "\n", encoding="utf-8")
    with open_store(pg_url) as store, pytest.raises(HiringError, match="1 invalid row"):
        import_scores(store, bank, bad, create_candidates=True)
    rows[-1] = f"Person 11,Dan,teamwork,3,secret,panel,{ROLE},"  # passes the tool's checks
    bad.write_text("\n".join(rows) + "\n", encoding="utf-8")
    # (An integrity error reaches the caller as the driver's, as with single INSERTs.)
    with open_store(pg_url) as store, pytest.raises(psycopg.errors.CheckViolation,
                                                    match="no_secret"):
        import_scores(store, bank, bad, create_candidates=True)
    assert all(rows == [] for rows in dump(pg_url).values())  # not one row, not one audit


def test_the_server_names_the_author_of_every_imported_rating(  # noqa: F811
    team: Team, tmp_path: Path  # noqa: F811
) -> None:
    source = write(tmp_path / "mine.csv", [
        ["1", "Mia Lund", "teamwork", 4, "helped a colleague", "panel", ROLE, "yes"],
        ["1", "Mia Lund", "avoiding-arguments", 2, "stayed calm", "panel", ROLE, "yes"],
    ])
    team.ok("mia", "score", "import", str(source))
    audit = team.sql("owner", "SELECT action, actor, member, login, competency, new_value "
                     "FROM audit WHERE left(action, 7) = 'rating.' ORDER BY competency, action")
    login = team.logins["mia"]
    assert {(a[1], a[2], a[3]) for a in audit} == {("Mia Lund", "Mia Lund", login)}
    assert {(a[0], a[4], a[5]) for a in audit} >= {
        ("rating.create", "teamwork", "4"), ("rating.create", "avoiding-arguments", "2")}
    # An interviewer's import cannot write a colleague's scorecard (row-level security).
    other = write(tmp_path / "other.csv", [
        ["1", "Anders Holm", "teamwork", 1, "", "panel", ROLE, ""]])
    team.refused("mia", "score", "import", str(other))
    assert team.sql("owner", "SELECT COUNT(*) FROM ratings r JOIN interviews i ON "
                    "i.id = r.interview_id WHERE i.interviewer = 'Anders Holm'") == [(0,)]


def test_stats_reliability_counts_what_the_server_hides_as_the_report_does(  # noqa: F811
    team: Team  # noqa: F811
) -> None:
    """(Issue 28's lean statistics path) row-level security hides Mia's draft from Karen:
    the lean path and the report's path see and count the same."""
    from hiring.stats import reliability_figures
    from tests.report_reference import report_reliability_figures as report_figures
    from tests.test_team_postgres import scorecard

    scorecard(team, "anders", "Anders Holm", 4, submit=True)
    scorecard(team, "mia", "Mia Lund", 2)  # a draft
    bank = load_bank([SMALL_BANK])
    for who, hidden in (("karen", 2), ("ann", 0)):
        with open_store(team.url(who)) as store:
            lean = reliability_figures(store, bank, ROLE, "panel")
            assert lean == report_figures(store, bank, ROLE, "panel"), who
        assert lean["ratings"] == 4 - hidden
        assert lean["stored_ratings"]["left_out"] == ({"not_visible": hidden} if hidden else {})
