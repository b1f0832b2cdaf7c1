"""Nothing left out silently: reports, statistics and ``score pending`` say how many stored
ratings they did not use and why, and used + left out = stored."""

from __future__ import annotations

import json
import re
from pathlib import Path

from typer.testing import CliRunner

from hiring.cli import app
from hiring.store import add_candidate, erase_candidate, open_store, set_score
from tests.conftest import SMALL_BANK
from tests.test_scorecard_cases import ROLE


def store_ratings_every_way(db_url: str, bank) -> None:  # type: ignore[no-untyped-def]
    """10 ratings: 4 usable in panel, and one or more of each way of being left out."""
    with open_store(db_url) as store:
        for name in ("Jo", "Bo", "Zed"):
            add_candidate(store, name, role=ROLE)
        add_candidate(store, "Kim")  # no role
        for who, (team, calm) in {"Ann": (4, 2), "Mia": (3, 1)}.items():
            set_score(store, bank, "Jo", who, "teamwork", team, round_id="panel")
            set_score(store, bank, "Jo", who, "avoiding-arguments", calm, round_id="panel")
            set_score(store, bank, "Bo", who, "avoiding-arguments", calm + 1, round_id="panel")
        set_score(store, bank, "Jo", "Ann", "avoiding-arguments", 2, round_id="screen")
        set_score(store, bank, "Zed", "Ann", "avoiding-arguments", 3, round_id="panel")
        set_score(store, bank, "Zed", "Mia", "avoiding-arguments", 0, round_id="panel")
        set_score(store, bank, "Kim", "Ann", "teamwork", 4, round_id="interview")
        erase_candidate(store, "Zed")
        assert store.one("SELECT COUNT(*) FROM ratings") == (10,)


def cli(bank_dir: Path, db_url: str, *args: str) -> str:
    result = CliRunner().invoke(app, ["--bank", str(bank_dir), "--db", db_url, *args])
    assert result.exit_code == 0, (result.stdout, result.stderr)
    return result.stdout


def test_every_stored_rating_is_used_or_said_to_be_left_out(  # type: ignore[no-untyped-def]
    db_url: str, small_bank_loaded, shrunk_bank: Path, tmp_path: Path
) -> None:
    store_ratings_every_way(db_url, small_bank_loaded)
    # Zed was erased: his 2 anonymised panel ratings still count in the statistics of the
    # whole pool (issue 14), so they are used, not left out.
    expected_left = {"other_role": 1, "other_round": 1, "competency_not_in_role": 2}
    # stats reliability: JSON and table
    figures = json.loads(cli(shrunk_bank, db_url, "stats", "reliability", "--round", "panel",
                             "--json"))
    account = figures["stored_ratings"]
    assert account["left_out"] == expected_left
    assert account["used"] == figures["ratings"] == 6  # what the statistics really used
    assert account["used"] + account["left_out_total"] == account["stored"] == 10
    table = cli(shrunk_bank, db_url, "stats", "reliability", "--round", "panel")
    assert ("ratings: 10 stored rating(s): 6 used, 4 left out (other role or none 1, other "
            "round 1, competency no longer in the role or round 2)") in table
    # report compare: the CLI line and the summary page
    out = tmp_path / "compare.html"
    said = cli(shrunk_bank, db_url, "report", "compare", "--round", "panel", "--out", str(out))
    assert "ratings: 10 stored rating(s): 6 used, 4 left out (other role or none 1" in said
    page = re.sub(r"\s+", " ", out.read_text(encoding="utf-8"))
    assert ("Ratings left out</th><td>4 of 10 stored ratings: other role or none 1, other round "
            "1, competency no longer in the role or round 2") in page
    # report compare of one candidate: the others are "not chosen"
    said = cli(shrunk_bank, db_url, "report", "compare", "--round", "panel", "--candidates",
               "Jo", "--out", str(out))
    # Only whole-pool reports count erased candidates: here Zed's 2 are left out again.
    assert "2 used, 8 left out" in said and "candidate not chosen 2" in said
    assert "erased candidate 2" in said
    # report candidate: the whole pool is scored, so the same account as compare
    said = cli(shrunk_bank, db_url, "report", "candidate", "Jo", "--round", "panel", "--out",
               str(tmp_path / "jo.html"))
    assert "6 used, 4 left out" in said
    # score pending: no round chosen, so only erased candidates and stale competencies
    pending = json.loads(cli(shrunk_bank, db_url, "score", "pending", "--json"))["ratings"]
    assert pending["left_out"] == {"erased_candidate": 2, "competency_not_in_role": 2}
    assert pending["used"] + pending["left_out_total"] == pending["stored"] == 10
    assert "ratings: 10 stored rating(s): 6 used, 4 left out" in cli(
        shrunk_bank, db_url, "score", "pending")


def test_all_used_is_said_too(db_url: str, small_bank_loaded) -> None:  # type: ignore[no-untyped-def]
    with open_store(db_url) as store:
        for name in ("Jo", "Bo"):
            add_candidate(store, name, role=ROLE)
            for who, value in (("Ann", 1), ("Mia", 2)):
                set_score(store, small_bank_loaded, name, who, "avoiding-arguments", value,
                          round_id="screen")
    assert "ratings: 4 stored rating(s), all used" in cli(
        SMALL_BANK, db_url, "stats", "reliability", "--round", "screen")


def test_report_candidate_says_why_a_candidate_is_not_in_it(  # type: ignore[no-untyped-def]
    db_url: str, small_bank_loaded, tmp_path: Path
) -> None:
    store_ratings_every_way(db_url, small_bank_loaded)
    result = CliRunner().invoke(app, ["--bank", str(SMALL_BANK), "--db", db_url, "report",
                                      "candidate", "Kim", "--role", ROLE, "--out",
                                      str(tmp_path / "kim.html")])
    assert result.exit_code == 1
    assert ("candidate 4 has no role and no interview for inbound-agent: give them one with "
            "'hiring candidate edit 4 --role inbound-agent'") in result.stderr
