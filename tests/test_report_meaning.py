"""Issue 22's "Why", one test per bullet, each as the hiring manager met it: every test here
fails on the code before the issue (checked by running them on it) and passes after.

The bank: the small test bank with a screen round that rates both competencies and a short
reason list (``meaning_bank``).
"""

from __future__ import annotations

import html as html_lib
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests import cli_helpers
from tests.conftest import SMALL_BANK

ROLE = "inbound-agent"


@pytest.fixture(scope="module")
def meaning_bank(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("meaning") / "bank"
    shutil.copytree(SMALL_BANK, folder)
    role = folder / "roles" / "inbound-agent.yaml"
    role.write_text(
        role.read_text(encoding="utf-8").replace(
            "      competencies: [avoiding-arguments]\n", ""),
        encoding="utf-8",
    )
    (folder / "decision_reasons.yaml").write_text(
        "decision_reasons:\n  - id: below-the-bar\n    decisions: [reject]\n"
        "    text: {en: Below the bar, da: Under niveauet}\n",
        encoding="utf-8",
    )
    return folder


def text_of(page: str) -> str:
    """The visible text of an HTML page, whitespace collapsed."""
    body = re.sub(r"<style.*?</style>", " ", page, flags=re.S)
    return " ".join(html_lib.unescape(re.sub(r"<[^>]+>", " ", body)).split())


class Team:
    """The CLI on one database and the test bank, as the manager uses it."""

    def __init__(self, db: str, bank: Path) -> None:
        self.db, self.bank = db, bank

    def ok(self, *args: str) -> str:
        return cli_helpers.ok(self.db, *args, bank=self.bank)

    def run(self, *args: str):  # type: ignore[no-untyped-def]
        return cli_helpers.run(self.db, *args, bank=self.bank)

    def rate(self, name: str, who: str, round_id: str, teamwork: int, avoiding: int,
             submit: bool = True) -> None:
        base = ["--candidate", name, "--interviewer", who, "--round", round_id]
        self.ok("score", "set", *base, "--competency", "teamwork", "--score", str(teamwork))
        self.ok("score", "set", *base, "--competency", "avoiding-arguments", "--score",
                str(avoiding))
        self.ok("score", "recommend", *base, "--decision", "yes")
        if submit:
            self.ok("score", "submit", *base)

    def html(self, out: Path, *args: str) -> str:
        self.ok("report", *args, "--out", str(out))
        return out.read_text(encoding="utf-8")


@pytest.fixture
def team(db_url: str, meaning_bank: Path) -> Team:
    return Team(db_url, meaning_bank)


# -- "Page 1 contradicts itself" ---------------------------------------------------------
def test_page_one_separates_not_interviewed_from_missing_and_draft(team: Team,
                                                                   tmp_path: Path) -> None:
    """Every scorecard handed in, two candidates never interviewed: the old page 1 said
    "6 of 6 scorecards handed in" and "Missing scorecards: 2" (SCORECARD MISSING)."""
    for name in ("Ann", "Bo", "Cai", "Dee", "Eli"):
        team.ok("candidate", "add", name, "--role", ROLE)
    for name in ("Ann", "Bo", "Cai"):
        for who in ("Al", "Bea"):
            team.rate(name, who, "panel", 4, 2)
    page = text_of(team.html(tmp_path / "c.html", "compare", "--round", "panel"))
    summary = page.split("Ranking", 1)[0]
    assert "6 of 6 scorecards handed in, 0 in draft, 0 missing" in summary
    assert "Candidates not interviewed yet: 2" in summary
    assert "Scorecards missing (interview held, nothing entered): 0" in summary
    assert "Scorecards in draft (not submitted yet): 0" in summary
    assert "SCORECARD MISSING" not in page.upper()
    assert page.count("Not interviewed") == 2  # the flags on Dee and Eli
    # A draft and a missing scorecard: counted as such, the same in every place.
    team.rate("Dee", "Al", "panel", 3, 1, submit=False)
    team.ok("interview", "add", "--candidate", "Dee", "--interviewer", "Bea", "--round",
            "panel", "--date", "2020-03-01")
    page = text_of(team.html(tmp_path / "d.html", "compare", "--round", "panel"))
    assert "6 of 8 scorecards handed in, 1 in draft, 1 missing" in page
    assert "Candidates not interviewed yet: 1" in page
    assert "Scorecards missing (interview held, nothing entered): 1" in page
    assert "Scorecards in draft (not submitted yet): 1" in page
    figures = json.loads(team.ok("report", "compare", "--round", "panel", "--json"))
    assert figures["scorecards"] == {"held": 8, "submitted": 6, "draft": 1, "missing": 1,
                                     "scheduled": 0, "not_interviewed": 1}
    states = sorted(row["state"] for row in figures["open_scorecards"])
    assert states == ["draft", "missing", "not-interviewed"]
    dee = next(r for r in figures["ranking"] if r["name"] == "Dee")
    assert dee["scorecards"] == {"submitted": 0, "draft": 1, "missing": 1, "scheduled": 0,
                                 "not_interviewed": False}


# -- "Strengths and weaknesses are relative but read as absolute" --------------------------
def test_strengths_and_weaknesses_follow_the_scale_and_one_candidate_has_no_rank(
    team: Team, tmp_path: Path
) -> None:
    team.ok("candidate", "add", "Camilla Sørensen", "--role", ROLE)
    team.ok("candidate", "add", "Other", "--role", ROLE)
    # Panel: teamwork 4.5 of 5 and avoiding-arguments 3 of 3 (both above expectations).
    team.rate("Camilla Sørensen", "Al", "panel", 4, 3)
    team.rate("Camilla Sørensen", "Bea", "panel", 5, 3)
    team.rate("Other", "Al", "panel", 2, 1)
    # Screen, where she is the only candidate: teamwork 2 ("below expectations"), 0 of 3.
    team.rate("Camilla Sørensen", "Al", "screen", 2, 0)
    page = text_of(team.html(tmp_path / "camilla.html", "candidate", "Camilla Sørensen"))
    panel, screen = page.split("Round: panel", 1)[1], page.split("Round: panel", 1)[0]
    panel_weak = panel.split("Weaknesses: below expectations", 1)[1]
    assert panel_weak.startswith(" No weakness below expectations.")
    assert "Lowest, still meets expectations: Teamwork (4.5)" in panel_weak
    screen_strengths = screen.split("Strengths: highest, at or above expectations", 1)[1]
    assert screen_strengths.split("Weaknesses", 1)[0].strip() == "None."
    assert "Rank 1" not in screen and "no rank: fewer than two candidates" in screen
    assert "Rank 1" in panel  # two candidates there


# -- "report competency ID shows the overall rank" ----------------------------------------
def test_report_competency_ranks_by_that_competency(team: Team, tmp_path: Path) -> None:
    """Ann is best overall, Bo best on teamwork: the old report placed Bo second."""
    for name, teamwork, avoiding in (("Ann", (4, 4), 3), ("Bo", (5, 5), 0),
                                     ("Cai", (4, 5), 1)):
        team.ok("candidate", "add", name, "--role", ROLE)
        for who, score in zip(("Al", "Bea"), teamwork, strict=True):
            team.rate(name, who, "panel", score, avoiding)
    page = text_of(team.html(tmp_path / "tw.html", "competency", "teamwork", "--round",
                             "panel"))
    table = page.split("Independent ratings", 1)[1]
    assert table.index("Bo") < table.index("Cai") < table.index("Ann")
    assert re.search(r"1 Bo \(Overall [\d.]+\) 5\.0", table)
    assert re.search(r"3 Ann \(Overall [\d.]+\) 4\.0", table)
    figures = json.loads(team.ok("report", "competency", "teamwork", "--round", "panel",
                                 "--json"))
    assert [(r["name"], r["rank"], r["overall_rank"]) for r in figures["rows"]] == [
        ("Bo", 1, 3), ("Cai", 2, 2), ("Ann", 3, 1)]


# -- "stats reliability prints 88 rows ... -0.000 and unexplained labels" ------------------
def test_stats_reliability_is_one_line_per_measure_and_says_what_it_means(
    team: Team,
) -> None:
    for n in range(6):
        team.ok("candidate", "add", f"C{n}", "--role", ROLE)
        for who, shift in (("Al", 0), ("Bea", 1)):
            team.rate(f"C{n}", who, "panel", 1 + (n + shift) % 5, (n * 2 + shift) % 4)
    out = team.ok("stats", "reliability")
    lines = out.splitlines()
    measures = [line for line in lines if line.startswith(("ICC(", "alpha("))]
    assert len(measures) == 8 and len(lines) < 25  # the old default: 24 table rows
    for line in measures:  # the figure with its interval and verdict, or why not
        assert re.search(r"\d\.\d\d  \[-?\d\.\d\d, -?\d\.\d\d\]", line) or (
            "not defined: " in line), line
    detail = team.ok("stats", "reliability", "--detail")
    assert "RATERS: interviewers per candidate" in " ".join(detail.split())
    assert "TARGETS: the candidates rated" in " ".join(detail.split())
    help_text = team.ok("stats", "reliability", "--help")
    assert "ICC(2) asks for the same value" in " ".join(help_text.split())
    from hiring.cli.stats import _value
    from hiring.reports.scored import fmt

    assert _value(-0.0004) == "0.000" and fmt(-0.04) == "0.0" and fmt(-0.04, 2) == "−0.04"
    assert "-0.000" not in out + detail and "−0.0 " not in out + detail


# -- "--json gives display strings" --------------------------------------------------------
def test_json_gives_numbers_counts_and_ids(team: Team) -> None:
    for name, teamwork in (("Ann", 5), ("Bo", 3)):
        team.ok("candidate", "add", name, "--role", ROLE)
        for who in ("Al", "Bea"):
            team.rate(name, who, "panel", teamwork, 2)
    figures = json.loads(team.ok("report", "compare", "--round", "panel", "--json"))
    ann = figures["ranking"][0]
    assert ann["name"] == "Ann"
    assert isinstance(ann["score"], dict)
    assert all(isinstance(ann["score"][k], float) for k in ("mean", "low", "high")) or (
        ann["score"]["low"] is None)
    assert isinstance(ann["rank"], int) and isinstance(ann["n_ratings"], int)
    assert ann["recommendations"] == {"strong-no": 0, "no": 0, "yes": 2, "strong-yes": 0}
    candidate = json.loads(team.ok("report", "candidate", "Bo", "--json"))
    assert isinstance(candidate["sections"][0]["candidate"]["score"]["mean"], float)


# -- "A consensus reason is split from its row; a near-empty cover; --help" ---------------
def test_layout_keeps_rows_with_their_reasons_and_has_no_near_empty_cover(
    team: Team, tmp_path: Path
) -> None:
    from pypdf import PdfReader

    team.ok("candidate", "add", "Ann", "--role", ROLE)
    team.ok("candidate", "add", "Bo", "--role", ROLE)
    for name in ("Ann", "Bo"):
        for who in ("Al", "Bea"):
            team.rate(name, who, "panel", 4, 2)
    team.ok("score", "consensus", "--candidate", "Ann", "--round", "panel", "--competency",
            "teamwork", "--score", "4", "--note", "two clear examples of helping a colleague")
    page = team.html(tmp_path / "ann.html", "candidate", "Ann")
    # The row and its reason are one unbreakable block (one tbody with class keep).
    block = re.search(r'<tbody class="keep">\s*<tr><td>Teamwork</td>.*?</tbody>', page, re.S)
    assert block and "two clear examples" in block.group(0)
    css = (Path(__file__).parent.parent / "templates" / "print.css").read_text()
    assert ".keep { break-inside: avoid; }" in css
    # The scorecard's first page holds the candidate's headline and table, not six lines.
    pdf = tmp_path / "ann.pdf"
    team.ok("report", "candidate", "Ann", "--out", str(pdf))
    first = " ".join((PdfReader(pdf).pages[0].extract_text() or "").split())
    assert "Independent ratings" in first and "Teamwork" in first
    # The report group's summary names all three reports.
    listing = team.ok("--help")
    report_line = next(line for line in listing.splitlines() if line.strip().startswith(
        "report"))
    assert "competency" in report_line


# -- "No progress on long reports" ---------------------------------------------------------
def _stderr_on_a_terminal(args: list[str]) -> bytes:
    """Run the CLI in a subprocess whose stderr is a pseudo-terminal; what it wrote there."""
    import pty

    master, slave = pty.openpty()
    try:
        done = subprocess.run([sys.executable, "-m", "hiring", *args], stderr=slave,
                              stdout=subprocess.PIPE, stdin=subprocess.DEVNULL, timeout=300,
                              cwd=Path(__file__).parent.parent,
                              env={**os.environ, "COLUMNS": "100", "TERM": "xterm"})
        os.close(slave)
        slave = -1
        assert done.returncode == 0, done.stdout
        chunks = []
        while True:
            try:
                chunk = os.read(master, 65536)
            except OSError:  # the terminal closed
                break
            if not chunk:
                break
            chunks.append(chunk)
        return b"".join(chunks)
    finally:
        if slave >= 0:
            os.close(slave)
        os.close(master)


def test_long_commands_show_progress_on_a_terminal_only(team: Team, tmp_path: Path) -> None:
    if not team.db.endswith(".db"):
        pytest.skip("the subprocess runs on the SQLite file")
    for name in ("Ann", "Bo"):
        team.ok("candidate", "add", name, "--role", ROLE)
        for who in ("Al", "Bea"):
            team.rate(name, who, "panel", 4, 2)
    base = ["--bank", str(team.bank), "--db", team.db]
    shown = _stderr_on_a_terminal([*base, "report", "compare", "--out",
                                   str(tmp_path / "r.html")])
    assert b"comparison report" in shown and b"computing the statistics" in shown
    assert b"reliability" in _stderr_on_a_terminal([*base, "stats", "reliability"])
    quiet = _stderr_on_a_terminal([*base, "report", "compare", "--quiet", "--out",
                                   str(tmp_path / "q.html")])
    assert quiet == b""
    # Not a terminal (a script): nothing on stderr but what it always said.
    piped = team.run("report", "compare", "--out", str(tmp_path / "p.html"))
    assert piped.exit_code == 0 and piped.stderr == ""


# -- "The manager cannot record what they decide" -----------------------------------------
def test_the_manager_records_decisions_and_reports_show_them(team: Team,
                                                             tmp_path: Path) -> None:
    for name in ("Ann", "Bo"):
        team.ok("candidate", "add", name, "--role", ROLE)
        for who in ("Al", "Bea"):
            team.rate(name, who, "panel", 4 if name == "Ann" else 2, 2)
    team.ok("candidate", "decide", "Ann", "--round", "screen", "--decision", "advance")
    team.ok("candidate", "decide", "Bo", "--round", "panel", "--decision", "reject",
            "--reason", "below-the-bar")
    page = text_of(team.html(tmp_path / "c.html", "compare", "--round", "panel"))
    ranking = page.split("In one line", 1)[1]
    assert "panel: no decision yet" in ranking.split("Bo", 1)[0]  # Ann's line
    assert "after panel: rejected (Below the bar)" in ranking
    scorecard = text_of(team.html(tmp_path / "bo.html", "candidate", "Bo"))
    assert "Stage after panel: rejected (Below the bar)" in scorecard
    assert [c["name"] for c in json.loads(team.ok("candidate", "list", "--stage", "panel",
                                                  "--json"))] == ["Ann"]
