"""``hiring interview list`` and ``cancel``: refusals, and imports into a cancelled interview."""

from __future__ import annotations

from pathlib import Path

import pytest

from hiring.errors import InputError, NotFoundError
from hiring.store import (
    RowsError,
    add_candidate,
    cancel_interview,
    import_scores,
    list_interviews,
    record_interview,
    set_score,
)
from tests.test_scorecard_cases import ROLE, ok, refused


@pytest.fixture
def bank(small_bank_loaded):  # type: ignore[no-untyped-def]
    return small_bank_loaded


def test_cancel_refusals_change_nothing(store, bank) -> None:  # type: ignore[no-untyped-def]
    add_candidate(store, "Jo", role=ROLE)
    with pytest.raises(NotFoundError, match="Eve has no interview with Jo .1. in round screen"):
        cancel_interview(store, "Jo", "Eve", "screen", "no show")
    record_interview(store, bank, "Jo", "Eve", round_id="screen")
    with pytest.raises(InputError, match="the reason is empty"):
        cancel_interview(store, "Jo", "Eve", "screen", "  ")
    assert list_interviews(store)[0]["state"] == "missing"
    cancel_interview(store, "Jo", "Eve", "screen", "no show")
    with pytest.raises(InputError, match="already cancelled"):
        cancel_interview(store, "Jo", "Eve", "screen", "again")
    assert store.one("SELECT COUNT(*) FROM audit WHERE action = 'interview.cancel'") == (1,)


def test_import_into_a_cancelled_interview_is_refused(store, bank, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    add_candidate(store, "Jo", role=ROLE)
    set_score(store, bank, "Jo", "Eve", "avoiding-arguments", 2, round_id="screen")
    cancel_interview(store, "Jo", "Eve", "screen", "wrong candidate", delete_ratings=True)
    source = tmp_path / "scores.csv"
    source.write_text("candidate,interviewer,competency,score,round\n"
                      "Jo,Eve,avoiding-arguments,3,screen\n", encoding="utf-8")
    with pytest.raises(RowsError) as caught:
        import_scores(store, bank, source)
    assert caught.value.problems == [
        "line 2: Eve's interview with candidate 1 in round screen was cancelled: "
        "'hiring interview add' re-opens it"]
    assert store.one("SELECT COUNT(*) FROM ratings") == (0,)
    # A row without a round does not go to the cancelled interview either.
    source.write_text("candidate,interviewer,competency,score\n"
                      "Jo,Eve,avoiding-arguments,3\n", encoding="utf-8")
    with pytest.raises(RowsError, match="1 invalid row"):
        import_scores(store, bank, source)


def test_interview_list_table(db_url: str) -> None:
    ok(db_url, "candidate", "add", "Jo", "--role", ROLE)
    assert ok(db_url, "interview", "list").strip() == "no interviews"
    ok(db_url, "interview", "add", "--candidate", "Jo", "--interviewer", "Eve", "--round",
       "screen", "--date", "2026-03-04")
    ok(db_url, "interview", "cancel", "--candidate", "Jo", "--interviewer", "Eve", "--round",
       "screen", "--reason", "no show")
    lines = ok(db_url, "interview", "list", "--candidate", "1").splitlines()
    assert lines[0].split() == ["DATE", "CANDIDATE", "INTERVIEWER", "ROUND", "STATE", "SCORES",
                                "RECOMMENDATION"]
    assert lines[1].split() == ["2026-03-04", "Jo", "(1)", "Eve", "screen", "cancelled", "0",
                                "-", "reason:", "no", "show"]
    refused(db_url, "interview", "list", "--candidate", "Nobody", match="no candidate 'Nobody'")
