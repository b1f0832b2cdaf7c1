"""The candidate, score and interview commands end to end (CliRunner, real databases)."""

from __future__ import annotations

import json
import os
from pathlib import Path

from tests.cli_helpers import ok, run
from tests.conftest import SMALL_BANK


def test_user_errors_exit_1_with_one_line_and_write_nothing(db_url: str) -> None:
    ok(db_url, "candidate", "add", "Ann Lee", "--role", "inbound-agent")
    cases = [
        (["score", "set", "--candidate", "Nobody", "--interviewer", "Bob", "--competency",
          "teamwork", "--score", "3"], "no candidate 'Nobody'"),
        (["score", "set", "--candidate", "Ann Lee", "--interviewer", "Bob", "--competency",
          "avoiding-arguments", "--score", "5"], "outside the scale"),
        (["score", "set", "--candidate", "1", "--interviewer", "Bob\x07", "--competency",
          "teamwork", "--score", "3", "--round", "panel"], "control character"),
        (["candidate", "add", "Bea", "--role", "no-such-role"], "no role 'no-such-role'"),
        (["candidate", "erase", "1"], "--yes"),
        (["score", "pending", "--older-than", "soon"], "not a duration"),
    ]
    for args, message in cases:
        result = run(db_url, *args)
        assert result.exit_code == 1, args
        lines = result.stderr.strip().splitlines()
        assert len(lines) == 1 and lines[0].startswith("Error: ") and message in lines[0], lines
        assert "Traceback" not in result.output
    listing = json.loads(ok(db_url, "candidate", "list", "--json"))
    assert [c["name"] for c in listing] == ["Ann Lee"]
    assert json.loads(ok(db_url, "score", "list", "--candidate", "1", "--json"))["scores"] == []


def test_candidate_commands(db_url: str, tmp_path: Path) -> None:
    assert ok(db_url, "candidate", "add", "Ann Lee", "--email", "ann@example.com").strip() == "1"
    people = tmp_path / "people.csv"
    people.write_text("name,email,role\nBo Ek,bo@example.com,inbound-agent\nCy Dal,,\n",
                      encoding="utf-8")
    assert "ids 2, 3" in ok(db_url, "candidate", "import", str(people))
    shown = json.loads(ok(db_url, "candidate", "show", "Bo Ek", "--json"))
    assert (shown["id"], shown["email"], shown["role"]) == (2, "bo@example.com", "inbound-agent")
    bad = tmp_path / "bad.csv"
    bad.write_text("name,email,role\nOk Name,,\n,x@y.z,\nBad,not-an-email,\n", encoding="utf-8")
    result = run(db_url, "candidate", "import", str(bad))
    assert result.exit_code == 1
    assert "line 3: name is empty" in result.stderr and "line 4:" in result.stderr
    assert len(json.loads(ok(db_url, "candidate", "list", "--json"))) == 3
    text = ok(db_url, "candidate", "list")
    assert "Cy Dal" in text and "inbound-agent" in text


def test_score_enter_is_resumable_after_an_interruption(db_url: str) -> None:
    ok(db_url, "candidate", "add", "Eli", "--role", "inbound-agent")
    # The panel round rates teamwork (1-5) then avoiding-arguments (0-3). The input ends
    # after the first score: like Ctrl-C, the session stops, keeping what was entered.
    first = run(db_url, "score", "enter", "--candidate", "Eli", "--interviewer", "Bob",
                "--round", "panel", input="9\n4\nclear example\n")
    assert first.exit_code == 1
    assert "the score must be a whole number from 1 to 5" in first.stdout
    assert "Describes adjusting own work" in first.stdout  # the anchor of 4 was shown
    assert "run the same command to continue" in first.stderr
    saved = json.loads(ok(db_url, "score", "list", "--candidate", "Eli", "--json"))["scores"]
    assert [(s["competency"], s["score"], s["note"]) for s in saved] == [
        ("teamwork", 4, "clear example")]
    second = ok(db_url, "score", "enter", "--candidate", "Eli", "--interviewer", "Bob",
                "--round", "panel", input="0\nargued back\nmaybe\nno\ny\n")
    assert "1 already scored" in second and "Teamwork (teamwork)" not in second
    assert "the recommendation must be one of strong no, no, yes, strong yes" in second
    assert "submitted" in second.splitlines()[-1]
    rows = json.loads(ok(db_url, "score", "export", "--format", "json"))
    assert sorted((r["competency"], r["score"]) for r in rows["ratings"]) == [
        ("avoiding-arguments", 0), ("teamwork", 4)]
    assert [r["decision"] for r in rows["recommendations"]] == ["no"]
    assert "no scorecards pending" in ok(db_url, "score", "pending")


def test_pending_interview_add_and_recommend(db_url: str) -> None:
    ok(db_url, "candidate", "add", "Fay", "--role", "inbound-agent")
    ok(db_url, "interview", "add", "--candidate", "Fay", "--interviewer", "Gus", "--round",
       "screen", "--date", "2026-01-02")
    pending = json.loads(ok(db_url, "score", "pending", "--older-than", "2d", "--json"))["pending"]
    assert [(p["interviewer"], p["missing_scores"]) for p in pending] == [
        ("Gus", ["avoiding-arguments"])]
    ok(db_url, "score", "set", "--candidate", "Fay", "--interviewer", "Gus", "--competency",
       "avoiding-arguments", "--score", "2")
    ok(db_url, "score", "recommend", "--candidate", "Fay", "--interviewer", "Gus", "--round",
       "screen", "--decision", "strong-yes")
    # Complete but a draft: still chased, with nothing missing but the submission.
    pending = json.loads(ok(db_url, "score", "pending", "--json"))["pending"]
    assert [(p["state"], p["missing_scores"], p["missing_recommendation"]) for p in pending] == [
        ("draft", [], False)]
    assert "nothing: submit it" in ok(db_url, "score", "pending")
    ok(db_url, "score", "submit", "--candidate", "Fay", "--interviewer", "Gus", "--round",
       "screen")
    assert json.loads(ok(db_url, "score", "pending", "--json"))["pending"] == []


def test_score_list_as_interviewer_and_consensus(db_url: str) -> None:
    ok(db_url, "candidate", "add", "Hal", "--role", "inbound-agent")
    base = ["score", "set", "--candidate", "Hal", "--round", "panel", "--competency", "teamwork"]
    ok(db_url, *base, "--interviewer", "Ina", "--score", "2", "--note", "[bold]not markup[/bold]")
    hidden = ok(db_url, "score", "list", "--candidate", "Hal", "--as", "Jo")
    assert "Ina" not in hidden and "hidden until Jo" in hidden
    result = run(db_url, "score", "consensus", "--candidate", "Hal", "--round", "panel",
                 "--competency", "teamwork", "--score", "3", "--note", "agreed")
    # Ina is the whole panel so far, but her scorecard is a draft: consensus waits for it.
    assert result.exit_code == 1
    assert "waiting for Ina (scorecard not submitted)" in result.stderr
    ok(db_url, *base, "--interviewer", "Jo", "--score", "4")
    ok(db_url, "score", "set", "--candidate", "Hal", "--round", "panel", "--interviewer", "Jo",
       "--competency", "avoiding-arguments", "--score", "1")
    ok(db_url, "score", "recommend", "--candidate", "Hal", "--round", "panel", "--interviewer",
       "Jo", "--decision", "no")
    assert "Ina" not in ok(db_url, "score", "list", "--candidate", "Hal", "--as", "Jo")
    ok(db_url, "score", "submit", "--candidate", "Hal", "--round", "panel", "--interviewer", "Jo")
    shown = ok(db_url, "score", "list", "--candidate", "Hal", "--as", "Jo")
    assert "Ina" in shown and "[bold]not markup[/bold]" in shown


def test_score_import_and_export_files(db_url: str, tmp_path: Path) -> None:
    rows = tmp_path / "in.csv"
    rows.write_text("candidate,interviewer,competency,score\nKim,Lu,teamwork,5\n"
                    "Kim,Lu,avoiding-arguments,-1\n", encoding="utf-8")
    failed = run(db_url, "score", "import", str(rows), "--create-candidates")
    assert failed.exit_code == 1
    assert f"{rows}: line 3: score -1 is outside" in failed.stderr
    assert json.loads(ok(db_url, "candidate", "list", "--json")) == []  # nothing written
    rows.write_text("candidate,interviewer,competency,score,round\nKim,Lu,teamwork,5,panel\n",
                    encoding="utf-8")
    assert "1 created" in ok(db_url, "score", "import", str(rows), "--create-candidates")
    out = tmp_path / "out.csv"
    ok(db_url, "score", "export", "--out", str(out))
    assert out.read_text(encoding="utf-8") == (
        "candidate,interviewer,competency,score,note,round,question,role,recommendation\n"
        "Kim,Lu,teamwork,5,,panel,,inbound-agent,\n"
    )
    assert not [p.name for p in tmp_path.iterdir() if p.name.startswith(".out.csv")]


def test_score_set_imports_no_heavy_module(tmp_path: Path) -> None:
    import subprocess
    import sys

    program = (
        "import runpy, sys\n"
        f"sys.argv = ['hiring', '--bank', {str(SMALL_BANK)!r}, '--db', {str(tmp_path / 'h.db')!r},"
        " 'score', 'set', '--candidate', 'Nobody', '--interviewer', 'A', '--competency',"
        " 'teamwork', '--score', '3']\n"
        "try:\n    runpy.run_module('hiring', run_name='__main__')\n"
        "except SystemExit:\n    pass\n"
        "heavy = ('weasyprint', 'jinja2', 'numpy', 'sqlalchemy', 'psycopg', 'pydantic', 'yaml',\n"
        "         'babel')\n"
        "print(sorted({m.split('.')[0] for m in sys.modules} & set(heavy)))\n"
    )
    env = {**os.environ, "HIRING_CACHE_DIR": str(tmp_path / "cache")}
    runs = [
        subprocess.run([sys.executable, "-c", program], capture_output=True, text=True,
                       cwd=Path(__file__).parent.parent, check=True, env=env)
        for _ in range(2)
    ]
    assert all("no candidate 'Nobody'" in run.stderr for run in runs)  # the command really ran
    # The first run validates the bank and caches it; the second loads the cached bank.
    assert runs[0].stdout.strip() == "['pydantic', 'yaml']"
    assert runs[1].stdout.strip() == "[]"


def test_score_enter_with_a_guide_manifest(db_url: str, tmp_path: Path) -> None:
    ok(db_url, "candidate", "add", "Ole", "--role", "inbound-agent")
    manifest = tmp_path / "guide.manifest.json"
    manifest.write_text(json.dumps({
        "kind": "hiring-guide-manifest", "version": 1, "role": "inbound-agent",
        "round": "panel", "candidate": "Ole", "interviewer": "Pia", "language": "da",
        "bank_version": "0123456789ab", "seed": 0, "competencies": ["avoiding-arguments"],
        "questions": [{"competency": "avoiding-arguments", "question": "avoiding-arguments-02"}],
        "created": "2026-11-20T09:00:00+00:00"}), encoding="utf-8")
    shown = ok(db_url, "score", "enter", "--candidate", "Ole", "--interviewer", "Pia",
               "--manifest", str(manifest), input="3\n\nj\nstrong-yes\ny\n")
    assert "0 Ikke vist: Beskriver at diskutere" in shown  # Danish anchors, 0-3 scale
    assert "Samarbejde" not in shown  # the manifest's competencies only
    assert "bedømmelsesskemaet er udfyldt: 1 score og en anbefaling" in shown  # all Danish
    exported = json.loads(ok(db_url, "score", "export", "--format", "json"))
    assert [(r["round"], r["competency"], r["score"], r["note"]) for r in exported["ratings"]] == [
        ("panel", "avoiding-arguments", 3, None)]
