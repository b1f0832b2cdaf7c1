"""Stage decisions (issue 22): what the hiring manager decided after a round, recorded and
changeable with its history; where each candidate stands; the next round's kits for those
who advanced; carried by the backup and cleared of free text by erasure.

The bank: the small test bank with a third round (``final``) and a short reason list, so
"advanced into a later round" and "no next round" can both be seen.
"""

from __future__ import annotations

import json
import re
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from hiring.errors import HiringError, InputError, NotFoundError
from hiring.store import add_candidate, erase_candidate, open_store
from hiring.store.stages import (
    STAGE_DECISIONS,
    Stage,
    StageDecision,
    candidates_at_stage,
    list_decisions,
    record_decision,
    stage_of,
)
from tests import cli_helpers
from tests.conftest import SMALL_BANK

ROLE = "inbound-agent"
REASONS = """\
decision_reasons:
  - id: below-the-bar
    decisions: [reject]
    text: {en: Below the bar on the role's competencies, da: Under niveauet}
  - id: accepted-other-offer
    decisions: [withdrew]
    text: {en: Accepted another offer, da: Har takket ja til et andet tilbud}
"""


@pytest.fixture(scope="module")
def stage_bank(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("stage") / "bank"
    shutil.copytree(SMALL_BANK, folder)
    role = folder / "roles" / "inbound-agent.yaml"
    role.write_text(
        role.read_text(encoding="utf-8")
        + "    - id: final\n      minutes: 30\n      competencies: [teamwork]\n",
        encoding="utf-8",
    )
    (folder / "decision_reasons.yaml").write_text(REASONS, encoding="utf-8")
    return folder


@pytest.fixture(scope="module")
def bank(stage_bank: Path) -> Any:
    from hiring.bank import load_bank

    return load_bank([stage_bank])


@pytest.fixture
def store(db_url: str) -> Iterator[Any]:
    with open_store(db_url) as opened:
        yield opened


def ok(db: str, bank_dir: Path, *args: str) -> str:
    return cli_helpers.ok(db, *args, bank=bank_dir)


def refused(db: str, bank_dir: Path, *args: str, match: str = "") -> str:
    return cli_helpers.refused(db, *args, match=match, bank=bank_dir)


def audit_rows(store: Any) -> list[tuple[Any, ...]]:
    return store.all(
        "SELECT action, actor, round, old_value, new_value FROM audit "
        "WHERE action IN ('decision.record', 'decision.reason', 'decision.note') "
        "ORDER BY id"
    )


# -- the library -----------------------------------------------------------------------
def test_one_decision_per_candidate_and_round_changes_keep_their_history(
    store: Any, bank: Any
) -> None:
    jo = add_candidate(store, "Jo", role=ROLE)
    first = record_decision(store, "Jo", "screen", "Reject", reason="below-the-bar",
                            note="no example of calming a caller", actor="Sofie", bank=bank)
    assert (first.action, first.decision, first.reason, first.previous) == (
        "recorded", "reject", "below-the-bar", None)
    again = record_decision(store, jo.id, "screen", "reject", reason="below-the-bar",
                            note="no example of calming a caller", actor="Sofie", bank=bank)
    assert again.action == "unchanged"
    changed = record_decision(store, jo, "screen", "advance", actor="Lars", bank=bank)
    assert (changed.action, changed.previous, changed.reason, changed.reason_note) == (
        "changed", "reject", None, None)
    # One row for the candidate and round, holding the latest decision.
    rows = store.all("SELECT decision, reason, reason_note, decided_by FROM stage_decisions")
    assert rows == [("advance", None, None, "Lars")]
    assert audit_rows(store) == [
        ("decision.record", "Sofie", "screen", None, "reject"),
        ("decision.reason", "Sofie", "screen", None, "below-the-bar"),
        ("decision.note", "Sofie", "screen", None, "no example of calming a caller"),
        ("decision.record", "Lars", "screen", "reject", "advance"),
        ("decision.reason", "Lars", "screen", "below-the-bar", None),
        ("decision.note", "Lars", "screen", "no example of calming a caller", None),
    ]
    [listed] = list_decisions(store, role=ROLE, round_id="screen")
    assert listed == StageDecision(jo.id, ROLE, "screen", "advance", None, None, "Lars",
                                   changed.updated)
    assert list_decisions(store, round_id="panel") == []
    assert list_decisions(store, role="senior-agent") == []


def test_the_database_refuses_a_decision_that_is_not_one_of_the_five(store: Any) -> None:
    from hiring.store.schema import COLUMN_VALUES

    assert COLUMN_VALUES[("stage_decisions", "decision")] == STAGE_DECISIONS
    jo = add_candidate(store, "Jo", role=ROLE)
    with pytest.raises(Exception) as raised:
        with store.write():
            store.execute(
                "INSERT INTO stage_decisions (candidate_id, round, decision, decided_by, "
                "created, updated) VALUES (:c, 'screen', 'maybe', 'x', 'now', 'now')",
                {"c": jo.id},
            )
    assert "IntegrityError" in type(raised.value).__name__ or "CheckViolation" in type(
        raised.value).__name__
    assert store.all("SELECT * FROM stage_decisions") == []


@pytest.mark.parametrize(
    ("decision", "reason", "error", "message"),
    [
        ("maybe", None, InputError,
         "decision 'maybe' is not one of advance, reject, offer, hired, withdrew"),
        ("reject", "too-slow", NotFoundError,
         "no reason 'too-slow' in the bank for reject (reasons: below-the-bar)"),
        ("reject", "accepted-other-offer", InputError,
         "reason 'accepted-other-offer' explains withdrew, not reject (reasons for reject: "
         "below-the-bar)"),
        ("advance", "below-the-bar", InputError,
         "reason 'below-the-bar' explains reject, not advance (reasons for advance: none; "
         "say why in --note)"),
    ],
)
def test_a_decision_or_reason_the_bank_does_not_allow_is_refused_and_nothing_written(
    store: Any, bank: Any, decision: str, reason: str | None, error: type, message: str
) -> None:
    add_candidate(store, "Jo", role=ROLE)
    with pytest.raises(error) as raised:
        record_decision(store, "Jo", "screen", decision, reason=reason, actor="Sofie",
                        bank=bank)
    assert str(raised.value) == message
    assert store.all("SELECT * FROM stage_decisions") == [] and audit_rows(store) == []


def test_a_round_the_role_lacks_a_roleless_or_erased_candidate_are_refused(
    store: Any, bank: Any
) -> None:
    add_candidate(store, "Jo", role=ROLE)
    with pytest.raises(NotFoundError, match=r"role 'inbound-agent' has no round 'onsite' "
                       r"\(rounds: screen, panel, final\)"):
        record_decision(store, "Jo", "onsite", "advance", actor="Sofie", bank=bank)
    add_candidate(store, "Nobody Yet")
    with pytest.raises(InputError, match="candidate 2 has no role"):
        record_decision(store, "Nobody Yet", "screen", "advance", actor="Sofie", bank=bank)
    gone = add_candidate(store, "Gone", role=ROLE)
    erase_candidate(store, gone.id)
    with pytest.raises(InputError, match="was erased"):
        record_decision(store, gone.id, "screen", "advance", actor="Sofie", bank=bank)
    assert store.all("SELECT * FROM stage_decisions") == []


def test_the_roster_is_asked_before_anything_is_written(
    store: Any, bank: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    from hiring.store import stages
    from hiring.store.team import ACTIONS, PermissionError_

    asked: list[str] = []

    def refuse(store: Any, action: str) -> None:
        asked.append(action)
        raise PermissionError_("only a manager or recruiter records decisions")

    monkeypatch.setattr(stages, "require", refuse)
    add_candidate(store, "Jo", role=ROLE)
    with pytest.raises(PermissionError_):
        record_decision(store, "Jo", "screen", "advance", actor="Ann", bank=bank)
    assert asked == ["decision.record"] and "decision.record" in ACTIONS
    assert store.all("SELECT * FROM stage_decisions") == []


def test_where_each_candidate_stands(store: Any, bank: Any) -> None:
    role = bank.role(ROLE)
    names = ["Ann", "Ben", "Cai", "Dea", "Eli", "Fay"]
    for name in names:
        add_candidate(store, name, role=ROLE)
    add_candidate(store, "Other Role", role="senior-agent")
    record_decision(store, "Ben", "screen", "advance", actor="M", bank=bank)
    record_decision(store, "Cai", "screen", "reject", actor="M", bank=bank)
    record_decision(store, "Dea", "screen", "advance", actor="M", bank=bank)
    record_decision(store, "Dea", "panel", "advance", actor="M", bank=bank)
    record_decision(store, "Eli", "screen", "advance", actor="M", bank=bank)
    record_decision(store, "Eli", "panel", "withdrew", reason="accepted-other-offer",
                    actor="M", bank=bank)
    record_decision(store, "Fay", "screen", "advance", actor="M", bank=bank)
    erase_candidate(store, "Fay")

    def at(round_id: str) -> list[str]:
        return [c.name for c in candidates_at_stage(store, role, round_id)]

    assert at("screen") == ["Ann"]  # not decided on yet
    assert at("panel") == ["Ben"]  # advanced into it; Eli has a decision there; Fay erased
    assert at("final") == ["Dea"]
    with pytest.raises(NotFoundError):
        at("onsite")
    by_name = {c.name: c.id for c in __import__("hiring.store", fromlist=["x"]).list_candidates(
        store)}
    decisions = list_decisions(store)

    def stage(name: str) -> Stage:
        return stage_of(role, [d for d in decisions if d.candidate_id == by_name[name]])

    assert stage("Ann") == Stage("screen", None)
    assert stage("Cai") == Stage("screen", "reject")
    assert stage("Dea") == Stage("final", None)
    assert stage("Eli") == Stage("panel", "withdrew")
    # Advancing from the last round leaves them there, advanced (waiting for an offer).
    record_decision(store, "Dea", "final", "advance", actor="M", bank=bank)
    assert at("final") == []
    assert stage_of(role, list_decisions(store, candidate_id=by_name["Dea"])) == Stage(
        "final", "advance")


# -- the command line --------------------------------------------------------------------
def test_decide_on_the_command_line_and_its_history(db_url: str, stage_bank: Path) -> None:
    ok(db_url, stage_bank, "candidate", "add", "Mette Hansen", "--role", ROLE)
    out = ok(db_url, stage_bank, "candidate", "decide", "Mette Hansen", "--round", "screen",
             "--decision", "reject", "--reason", "below-the-bar", "--note",
             "no example of calming a caller", "--by", "Sofie")
    assert out == ("recorded: Mette Hansen (1) after round screen: reject (below-the-bar, "
                   "with a note)\n")
    out = ok(db_url, stage_bank, "candidate", "decide", "1", "--round", "screen",
             "--decision", "advance", "--by", "Lars")
    assert out == "changed: Mette Hansen (1) after round screen: advance (was reject)\n"
    out = ok(db_url, stage_bank, "candidate", "decide", "1", "--round", "screen",
             "--decision", "advance", "--by", "Lars")
    assert out == "unchanged: Mette Hansen (1) after round screen: advance\n"
    history = ok(db_url, stage_bank, "score", "history", "--candidate", "1").splitlines()
    assert [line[21:] for line in history[1:]] == [
        "Sofie decided: reject (round screen)",
        "Sofie gave the decision's reason: below-the-bar (round screen)",
        "Sofie added the decision's note: \"no example of calming a caller\" (round screen)",
        "Lars decided: advance (was reject) (round screen)",
        "Lars removed the decision's reason (was below-the-bar) (round screen)",
        "Lars cleared the decision's note (was \"no example of calming a caller\") "
        "(round screen)",
    ]
    shown = json.loads(ok(db_url, stage_bank, "candidate", "show", "1", "--json"))
    assert [(d["round"], d["decision"], d["decided_by"]) for d in shown["decisions"]] == [
        ("screen", "advance", "Lars")]
    assert re.search(r"screen +advance +by Lars",  # columns as wide as their cells
                     ok(db_url, stage_bank, "candidate", "show", "1"))


def test_decide_refusals_name_what_to_do(db_url: str, stage_bank: Path) -> None:
    ok(db_url, stage_bank, "candidate", "add", "Jo", "--role", ROLE)
    refused(db_url, stage_bank, "candidate", "decide", "Jo", "--round", "screen",
            "--decision", "reject", "--reason", "too-slow",
            match="no reason 'too-slow' in the bank for reject (reasons: below-the-bar)")
    # A bank without a reason list: the why goes in --note.
    line = cli_helpers.refused(db_url, "candidate", "decide", "Jo", "--round", "screen",
                               "--decision", "reject", "--reason", "below-the-bar")
    assert "the bank lists no decision reasons" in line and "--note" in line
    cli_helpers.ok(db_url, "candidate", "decide", "Jo", "--round", "screen", "--decision",
                   "reject", "--note", "too slow on the written task")


def test_candidate_list_stage_lists_who_is_at_a_round(db_url: str, stage_bank: Path) -> None:
    for name in ("Ann", "Ben", "Cai"):
        ok(db_url, stage_bank, "candidate", "add", name, "--role", ROLE)
    ok(db_url, stage_bank, "candidate", "decide", "Ben", "--round", "screen", "--decision",
       "advance")
    ok(db_url, stage_bank, "candidate", "decide", "Cai", "--round", "screen", "--decision",
       "reject")
    listed = json.loads(ok(db_url, stage_bank, "candidate", "list", "--stage", "panel",
                           "--json"))
    assert [c["name"] for c in listed] == ["Ben"]
    text = ok(db_url, stage_bank, "candidate", "list", "--stage", "screen")
    assert [line.split()[-1] for line in text.splitlines()[1:]] == ["Ann"]
    refused(db_url, stage_bank, "candidate", "list", "--stage", "onsite",
            match="no role in the bank has a round 'onsite' (rounds: final, panel, screen)")


def test_guide_batch_builds_the_next_rounds_kits_for_those_who_advanced(
    db_url: str, stage_bank: Path, tmp_path: Path
) -> None:
    for name in ("Ann Lee", "Ben Ng", "Cai Wu"):
        ok(db_url, stage_bank, "candidate", "add", name, "--role", ROLE)
    ok(db_url, stage_bank, "candidate", "decide", "Ben Ng", "--round", "screen", "--decision",
       "advance")
    ok(db_url, stage_bank, "candidate", "decide", "Cai Wu", "--round", "screen",
       "--decision", "advance")
    ok(db_url, stage_bank, "candidate", "decide", "Cai Wu", "--round", "panel",
       "--decision", "reject")
    out_dir = tmp_path / "kits"
    out = ok(db_url, stage_bank, "guide", "batch", "--role", ROLE, "--from-round", "screen",
             "--decision", "advance", "--out-dir", str(out_dir), "--format", "md")
    assert "1 guide(s) written" in out, out
    [guide] = sorted(out_dir.glob("*.md"))
    assert guide.name == "ben-ng-panel-en.md"
    manifest = json.loads((out_dir / (guide.name + ".manifest.json")).read_text("utf-8"))
    assert (manifest["candidate"], manifest["candidate_id"], manifest["round"]) == (
        "Ben Ng", 2, "panel")
    # The guide holds the name: erasing Ben lists it.
    erased = cli_helpers.run(db_url, "candidate", "erase", "Ben Ng", "--yes", bank=stage_bank)
    assert str(guide) in erased.stderr
    refused(db_url, stage_bank, "guide", "batch", "--role", ROLE, "--from-round", "final",
            "--decision", "advance", "--out-dir", str(out_dir),
            match="'final' is the last round of inbound-agent: there is no next round")
    refused(db_url, stage_bank, "guide", "batch", "--role", ROLE, "--from-round", "screen",
            "--decision", "reject", "--out-dir", str(out_dir),
            match="only 'advance' leads to a next round's guide")
    refused(db_url, stage_bank, "guide", "batch", "--role", ROLE, "--from-round", "panel",
            "--decision", "advance", "--out-dir", str(tmp_path / "none"),
            match="no candidate of inbound-agent advanced from 'panel'")
    assert not (tmp_path / "none").exists()


# -- backup and erasure ------------------------------------------------------------------
def test_export_and_import_carry_the_decisions(
    tmp_path: Path, db_url: str, stage_bank: Path
) -> None:
    source = str(tmp_path / "source.db")
    ok(source, stage_bank, "candidate", "add", "Jo", "--role", ROLE)
    ok(source, stage_bank, "candidate", "decide", "Jo", "--round", "screen", "--decision",
       "reject", "--reason", "below-the-bar", "--note", "short answers")
    backup = tmp_path / "backup.json"
    ok(source, stage_bank, "db", "export", str(backup))
    data = json.loads(backup.read_text(encoding="utf-8"))
    table = data["tables"]["stage_decisions"]
    assert len(table["rows"]) == 1
    ok(db_url, stage_bank, "db", "import", str(backup))
    with open_store(db_url) as store:
        [decision] = list_decisions(store)
    assert (decision.decision, decision.reason, decision.reason_note) == (
        "reject", "below-the-bar", "short answers")
    # A decision that is not one of the five is refused before anything is written.
    table["rows"][0][table["columns"].index("decision")] = "maybe"
    backup.write_text(json.dumps(data), encoding="utf-8")
    result = cli_helpers.run(str(tmp_path / "other.db"), "db", "import", str(backup),
                             bank=stage_bank)
    assert result.exit_code == 1
    assert ("stage_decisions row 1: 'decision' is 'maybe', not one of advance, reject, offer, "
            "hired, withdrew") in result.stderr


def test_erasure_clears_the_decisions_note_and_keeps_the_decision(
    store: Any, bank: Any
) -> None:
    add_candidate(store, "Jo", role=ROLE)
    record_decision(store, "Jo", "screen", "reject", reason="below-the-bar",
                    note="SECRET-ONE", actor="M", bank=bank)
    record_decision(store, "Jo", "screen", "reject", reason="below-the-bar",
                    note="SECRET-TWO", actor="M", bank=bank)
    erase_candidate(store, "Jo")
    [decision] = list_decisions(store)
    assert (decision.decision, decision.reason, decision.reason_note) == (
        "reject", "below-the-bar", None)
    notes = [row[3:] for row in audit_rows(store) if row[0] == "decision.note"]
    assert notes == [(None, "[erased]"), ("[erased]", "[erased]")]
    with pytest.raises(HiringError):
        record_decision(store, 1, "panel", "advance", actor="M", bank=bank)


# -- the bank's reason list --------------------------------------------------------------
def test_the_reason_list_is_checked_like_the_rest_of_the_bank(small_bank: Path) -> None:
    from hiring.bank.load import check_bank

    path = small_bank / "decision_reasons.yaml"
    path.write_text(
        "decision_reasons:\n"
        "  - id: below-the-bar\n"
        "    decisions: [reject]\n"
        "    text: {en: Below the bar}\n"
        "  - id: below-the-bar\n"
        "    decisions: [rejected]\n"
        "    text: {en: Again, da: Igen}\n",
        encoding="utf-8",
    )
    loaded, problems = check_bank([small_bank])
    assert loaded is None
    found = [str(problem) for problem in problems]
    assert found == [
        f"{path}:6:17: input should be 'advance', 'reject', 'offer', 'hired' or 'withdrew' "
        "(decision_reasons[1].decisions[0])"
    ]
    path.write_text(path.read_text(encoding="utf-8").replace("[rejected]", "[reject]"),
                    encoding="utf-8")
    found = [str(problem) for problem in check_bank([small_bank])[1]]
    assert found == [
        f"{path}:5:5: duplicate decision reason id 'below-the-bar' (decision_reasons[1].id; "
        f"already defined at {path}:2)",
        f"{path}:4:5: missing language da (decision_reasons[0].text; the bank's roles are "
        "offered in en, da)",
    ]


def test_bank_list_shows_the_reasons(db_url: str, stage_bank: Path) -> None:
    text = ok(db_url, stage_bank, "bank", "list", "--lang", "da")
    assert re.search(r"below-the-bar +reject +Under niveauet", text)
    data = json.loads(ok(db_url, stage_bank, "bank", "list", "--json"))
    assert data["decision_reasons"][1] == {
        "id": "accepted-other-offer", "decisions": ["withdrew"],
        "text": "Accepted another offer"}
