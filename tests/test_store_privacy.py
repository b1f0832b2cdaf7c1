"""Erasing a candidate: no trace of their name, e-mail or notes; scores kept anonymised."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from typer.testing import CliRunner

from hiring.cli import app
from hiring.store import (
    add_candidate,
    export_scores,
    open_store,
    set_consensus,
    set_recommendation,
    set_score,
    submit_scorecard,
)
from tests.conftest import SMALL_BANK


@pytest.fixture
def small_bank(small_bank_loaded):  # type: ignore[no-untyped-def]
    """Here ``small_bank`` means the loaded Bank (conftest's ``small_bank`` is a folder copy)."""
    return small_bank_loaded


NAME = "Zebulon Quixotic-Marsh"
EMAIL = "zebulon.qm@example.org"
NOTES = ["ZQNOTE-first-evidence-kangaroo", "ZQNOTE-second-evidence-platypus",
         "ZQNOTE-consensus-wombat"]


def test_erase_leaves_no_trace_and_keeps_anonymised_scores(db_url: str, small_bank) -> None:  # type: ignore[no-untyped-def]
    with open_store(db_url) as store:
        other = add_candidate(store, "Other Person", role="inbound-agent")
        erased = add_candidate(store, NAME, EMAIL, "inbound-agent")
        set_score(store, small_bank, erased.id, "Bob", "teamwork", 2, note=NOTES[0],
                  round_id="panel")
        # An update leaves the old note in an old page image unless it is wiped.
        set_score(store, small_bank, erased.id, "Bob", "teamwork", 4, note=NOTES[1],
                  round_id="panel")
        set_score(store, small_bank, erased.id, "Bob", "avoiding-arguments", 2, round_id="panel")
        set_recommendation(store, small_bank, erased.id, "Bob", "panel", "yes")
        submit_scorecard(store, small_bank, erased.id, "Bob", "panel")  # consensus comes after
        set_consensus(store, small_bank, erased.id, "panel", "teamwork", 4, NOTES[2])
        set_score(store, small_bank, other.id, "Bob", "teamwork", 3, note="kept note",
                  round_id="panel")
        # A second connection stays open during the erasure, as another user's would.
        with open_store(db_url) as bystander:
            result = CliRunner().invoke(
                app, ["--bank", str(SMALL_BANK), "--db", db_url, "candidate", "erase", NAME,
                      "--yes", "--by", "Privacy Officer"])
            assert result.exit_code == 0, result.output
            assert bystander.one("SELECT COUNT(*) FROM candidates") == (2,)
        exported = json.loads(export_scores(store, "json"))
        assert [(r["candidate"], r["score"], r["note"]) for r in exported["ratings"]] == [
            ("Other Person", 3, "kept note"), (f"erased-{erased.id}", 2, None),
            (f"erased-{erased.id}", 4, None)]
        assert exported["consensus"][0]["note"] is None
        assert store.one("SELECT email, status FROM candidates WHERE id = :id",
                         {"id": erased.id}) == (None, "erased")
        assert store.all("SELECT actor, action, candidate_id FROM audit "
                         "WHERE action = 'candidate.erase'") == [
            ("Privacy Officer", "candidate.erase", erased.id)]
        dump = json.dumps(store.all("SELECT * FROM audit"))
        for secret in [NAME, EMAIL, *NOTES]:
            assert secret not in dump
        if db_url.startswith("postgresql"):
            return
        # Read the raw files while a connection is still open: closing the last one
        # would checkpoint and delete the WAL, hiding what a live system keeps there.
        _assert_no_secret_in(Path(db_url))
    _assert_no_secret_in(Path(db_url))


def _assert_no_secret_in(db_path: Path) -> None:
    files = [db_path, Path(f"{db_path}-wal"), Path(f"{db_path}-shm")]
    raw = b"".join(path.read_bytes() for path in files if path.exists())
    assert b"kept note" in raw  # proves the grep sees the file's text
    for secret in [NAME, EMAIL, *NOTES]:
        assert secret.encode() not in raw, secret


def test_tests_never_touch_the_users_database() -> None:
    from hiring.store.db import default_db_path

    # conftest's _private_folders: a command run without --db must not reach the real one.
    assert Path(os.environ["XDG_DATA_HOME"]) in default_db_path().parents
    assert not str(default_db_path()).startswith(str(Path.home() / ".local"))
