"""``stats reliability`` reads only what its figures need (issue 28): its output is the
report's reliability figures, to the last digit, on SQLite and PostgreSQL.

Two references: the report's data path (``tests.report_reference.report_reliability_figures``, which
loads and scores the whole report's data) computed in the test on the same store, and a
golden file written by the code before issue 28 (main at 3f44119, run on the store ``fill``
makes: ``fixtures/stats_reliability_golden.json`` for the figures, whose bootstrap loop
changed, and ``..._golden_text.json`` for the one-line view, which now computes only the
rows it prints).
"""

from __future__ import annotations

import csv
import json
import random
import re
from pathlib import Path

import pytest

from hiring.bank import load_bank
from hiring.errors import InputError
from hiring.stats import reliability_figures
from hiring.store import erase_candidate, open_store
from hiring.store.transfer import import_scores
from tests.conftest import SMALL_BANK
from tests.report_reference import report_reliability_figures as report_figures
from tests.test_ratings_accounting import store_ratings_every_way

ROLE = "inbound-agent"
GOLDEN = Path(__file__).parent / "fixtures" / "stats_reliability_golden.json"
INTERVIEWERS = ("Ann", "Bo", "Cleo", "Dan", "Eva", "Femi")


def seeded_scores(path: Path, candidates: int = 60, seed: int = 28) -> None:
    """Candidates with 3 of 6 interviewers in the panel (both competencies) and 2 in the
    screen (avoiding-arguments), scores from ability + leniency + noise."""
    rng = random.Random(seed)
    leniency = {who: rng.gauss(0, 0.5) for who in INTERVIEWERS}
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["candidate", "interviewer", "competency", "score", "round", "role"])
        for c in range(candidates):
            ability = rng.gauss(0, 1)
            for round_id, panel, competencies in (
                ("screen", 2, (("avoiding-arguments", 0, 3),)),
                ("panel", 3, (("teamwork", 1, 5), ("avoiding-arguments", 0, 3))),
            ):
                for who in rng.sample(INTERVIEWERS, panel):
                    for competency, low, high in competencies:
                        raw = (low + high) / 2 + ability + leniency[who] + rng.gauss(0, 0.8)
                        score = min(high, max(low, round(raw)))
                        writer.writerow([f"Candidate {c:03d}", who, competency, score, round_id,
                                         ROLE])


def fill(db_url: str, tmp_path: Path) -> None:
    bank = load_bank([SMALL_BANK])
    source = tmp_path / "scores.csv"
    seeded_scores(source)
    with open_store(db_url) as store:
        import_scores(store, bank, source, create_candidates=True)
        for name in ("Candidate 004", "Candidate 017"):  # their ratings stay, anonymised
            erase_candidate(store, name)


@pytest.mark.parametrize(("round_id", "competency"), [
    (None, None), ("panel", None), ("screen", None), ("panel", "teamwork"),
])
def test_the_lean_path_gives_the_reports_figures_exactly(  # type: ignore[no-untyped-def]
    db_url: str, tmp_path: Path, round_id, competency
) -> None:
    fill(db_url, tmp_path)
    bank = load_bank([SMALL_BANK])
    with open_store(db_url) as store:
        lean = reliability_figures(store, bank, ROLE, round_id, competency)
        full = report_figures(store, bank, ROLE, round_id, competency)
    assert lean == full  # every float equal, not approximately
    assert lean["erased_candidates"] == 2
    assert lean["candidates"] == 60  # the 2 erased are counted, anonymised
    rows = {(r["competency"], r["measure"]) for r in lean["rows"]}
    assert ("overall" in {c for c, _ in rows}) == (competency is None)


def test_every_way_of_leaving_a_rating_out_is_counted_alike(  # type: ignore[no-untyped-def]
    db_url: str, small_bank_loaded, shrunk_bank: Path
) -> None:
    store_ratings_every_way(db_url, small_bank_loaded)
    shrunk = load_bank([shrunk_bank])
    with open_store(db_url) as store:
        for bank in (small_bank_loaded, shrunk):
            for round_id in (None, "panel"):
                lean = reliability_figures(store, bank, ROLE, round_id)
                assert lean == report_figures(store, bank, ROLE, round_id)
        lean = reliability_figures(store, shrunk, ROLE, "panel")
    # By hand (test_ratings_accounting): 10 stored, 6 used, 4 left out for three reasons.
    assert lean["stored_ratings"]["left_out"] == {
        "other_role": 1, "other_round": 1, "competency_not_in_role": 2}
    assert lean["ratings"] == 6


def test_drafts_a_manager_may_not_read_are_left_out_alike(  # type: ignore[no-untyped-def]
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from tests.test_team import ok_as

    db = str(tmp_path / "team.db")
    ok_as("ann", db, "team", "add", "Ann Berg", "--role", "recruiter")
    for name, login, role in (("Anders Holm", "anders", "interviewer"),
                              ("Mia Lund", "mia", "interviewer"),
                              ("Karen Dahl", "karen", "manager")):
        ok_as("ann", db, "team", "add", name, "--role", role, "--login", login)
    for candidate in ("Camilla Sørensen", "Jens Lund"):
        ok_as("ann", db, "candidate", "add", candidate, "--role", ROLE)
    # Candidate 1: Anders submits, Mia's scorecard stays a draft; candidate 2: both submit.
    for candidate, who, login, score, submit in (
        ("1", "Anders Holm", "anders", 4, True), ("1", "Mia Lund", "mia", 2, False),
        ("2", "Anders Holm", "anders", 3, True), ("2", "Mia Lund", "mia", 5, True),
    ):
        ok_as("ann", db, "interview", "add", "--candidate", candidate, "--interviewer", who,
              "--round", "panel")
        card = ("--candidate", candidate, "--interviewer", who, "--round", "panel")
        for competency, value in (("teamwork", score), ("avoiding-arguments", min(score, 3))):
            ok_as(login, db, "score", "set", *card, "--competency", competency,
                  "--score", str(value))
        ok_as(login, db, "score", "recommend", *card, "--decision", "yes")
        if submit:
            ok_as(login, db, "score", "submit", *card)
    bank = load_bank([SMALL_BANK])
    for user in ("karen", "ann", "mia"):
        monkeypatch.setenv("HIRING_USER", user)
        with open_store(db) as store:
            lean = reliability_figures(store, bank, ROLE, "panel")
            assert lean == report_figures(store, bank, ROLE, "panel"), user
            # Karen: Mia's draft of candidate 1 hidden; Mia: Anders's scorecard of candidate
            # 1 while her own is open; Ann, the recruiter, reads everything.
            hidden = {"karen": 2, "mia": 2, "ann": 0}[user]
            assert lean["stored_ratings"]["left_out"] == (
                {"not_visible": hidden} if hidden else {})
            assert lean["ratings"] == 8 - hidden


def test_the_same_refusals(db_url: str, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    bank = load_bank([SMALL_BANK])
    with open_store(db_url) as store:
        for call in (reliability_figures, report_figures):
            with pytest.raises(InputError, match="no candidates for role 'inbound-agent'"):
                call(store, bank, ROLE)
    fill(db_url, tmp_path)
    with open_store(db_url) as store:
        for call in (reliability_figures, report_figures):
            with pytest.raises(InputError, match="competency 'teamwork' is not in the role"):
                call(store, bank, ROLE, "screen", "teamwork")
        store.execute("DELETE FROM ratings WHERE interview_id IN "
                      "(SELECT id FROM interviews WHERE round = 'screen')")
        for call in (reliability_figures, report_figures):
            with pytest.raises(InputError, match="no ratings yet for role 'inbound-agent' "
                                                 "in round 'screen'"):
                call(store, bank, ROLE, "screen")


def test_the_figures_are_those_the_code_before_issue_28_gave(tmp_path: Path) -> None:
    """The golden file was written by the code before this change (the report's path and
    the bootstrap loop as they were) for this seeded store: the intervals depend on every
    draw, so a changed resample would show here."""
    db = str(tmp_path / "golden.db")
    fill(db, tmp_path)
    bank = load_bank([SMALL_BANK])
    with open_store(db) as store:
        lean = reliability_figures(store, bank, ROLE)
    golden = json.loads(GOLDEN.read_text(encoding="utf-8"))
    assert json.loads(json.dumps(lean, allow_nan=False)) == golden
    overall = [r for r in golden["rows"] if r["competency"] == "overall"]
    assert all(r["resamples"] > 0 and r["low"] < r["value"] < r["high"] for r in overall)


def test_the_one_line_view_prints_what_it_printed_before(tmp_path: Path) -> None:
    """The default view computes only the rows it prints (the overall ones, or the
    competency asked for); its text is the pre-28 code's (golden file, same store)."""
    from typer.testing import CliRunner

    from hiring.cli import app

    db = str(tmp_path / "golden.db")
    fill(db, tmp_path)
    printed = []
    for args in (["stats", "reliability"],
                 ["stats", "reliability", "--round", "panel", "--competency", "teamwork"]):
        result = CliRunner().invoke(app, ["--bank", str(SMALL_BANK), "--db", db, *args,
                                          "--quiet"])
        assert result.exit_code == 0, result.output
        printed.append(result.stdout)
    golden = GOLDEN.with_name("stats_reliability_golden_text.json")

    def cells(text: str) -> list[str]:
        # The same rows and cells; the column widths are the terminal tables' own concern
        # (hiring.cli.cells, tests/test_terminal_cells.py), which changed after the golden.
        return [re.sub(r" {2,}", "  ", line.rstrip()) for line in text.splitlines()]

    assert [cells(text) for text in printed] == [
        cells(text) for text in json.loads(golden.read_text(encoding="utf-8"))]
    assert "Each of the 2 competencies on its own" in printed[0]
    bank = load_bank([SMALL_BANK])
    with open_store(db) as store:
        shown = reliability_figures(store, bank, ROLE, computed="shown")
    assert {row["competency"] for row in shown["rows"]} == {"overall"}
