"""``hiring report validity`` (issue 25): hired candidates' interview scores against an
outcome, through the store; every expected figure is computed here from the ratings as
written (the overall score by the role's weights by hand), with scipy and closed forms."""

from __future__ import annotations

import json
import random
from math import sqrt
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from scipy import stats

from tests.cli_helpers import ok, refused

HIRED, REJECTED = 30, 20


def _write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def _overall(teamwork: float, arguments: float) -> float:
    """The small bank's role: teamwork 1-5 (weight 1), avoiding-arguments 0-3 (weight 2);
    normalised, weighted, back on teamwork's scale 1-5."""
    return 1 + 4 * (1 * (teamwork - 1) / 4 + 2 * arguments / 3) / 3


@pytest.fixture
def filled(db_url: str, tmp_path: Path) -> dict[str, Any]:
    rng = random.Random(5)
    people = []
    lines = ["candidate,interviewer,competency,score,round,question,role"]
    for n in range(HIRED + REJECTED):
        name = f"C{n:02d}"
        screen, panel, teamwork = rng.randint(0, 3), rng.randint(0, 3), rng.randint(1, 5)
        lines += [
            f"{name},Kim,avoiding-arguments,{screen},screen,avoiding-arguments-01,inbound-agent",
            f"{name},Kim,avoiding-arguments,{panel},panel,avoiding-arguments-02,inbound-agent",
            f"{name},Kim,teamwork,{teamwork},panel,,inbound-agent",
        ]
        people.append({"name": name, "screen": screen, "panel": panel, "teamwork": teamwork,
                       "hired": n < HIRED})
    ok(db_url, "score", "import", str(_write(tmp_path / "s.csv", "\n".join(lines) + "\n")),
       "--create-candidates")
    from hiring.store import open_store
    from hiring.store.stages import record_decision

    with open_store(db_url) as store:
        for p in people:
            record_decision(store, p["name"], "screen", "advance", actor="Mia")
            record_decision(store, p["name"], "panel", "hired" if p["hired"] else "reject",
                            actor="Mia")
    rows = ["candidate,measure,value,date"]
    for n, p in enumerate(people):
        if p["hired"] and n >= 2:  # the first two hired have no outcome yet
            p["qa"] = round(60 + 5 * p["teamwork"] + 4 * p["panel"] + rng.gauss(0, 4), 1)
            p["retained"] = int(rng.random() < 0.7)
            rows += [f"{p['name']},qa_score,{p['qa']},2026-04-01",
                     f"{p['name']},retained_90d,{p['retained']},2026-04-01"]
    for p in people[HIRED:HIRED + 3]:  # outcomes of people never hired: left out, counted
        rows.append(f"{p['name']},qa_score,70,2026-04-01")
    ok(db_url, "outcome", "import", str(_write(tmp_path / "o.csv", "\n".join(rows) + "\n")))
    return {"people": people}


def test_correlations_match_scipy_on_the_hand_computed_scores(
    db_url: str, filled: dict[str, Any]
) -> None:
    people = filled["people"]
    counted = [p for p in people if "qa" in p]
    arguments = {p["name"]: (p["screen"] + p["panel"]) / 2 for p in people}
    overall = {p["name"]: _overall(p["teamwork"], arguments[p["name"]]) for p in people}
    x = np.array([overall[p["name"]] for p in counted])
    y = np.array([p["qa"] for p in counted])

    data = json.loads(ok(db_url, "report", "validity", "--measure", "qa_score", "--json"))
    assert (data["applicants"], data["pool"], data["hired"], data["n"]) == (50, 50, 30, 28)
    assert data["left_out"] == {"not_hired": 3, "hired_without_outcome": 2}
    assert data["binary"] is False
    assert data["outcome_mean"] == pytest.approx(y.mean())
    rows = {row["competency"]: row for row in data["rows"]}
    observed = rows[None]["observed"]
    reference = stats.pearsonr(x, y)
    interval = reference.confidence_interval()
    assert observed["kind"] == "pearson" and observed["n"] == 28
    assert observed["r"] == pytest.approx(reference.statistic, abs=1e-9)
    assert observed["p"] == pytest.approx(reference.pvalue, rel=1e-6)
    assert (observed["low"], observed["high"]) == (pytest.approx(interval.low, abs=1e-9),
                                                   pytest.approx(interval.high, abs=1e-9))
    # Thorndike case II with the spreads written out: every candidate was rated on both
    # competencies, so the pool is all 50.
    pool_sd = np.std(list(overall.values()), ddof=1)
    hired_sd = np.std(x, ddof=1)
    u = pool_sd / hired_sd
    r = reference.statistic
    corrected = rows[None]["corrected"]
    assert corrected["u"] == pytest.approx(u)
    assert corrected["r"] == pytest.approx(r * u / sqrt(1 - r**2 + r**2 * u**2))
    # Each competency's own score: teamwork is its one rating.
    teamwork = np.array([p["teamwork"] for p in counted], dtype=float)
    assert rows["teamwork"]["observed"]["r"] == pytest.approx(
        stats.pearsonr(teamwork, y).statistic, abs=1e-9)
    # What teamwork adds over avoiding-arguments: R^2 from the correlations (closed form).
    a = np.array([arguments[p["name"]] for p in counted])
    c = np.corrcoef([teamwork, a, y])
    r12, r1y, r2y = c[0, 1], c[0, 2], c[1, 2]
    r2 = (r1y**2 + r2y**2 - 2 * r1y * r2y * r12) / (1 - r12**2)
    assert data["r2_all_competencies"] == pytest.approx(r2)
    assert rows["teamwork"]["increment"]["delta_r2"] == pytest.approx(r2 - r2y**2)
    assert rows[None]["increment"] is None


def test_item_analysis_through_the_store(db_url: str, filled: dict[str, Any]) -> None:
    people = filled["people"]
    data = json.loads(ok(db_url, "report", "validity", "--measure", "qa_score", "--json"))
    items = {i["question"]: i for i in data["items"]}
    assert set(items) == {"avoiding-arguments-01", "avoiding-arguments-02"}
    assert data["ratings_without_question"] == 50  # the teamwork ratings
    first = items["avoiding-arguments-01"]
    screen = np.array([p["screen"] for p in people], dtype=float)
    panel = np.array([p["panel"] for p in people], dtype=float)
    assert first["n_ratings"] == 50 and first["mean"] == pytest.approx(screen.mean())
    assert first["sd"] == pytest.approx(screen.std(ddof=1))
    assert first["ceiling"] == pytest.approx((screen == 3).mean())  # the scale's top is 3
    assert first["item_rest"]["r"] == pytest.approx(np.corrcoef(screen, panel)[0, 1])
    assert first["item_rest"]["n"] == 50


def test_a_zero_one_outcome_is_point_biserial(db_url: str, filled: dict[str, Any]) -> None:
    data = json.loads(ok(db_url, "report", "validity", "--measure", "retained_90d", "--json"))
    assert data["binary"] is True
    assert data["rows"][0]["observed"]["kind"] == "point-biserial"


def test_below_twenty_it_says_so_instead_of_figures(
    db_url: str, filled: dict[str, Any], tmp_path: Path
) -> None:
    rows = ["candidate,measure,value,date"] + [
        f"C{n:02d},csat,{n % 5},2026-05-01" for n in range(12)]
    ok(db_url, "outcome", "import", str(_write(tmp_path / "c.csv", "\n".join(rows) + "\n")))
    data = json.loads(ok(db_url, "report", "validity", "--measure", "csat", "--json"))
    observed = data["rows"][0]["observed"]
    assert observed["r"] is None and observed["low"] is None and observed["p"] is None
    assert observed["undefined"] == {"code": "too_few", "count": 12, "threshold": 20}
    assert data["rows"][0]["corrected"] is None
    page = tmp_path / "v.html"
    ok(db_url, "report", "validity", "--measure", "csat", "--out", str(page))
    html = page.read_text(encoding="utf-8")
    assert "Too few hired with the outcome to estimate validity: n = 12, at least 20" in html
    assert "not defined: n = 12, fewer than 20" in html


def test_refusals(db_url: str, filled: dict[str, Any], tmp_path: Path) -> None:
    out = tmp_path / "v.pdf"
    refused(db_url, "report", "validity", "--measure", "nps", "--out", str(out),
            match="no outcome 'nps' (measures: qa_score, retained_90d)")
    assert not out.exists()


def test_the_pdf_in_five_languages(tmp_path_factory: pytest.TempPathFactory) -> None:
    from pypdf import PdfReader

    from hiring.bank import load_bank
    from hiring.demo.history import QA_MEASURE, synthetic_history, write_history
    from hiring.render.strings import ui_strings
    from hiring.store import open_store

    folder = tmp_path_factory.mktemp("validity")
    bank = load_bank(None)
    db = folder / "hiring.db"
    with open_store(db) as store:
        write_history(store, bank, synthetic_history(bank, n=120), folder)
    for lang in ("en", "da", "ru", "bg", "zh"):
        out = folder / f"v-{lang}.pdf"
        ok(str(db), "report", "validity", "--role", "chat-email-agent", "--measure",
           QA_MEASURE, "--lang", lang, "--out", str(out), bank=None)
        text = " ".join(" ".join(p.extract_text().split()) for p in PdfReader(out).pages)
        t = ui_strings(lang)
        assert " ".join(t["report_validity_title"].split()) in text, lang
        assert "Thorndike" in text or "Торндайк" in text, lang
        assert "−0.00" not in text
