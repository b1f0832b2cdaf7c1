"""A guide built for a named candidate and interviewer records the interview in the store."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from hiring.bank import load_bank
from hiring.store import open_store, pending_scorecards
from tests.conftest import SMALL_BANK, invoke


def build(runner: CliRunner, db: Path, out: Path, *options: str):  # type: ignore[no-untyped-def]
    return invoke(
        runner, "--bank", str(SMALL_BANK), "--db", str(db), "guide", "build",
        "--role", "inbound-agent", "--out", str(out), *options,
    )


def test_guide_build_records_the_interview(runner: CliRunner, tmp_path: Path) -> None:
    db = tmp_path / "hiring.db"
    result = build(
        runner, db, tmp_path / "kit.html", "--round", "panel", "--candidate", "Ana <b>Lund</b>",
        "--interviewer", "Bo Holm", "--lang", "da",
    )
    assert result.exit_code == 0, result.output
    manifest = json.loads((tmp_path / "kit.html.manifest.json").read_text(encoding="utf-8"))
    store = open_store(db)
    try:
        rows = store.all(
            "SELECT c.name, c.role, i.interviewer, i.round, i.language, i.bank_version "
            "FROM interviews i JOIN candidates c ON c.id = i.candidate_id"
        )
        assert [tuple(row) for row in rows] == [
            ("Ana <b>Lund</b>", "inbound-agent", "Bo Holm", "panel", "da", manifest["bank_version"])
        ]
        pending = pending_scorecards(store, load_bank([SMALL_BANK]))
        assert len(pending) == 1  # nothing rated yet: the scorecard is pending
    finally:
        store.close()


def test_no_record_and_unnamed_guides_leave_the_store_alone(
    runner: CliRunner, tmp_path: Path
) -> None:
    db = tmp_path / "hiring.db"
    for options in (
        ["--candidate", "Ana", "--interviewer", "Bo", "--no-record"],
        ["--candidate", "Ana"],
    ):
        result = build(runner, db, tmp_path / "kit.md", *options)
        assert result.exit_code == 0, result.output
        assert "recorded interview" not in result.stdout
    assert not db.exists()
