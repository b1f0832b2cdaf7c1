"""A comparison report of a large pool stays a document (issue 28): the ranking in table
bodies of ``TABLE_CHUNK`` rows lists every candidate once, in rank order; past
``LARGE_POOL`` candidates the PDF's heat map and recommendations list the top rows only,
the open scorecards the first ``LARGE_POOL``, candidate pages the top ``--detail N``, and
page 1 says so with the counts; page numbers, bookmarks and the PDF/A attachments hold,
in one process and laid out in parts and joined.

To stay fast the limits are made small (chunks of 5 rows, a large pool past 8) over 20
candidates, one real SQLite store and one real WeasyPrint PDF for the module.

The data, checked by hand: candidate k gets the same scores from both interviewers, so
its overall score is 1 + 4 ((t - 1) / 4 + 2 a / 3) / 3 (teamwork t on 1-5 weight 1,
avoiding-arguments a on 0-3 weight 2), which orders as 3 (t - 1) + 8 a: distinct for all
20 pairs (3 i = 8 j has no solution with i < 5), so the rank order is the order below.
"""

from __future__ import annotations

import csv
import io
import json
import re
import subprocess
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader

from hiring.bank import load_bank
from hiring.reports import build as report_build
from hiring.reports import context as report_context
from hiring.reports.build import build_compare_report
from hiring.store import add_candidate, open_store, set_recommendation, set_score

ROLE = "inbound-agent"
SMALL_BANK = Path(__file__).parent / "fixtures" / "small_bank"
# (teamwork, avoiding-arguments) by 3 (t - 1) + 8 a, highest first: 36, 33, 30, 28, ...
SCORES = [(5, 3), (4, 3), (3, 3), (5, 2), (2, 3), (4, 2), (1, 3), (3, 2), (5, 1), (2, 2),
          (4, 1), (1, 2), (3, 1), (5, 0), (2, 1), (4, 0), (1, 1), (3, 0), (2, 0), (1, 0)]
NAMES = [f"Cand {k:02d}" for k in range(1, len(SCORES) + 1)]  # rank order
INTERVIEWERS = ("Eve", "Finn")
DETAIL = 3
CHUNK = 5
LARGE = 8
SECTION = 5  # rows of each section of the rest of the ranking: 9-13, 14-18, 19-20


# Each test reads the report laid out in one process and laid out in parts in parallel
# and joined (summary, two runs of candidate pages, the rest: 3 workers, 4 parts), the
# parts allowed from 2 candidate pages: the same checks hold after the join.
@pytest.fixture(scope="module", params=[1, 3], ids=["one-process", "joined"])
def reports(tmp_path_factory: pytest.TempPathFactory,
            request: pytest.FixtureRequest) -> dict[str, Any]:
    folder = tmp_path_factory.mktemp("large-pool")
    bank = load_bank([SMALL_BANK])
    with open_store(str(folder / "hiring.db")) as store:
        # Added in reverse so that store order is not rank order.
        for name in reversed(NAMES):
            add_candidate(store, name, role=ROLE)
        for name, (teamwork, avoiding) in zip(NAMES, SCORES, strict=True):
            for who in INTERVIEWERS:  # drafts: 40 open scorecards
                set_score(store, bank, name, who, "teamwork", teamwork, round_id="panel")
                set_score(store, bank, name, who, "avoiding-arguments", avoiding,
                          round_id="panel")
                set_recommendation(store, bank, name, who, "panel", "yes")
        with pytest.MonkeyPatch.context() as patch:
            patch.setattr(report_context, "TABLE_CHUNK", CHUNK)
            patch.setattr(report_context, "LARGE_POOL", LARGE)
            patch.setattr(report_context, "REST_SECTION_ROWS", SECTION)
            patch.setattr(report_build, "PARALLEL_MIN_DETAILS", 2)
            pdf = folder / "compare.pdf"
            result = build_compare_report(store, bank, ROLE, "panel", None, "en", "pdf", pdf,
                                          pdf_variant="pdf/a-3b", detail=DETAIL,
                                          workers=request.param)
            html = folder / "compare.html"
            build_compare_report(store, bank, ROLE, "panel", None, "en", "html", html,
                                 detail=DETAIL)
            figures = build_compare_report(store, bank, ROLE, "panel", None, "en", None,
                                           None, detail=DETAIL).figures
    pages = [subprocess.run(["pdftotext", "-layout", "-f", str(n), "-l", str(n), str(pdf), "-"],
                            check=True, capture_output=True, text=True).stdout
             for n in range(1, (result.pages or 0) + 1)]
    return {"db": str(folder / "hiring.db"), "bank": bank, "pdf": pdf, "pages": pages,
            "result": result, "html": html.read_text("utf-8"), "figures": figures}


def _names(text: str) -> list[str]:
    return re.findall(r"Cand \d\d", text)


def _between(pages: list[str], start: str, end: str) -> str:
    text = "\n".join(pages)
    return text[text.index(start):text.index(end, text.index(start))]


def test_the_chunked_ranking_lists_every_candidate_once_in_rank_order(reports) -> None:  # type: ignore[no-untyped-def]
    # Page 1: the top LARGE with verdicts; the rest, one line each, after the candidate
    # pages: together every candidate once, in rank order.
    ranking = _between(reports["pages"], "Ranking (overall", "Score: weighted mean")
    assert _names(ranking) == NAMES[:LARGE]
    assert re.search(r"^\s*1 Cand 01 .*\n", ranking, re.MULTILINE)
    rest = _between(reports["pages"], f"Ranking, continued: {LARGE + 1}–13 of 20",
                    "How the numbers are made")
    assert _names(rest) == NAMES[LARGE:]
    assert re.search(r"^\s*20 Cand 20 · DRAFT · RISK\s+1\.0 \(1\.0–1\.0\)$", rest, re.MULTILINE)
    pages = reports["pages"]
    assert pages.index(next(p for p in pages if "Ranking, continued" in p)) > max(
        n for n, page in enumerate(pages) if f"\n{NAMES[DETAIL - 1]}\n" in page)
    # In sections of SECTION rows, each from a new page under its heading; the legend once.
    headings = ["Ranking, continued: 9–13 of 20", "Ranking, continued: 14–18 of 20",
                "Ranking, continued: 19–20 of 20"]
    starts = [next(n for n, page in enumerate(pages) if heading in page)
              for heading in headings]
    assert starts == sorted(set(starts))
    for start, heading in zip(starts, headings, strict=True):
        lines = [line.strip() for line in pages[start].splitlines() if line.strip()]
        assert lines[1] == heading  # the first line after the running header
    assert rest.count("Rank, score and 95% interval as in the ranking") == 1
    # In bodies of CHUNK rows (the HTML is the same template): 4 bodies of 5.
    table = reports["html"][reports["html"].index('<table class="grid ranking'):]
    table = table[:table.index("</table>")]
    bodies = re.findall(r"<tbody>(.*?)</tbody>", table, re.DOTALL)
    assert [len(_names(body)) for body in bodies] == [CHUNK] * 4


def test_page_one_says_what_the_pdf_leaves_out_with_the_counts(reports) -> None:  # type: ignore[no-untyped-def]
    first = re.sub(r"\s+", " ", reports["pages"][0])
    assert "In this report" in first
    assert f"Candidate pages: the top {DETAIL} of 20 by rank (--detail N)." in first
    assert (f"Ranking with verdicts, heat map and recommendations: the top {LARGE} of 20; the "
            f"rest of the ranking ({LARGE + 1}–20) follows the candidate pages.") in first
    assert f"Open scorecards: the first {LARGE} of 40 ('hiring score pending' lists all)." in first
    assert "the HTML report (--format html) and --json" in first


def test_the_pdf_keeps_the_shortlist_and_the_html_and_json_keep_everyone(reports) -> None:  # type: ignore[no-untyped-def]
    pages = reports["pages"]
    heat = _between(pages, "Scores by competency", "Pool average")
    assert _names(heat) == NAMES[:LARGE]
    tally = _between(pages, "Recommendations", "Disagreements")
    assert _names(tally) == NAMES[:LARGE]
    open_rows = _between(pages, "Missing scorecards and smaller panels", "Open scorecards: the")
    assert len(_names(open_rows)) == LARGE
    # Candidate pages: the top DETAIL only, each headed by its name.
    headed = [name for name in NAMES if any(page.lstrip().startswith(name) or
                                            f"\n{name}\n" in page for page in pages)]
    assert headed == NAMES[:DETAIL]
    html = reports["html"]
    heat_html = html[html.index('<table class="heat'):]
    assert _names(heat_html[:heat_html.index("</table>")]) == NAMES
    figures = reports["figures"]
    assert [entry["name"] for entry in figures["ranking"]] == NAMES
    assert len(figures["detailed_candidates"]) == DETAIL
    ids = {entry["name"]: entry["candidate_id"] for entry in figures["ranking"]}
    assert figures["detailed_candidates"] == [ids[name] for name in NAMES[:DETAIL]]


def test_page_numbers_bookmarks_and_attachments(reports) -> None:  # type: ignore[no-untyped-def]
    pages = reports["pages"]
    total = len(pages)
    assert total == reports["result"].pages and total >= 5
    # Page 1 carries no number (print.css); every other page "n / total", in order.
    assert not re.search(r"\d ?/ ?\d+$", pages[0].rstrip())
    for number, page in enumerate(pages[1:], start=2):
        assert re.search(rf"\b{number} ?/ ?{total}$", page.rstrip()), number
    reader = PdfReader(reports["pdf"])
    titles = []
    stack = list(reader.outline)
    while stack:
        item = stack.pop(0)
        if isinstance(item, list):
            stack[:0] = item
        else:
            titles.append(str(item.title))
    assert [title for title in titles if title.startswith("Cand ")] == NAMES[:DETAIL]
    for name in NAMES[:DETAIL]:  # each bookmark opens its candidate's page
        target = next(item for item in _flat(reader.outline) if str(item.title) == name)
        page = reader.get_destination_page_number(target)
        assert name in pages[page]
    attachments = reader.attachments
    assert set(attachments) == {"ratings.csv", "ratings.json"}
    rows = list(csv.DictReader(io.StringIO(attachments["ratings.csv"][0].decode("utf-8"))))
    expected = {(name, who, competency, str(score))
                for name, pair in zip(NAMES, SCORES, strict=True) for who in INTERVIEWERS
                for competency, score in zip(("teamwork", "avoiding-arguments"), pair,
                                             strict=True)}
    assert {(r["candidate"], r["interviewer"], r["competency"], r["score"])
            for r in rows} == expected
    assert len(json.loads(attachments["ratings.json"][0])["ratings"]) == 80


def _flat(outline: list[Any]) -> list[Any]:
    found: list[Any] = []
    for item in outline:
        found.extend(_flat(item) if isinstance(item, list) else [item])
    return found


def test_scorecard_states_by_candidate_follow_the_rows() -> None:
    # Indexed once for the 10,000-candidate report (a scan per candidate cost 11 s there);
    # the index follows rows added after the first question.
    from hiring.reports.completeness import Completeness, ScorecardState

    done = Completeness([ScorecardState(1, "Eve", "panel", "submitted"),
                         ScorecardState(1, "Finn", "panel", "draft", ("teamwork",)),
                         ScorecardState(2, "Eve", "panel", "missing")])
    assert done.of(1) == {"submitted": 1, "draft": 1}
    assert done.of(2)["missing"] == 1 and done.of(2)["draft"] == 0
    assert done.of(3) == {}
    done.rows.append(ScorecardState(3, None, None, "not-interviewed"))
    assert done.of(3) == {"not-interviewed": 1}
    done.of(1)["submitted"] += 5  # a copy: the caller cannot change the index
    assert done.of(1)["submitted"] == 1


@pytest.mark.parametrize("lang", ["en", "da", "ru", "bg", "zh"])
def test_page_one_account_in_every_language(reports, lang: str, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from hiring.reports.data import load_report_data

    monkeypatch.setattr(report_context, "LARGE_POOL", LARGE)
    with open_store(reports["db"]) as store:
        data = load_report_data(store, reports["bank"], ROLE, "panel")
    lines = report_context.compare_context(data, reports["bank"], ROLE, "panel", lang,
                                           detail=DETAIL, shortlist=True)["in_this_report"]
    assert len(lines) == 4  # pages, tables, open scorecards, where the rest is
    numbers = [re.findall(r"\d+", line) for line in lines]
    assert numbers[0] == [str(DETAIL), "20"]
    assert sorted(numbers[1]) == sorted([str(LARGE), "20", str(LARGE + 1), "20"])
    assert sorted(numbers[2]) == sorted([str(LARGE), "40"])
    assert all("{" not in line and "}" not in line for line in lines)
    assert all("--json" in line for line in lines[3:])


def test_smaller_panels_past_the_limit_are_counted_on_page_one() -> None:
    from hiring.render.strings import ui_strings

    lines = report_context._in_this_report(ui_strings("en"), total=500, details=20,
                                           table_rows=100, open_shown=0, open_total=0,
                                           panels_shown=100, panels_total=130)
    assert "Smaller panels: the first 100 of 130 (--json lists all)." in lines
    assert report_context._in_this_report(ui_strings("en"), 12, 12, 12, 3, 3, 2, 2) == []


def test_disagreements_past_the_table_are_counted_where_they_are(tmp_path: Path) -> None:
    """Past the disagreement table's rows the report said every further one "is marked ! in
    the heat map"; past LARGE_POOL the PDF's heat map holds only the top rows, so those of
    candidates below it are counted apart. By hand: 12 candidates, Eve rates teamwork 5 and
    Finn 1 for everyone (spread 4 of 4: a disagreement each, all equally wide, so listed in
    rank order); a table of 1 row lists rank 1; ranks 2-4 are in the heat map of the top 4;
    ranks 5-12 (8) are below it."""
    from hiring.reports.data import load_report_data

    bank = load_bank([SMALL_BANK])
    names = [f"Pool {k:02d}" for k in range(1, 13)]
    with open_store(str(tmp_path / "hiring.db")) as store:
        for k, name in enumerate(names):
            add_candidate(store, name, role=ROLE)
            for who, teamwork in (("Eve", 5), ("Finn", 1)):
                set_score(store, bank, name, who, "teamwork", teamwork, round_id="panel")
                # avoiding-arguments 3 for the first four, then 2, 1: the heat map's top 4
                # rows are the first four of the ranking whatever the order among equals.
                set_score(store, bank, name, who, "avoiding-arguments", 3 - k // 4,
                          round_id="panel")
        data = load_report_data(store, bank, ROLE, "panel")
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(report_context, "LARGE_POOL", 4)
        patch.setattr(report_context, "MAX_LISTED", 1)
        pdf = report_context.compare_context(data, bank, ROLE, "panel", "en", detail=2,
                                             shortlist=True)
        html = report_context.compare_context(data, bank, ROLE, "panel", "en", detail=2)
    assert pdf["disagreements_total"] == 12
    assert (pdf["disagreements_more"], pdf["disagreements_below"]) == (3, 8)
    assert pdf["heatmap_rows"] == 4
    assert (html["disagreements_more"], html["disagreements_below"]) == (11, 0)
    said = report_context.ui_strings("en")["report_disagreements_below"].format(n=8, top=4)
    assert said.startswith("8 more are for candidates below the top 4 of the heat map")
