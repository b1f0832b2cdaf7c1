"""The report context from plain ``ReportData`` (no store, no rendering): what the
templates are given, checked against figures worked out by hand."""

from __future__ import annotations

from pathlib import Path

import pytest

from hiring.bank import load_bank
from hiring.errors import InputError
from hiring.reports.context import compare_context
from hiring.reports.data import (
    CandidateRef,
    ConsensusRow,
    InterviewRow,
    RatingRow,
    RecommendationRow,
    ReportData,
)
from hiring.reports.scorecards import candidate_context

ROLE = "inbound-agent"  # teamwork 1-5 weight 1; avoiding-arguments 0-3 weight 2 (weakness)


@pytest.fixture(scope="module")
def bank():  # type: ignore[no-untyped-def]
    return load_bank([Path(__file__).parent / "fixtures" / "small_bank"])


def rating(cid: int, who: str, competency: str, score: int, round_id: str = "panel",
           note: str | None = None) -> RatingRow:
    return RatingRow(cid, who, competency, None, score, note, round_id)


def lenient_pool() -> ReportData:
    """Ann(1), Bo(2), Cai(3): Al always rates teamwork one point above Bea; they agree on
    avoiding-arguments. Al's leniency = mean(+1, +1, +1, 0, 0, 0) = +0.5, Bea's -0.5."""
    bea = {1: (4, 3), 2: (3, 2), 3: (2, 1)}
    ratings = []
    for cid, (teamwork, avoiding) in bea.items():
        ratings += [rating(cid, "Bea", "teamwork", teamwork, note=f"Bea saw {cid}"),
                    rating(cid, "Al", "teamwork", teamwork + 1),
                    rating(cid, "Bea", "avoiding-arguments", avoiding),
                    rating(cid, "Al", "avoiding-arguments", avoiding)]
    return ReportData(ROLE, "panel", [CandidateRef(1, "Ann"), CandidateRef(2, "Bo"),
                                      CandidateRef(3, "Cai")], ratings)


def test_calibration_shows_raw_and_adjusted_side_by_side(bank) -> None:  # type: ignore[no-untyped-def]
    context = compare_context(lenient_pool(), bank, ROLE, "panel", "en")
    rows = {r["interviewer"]: r for r in context["calibration"]}
    assert rows["Al"]["leniency"] == "+0.50" and rows["Bea"]["leniency"] == "−0.50"
    assert rows["Al"]["comparisons"] == 6 and rows["Al"]["ratings"] == 6
    # Al's raw mean: teamwork 5, 4, 3 and avoiding 3, 2, 1 -> 18 / 6 = 3.00; adjusted 2.50.
    assert (rows["Al"]["mean_raw"], rows["Al"]["mean_adjusted"]) == ("3.00", "2.50")
    # Ann: raw teamwork mean 4.5, avoiding 3 -> 1 + 4 (0.875 + 2 * 1) / 3 = 4.83. Adjusted:
    # teamwork (4.5 + 4.5) / 2 = 4.5; avoiding Al 3 - 0.5 = 2.5, Bea 3 + 0.5 clipped to the
    # scale's 3 -> 2.75 -> 1 + 4 (0.875 + 2 * 0.917) / 3 = 4.61.
    ann = context["ranking"][0]
    assert (ann["name"], ann["score"], ann["adjusted"]) == ("Ann", "4.8", "4.6")
    assert [r["name"] for r in context["ranking"]] == ["Ann", "Bo", "Cai"]


def test_heat_map_greys_follow_each_competencys_own_scale(bank) -> None:  # type: ignore[no-untyped-def]
    context = compare_context(lenient_pool(), bank, ROLE, "panel", "en")
    ann, _, cai = context["heatmap"]
    # Ann on avoiding-arguments: 3 of 0-3 = top of the scale; Cai: 1 of 0-3 = 1/3.
    assert ann["cells"][1] == {"text": "3.0", "fill": "g10", "light": True,
                               "disagreement": False, "consensus": False}
    assert cai["cells"][1]["fill"] == "g3" and not cai["cells"][1]["light"]
    # Cai's teamwork 2 and 3 -> 2.5 of 1-5 = 0.375 -> step 4.
    assert cai["cells"][0]["text"] == "2.5" and cai["cells"][0]["fill"] == "g4"


def test_rounds_pooled_latest_consensus_and_recommendation_win(bank) -> None:  # type: ignore[no-untyped-def]
    ratings = [
        rating(1, "Al", "avoiding-arguments", 0, "screen"),
        rating(1, "Al", "avoiding-arguments", 2, "panel"),
        rating(1, "Bea", "avoiding-arguments", 3, "panel"),
        rating(1, "Al", "teamwork", 5, "panel"),
        rating(1, "Bea", "teamwork", 1, "panel"),
    ]
    data = ReportData(
        ROLE, None, [CandidateRef(1, "Ann")], ratings,
        recommendations=[RecommendationRow(1, "Al", "panel", "strong-yes"),
                         RecommendationRow(1, "Al", "screen", "no"),
                         RecommendationRow(1, "Bea", "panel", "no")],
        consensus=[ConsensusRow(1, "panel", "teamwork", 4, "agreed"),
                   ConsensusRow(1, "screen", "teamwork", 2, "older")],
    )
    context = compare_context(data, bank, ROLE, None, "en", detail=5)
    detail = context["details"][0]
    teamwork, avoiding = detail["competencies"]
    # Both rounds count as ratings: avoiding-arguments 0, 2, 3 -> 1.7, range 0-3.
    assert (avoiding["mean"], avoiding["n"], avoiding["range"]) == ("1.7", 3, "0–3")
    assert (teamwork["consensus"], teamwork["consensus_note"], teamwork["mean"]) == (
        "4", "agreed", "3.0")
    assert teamwork["disagreement"] and teamwork["ratings"] == "Al 5, Bea 1"
    # One recommendation per interviewer: Al's panel one (latest round), not the screen one.
    assert context["tally"] == [{"name": "Ann", "counts": [0, 1, 0, 1]}]
    assert context["facts"]["round"] == "screen, panel"


def test_missing_scorecards_follow_the_manifest(bank) -> None:  # type: ignore[no-untyped-def]
    data = lenient_pool()
    data.candidates.append(CandidateRef(4, "Dee"))
    data.interviews = [InterviewRow(1, "Bea", "panel", ["teamwork", "avoiding-arguments"]),
                       InterviewRow(2, "Cy", "panel", ["teamwork"]),
                       InterviewRow(3, "Al", "panel", None)]
    context = compare_context(data, bank, ROLE, "panel", "en")
    missing = {(m["candidate"], m["interviewer"]): (m["state"], m["what"])
               for m in context["missing"]}
    # None of the three interviews is submitted: two are complete drafts, Cy's is missing;
    # Dee was never interviewed, which is not a missing scorecard.
    assert missing == {
        ("Ann", "Bea"): ("draft", "every competency rated; not submitted"),
        ("Bo", "Cy"): ("missing", "the whole scorecard"),
        ("Cai", "Al"): ("draft", "every competency rated; not submitted"),
        ("Dee", "–"): ("not-interviewed", "no interview held yet"),
    }
    assert context["facts"]["counts"] == {"held": 3, "submitted": 0, "draft": 2, "missing": 1,
                                          "scheduled": 0, "not_interviewed": 1}
    assert context["ranking"][-1]["name"] == "Dee" and context["ranking"][-1]["rank"] == "–"
    assert "not ranked" in context["ranking"][-1]["verdict"]


def test_detail_pages_limit_and_flat_profiles(bank) -> None:  # type: ignore[no-untyped-def]
    data = lenient_pool()
    context = compare_context(data, bank, ROLE, "panel", "en", detail=1)
    assert [d["name"] for d in context["details"]] == ["Ann"]
    assert "first 1 of 3 candidates" in context["method"][-1]
    # Ann: teamwork 4.5 of 5 and avoiding-arguments 3 of 3. Both meet expectations, so
    # neither is a weakness (the old report called teamwork 4.5 one); teamwork is her
    # lowest, still meeting them.
    ann = context["details"][0]
    assert ann["weaknesses"] == []
    assert [w["name"] for w in ann["lowest"]] == ["Teamwork"]
    assert ("no weakness below expectations (lowest, still meets expectations: Teamwork)"
            in ann["verdict"])
    flat = ReportData(ROLE, "panel", [CandidateRef(1, "Top"), CandidateRef(2, "Low")], [
        rating(1, "Al", "teamwork", 5), rating(1, "Al", "avoiding-arguments", 3),
        rating(2, "Al", "teamwork", 1), rating(2, "Al", "avoiding-arguments", 0)])
    top, low = compare_context(flat, bank, ROLE, "panel", "en")["details"]
    assert top["weaknesses"] == [] and top["lowest"] == [] and low["strengths"] == []
    assert [r["name"] for r in low["risks"]] == ["Avoiding arguments with customers"]
    assert low["verdict"].startswith("below expectations: ") and "RISK" in low["verdict"]


def test_candidate_context_and_errors(bank) -> None:  # type: ignore[no-untyped-def]
    context = candidate_context(lenient_pool(), bank, ROLE, "panel", "da", 2)
    assert context["candidate"]["name"] == "Bo" and context["pool_size"] == 3
    assert context["t"]["report_candidate_title"] == "Kandidatens bedømmelsesskema"
    with pytest.raises(InputError, match="not in this report"):
        candidate_context(lenient_pool(), bank, ROLE, "panel", "en", 99)
    with pytest.raises(InputError, match="another role or round"):
        compare_context(lenient_pool(), bank, ROLE, "screen", "en")
    with pytest.raises(InputError, match="no ratings yet"):
        compare_context(ReportData(ROLE, "panel", [CandidateRef(1, "A")]), bank, ROLE,
                        "panel", "en")
