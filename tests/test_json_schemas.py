"""Every ``--json`` output has a JSON Schema in ``hiring/schemas/`` and matches it (issue 22).

``tests.cli_helpers.run`` validates each ``--json`` run of the suite against its schema;
here every command with ``--json`` is run on a store that holds each kind of row (drafts,
submitted scorecards, a missing one, a candidate not interviewed, consensus, stage
decisions with reasons, an erased candidate), and the schemas' own claims are checked:
numbers are numbers and counts whole numbers.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest

from hiring.cli import app
from tests import cli_helpers
from tests.conftest import SMALL_BANK
from tests.json_schemas import SCHEMAS, assert_valid, command_words, schema_for

ROLE = "inbound-agent"


def json_commands() -> list[list[str]]:
    """Every command path that has a --json option."""
    import click
    import typer

    found = []

    def walk(command: Any, path: list[str]) -> None:
        if isinstance(command, click.Group):
            for name, sub in command.commands.items():
                walk(sub, path + [name])
        elif any("--json" in param.opts for param in command.params):
            found.append(path)

    walk(typer.main.get_command(app), [])
    return sorted(found)


def test_every_json_command_has_a_schema_and_every_schema_a_command() -> None:
    commands = {schema_for(words) for words in json_commands()}
    schemas = {path.name.removesuffix(".schema.json") for path in SCHEMAS.glob("*.schema.json")}
    assert commands == schemas
    assert len(commands) >= 15
    assert command_words(["--bank", "x", "--db", "y", "report", "compare", "--json"]) == [
        "report", "compare"]


@pytest.fixture(scope="module")
def bank_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("schemas") / "bank"
    shutil.copytree(SMALL_BANK, folder)
    (folder / "decision_reasons.yaml").write_text(
        "decision_reasons:\n"
        "  - id: below-the-bar\n    decisions: [reject]\n"
        "    text: {en: Below the bar, da: Under niveauet}\n",
        encoding="utf-8",
    )
    return folder


@pytest.fixture
def filled(db_url: str, bank_dir: Path, tmp_path: Path) -> str:
    def ok(*args: str) -> str:
        return cli_helpers.ok(db_url, *args, bank=bank_dir)

    for name in ("Ann Lee", "Bo Ek", "Cai Wu", "Dee Fo", "Gone Person"):
        ok("candidate", "add", name, "--role", ROLE)
    scores = {"Ann Lee": (5, 3, 4, 2), "Bo Ek": (2, 1, 3, 1), "Cai Wu": (4, 2, 4, 3)}
    for name, (a_tw, a_av, b_tw, b_av) in scores.items():
        for who, teamwork, avoiding in (("Al", a_tw, a_av), ("Bea", b_tw, b_av)):
            base = ["--candidate", name, "--interviewer", who, "--round", "panel"]
            ok("score", "set", *base, "--competency", "teamwork", "--score", str(teamwork),
               "--note", f"{who} saw it")
            ok("score", "set", *base, "--competency", "avoiding-arguments", "--score",
               str(avoiding))
            ok("score", "recommend", *base, "--decision", "yes" if teamwork >= 4 else "no")
    for who in ("Al", "Bea"):
        for name in ("Ann Lee", "Cai Wu"):
            ok("score", "submit", "--candidate", name, "--interviewer", who, "--round", "panel")
    ok("score", "consensus", "--candidate", "Ann Lee", "--round", "panel", "--competency",
       "teamwork", "--score", "4", "--note", "agreed")
    ok("interview", "add", "--candidate", "Dee Fo", "--interviewer", "Al", "--round", "panel",
       "--date", "2020-01-01")
    ok("candidate", "decide", "Ann Lee", "--round", "screen", "--decision", "advance")
    ok("candidate", "decide", "Bo Ek", "--round", "panel", "--decision", "reject",
       "--reason", "below-the-bar", "--note", "short answers")
    ok("candidate", "erase", "Gone Person", "--yes")
    return db_url


def test_every_json_output_matches_its_schema(filled: str, bank_dir: Path, tmp_path: Path
                                              ) -> None:
    def out(*args: str) -> Any:
        # cli_helpers.run validates the output against the command's schema.
        return json.loads(cli_helpers.ok(filled, *args, bank=bank_dir))

    runs = {
        "candidate-list": out("candidate", "list", "--json"),
        "candidate-show": out("candidate", "show", "Bo Ek", "--json"),
        "score-list": out("score", "list", "--candidate", "Ann Lee", "--json"),
        "score-pending": out("score", "pending", "--json"),
        "score-history": out("score", "history", "--candidate", "Bo Ek", "--json"),
        "interview-list": out("interview", "list", "--json"),
        "bank-list": out("bank", "list", "--json"),
        "bank-show": out("bank", "show", "teamwork", "--json"),
        "bank-validate": out("bank", "validate", str(bank_dir), "--json"),
        "guide-questions": out("guide", "questions", "--role", ROLE, "--json"),
        "stats-reliability": out("stats", "reliability", "--json"),
        "report-compare": out("report", "compare", "--json"),
        "report-candidate": out("report", "candidate", "Ann Lee", "--json"),
        "report-competency": out("report", "competency", "teamwork", "--json"),
        "team-list": out("team", "list", "--json"),
        "whoami": out("whoami", "--json"),
    }
    assert_valid("bank-show", out("bank", "show", ROLE, "--json"))
    assert_valid("candidate-list", out("candidate", "list", "--stage", "panel", "--json"))
    scores = tmp_path / "more.csv"
    scores.write_text("candidate,interviewer,competency,score,round\n"
                      "Dee Fo,Al,teamwork,3,panel\n", encoding="utf-8")
    runs["score-import"] = out("score", "import", str(scores), "--json")
    groups = tmp_path / "groups.csv"
    groups.write_text("candidate,attribute,group\nAnn Lee,gender,woman\nBo Ek,gender,man\n",
                      encoding="utf-8")
    runs["fairness-import"] = out("fairness", "import", str(groups), "--json")
    outcomes = tmp_path / "outcomes.csv"
    outcomes.write_text("candidate,measure,value,date\nAnn Lee,retained_90d,1,2026-03-01\n",
                        encoding="utf-8")
    runs["outcome-import"] = out("outcome", "import", str(outcomes), "--json")
    # Too few people for any figure: every one says why it is not defined.
    runs["report-fairness"] = out("report", "fairness", "--json")
    runs["report-validity"] = out("report", "validity", "--measure", "retained_90d", "--json")
    bad = tmp_path / "bad.csv"
    bad.write_text("candidate,interviewer,competency,score,round\n"
                   "Dee Fo,Al,teamwork,9,panel\n", encoding="utf-8")
    refused = cli_helpers.run(filled, "score", "import", str(bad), "--json", bank=bank_dir)
    assert refused.exit_code == 1 and json.loads(refused.stdout)["imported"] is False
    assert set(runs) == {schema_for(words) for words in json_commands()}

    compare = runs["report-compare"]
    # Numbers as numbers, counts as integers, decisions as ids (not the page's text).
    ann = next(r for r in compare["ranking"] if r["name"] == "Ann Lee")
    assert isinstance(ann["score"]["mean"], float) and isinstance(ann["n_ratings"], int)
    assert ann["recommendations"] == {"strong-no": 0, "no": 0, "yes": 2, "strong-yes": 0}
    bo = next(r for r in compare["ranking"] if r["name"] == "Bo Ek")
    assert bo["stage"] == {"round": "panel", "decision": "reject", "reason": "below-the-bar"}
    assert ann["stage"] == {"round": "panel", "decision": None, "reason": None}
    assert compare["scorecards"] == {"held": 7, "submitted": 4, "draft": 2, "missing": 1,
                                     "scheduled": 0, "not_interviewed": 0}
    assert compare["erased_candidates"] == 0  # erased with no ratings: nothing to count
    text = json.dumps(runs)
    assert "NaN" not in text and "-0.0" not in text
