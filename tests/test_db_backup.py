"""``hiring db export / import / copy``: a full backup, restored into an empty database.

The demo's data (8 candidates, 3 interviewers, 230 ratings with notes, 23 recommendations)
plus a consensus score and an erased candidate, on SQLite; exported, imported into each
database; the comparison report made from the copy must read exactly as the original.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from functools import partial
from pathlib import Path
from typing import Any

import pytest

from tests import cli_helpers

BUNDLED_ROLE, BUNDLED_ROUND = "inbound-agent", "panel"
# The bundled bank (the demo's), not the small test bank.
run = partial(cli_helpers.run, bank=None)
ok = partial(cli_helpers.ok, bank=None)
refused = partial(cli_helpers.refused, bank=None)


@pytest.fixture(scope="module")
def bundled_bank():  # type: ignore[no-untyped-def]
    from hiring.bank import load_bank

    return load_bank(None)


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory: pytest.TempPathFactory, bundled_bank: Any) -> Path:
    """The demo's database (as ``hiring demo`` fills it, without the guides and PDF)."""
    from hiring.demo.dataset import demo_dataset
    from hiring.store import (
        add_candidate,
        erase_candidate,
        open_store,
        record_interview,
        set_consensus,
        set_recommendation,
        set_score,
        submit_scorecard,
    )

    path = tmp_path_factory.mktemp("demo") / "hiring.db"
    data = demo_dataset(bundled_bank, BUNDLED_ROLE, BUNDLED_ROUND)
    with open_store(path) as store:
        for name, email in data.candidates:
            add_candidate(store, name, email=email, role=BUNDLED_ROLE)
            for interviewer in data.interviewers:
                record_interview(store, bundled_bank, name, interviewer, role=BUNDLED_ROLE,
                                 round_id=BUNDLED_ROUND, language="en")
        for rating in data.ratings:
            set_score(store, bundled_bank, rating.candidate, rating.interviewer,
                      rating.competency, rating.score, note=rating.note, round_id=BUNDLED_ROUND)
        for candidate, interviewer, decision in data.recommendations:
            set_recommendation(store, bundled_bank, candidate, interviewer, BUNDLED_ROUND,
                               decision)
        first = data.candidates[0][0]
        competency = data.ratings[0].competency
        for interviewer in data.interviewers:
            submit_scorecard(store, bundled_bank, first, interviewer, BUNDLED_ROUND)
        set_consensus(store, bundled_bank, first, BUNDLED_ROUND, competency, 4,
                      note="agreed after the panel talk", decided_by="Sofie Nielsen")
        add_candidate(store, "Erased Person", email="gone@example.com", role=BUNDLED_ROLE)
        erase_candidate(store, "Erased Person")
        # An interview's time, place and invitation, and a reminder sent (migration 5).
        from datetime import UTC, datetime, timedelta

        from hiring.store.reminders import claim_reminders
        from hiring.store.schedule import schedule_interview

        (iid,) = store.one("SELECT MAX(id) FROM interviews")
        schedule_interview(store, int(iid), datetime(2026, 12, 8, 9, tzinfo=UTC), 45,
                           "Room 2", "sofie@example.com")
        day = (datetime(2026, 12, 8, 9, tzinfo=UTC) + timedelta(hours=2)).date()
        claim_reminders(store, [int(iid)], day, "sofie@example.com")
    return path


def table_rows(db: str) -> dict[str, list[tuple[Any, ...]]]:
    """Every table's rows, read with plain SQL (not through the backup code)."""
    from hiring.store import open_store

    tables = ["candidates", "interviews", "ratings", "recommendations", "consensus", "audit",
              "candidate_files", "erasures_pending", "reminders"]
    with open_store(db) as store:
        return {name: store.all(f"SELECT * FROM {name} ORDER BY 1") for name in tables}


def report_html(db: str, out: Path) -> str:
    """The report's HTML without its generation time (two reports a minute apart differ
    there and nowhere else)."""
    import re

    ok(db, "report", "compare", "--role", BUNDLED_ROLE, "--out", str(out))
    return re.sub(r'<time datetime="[^"]*">[^<]*</time>', "<generated>",
                  out.read_text(encoding="utf-8"))


@pytest.fixture
def empty_db(db_url: str) -> Iterator[str]:
    yield db_url


def test_export_holds_every_table_with_its_rows(demo_db: Path, tmp_path: Path) -> None:
    backup = tmp_path / "backup.json"
    output = ok(str(demo_db), "db", "export", str(backup))
    assert "candidates 9, interviews 24, ratings 230, recommendations 23, consensus 1" in output
    data = json.loads(backup.read_text(encoding="utf-8"))
    from hiring.store.schema import SCHEMA_VERSION

    assert data["kind"] == "hiring-backup" and data["schema_version"] == SCHEMA_VERSION
    # Counted by hand in the SQLite file itself.
    raw = sqlite3.connect(demo_db)
    for table in ("candidates", "interviews", "ratings", "recommendations", "consensus", "audit"):
        (count,) = raw.execute(f"SELECT COUNT(*) FROM {table}").fetchone()
        assert len(data["tables"][table]["rows"]) == count, table
    ratings = data["tables"]["ratings"]
    note = ratings["columns"].index("note")
    assert all(row[note] for row in ratings["rows"])  # every demo rating has its evidence
    candidates = data["tables"]["candidates"]
    role = candidates["columns"].index("role")
    assert {row[role] for row in candidates["rows"]} == {BUNDLED_ROLE}
    audit_actions = {row[3] for row in data["tables"]["audit"]["rows"]}
    assert {"rating.create", "recommendation.set", "consensus.set",
            "candidate.erase"} <= audit_actions
    assert "Erased Person" not in backup.read_text(encoding="utf-8")


def test_export_import_gives_the_same_rows_and_the_same_report(
    demo_db: Path, empty_db: str, tmp_path: Path
) -> None:
    backup = tmp_path / "backup.json"
    ok(str(demo_db), "db", "export", str(backup))
    output = ok(empty_db, "db", "import", str(backup))
    assert "ratings 230" in output
    assert table_rows(empty_db) == table_rows(str(demo_db))
    original = report_html(str(demo_db), tmp_path / "original.html")
    restored = report_html(empty_db, tmp_path / "restored.html")
    assert "Mikkel" in original
    assert restored == original


def test_copy_moves_everything_and_new_ids_do_not_collide(
    demo_db: Path, empty_db: str, tmp_path: Path
) -> None:
    output = ok(str(demo_db), "db", "copy", "--to", empty_db)
    assert output.startswith(f"copied {demo_db} to ")
    assert table_rows(empty_db) == table_rows(str(demo_db))
    assert report_html(empty_db, tmp_path / "copy.html") == report_html(
        str(demo_db), tmp_path / "original.html"
    )
    # The identity sequences were moved on: new rows get the next ids.
    assert ok(empty_db, "candidate", "add", "New Person").strip() == "10"
    ok(empty_db, "score", "set", "--candidate", "New Person", "--interviewer", "Ann",
       "--competency", "empathy", "--score", "4", "--round", BUNDLED_ROUND)
    rows = table_rows(empty_db)
    assert rows["ratings"][-1][0] == 231 and rows["interviews"][-1][0] == 25
    assert rows["audit"][-1][0] == len(rows["audit"])


def test_import_into_a_database_that_has_data_is_refused(
    demo_db: Path, empty_db: str, tmp_path: Path
) -> None:
    backup = tmp_path / "backup.json"
    ok(str(demo_db), "db", "export", str(backup))
    ok(empty_db, "candidate", "add", "Already Here")
    message = refused(empty_db, "db", "import", str(backup))
    assert "is not empty (it holds candidates 1 rows)" in message
    assert [row[1] for row in table_rows(empty_db)["candidates"]] == ["Already Here"]
    message = refused(str(demo_db), "db", "copy", "--to", empty_db)
    assert "is not empty" in message


def _edit(backup: Path, change: Any) -> Path:
    data = json.loads(backup.read_text(encoding="utf-8"))
    change(data)
    edited = backup.with_name("edited.json")
    edited.write_text(json.dumps(data), encoding="utf-8")
    return edited


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda d: d.update(schema_version=99), "written by a newer hiring (schema version 99"),
        (lambda d: d.update(kind="something"), "is not a hiring backup"),
        (lambda d: d["tables"].pop("audit"), "table 'audit' is missing"),
        (lambda d: d["tables"].update(extra={"columns": [], "rows": []}),
         "unknown table(s) extra"),
        (lambda d: d["tables"]["ratings"]["rows"][5].__setitem__(1, 999),
         "1 problem(s) in the backup"),
        (lambda d: d["tables"]["ratings"]["rows"][5].__setitem__(4, "five"),
         "1 problem(s) in the backup"),
        (lambda d: d["tables"]["ratings"]["rows"][5].__setitem__(4, True),
         "'score' must be a whole number, not True"),
        (lambda d: d["tables"]["candidates"]["rows"][1].__setitem__(1, None),
         "1 problem(s) in the backup"),
        (lambda d: d["tables"]["ratings"]["rows"].append(d["tables"]["ratings"]["rows"][0]),
         "in the backup"),
        (lambda d: d["tables"]["ratings"]["rows"][0].__setitem__(5, "a\x00b"),
         "1 problem(s) in the backup"),
    ],
)
def test_a_bad_backup_is_refused_and_nothing_is_written(
    demo_db: Path, db_url: str, tmp_path: Path, change: Any, message: str
) -> None:
    backup = tmp_path / "backup.json"
    ok(str(demo_db), "db", "export", str(backup))
    edited = _edit(backup, change)
    result = run(db_url, "db", "import", str(edited))
    assert result.exit_code == 1
    assert result.stderr.strip().splitlines()[-1].startswith("Error: "), result.stderr
    assert message in result.stderr, result.stderr
    assert "Traceback" not in result.output
    if db_url.startswith("postgresql"):
        assert all(rows == [] for rows in table_rows(db_url).values())
    else:
        assert not Path(db_url).exists()  # checked before the database was even created


def test_row_problems_name_the_table_and_row(demo_db: Path, tmp_path: Path) -> None:
    backup = tmp_path / "backup.json"
    ok(str(demo_db), "db", "export", str(backup))
    edited = _edit(backup, lambda d: d["tables"]["ratings"]["rows"][5].__setitem__(1, 999))
    result = run(str(tmp_path / "new.db"), "db", "import", str(edited))
    assert "ratings row 6: 'interview_id' 999 is not in interviews" in result.stderr


def test_a_column_a_new_migration_adds_is_carried(
    demo_db: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Another developer's migration adds a column: export and import carry it unchanged."""
    from hiring.store import schema

    migrations = [*schema.MIGRATIONS, ["ALTER TABLE interviews ADD COLUMN state TEXT"]]
    monkeypatch.setattr(schema, "MIGRATIONS", migrations)
    monkeypatch.setattr(schema, "SCHEMA_VERSION", len(migrations))
    schema.schema_tables.cache_clear()
    try:
        source = tmp_path / "source.db"
        target = tmp_path / "target.db"
        ok(str(source), "candidate", "add", "Ann Lee", "--role", BUNDLED_ROLE)
        ok(str(source), "score", "set", "--candidate", "Ann Lee", "--interviewer", "Bo",
           "--competency", "empathy", "--score", "3", "--round", BUNDLED_ROUND)
        sqlite3.connect(source).execute("UPDATE interviews SET state = 'submitted'").connection \
            .commit()
        backup = tmp_path / "backup.json"
        ok(str(source), "db", "export", str(backup))
        data = json.loads(backup.read_text(encoding="utf-8"))
        assert data["schema_version"] == len(migrations)
        assert "state" in data["tables"]["interviews"]["columns"]
        ok(str(target), "db", "import", str(backup))
        assert sqlite3.connect(target).execute("SELECT state FROM interviews").fetchall() == [
            ("submitted",)
        ]
    finally:
        schema.schema_tables.cache_clear()


def test_db_commands_load_no_heavy_modules(demo_db: Path, tmp_path: Path) -> None:
    import subprocess
    import sys

    code = (
        "import sys\n"
        "from hiring.cli import app\n"
        f"sys.argv = ['hiring', '--db', {str(demo_db)!r}, 'db', 'export', "
        f"{str(tmp_path / 'b.json')!r}]\n"
        "try:\n    app()\nexcept SystemExit:\n    pass\n"
        "heavy = ('weasyprint', 'jinja2', 'numpy', 'psycopg', 'pydantic', 'yaml', 'scipy')\n"
        "print(sorted({m.split('.')[0] for m in sys.modules} & set(heavy)))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            check=True, cwd=Path(__file__).parent.parent)
    assert result.stdout.strip().splitlines()[-1] == "[]", result.stdout
    assert (tmp_path / "b.json").is_file()
