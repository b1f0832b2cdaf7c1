"""Comparison and candidate reports end to end: a real store (SQLite, and PostgreSQL when
HIRING_TEST_PG_URL is set), real WeasyPrint, read back with pypdf.

The data (small test bank: teamwork 1-5 weight 1, avoiding-arguments 0-3 weight 2, a
weakness) and the figures checked by hand:

  Ann   teamwork 5,4,5 -> 4.7   avoiding 3,2,3 -> 2.7   overall 1 + 4 (0.917 + 2 * 0.889) / 3 = 4.6
  Hostile teamwork 4,4 -> 4.0   avoiding 3,2   -> 2.5   overall 1 + 4 (0.75 + 2 * 0.833) / 3 = 4.2
  Bo    teamwork 3,2,4 -> 3.0   avoiding 1,0,2 -> 1.0   overall 1 + 4 (0.5 + 2 * 0.333) / 3 = 2.6
  Cai   teamwork 5,1,3 (consensus 3) -> 3.0   avoiding 1,1,1 -> 1.0   overall 2.6 (tie with Bo)
  Dee   interview recorded with Eve, no scorecard -> not ranked, missing scorecard

Disagreement (range >= half the scale): Bo on both, Cai on teamwork. Risk (weakness at or
below the 0-3 midpoint 1.5): Bo and Cai on avoiding-arguments. Hostile is seen by 2 of 3.
"""

from __future__ import annotations

import csv
import io
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
from pypdf import PdfReader

from hiring.bank import load_bank
from hiring.render.strings import ui_strings
from hiring.reports.build import build_candidate_report, build_compare_report
from hiring.store import (
    add_candidate,
    record_interview,
    set_consensus,
    set_recommendation,
    set_score,
    submit_scorecard,
)

ROLE = "inbound-agent"
SMALL_BANK = Path(__file__).parent / "fixtures" / "small_bank"
HOSTILE = '<img src="file:///etc/hostname">{{7*7}}'
SCORES = {  # candidate -> interviewer -> (teamwork, avoiding-arguments)
    "Ann": {"Eve": (5, 3), "Finn": (4, 2), "Gus": (5, 3)},
    HOSTILE: {"Eve": (4, 3), "Finn": (4, 2)},
    "Bo": {"Eve": (3, 1), "Finn": (2, 0), "Gus": (4, 2)},
    "Cai": {"Eve": (5, 1), "Finn": (1, 1), "Gus": (3, 1)},
}


@pytest.fixture(scope="module")
def bank():  # type: ignore[no-untyped-def]
    return load_bank([SMALL_BANK])


@pytest.fixture
def seeded(store, bank):  # type: ignore[no-untyped-def]
    for name in ("Ann", HOSTILE, "Bo", "Cai", "Dee"):
        add_candidate(store, name, role=ROLE)
    for candidate, by in SCORES.items():
        for who, (teamwork, avoiding) in by.items():
            set_score(store, bank, candidate, who, "teamwork", teamwork, round_id="panel",
                      note=f"{who} on teamwork: {HOSTILE}")
            set_score(store, bank, candidate, who, "avoiding-arguments", avoiding,
                      round_id="panel", note="kept calm" if avoiding > 1 else "argued back")
            set_recommendation(store, bank, candidate, who, "panel",
                               "yes" if teamwork >= 4 else "no")
    record_interview(store, bank, "Dee", "Eve", round_id="panel")
    for who in SCORES["Cai"]:  # consensus comes after the panel's scorecards are in
        submit_scorecard(store, bank, "Cai", who, "panel")
    set_consensus(store, bank, "Cai", "panel", "teamwork", 3, "agreed on the middle", "Lead")
    return store


def squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


def pdf_text(path: Path) -> list[str]:
    """Each page's text, whitespace collapsed."""
    return [re.sub(r"\s+", " ", page.extract_text() or "") for page in PdfReader(path).pages]


def test_compare_pdf_reads_back_with_the_stores_numbers(seeded, bank, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    out = tmp_path / "compare.pdf"
    result = build_compare_report(seeded, bank, ROLE, "panel", None, "en", None, out)
    assert result.pages and result.pages >= 6 and out.read_bytes().startswith(b"%PDF")
    assert result.warnings == []  # the hostile <img src="file:..."> was text, never fetched
    pages = pdf_text(out)
    summary = pages[0]
    # Ranking order on the summary page, the tie shown as a tie, Dee last and unranked.
    order = [squash(summary).index(squash(name)) for name in ("Ann", HOSTILE, "Bo", "Cai", "Dee")]
    assert order == sorted(order)
    assert re.search(r"1 Ann DRAFT 4\.6 3\.\d–5\.0 6", summary)
    assert "3= Bo" in summary and "3= Cai" in summary
    assert re.search(r"Dee NOT RANKED SCORECARD MISSING", summary, re.IGNORECASE)
    assert len(re.findall(r"SCORECARD MISSING", summary, re.IGNORECASE)) == 1
    assert "Scorecards missing (interview held, nothing entered): 1" in summary
    # The hostile name is printed literally, not fetched or evaluated.
    assert squash(HOSTILE) in squash(summary) and " 49 " not in " ".join(pages)
    heat = " ".join(pages[1:3])
    assert re.search(r"Ann 4\.6 4\.7 2\.7", heat)
    assert re.search(r"Bo 2\.6 3\.0! 1\.0!", heat)  # disagreement on both
    assert re.search(r"Cai 2\.6 3\.0\*! 1\.0", heat)  # consensus, still flagged
    text = " ".join(pages)
    assert re.search(r"Dee Eve panel scorecard missing the whole scorecard", text)
    assert "seen by 2 of 3 interviewers" in text
    assert re.search(r"RISK: Avoiding arguments with customers", text)
    # Consensus beside the independent ratings on Cai's page.
    assert re.search(r"Teamwork Eve 5, Finn 1, Gus 3 3\.0 1–5 3", text)
    assert "agreed on the middle" in text
    assert "How the numbers are made" in pages[-1]


def test_pdf_a3b_carries_the_ratings_as_csv_and_json(seeded, bank, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    out = tmp_path / "archive.pdf"
    build_compare_report(seeded, bank, ROLE, "panel", None, "en", "pdf", out,
                         pdf_variant="pdf/a-3b")
    reader = PdfReader(out)
    attachments = reader.attachments
    assert set(attachments) == {"ratings.csv", "ratings.json"}
    rows = list(csv.DictReader(io.StringIO(attachments["ratings.csv"][0].decode("utf-8"))))
    expected = {
        (candidate, who, "teamwork", str(scores[0])) for candidate, by in SCORES.items()
        for who, scores in by.items()
    } | {
        (candidate, who, "avoiding-arguments", str(scores[1])) for candidate, by in SCORES.items()
        for who, scores in by.items()
    }
    assert {(r["candidate"], r["interviewer"], r["competency"], r["score"]) for r in rows} == (
        expected
    )
    assert all(r["round"] == "panel" for r in rows)
    payload = json.loads(attachments["ratings.json"][0])
    assert len(payload["ratings"]) == len(expected) == 22
    assert payload["consensus"][0]["score"] == 3 and payload["consensus"][0]["note"] == (
        "agreed on the middle"
    )
    assert sorted(r["decision"] for r in payload["recommendations"]) == ["no"] * 4 + ["yes"] * 7
    # PDF/A identification in the XMP metadata, read as XML: PDF/A-3, conformance B.
    from tests.pdf_checks import PDFAID, xmp_properties

    identification = xmp_properties(out, PDFAID)
    assert (identification.get("part"), identification.get("conformance")) == ("3", "B")


def test_selected_candidates_and_errors(seeded, bank, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from hiring.errors import HiringError

    out = tmp_path / "two.html"
    build_compare_report(seeded, bank, ROLE, "panel", ["Bo", "Ann"], "en", None, out)
    html = out.read_text(encoding="utf-8")
    assert "Ann" in html and "Bo" in html and "Cai" not in html
    with pytest.raises(HiringError, match="no candidate 'Nobody'"):
        build_compare_report(seeded, bank, ROLE, None, ["Nobody"], "en", None, out)
    with pytest.raises(HiringError, match="no round 'final'"):
        build_compare_report(seeded, bank, ROLE, "final", None, "en", None, out)
    with pytest.raises(HiringError, match="unknown format"):
        build_compare_report(seeded, bank, ROLE, None, None, "en", "docx", tmp_path / "x.docx")
    assert not (tmp_path / "x.docx").exists()


def test_templates_folder_overrides_a_report_partial(seeded, bank, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    custom = tmp_path / "custom" / "partials"
    custom.mkdir(parents=True)
    (custom / "report_chart.html.j2").write_text(
        "<p>OUR CHART for {{ candidate.name }}</p>\n", encoding="utf-8")
    out = tmp_path / "custom.html"
    build_compare_report(seeded, bank, ROLE, "panel", None, "en", "html", out,
                         templates_dir=tmp_path / "custom", detail=2)
    html = out.read_text(encoding="utf-8")
    assert html.count("OUR CHART for ") == 2 and "<svg" not in html
    assert "OUR CHART for &lt;img" in html  # still autoescaped


def test_cli_report_commands(seeded, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from typer.testing import CliRunner

    from hiring.cli import app

    if seeded.dialect != "sqlite":
        pytest.skip("the CLI is exercised on the SQLite file")
    base = ["--bank", str(SMALL_BANK), "--db", str(seeded.path), "report"]
    runner = CliRunner()
    done = runner.invoke(app, [*base, "compare", "--round", "panel", "--candidates", "Ann",
                               "--candidates", "Bo", "--out", str(tmp_path / "c.html")])
    assert done.exit_code == 0, done.output
    wrote, ratings = done.output.strip().splitlines()
    assert wrote == f"wrote {tmp_path / 'c.html'} (2 candidate(s))"
    assert ratings.startswith("ratings: ") and "left out (candidate not chosen " in ratings
    done = runner.invoke(app, [*base, "candidate", "Cai", "--lang", "bg",
                               "--out", str(tmp_path / "cai.html")])
    assert done.exit_code == 0, done.output
    assert ui_strings("bg")["report_candidate_title"] in (tmp_path / "cai.html").read_text()
    bad = runner.invoke(app, [*base, "compare", "--format", "html", "--pdf-variant", "pdf/a-3b",
                              "--out", str(tmp_path / "bad.html")])
    assert bad.exit_code == 1 and "--pdf-variant needs --format pdf" in bad.output
    assert not (tmp_path / "bad.html").exists()


def test_candidate_scorecard(seeded, bank, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    out = tmp_path / "bo.html"
    build_candidate_report(seeded, bank, "Bo", None, "panel", "en", None, out)
    html = out.read_text(encoding="utf-8")
    assert "Candidate scorecard" in html and "argued back" in html
    assert "Eve 3, Finn 2, Gus 4" in html  # independent ratings of teamwork
    assert "3=" in html  # rank within the pool, tie shown
    assert "Ann" not in html.split("<body>", 1)[1]  # nobody else's data


@pytest.mark.parametrize("lang", ["da", "ru", "bg"])
def test_report_strings_render_in_html(seeded, bank, tmp_path: Path, lang: str) -> None:  # type: ignore[no-untyped-def]
    out = tmp_path / f"compare-{lang}.html"
    build_compare_report(seeded, bank, ROLE, "panel", None, lang, None, out)
    html = out.read_text(encoding="utf-8")
    t = ui_strings(lang)
    for key in ("report_title", "report_ranking", "report_heatmap", "report_calibration",
                "report_reliability", "report_method"):
        assert t[key] in html, key
    assert t["report_title"] != ui_strings("en")["report_title"]
    assert "How the numbers are made" not in html and "Before you decide" not in html


def test_report_strings_render_in_a_chinese_pdf(seeded, bank, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    out = tmp_path / "compare-zh.pdf"
    build_compare_report(seeded, bank, ROLE, "panel", None, "zh", None, out, detail=1)
    text = "".join(pdf_text(out)).replace(" ", "")
    t = ui_strings("zh")
    for key in ("report_title", "report_ranking", "report_heatmap", "report_method"):
        assert t[key].replace(" ", "") in text, key
    # Verdicts use Chinese punctuation: 、 between items, ； between clauses.
    assert "；" in text and ", " not in " ".join(pdf_text(out)).split("最强")[1][:40]


def test_html_report_does_not_import_weasyprint(seeded, bank, tmp_path: Path, db_url: str) -> None:  # type: ignore[no-untyped-def]
    code = (
        "import sys; from pathlib import Path; from hiring.bank import load_bank; "
        "from hiring.store import open_store; "
        "from hiring.reports.build import build_compare_report; "
        "from tests.report_reference import report_reliability_figures; "
        f"bank = load_bank([Path({str(SMALL_BANK)!r})]); store = open_store({db_url!r}); "
        f"build_compare_report(store, bank, {ROLE!r}, None, None, 'en', 'html', "
        f"Path({str(tmp_path / 'r.html')!r})); report_reliability_figures(store, bank); "
        "print('weasyprint' in sys.modules)"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          cwd=Path(__file__).parent.parent, check=True)
    assert done.stdout.strip() == "False"


def test_a_round_renamed_since_its_ratings_still_reports(store, small_bank, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    before = load_bank([small_bank])
    add_candidate(store, "Ann", role=ROLE)
    set_score(store, before, "Ann", "Eve", "avoiding-arguments", 3, round_id="screen")
    set_score(store, before, "Ann", "Finn", "avoiding-arguments", 2, round_id="screen")
    role_file = small_bank / "roles" / "inbound-agent.yaml"
    role_file.write_text(role_file.read_text().replace("- id: screen", "- id: phone-screen"))
    after = load_bank([small_bank])
    assert not after.role(ROLE).has_round("screen")
    out = tmp_path / "compare.html"
    build_compare_report(store, after, ROLE, None, None, "en", None, out)
    text = re.sub(r"<[^>]+>", " ", out.read_text(encoding="utf-8"))
    text = re.sub(r"\s+", " ", text)
    assert "Ann" in text and "screen" in text  # the old round, under its id
    assert re.search(r"Avoiding arguments with customers[^.]*Eve 3, Finn 2", text)
