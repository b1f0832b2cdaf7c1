"""``hiring report fairness`` (issue 25): stage decisions and group data through the store,
the four-fifths textbook case end to end, small groups merged in every output, the
refusals, and the page in five languages."""

from __future__ import annotations

import json
import re
from fractions import Fraction
from math import comb
from pathlib import Path
from typing import Any

import pytest
from scipy import stats

from hiring.reports.fairness import stage_counts
from hiring.scoring.fairness import GroupCount
from tests.cli_helpers import ok, refused

TINY = "GRP-tiny-heron"  # a group of 3: may never be named in any output


def _write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def test_stage_counts_by_hand() -> None:
    decisions = [
        (1, "screen", "advance"), (1, "panel", "hired"),
        (2, "screen", "advance"), (2, "panel", "reject"),
        (3, "screen", "reject"),
        (4, "screen", "advance"), (4, "panel", "withdrew"),
        (5, "screen", "advance"),                         # still in process
        (6, "screen", "reject"),                          # no group data
        (7, "screen", "offer"),                           # offer counts as selected
        (8, "written", "advance"),                        # a round not in the order: after
    ]
    groups = {1: "a", 2: "a", 3: "b", 4: "b", 5: "a", 7: "b", 8: "b", 9: "a"}
    stages = stage_counts(decisions, groups, range(1, 10), ["screen", "panel"])
    assert [s[0] for s in stages] == ["screen", "panel", "written", "hired"]
    screen, panel, written, hired = stages
    assert screen[1] == [GroupCount("a", 3, 3), GroupCount("b", 3, 2)]
    assert screen[2] == {"no_group_data": 1}
    assert panel[1] == [GroupCount("a", 2, 1)] and panel[2] == {"withdrew": 1}
    assert written[1] == [GroupCount("b", 1, 1)]
    # hired: 1 (a, yes), 2 (a, no), 3 (b, no); 6 rejected without group data; 4 withdrew;
    # 5, 7, 8 and 9 (no decision at all) have no final decision.
    assert hired[1] == [GroupCount("a", 2, 1), GroupCount("b", 1, 0)]
    assert hired[2] == {"no_group_data": 1, "withdrew": 1, "in_process": 4}


def _textbook_store(db_url: str, tmp_path: Path, with_tiny: bool = True) -> None:
    """Group A: 48 of 80 advance at the screen; group B: 12 of 40; three people of a tiny
    group (one advances). Every candidate has one screen rating."""
    people = ([("A", i < 48) for i in range(80)] + [("B", i < 12) for i in range(40)]
              + ([(TINY, i < 1) for i in range(3)] if with_tiny else []))
    lines = ["candidate,interviewer,competency,score,round,role"]
    for n, (_group, advanced) in enumerate(people, start=1):
        lines.append(f"Person {n:03d},Kim,avoiding-arguments,{2 if advanced else 1},screen,"
                     "inbound-agent")
    ok(db_url, "score", "import", str(_write(tmp_path / "s.csv", "\n".join(lines) + "\n")),
       "--create-candidates")
    from hiring.store import open_store
    from hiring.store.stages import record_decision

    with open_store(db_url) as store:
        for n, (_group, advanced) in enumerate(people, start=1):
            record_decision(store, f"Person {n:03d}", "screen",
                            "advance" if advanced else "reject", actor="Mia")
    rows = ["candidate,attribute,group"] + [
        f"Person {n:03d},gender,{group}" for n, (group, _) in enumerate(people, start=1)]
    ok(db_url, "fairness", "import", str(_write(tmp_path / "g.csv", "\n".join(rows) + "\n")))


def exact_fisher(a: int, n1: int, c: int, n2: int) -> float:
    k, total = a + c, n1 + n2
    prob = [Fraction(comb(n1, x) * comb(n2, k - x), comb(total, k))
            for x in range(max(0, k - n2), min(n1, k) + 1)]
    observed = Fraction(comb(n1, a) * comb(n2, c), comb(total, k))
    return float(sum(p for p in prob if p <= observed))


def test_the_textbook_case_through_the_store(db_url: str, tmp_path: Path) -> None:
    _textbook_store(db_url, tmp_path)
    data = json.loads(ok(db_url, "report", "fairness", "--json"))
    assert data["rules"] == {"four_fifths": 0.8, "min_applicants": 30, "min_selected": 5,
                             "min_group": 5}
    (gender,) = data["attributes"]
    assert gender["attribute"] == "gender" and gender["people"] == 123
    screen = gender["stages"][0]
    assert screen["stage"] == "screen" and screen["reference"] == "A"
    groups = {g["group"]: g for g in screen["groups"]}
    assert set(groups) == {"A", "B"}  # the tiny group: 3 people, fewer than 5 even as "other"
    assert screen["left_out_people"] == 3 and screen["merged_into_other"] == []
    a, b = groups["A"], groups["B"]
    assert (a["applicants"], a["selected"], a["rate"]) == (80, 48, 0.6)
    assert (b["applicants"], b["selected"], b["rate"]) == (40, 12, 0.3)
    assert b["impact_ratio"] == pytest.approx(0.5) and b["flagged"] is True
    assert b["shortfall"] == 8 and b["unstable"] == []
    assert b["fisher_p"] == pytest.approx(exact_fisher(12, 40, 48, 80), rel=1e-9)
    assert b["fisher_p"] == pytest.approx(
        stats.fisher_exact([[12, 28], [48, 32]]).pvalue, rel=1e-9)
    assert isinstance(b["applicants"], int) and isinstance(b["rate"], float)
    hired = gender["stages"][-1]
    assert hired["stage"] == "hired" and hired["reference"] is None  # nobody hired yet
    assert hired["left_out"] == {"in_process": 61}  # advanced, no final decision
    # Scores per group: the tiny group is never shown, by name or as "other".
    overall = gender["scores"][0]
    assert overall["competency"] is None
    assert [g["group"] for g in overall["groups"]] == ["A", "B"]
    assert overall["left_out_people"] == 3
    assert TINY not in json.dumps(data)


def test_no_output_names_a_group_of_fewer_than_five(db_url: str, tmp_path: Path) -> None:
    _textbook_store(db_url, tmp_path)
    page = tmp_path / "fair.html"
    output = ok(db_url, "report", "fairness", "--out", str(page))
    assert output.startswith(f"wrote {page}")
    html = page.read_text(encoding="utf-8")
    assert TINY not in html and TINY not in output
    assert "3 people in groups too small to show even merged: left out" in html
    assert "BELOW 4/5" in html.upper() and "29 CFR 1607.4(D)" in html
    # A larger minimum merges more: with 41, B (40) joins "other" too.
    data = json.loads(ok(db_url, "report", "fairness", "--json", "--min-group", "41"))
    screen = data["attributes"][0]["stages"][0]
    assert [g["group"] for g in screen["groups"]] == ["A", "other"]
    other = screen["groups"][1]
    assert (other["applicants"], other["selected"], other["merged"]) == (43, 13, ["B", TINY])


def test_small_numbers_are_said_not_flagged(db_url: str, tmp_path: Path) -> None:
    ok(db_url, "score", "import", str(_write(tmp_path / "s.csv", "candidate,interviewer,"
       "competency,score,round,role\n" + "".join(
           f"P{n:02d},Kim,avoiding-arguments,2,screen,inbound-agent\n" for n in range(20)))),
       "--create-candidates")
    from hiring.store import open_store
    from hiring.store.stages import record_decision

    with open_store(db_url) as store:
        for n in range(20):  # A: 8 of 10 advance; B: 2 of 10
            advanced = (n < 8) if n < 10 else (n < 12)
            record_decision(store, f"P{n:02d}", "screen", "advance" if advanced else "reject",
                            actor="Mia")
    ok(db_url, "fairness", "import", str(_write(tmp_path / "g.csv", "candidate,attribute,group\n"
       + "".join(f"P{n:02d},age_band,{'A' if n < 10 else 'B'}\n" for n in range(20)))))
    data = json.loads(ok(db_url, "report", "fairness", "--attribute", "age_band", "--json"))
    b = data["attributes"][0]["stages"][0]["groups"][1]
    assert b["impact_ratio"] == pytest.approx(0.25) and b["flagged"] is False
    assert [(u["code"], u["group"], u["count"]) for u in b["unstable"]] == [
        ("few_applicants", "B", 10), ("few_applicants", "A", 10)]
    html_path = tmp_path / "f.html"
    ok(db_url, "report", "fairness", "--out", str(html_path))
    html = html_path.read_text(encoding="utf-8")
    assert "unstable: B: 10 considered (fewer than 30)" in html
    assert "BELOW 4/5" not in html.upper()


def test_refusals_write_nothing(db_url: str, tmp_path: Path) -> None:
    ok(db_url, "candidate", "add", "Ann Lee", "--role", "inbound-agent")
    out = tmp_path / "f.pdf"
    refused(db_url, "report", "fairness", "--out", str(out),
            match="no group data yet: import it with 'hiring fairness import'")
    ok(db_url, "fairness", "import", str(_write(tmp_path / "g.csv",
                                                "candidate,attribute,group\nAnn Lee,gender,w\n")))
    refused(db_url, "report", "fairness", "--attribute", "age", "--out", str(out),
            match="no group data for attribute 'age' (attributes: gender)")
    refused(db_url, "report", "fairness", "--min-group", "3", "--out", str(out),
            match="--min-group 3: groups of fewer than 5 people could single a person out")
    refused(db_url, "report", "fairness", match="give --out FILE")
    refused(db_url, "report", "fairness", "--out", str(tmp_path / "f.txt"),
            match="unknown format 'txt'")
    assert list(tmp_path.glob("f.*")) == []


def test_the_library_asks_for_the_team_actions(
    store: Any, small_bank_loaded: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The roster is a pass-through today (issue 20 fills it in): the calls must be there."""
    from hiring.reports.fairness import fairness_figures
    from hiring.store import add_candidate, team
    from hiring.store.group_data import import_group_data
    from hiring.store.outcomes import import_outcomes

    asked: list[str] = []
    real = team.require

    def recording(store: Any, action: str) -> Any:
        asked.append(action)
        return real(store, action)

    monkeypatch.setattr(team, "require", recording)
    for module in ("hiring.store.candidate_values", "hiring.store.group_data",
                   "hiring.store.outcomes"):
        monkeypatch.setattr(f"{module}.require", recording)
    add_candidate(store, "Ann Lee", role="inbound-agent")
    import_group_data(store, _write(tmp_path / "g.csv",
                                    "candidate,attribute,group\nAnn Lee,gender,w\n"))
    import_outcomes(store, _write(tmp_path / "o.csv",
                                  "candidate,measure,value,date\nAnn Lee,csat,4,2026-01-01\n"))
    assert asked == ["group_data.write", "outcome.write"]
    fairness_figures(store, small_bank_loaded, "inbound-agent")
    assert asked[2:] == ["report.read", "group_data.read", "group_data.read"]


@pytest.fixture(scope="module")
def history_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A small synthetic history (120 applicants) in the bundled bank's five languages."""
    from hiring.bank import load_bank
    from hiring.demo.history import synthetic_history, write_history
    from hiring.store import open_store

    folder = tmp_path_factory.mktemp("history")
    bank = load_bank(None)
    with open_store(folder / "hiring.db") as store:
        write_history(store, bank, synthetic_history(bank, n=120), folder)
    return folder / "hiring.db"


@pytest.mark.parametrize("lang", ["en", "da", "ru", "bg", "zh"])
def test_the_page_in_five_languages(history_db: Path, tmp_path: Path, lang: str) -> None:
    from hiring.render.strings import ui_strings

    out = tmp_path / f"fair-{lang}.html"
    ok(str(history_db), "report", "fairness", "--role", "chat-email-agent", "--lang", lang,
       "--out", str(out), bank=None)
    html = out.read_text(encoding="utf-8")
    t = ui_strings(lang)
    for key in ("report_fairness_title", "report_fairness_ratio", "report_fairness_scores",
                "report_method"):
        assert t[key] in html, key
    assert "29 CFR 1607.4(D)" in html
    assert not re.search(r"\{[a-z_]+(\}|, plural)", html)  # every placeholder filled
    assert "−0.00" not in html


def test_the_pdf_reads_back(history_db: Path, tmp_path: Path) -> None:
    from pypdf import PdfReader

    out = tmp_path / "fair.pdf"
    output = ok(str(history_db), "report", "fairness", "--role", "chat-email-agent",
                "--attribute", "synthetic_group", "--out", str(out), bank=None)
    assert "pages" in output
    text = " ".join(" ".join(page.extract_text().split()) for page in PdfReader(out).pages)
    assert "Attribute: synthetic_group" in text
    assert "Stage: Screening interview" in text and "Stage: hired (the whole process)" in text
    assert "Four-fifths rule" in text and "29 CFR 1607.4(D)" in text
    assert "⌈0.8 × reference rate × considered in the group⌉" in text


def test_html_output_loads_no_pdf_engine(history_db: Path, tmp_path: Path) -> None:
    import subprocess
    import sys

    out = tmp_path / "f.html"
    code = (
        "import sys\nfrom hiring.cli import app\n"
        f"sys.argv = ['hiring', '--db', {str(history_db)!r}, 'report', 'fairness', '--role', "
        f"'chat-email-agent', '--out', {str(out)!r}]\n"
        "try:\n    app()\nexcept SystemExit:\n    pass\n"
        "print(sorted({m.split('.')[0] for m in sys.modules} & {'weasyprint', 'pypdf'}))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            check=True, cwd=Path(__file__).parent.parent)
    assert result.stdout.strip().splitlines()[-1] == "[]" and out.is_file()

