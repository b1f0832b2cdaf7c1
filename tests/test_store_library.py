"""The ratings store's library API, on SQLite and (when configured) PostgreSQL."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from hiring.errors import InputError, NotFoundError, StoreError
from hiring.store import (
    RowsError,
    add_candidate,
    delete_score,
    export_scores,
    find_candidate,
    import_scores,
    list_scores,
    open_store,
    pending_scorecards,
    record_interview,
    set_consensus,
    set_recommendation,
    set_score,
    submit_scorecard,
)
from hiring.store.schema import SCHEMA_VERSION, database_version


@pytest.fixture
def small_bank(small_bank_loaded):  # type: ignore[no-untyped-def]
    """Here ``small_bank`` means the loaded Bank (conftest's ``small_bank`` is a folder copy)."""
    return small_bank_loaded


ROLE = "inbound-agent"  # small bank: rounds screen (avoiding-arguments) and panel (both)


def count(store, table: str) -> int:  # type: ignore[no-untyped-def]
    row = store.one(f"SELECT COUNT(*) FROM {table}")
    return int(row[0])


def audit_rows(store):  # type: ignore[no-untyped-def]
    return store.all(
        "SELECT action, actor, competency, old_value, new_value FROM audit ORDER BY id"
    )


def test_migration_is_idempotent_and_a_newer_schema_is_refused(db_url: str) -> None:
    with open_store(db_url) as first:
        assert database_version(first) == SCHEMA_VERSION == 9
        add_candidate(first, "Kept Across Opens")
    with open_store(db_url) as second:  # migrating again changes nothing
        assert database_version(second) == 9
        assert count(second, "candidates") == 1
        with second.write():
            second.execute("UPDATE schema_version SET version = :v", {"v": SCHEMA_VERSION + 1})
    with pytest.raises(StoreError, match="newer hiring.*upgrade hiring"):
        open_store(db_url)


def test_a_database_one_version_behind_is_migrated_when_opened(db_url: str) -> None:
    # On PostgreSQL an up-to-date database is recognised in one statement; an older one
    # must still take the migration path.
    with open_store(db_url) as first, first.write():
        first.execute("DROP TABLE outcomes")  # made by the last migration
        first.execute("UPDATE schema_version SET version = :v", {"v": SCHEMA_VERSION - 1})
    with open_store(db_url) as second:
        assert database_version(second) == SCHEMA_VERSION
        assert count(second, "outcomes") == 0


def test_set_score_creates_updates_and_audits(store, small_bank) -> None:  # type: ignore[no-untyped-def]
    candidate = add_candidate(store, "Ann Lee", "ann@example.com", ROLE, set(small_bank.roles))
    first = set_score(store, small_bank, "Ann Lee", "Bob", "avoiding-arguments", 0, note="argued",
                      round_id="screen")
    assert (first.action, first.round, first.score) == ("created", "screen", 0)
    again = set_score(store, small_bank, candidate.id, "Bob", "avoiding-arguments", 3)
    assert (again.action, again.old_score, again.score) == ("updated", 0, 3)
    same = set_score(store, small_bank, candidate.id, "Bob", "avoiding-arguments", 3)
    assert same.action == "unchanged"
    assert count(store, "ratings") == 1
    assert audit_rows(store) == [
        ("rating.create", "Bob", "avoiding-arguments", None, "0"),
        ("rating.update", "Bob", "avoiding-arguments", "0", "3"),
    ]
    assert delete_score(store, candidate.id, "Bob", "avoiding-arguments", "screen") == 3
    assert count(store, "ratings") == 0
    assert audit_rows(store)[-1] == ("rating.delete", "Bob", "avoiding-arguments", "3", None)


def test_scores_follow_each_competencys_own_scale(store, small_bank) -> None:  # type: ignore[no-untyped-def]
    add_candidate(store, "Cai", role=ROLE)
    # avoiding-arguments is rated 0-3, teamwork 1-5: 0 and 3 are valid, 4 is not; teamwork 0 is not.
    set_score(store, small_bank, "Cai", "Bob", "avoiding-arguments", 0, round_id="panel")
    set_score(store, small_bank, "Cai", "Dee", "avoiding-arguments", 3, round_id="panel")
    set_score(store, small_bank, "Cai", "Bob", "teamwork", 5, round_id="panel")
    with pytest.raises(InputError, match=r"outside the scale of 'avoiding-arguments' \(0-3\)"):
        set_score(store, small_bank, "Cai", "Eve", "avoiding-arguments", 4, round_id="panel")
    with pytest.raises(InputError, match=r"\(1-5\)"):
        set_score(store, small_bank, "Cai", "Eve", "teamwork", 0, round_id="panel")
    assert count(store, "ratings") == 3


def test_invalid_input_is_refused_and_nothing_is_written(store, small_bank) -> None:  # type: ignore[no-untyped-def]
    add_candidate(store, "Dana", role=ROLE)
    with pytest.raises(NotFoundError, match="no candidate 'Nobody'"):
        set_score(store, small_bank, "Nobody", "Bob", "teamwork", 3)
    with pytest.raises(InputError, match="control character"):
        set_score(store, small_bank, "Dana", "Bob\x1b[31m", "teamwork", 3, round_id="panel")
    with pytest.raises(InputError, match="limit is 4000"):
        set_score(
            store, small_bank, "Dana", "Bob", "teamwork", 3, note="x" * 4001, round_id="panel"
        )
    with pytest.raises(NotFoundError, match="no competency 'typing-speed'"):
        set_score(store, small_bank, "Dana", "Bob", "typing-speed", 3)
    with pytest.raises(NotFoundError, match="has no round 'final'"):
        set_score(store, small_bank, "Dana", "Bob", "teamwork", 3, round_id="final")
    with pytest.raises(InputError, match="belongs to 'avoiding-arguments'"):
        set_score(
            store,
            small_bank,
            "Dana",
            "Bob",
            "teamwork",
            3,
            question="avoiding-arguments-01",
            round_id="panel",
        )
    assert count(store, "ratings") == 0
    assert count(store, "interviews") == 0
    assert count(store, "audit") == 0


def test_ambiguous_names_are_refused_with_the_ids(store) -> None:  # type: ignore[no-untyped-def]
    first = add_candidate(store, "Sam Berg")
    with pytest.raises(InputError, match=r"already called 'Sam Berg' \(id 1\).*--allow-same-name"):
        add_candidate(store, "Sam Berg")
    second = add_candidate(store, "Sam Berg", allow_same_name=True)
    with pytest.raises(InputError, match=rf"ids {first.id}, {second.id}\): use the id"):
        find_candidate(store, "Sam Berg")
    assert find_candidate(store, str(second.id)).id == second.id


def test_default_round(store, small_bank) -> None:  # type: ignore[no-untyped-def]
    add_candidate(store, "With Role", role=ROLE)
    add_candidate(store, "No Role")
    # No interview yet and a role of two rounds: refused, listing them (no silent first round).
    with pytest.raises(InputError, match=r"Bob has no interview with With Role \(1\) yet: "
                       r"give the round \(--round; rounds of inbound-agent: screen, panel\)"):
        set_score(store, small_bank, "With Role", "Bob", "avoiding-arguments", 2)
    with pytest.raises(InputError, match="no role in the bank: give the round"):
        set_score(store, small_bank, "No Role", "Bob", "teamwork", 2)
    assert count(store, "interviews") == 0
    record_interview(store, small_bank, "With Role", "Eve", round_id="panel")
    assert set_score(store, small_bank, "With Role", "Eve", "teamwork", 2).round == "panel"
    record_interview(store, small_bank, "With Role", "Eve", round_id="screen")
    with pytest.raises(InputError, match="Eve has open interviews with With Role .1. in rounds "
                       "panel, screen: give the round"):
        set_score(store, small_bank, "With Role", "Eve", "avoiding-arguments", 2)


def test_pending_scorecards_oldest_first_with_what_is_missing(store, small_bank) -> None:  # type: ignore[no-untyped-def]
    add_candidate(store, "Old", role=ROLE)
    add_candidate(store, "New", role=ROLE)
    record_interview(store, small_bank, "New", "Eve", round_id="panel")
    record_interview(store, small_bank, "Old", "Bob", round_id="panel", date="2026-01-05")
    record_interview(store, small_bank, "Old", "Eve", round_id="screen", date="2026-01-06")
    set_score(store, small_bank, "Old", "Bob", "teamwork", 4, round_id="panel")
    pending = pending_scorecards(store, small_bank)
    summary = [
        (
            p["candidate"],
            p["interviewer"],
            p["round"],
            p["missing_scores"],
            p["missing_recommendation"],
        )
        for p in pending
    ]
    assert summary == [
        ("Old", "Bob", "panel", ["avoiding-arguments"], True),
        ("Old", "Eve", "screen", ["avoiding-arguments"], True),
        ("New", "Eve", "panel", ["teamwork", "avoiding-arguments"], True),
    ]
    later = datetime(2026, 1, 7, 12, tzinfo=UTC)  # cutoff: 5 January, noon
    old_only = pending_scorecards(store, small_bank, timedelta(days=2), now=later)
    assert [(p["candidate"], p["round"]) for p in old_only] == [("Old", "panel")]
    # A complete scorecard (every competency of the round and a recommendation) is done
    # once submitted; until then it is a draft with nothing missing.
    set_score(store, small_bank, "Old", "Eve", "avoiding-arguments", 2, round_id="screen")
    set_recommendation(store, small_bank, "Old", "Eve", "screen", "yes")
    assert [(p["candidate"], p["round"], p["state"], p["missing_scores"])
            for p in pending_scorecards(store, small_bank)][1] == ("Old", "screen", "draft", [])
    submit_scorecard(store, small_bank, "Old", "Eve", "screen")
    assert [(p["candidate"], p["round"]) for p in pending_scorecards(store, small_bank)] == [
        ("Old", "panel"),
        ("New", "panel"),
    ]
    with pytest.raises(InputError, match="not one of"):
        set_recommendation(store, small_bank, "Old", "Eve", "screen", "maybe")


def test_manifest_sets_what_the_scorecard_needs(store, small_bank, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    add_candidate(store, "Mia", role=ROLE)
    manifest = tmp_path / "guide.json"
    manifest.write_text(
        json.dumps(
            {
                "kind": "hiring-guide-manifest",
                "version": 1,
                "role": ROLE,
                "round": "panel",
                "candidate": "Mia",
                "interviewer": "Bob",
                "language": "da",
                "bank_version": "abcdef123456",
                "seed": 0,
                "competencies": ["teamwork"],
                "questions": [{"competency": "teamwork", "question": "teamwork-02"}],
                "created": "2026-11-20T10:00:00+00:00",
            }
        ),
        encoding="utf-8",
    )
    record_interview(store, small_bank, "Mia", "Bob", manifest=manifest)
    row = store.one("SELECT round, language, bank_version, questions FROM interviews")
    assert row == ("panel", "da", "abcdef123456", '["teamwork-02"]')
    assert pending_scorecards(store, small_bank)[0]["missing_scores"] == ["teamwork"]


def test_consensus_needs_every_panel_member(store, small_bank) -> None:  # type: ignore[no-untyped-def]
    add_candidate(store, "Pia", role=ROLE)
    record_interview(store, small_bank, "Pia", "Bob", round_id="panel")
    record_interview(store, small_bank, "Pia", "Eve", round_id="panel")
    set_score(store, small_bank, "Pia", "Bob", "teamwork", 2, round_id="panel")
    with pytest.raises(InputError, match="waiting for Eve"):
        set_consensus(store, small_bank, "Pia", "panel", "teamwork", 3, "discussed")
    set_score(store, small_bank, "Pia", "Eve", "teamwork", 4, round_id="panel")
    # Rated is not enough: a draft could still move towards the consensus unmarked.
    with pytest.raises(InputError, match=r"waiting for Bob \(scorecard not submitted\), "
                                         r"Eve \(scorecard not submitted\)"):
        set_consensus(store, small_bank, "Pia", "panel", "teamwork", 3, "discussed")
    for who in ("Bob", "Eve"):
        set_score(store, small_bank, "Pia", who, "avoiding-arguments", 2, round_id="panel")
        set_recommendation(store, small_bank, "Pia", who, "panel", "yes")
        submit_scorecard(store, small_bank, "Pia", who, "panel")
    result = set_consensus(store, small_bank, "Pia", "panel", "teamwork", 3, "discussed", "Lead")
    assert (result.action, result.score) == ("created", 3)
    with pytest.raises(InputError, match="needs a note"):
        set_consensus(store, small_bank, "Pia", "panel", "teamwork", 3, "  ")
    assert audit_rows(store)[-1] == ("consensus.set", "Lead", "teamwork", None, "3")
    from hiring.reports.data import load_report_data

    data = load_report_data(store, small_bank, ROLE, round_id="panel")
    assert data.consensus == [(1, "panel", "teamwork", 3, "discussed")]
    assert sorted(r.interviewer for r in data.ratings if r.competency == "teamwork") == [
        "Bob", "Eve"]


def test_list_as_interviewer_hides_others_until_own_score(store, small_bank) -> None:  # type: ignore[no-untyped-def]
    add_candidate(store, "Ida", role=ROLE)
    set_score(store, small_bank, "Ida", "Bob", "teamwork", 5, round_id="panel")
    set_score(store, small_bank, "Ida", "Bob", "avoiding-arguments", 1, round_id="screen")
    before = list_scores(store, "Ida", as_interviewer="Eve")
    assert before.rows == [] and before.hidden == {"panel": 1, "screen": 1}
    set_score(store, small_bank, "Ida", "Eve", "teamwork", 2, round_id="panel")
    set_score(store, small_bank, "Ida", "Eve", "avoiding-arguments", 1, round_id="panel")
    set_recommendation(store, small_bank, "Ida", "Eve", "panel", "no")
    assert list_scores(store, "Ida", as_interviewer="Eve").hidden == {"panel": 1, "screen": 1}
    submit_scorecard(store, small_bank, "Ida", "Eve", "panel")
    after = list_scores(store, "Ida", as_interviewer="Eve")
    assert [(r["round"], r["interviewer"], r["score"]) for r in after.rows] == [
        ("panel", "Eve", 1),
        ("panel", "Bob", 5),
        ("panel", "Eve", 2),
    ]
    assert after.hidden == {"screen": 1}  # Eve has no submitted screen scorecard
    assert len(list_scores(store, "Ida").rows) == 4


def test_import_is_all_or_nothing_with_line_numbers(store, small_bank, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    add_candidate(store, "Ola", role=ROLE)
    bad = tmp_path / "bad.csv"
    bad.write_text(
        "candidate,interviewer,competency,score,note,round,question\n"  # line 1
        "Ola,Bob,teamwork,4,good,panel,\n"  # 2: fine
        "Ola,Bob,avoiding-arguments,4,,panel,\n"  # 3: 0-3 scale
        "Ola,Eve,teamwork,3,,panel,teamwork-01\n"  # 4: fine
        "Nobody,Eve,teamwork,3,,,\n"  # 5: unknown candidate
        'Ola,Eve,avoiding-arguments,2,"multi\nline note",screen,\n'  # 6-7: fine, quoted newline
        "Ola,Eve,typing,2,,panel,\n",  # 8: unknown competency
        encoding="utf-8",
    )
    with pytest.raises(RowsError) as caught:
        import_scores(store, small_bank, bad)
    problems = caught.value.problems
    assert [p.split(":")[0] for p in problems] == ["line 3", "line 5", "line 8"]
    assert "outside the scale" in problems[0] and "no candidate 'Nobody'" in problems[1]
    assert count(store, "ratings") == 0 and count(store, "interviews") == 0


def test_export_import_round_trip(store, small_bank, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    add_candidate(store, "Åse Ødegård", role=ROLE)
    add_candidate(store, 'Li, Wei "Bo"', role=ROLE)
    set_score(
        store,
        small_bank,
        "Åse Ødegård",
        "Bob",
        "teamwork",
        4,
        note='said "we", twice\nok',
        round_id="panel",
        question="teamwork-01",
    )
    set_score(store, small_bank, "Åse Ødegård", "Bob", "avoiding-arguments", 0)
    set_score(store, small_bank, 'Li, Wei "Bo"', "Eve", "teamwork", 1, round_id="panel")
    exported = export_scores(store, "csv")
    assert exported.splitlines()[0] == (
        "candidate,interviewer,competency,score,note,round,question,role,recommendation")
    assert exported.splitlines()[1].endswith(",inbound-agent,")
    source = tmp_path / "scores.csv"
    source.write_text(exported, encoding="utf-8")
    with open_store(tmp_path / "copy.db") as copy:
        counts = import_scores(copy, small_bank, source, create_candidates=True)
        assert counts == {"created": 3, "updated": 0, "unchanged": 0, "candidates_created": 2,
                          "roles_given": 0,
                          "recommendations": 0, "submitted": 0, "notes_kept": 0,
                          "notes_cleared": 0}
        assert export_scores(copy, "csv") == exported
        # Importing the same file again changes nothing and audits nothing new.
        assert import_scores(copy, small_bank, source)["unchanged"] == 3
        assert count(copy, "audit") == 3
    data = json.loads(export_scores(store, "json"))
    assert {r["score"] for r in data["ratings"]} == {4, 0, 1}


def test_export_neutralises_formulas_and_import_restores_them(  # type: ignore[no-untyped-def]
    store, small_bank, tmp_path: Path
) -> None:
    add_candidate(store, "=cmd|' /C calc'!A0", role=ROLE)
    set_score(
        store,
        small_bank,
        "=cmd|' /C calc'!A0",
        "@Bob",
        "teamwork",
        3,
        note='=HYPERLINK("http://evil.example","click")',
        round_id="panel",
    )
    exported = export_scores(store, "csv")
    row = exported.splitlines()[1]
    # Every untrusted cell that a spreadsheet would run starts with a quote instead.
    assert row.startswith("'=cmd|' /C calc'!A0,'@Bob,teamwork,3,")
    assert "\"'=HYPERLINK(" in row
    source = tmp_path / "scores.csv"
    source.write_text(exported, encoding="utf-8")
    with open_store(tmp_path / "copy.db") as copy:
        import_scores(copy, small_bank, source, create_candidates=True)
        note, interviewer = copy.one(
            "SELECT r.note, i.interviewer FROM ratings r JOIN interviews i ON i.id = r.interview_id"
        )
        assert note == '=HYPERLINK("http://evil.example","click")'
        assert interviewer == "@Bob"


def test_superscript_digits_are_a_name_not_an_id(store) -> None:  # type: ignore[no-untyped-def]
    from hiring.errors import NotFoundError

    # "²".isdigit() is True but int("²") fails: the lookup must treat it as a name.
    with pytest.raises(NotFoundError, match="no candidate '²'"):
        find_candidate(store, "²")


def test_nothing_new_is_recorded_about_an_erased_candidate(  # type: ignore[no-untyped-def]
    store, small_bank
) -> None:
    from hiring.errors import InputError
    from hiring.store import erase_candidate

    add_candidate(store, "Gone", role=ROLE)
    erase_candidate(store, "Gone")
    (candidate_id,) = store.one("SELECT id FROM candidates")
    before = count(store, "interviews")
    for write in (
        lambda: set_recommendation(store, small_bank, candidate_id, "Bob", "panel", "yes"),
        lambda: record_interview(store, small_bank, candidate_id, "Bob", round_id="panel"),
        lambda: set_score(store, small_bank, candidate_id, "Bob", "teamwork", 3),
    ):
        with pytest.raises(InputError, match="was erased; nothing new can be recorded"):
            write()
    assert count(store, "interviews") == before


def test_import_refuses_a_competency_the_role_does_not_assess(  # type: ignore[no-untyped-def]
    store, shrunk_bank: Path, tmp_path: Path
) -> None:
    from hiring.bank import load_bank

    bank = load_bank([shrunk_bank])  # the small bank whose role no longer assesses teamwork
    add_candidate(store, "Ines", role=ROLE)
    source = tmp_path / "scores.csv"
    source.write_text(
        "candidate,interviewer,competency,score,round\nInes,Bob,avoiding-arguments,2,panel\n"
        "Ines,Bob,teamwork,3,panel\n",
        encoding="utf-8",
    )
    with pytest.raises(RowsError) as caught:
        import_scores(store, bank, source)
    assert caught.value.problems == [
        "line 3: competency 'teamwork' is not assessed for role 'inbound-agent'"
    ]
    assert count(store, "ratings") == 0  # all or nothing, as 'score set' would refuse it


def test_export_neutralises_a_formula_in_a_free_text_round(  # type: ignore[no-untyped-def]
    store, small_bank
) -> None:
    add_candidate(store, "No Role")
    set_score(store, small_bank, "No Role", "Bob", "teamwork", 2, round_id="=1+1")
    assert export_scores(store, "csv").splitlines()[1].endswith(",'=1+1,,,")


def test_a_scorecard_that_cannot_be_planned_leaves_no_interview(  # type: ignore[no-untyped-def]
    store, small_bank
) -> None:
    from hiring.errors import InputError
    from hiring.store import scorecard_plan

    add_candidate(store, "No Role")
    with pytest.raises(InputError, match="cannot tell which competencies"):
        scorecard_plan(store, small_bank, "No Role", "Bob", round_id="interview")
    assert count(store, "interviews") == 0
    assert pending_scorecards(store, small_bank) == []


def test_import_puts_a_row_without_round_where_score_set_would(  # type: ignore[no-untyped-def]
    store, small_bank, tmp_path: Path
) -> None:
    add_candidate(store, "Jo", role=ROLE)
    record_interview(store, small_bank, "Jo", "Eve", round_id="panel")  # not the first round
    source = tmp_path / "scores.csv"
    source.write_text(
        "candidate,interviewer,competency,score\nJo,Eve,teamwork,4\nJo,Bob,avoiding-arguments,2\n",
        encoding="utf-8",
    )
    with pytest.raises(RowsError) as caught:
        import_scores(store, small_bank, source)
    # Bob has no interview with Jo: refused with the rounds, not put in the first round.
    assert caught.value.problems == [
        "line 3: Bob has no interview with Jo yet: give the round (--round; rounds of "
        "inbound-agent: screen, panel)"
    ]
    source.write_text("candidate,interviewer,competency,score\nJo,Eve,teamwork,4\n",
                      encoding="utf-8")
    import_scores(store, small_bank, source)
    rounds = dict(
        store.all(
            "SELECT i.interviewer, i.round "
            "FROM ratings r JOIN interviews i ON i.id = r.interview_id"
        )
    )
    assert rounds == {"Eve": "panel"}  # Eve's only open interview with Jo
    assert set_score(store, small_bank, "Jo", "Eve", "avoiding-arguments", 1).round == "panel"
