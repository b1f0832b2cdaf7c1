"""Erase wins (issue 12, case 7).

- A write that began before the erase (``score set``, ``score import``) is erased too, and
  nothing is written for the candidate after the erase committed: on PostgreSQL the old code
  let such a write land after the erase, notes and all.
- Erase reports success only when name, e-mail and notes are gone from the database files.
  While another process (SQLite) or session (PostgreSQL) holds a read transaction that still
  sees them, erase says what is pending (exit 3), and the next open finishes it. The files are
  read back byte for byte.
- The guide files and manifests recorded for the candidate are listed, and deleted with
  ``--delete-files``.
"""

from __future__ import annotations

import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from hiring.cli import app
from hiring.errors import InputError
from hiring.store import (
    add_candidate,
    open_store,
    set_consensus,
    set_recommendation,
    set_score,
    submit_scorecard,
)
from hiring.store.candidates import find_active_candidate
from hiring.store.stages import record_decision
from tests.conftest import DATABASES, PG_URL, SMALL_BANK

NAME = "Zebulon Quixotic-Marsh"
EMAIL = "zebulon.qm@example.org"
NOTES = ["ZQNOTE-first-evidence-kangaroo", "ZQNOTE-second-evidence-platypus",
         "ZQNOTE-consensus-wombat", "ZQNOTE-decision-echidna", "ZQNOTE-decision-quokka"]
SECRETS = [NAME, EMAIL, *NOTES]


def cli(db_url: str, *args: str):  # type: ignore[no-untyped-def]
    return CliRunner().invoke(app, ["--bank", str(SMALL_BANK), "--db", db_url, *args])


def _cli_traced(db: str, statements: list[str], *args: str):  # type: ignore[no-untyped-def]
    """``cli``, keeping every SQL statement the command's SQLite connection runs."""
    import hiring.store.db as db_module

    connect = db_module._connect_sqlite

    def traced(path: Path) -> Any:
        store = connect(path)
        store.connection.set_trace_callback(statements.append)
        return store

    db_module._connect_sqlite = traced
    try:
        return cli(db, *args)
    finally:
        db_module._connect_sqlite = connect


def _fill(db_url: str, bank: Any) -> int:
    with open_store(db_url) as store:
        other = add_candidate(store, "Other Person", role="inbound-agent")
        erased = add_candidate(store, NAME, EMAIL, "inbound-agent")
        set_score(store, bank, erased.id, "Bob", "teamwork", 2, note=NOTES[0], round_id="panel")
        set_score(store, bank, erased.id, "Bob", "teamwork", 4, note=NOTES[1], round_id="panel")
        set_score(store, bank, erased.id, "Bob", "avoiding-arguments", 2, round_id="panel")
        set_recommendation(store, bank, erased.id, "Bob", "panel", "yes")
        submit_scorecard(store, bank, erased.id, "Bob", "panel")  # consensus comes after
        set_consensus(store, bank, erased.id, "panel", "teamwork", 4, NOTES[2])
        # The stage decision's note, changed once (the audit holds both texts).
        record_decision(store, erased.id, "panel", "reject", note=NOTES[3], actor="Sofie")
        record_decision(store, erased.id, "panel", "reject", note=NOTES[4], actor="Sofie")
        set_score(store, bank, other.id, "Bob", "teamwork", 3, note="kept note", round_id="panel")
        return erased.id


def _nothing_after_the_erase(db_url: str, candidate_id: int) -> None:
    with open_store(db_url) as store:
        notes = store.all(
            "SELECT r.note FROM ratings r JOIN interviews i ON i.id = r.interview_id "
            "WHERE i.candidate_id = :c AND r.note IS NOT NULL", {"c": candidate_id})
        assert notes == []
        actions = [row[0] for row in store.all(
            "SELECT action FROM audit WHERE candidate_id = :c ORDER BY id", {"c": candidate_id})]
        assert actions[-1] == "candidate.erase", actions


# -- writers and erase -------------------------------------------------------------------
def _erase_in_thread(db_url: str, reference: int) -> tuple[threading.Thread, threading.Event]:
    """An erase in another thread; returns once it is blocked behind the caller's write
    transaction (an observed event, not a sleep), and an event set when it has finished."""
    from hiring.store import erase_candidate

    done = threading.Event()
    started = threading.Event()  # SQLite: BEGIN IMMEDIATE issued; PostgreSQL: pid known
    backend: list[int] = []

    def on_statement(sql: str) -> None:
        if sql.strip().upper() == "BEGIN IMMEDIATE":
            started.set()  # it now waits for the write lock the caller holds

    def erase() -> None:
        with open_store(db_url) as eraser:
            if eraser.dialect == "sqlite":
                eraser.connection.set_trace_callback(on_statement)
            else:
                backend.append(int(eraser.one("SELECT pg_backend_pid()")[0]))  # type: ignore[index]
                started.set()
            erase_candidate(eraser, reference)
        done.set()

    thread = threading.Thread(target=erase)
    thread.start()
    assert started.wait(60), "the erase never started"
    if backend:  # PostgreSQL: wait until the server says the erase waits for a lock
        import psycopg

        deadline = time.monotonic() + 60
        with psycopg.connect(db_url, autocommit=True) as watcher:
            while True:
                row = watcher.execute(
                    "SELECT wait_event_type FROM pg_stat_activity WHERE pid = %s", backend
                ).fetchone()
                if row is not None and row[0] == "Lock":
                    break
                assert not done.is_set(), "the erase finished while the write was in flight"
                assert time.monotonic() < deadline, "the erase never waited for the lock"
                time.sleep(0.01)
    return thread, done


def test_a_score_set_in_flight_is_erased_too(db_url: str, small_bank_loaded: Any) -> None:
    with open_store(db_url) as setup:
        candidate = add_candidate(setup, NAME, EMAIL, "inbound-agent")
    writer = open_store(db_url)
    try:
        with writer.write():
            set_score(writer, small_bank_loaded, candidate.id, "Bob", "teamwork", 3,
                      note=NOTES[0], round_id="panel")
            thread, done = _erase_in_thread(db_url, candidate.id)  # blocked behind us now
            erased_while_writing = done.is_set()
        thread.join(60)
    finally:
        writer.close()
    assert done.is_set()
    assert not erased_while_writing  # the erase waited for the write in flight...
    _nothing_after_the_erase(db_url, candidate.id)  # ...and then erased its note


def test_a_score_import_in_flight_is_erased_too(
    db_url: str, small_bank_loaded: Any, tmp_path: Path
) -> None:
    from hiring.store import import_scores

    with open_store(db_url) as setup:
        candidate = add_candidate(setup, NAME, EMAIL, "inbound-agent")
    rows = tmp_path / "scores.csv"
    rows.write_text(
        "candidate,interviewer,competency,score,note,round\n"
        + "".join(f"{candidate.id},Rater {n},teamwork,3,{NOTES[0]} {n},panel\n" for n in range(50)),
        encoding="utf-8")
    writer = open_store(db_url)
    try:
        with writer.write():
            counts = import_scores(writer, small_bank_loaded, rows)
            assert counts["created"] == 50
            thread, done = _erase_in_thread(db_url, candidate.id)  # blocked behind us now
            erased_while_writing = done.is_set()
        thread.join(60)
    finally:
        writer.close()
    assert not erased_while_writing
    _nothing_after_the_erase(db_url, candidate.id)


def test_a_writer_after_the_erase_is_refused(db_url: str, small_bank_loaded: Any) -> None:
    """The status is read under the row lock, inside the writing transaction."""
    from hiring.store import erase_candidate

    with open_store(db_url) as store:
        candidate = add_candidate(store, NAME, EMAIL, "inbound-agent")
        erase_candidate(store, candidate.id)
        with store.write(), pytest.raises(InputError, match="was erased"):
            find_active_candidate(store, candidate.id)
    result = cli(db_url, "score", "set", "--candidate", str(candidate.id), "--interviewer",
                 "Bob", "--competency", "teamwork", "--score", "3", "--round", "panel",
                 "--note", "late")
    assert result.exit_code == 1 and "was erased" in result.stderr
    _nothing_after_the_erase(db_url, candidate.id)


# -- the bytes in the files --------------------------------------------------------------
@pytest.fixture(params=DATABASES)
def own_db_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A fresh database; on PostgreSQL a database of its own, not a schema in the shared one:
    VACUUM keeps old row versions for any older transaction in the same database, and other
    test runs share that one."""
    if request.param == "sqlite":
        yield str(tmp_path / "hiring.db")
        return
    import uuid
    from urllib.parse import urlsplit, urlunsplit

    import psycopg

    assert PG_URL is not None
    name = f"hiring_erase_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(PG_URL, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    try:
        yield urlunsplit(urlsplit(PG_URL)._replace(path=f"/{name}"))
    finally:
        with psycopg.connect(PG_URL, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE "{name}" WITH (FORCE)')


def _sqlite_bytes(db: Path) -> bytes:
    files = [db, Path(f"{db}-wal"), Path(f"{db}-shm")]
    return b"".join(path.read_bytes() for path in files if path.exists())


def _postgres_bytes(db_url: str) -> bytes:
    """The raw files of every table, index and TOAST table of the test's schema."""
    import psycopg

    with psycopg.connect(db_url, autocommit=True) as connection:
        connection.execute("CHECKPOINT")  # write every changed page to the files
        paths = connection.execute(
            "SELECT pg_relation_filepath(c.oid) FROM pg_class c "
            "WHERE c.relnamespace = current_schema()::regnamespace AND c.relkind IN ('r', 'i') "
            "UNION SELECT pg_relation_filepath(c.reltoastrelid) FROM pg_class c "
            "WHERE c.relnamespace = current_schema()::regnamespace AND c.reltoastrelid <> 0"
        ).fetchall()
        raw = b""
        for (path,) in paths:
            if path is None:
                continue
            row = connection.execute(
                "SELECT pg_read_binary_file(%s::text, 0, 1000000000, true)", (path,)
            ).fetchone()
            raw += bytes(row[0]) if row and row[0] is not None else b""
        return raw


def _raw(db_url: str) -> bytes:
    if db_url.startswith("postgresql"):
        return _postgres_bytes(db_url)
    return _sqlite_bytes(Path(db_url))


def _pending(db_url: str) -> list[tuple[Any, ...]]:
    import sqlite3

    if db_url.startswith("postgresql"):
        import psycopg

        with psycopg.connect(db_url) as connection:
            rows = connection.execute("SELECT candidate_id FROM erasures_pending").fetchall()
            return [tuple(row) for row in rows]
    with sqlite3.connect(db_url) as connection:
        return connection.execute("SELECT candidate_id FROM erasures_pending").fetchall()


def test_erase_removes_everything_from_the_files(own_db_url: str, small_bank_loaded: Any) -> None:
    db_url = own_db_url
    candidate_id = _fill(db_url, small_bank_loaded)
    before = _raw(db_url)
    assert b"kept note" in before and NOTES[1].encode() in before  # the grep sees the text
    result = cli(db_url, "candidate", "erase", NAME, "--yes")
    # PostgreSQL: a transaction of another test run (any database on the server) older than
    # the erase makes it pending, rightly; run it again until that one has ended.
    deadline = time.monotonic() + 60
    while result.exit_code == 3 and "(database " in result.stderr and time.monotonic() < deadline:
        time.sleep(1)
        result = cli(db_url, "candidate", "erase", str(candidate_id), "--yes")
    assert result.exit_code == 0, (result.stdout, result.stderr)
    assert "removed from the database and its files" in result.stdout
    raw = _raw(db_url)
    assert b"kept note" in raw
    for secret in SECRETS:
        assert secret.encode() not in raw, secret
    assert _pending(db_url) == []
    _nothing_after_the_erase(db_url, candidate_id)


# Ends without closing its connection (as a killed process does): a clean close of the
# last connection would checkpoint the file itself, and the test is that the next open does.
READER = """
import os, sqlite3, sys
connection = sqlite3.connect(sys.argv[1], isolation_level=None)
connection.execute("BEGIN")
connection.execute("SELECT COUNT(*) FROM ratings").fetchone()
print("reading", flush=True)
sys.stdin.readline()
os._exit(0)
"""


def test_sqlite_erase_with_a_reader_in_another_process_says_what_is_pending(
    tmp_path: Path, small_bank_loaded: Any
) -> None:
    db = tmp_path / "hiring.db"
    _fill(str(db), small_bank_loaded)
    reader = subprocess.Popen([sys.executable, "-c", READER, str(db)], stdin=subprocess.PIPE,
                              stdout=subprocess.PIPE, text=True)
    try:
        assert reader.stdout is not None and reader.stdout.readline().strip() == "reading"
        statements: list[str] = []
        result = _cli_traced(str(db), statements, "candidate", "erase", NAME, "--yes")
        # It waits ERASE_WAIT_SECONDS for the reader, not the 30 s busy timeout: the wait it
        # sets before the checkpoint, read from the statements it ran (no timer to flake).
        from hiring.store.erasure import ERASE_WAIT_SECONDS

        checkpoint = statements.index("PRAGMA wal_checkpoint(TRUNCATE)")
        assert statements[checkpoint - 1] == (
            f"PRAGMA busy_timeout = {int(ERASE_WAIT_SECONDS * 1000)}")
        assert ERASE_WAIT_SECONDS < 30
        assert result.exit_code == 3, (result.stdout, result.stderr)
        assert "not yet from the database files" in result.stdout
        lines = result.stderr.strip().splitlines()
        assert len(lines) == 1 and lines[0].startswith("Pending: erasure of candidate(s) 2 "), lines
        assert "another connection holds a read transaction" in lines[0]
        assert f"remain in {db} and {db}-wal" in lines[0]
        assert NAME.encode() in _sqlite_bytes(db)  # it really is still there: no false success
        assert _pending(str(db)) == [(2,)]
    finally:
        assert reader.stdin is not None
        reader.stdin.write("\n")
        reader.stdin.close()
        reader.wait(30)
    assert NAME.encode() in _sqlite_bytes(db)  # nobody has finished it yet
    listing = cli(str(db), "candidate", "list")  # the next open finishes the erasure
    assert listing.exit_code == 0
    raw = _sqlite_bytes(db)
    assert b"kept note" in raw
    for secret in SECRETS:
        assert secret.encode() not in raw, secret
    assert _pending(str(db)) == []


def test_postgres_erase_with_an_older_session_says_what_is_pending(
    own_db_url: str, small_bank_loaded: Any
) -> None:
    db_url = own_db_url
    if not db_url.startswith("postgresql"):
        pytest.skip("PostgreSQL only")
    import psycopg

    _fill(db_url, small_bank_loaded)
    reader = psycopg.connect(db_url, autocommit=True)
    try:
        reader.execute("BEGIN ISOLATION LEVEL REPEATABLE READ")
        reader.execute("SELECT COUNT(*) FROM ratings").fetchone()
        (pid,) = reader.execute("SELECT pg_backend_pid()").fetchone()  # type: ignore[misc]
        result = cli(db_url, "candidate", "erase", NAME, "--yes")
        assert result.exit_code == 3, (result.stdout, result.stderr)
        lines = result.stderr.strip().splitlines()
        assert len(lines) == 1 and lines[0].startswith("Pending: erasure of candidate(s) 2 ")
        assert f"server process {pid} (database " in lines[0], lines[0]
        # The old row versions are still in the table files: the report is honest.
        assert NOTES[1].encode() in _postgres_bytes(db_url)
        # The reader's snapshot still shows them, which is why they cannot go yet.
        (name,) = reader.execute("SELECT name FROM candidates WHERE id = 2").fetchone()  # type: ignore[misc]
        assert name == NAME
        reader.execute("COMMIT")
    finally:
        reader.close()
    assert cli(db_url, "candidate", "list").exit_code == 0  # the next open finishes it
    deadline = time.monotonic() + 60
    while _pending(db_url) and time.monotonic() < deadline:  # see the test above
        time.sleep(1)
        assert cli(db_url, "candidate", "list").exit_code == 0
    raw = _postgres_bytes(db_url)
    assert b"kept note" in raw
    for secret in SECRETS:
        assert secret.encode() not in raw, secret
    assert _pending(db_url) == []


# -- guide files -------------------------------------------------------------------------
def _guide(db_url: str, out: Path, candidate: str) -> None:
    result = cli(db_url, "guide", "build", "--role", "inbound-agent", "--round", "panel",
                 "--candidate", candidate, "--interviewer", "Bo Holm", "--out", str(out))
    assert result.exit_code == 0, (result.stdout, result.stderr)


def test_erase_lists_the_guide_files_and_deletes_them_when_asked(
    db_url: str, tmp_path: Path
) -> None:
    first, second = tmp_path / "zeb-1.md", tmp_path / "zeb-2.md"
    other = tmp_path / "other.md"
    _guide(db_url, first, NAME)
    _guide(db_url, second, NAME)
    _guide(db_url, other, "Other Person")
    manifests = [Path(f"{path}.manifest.json") for path in (first, second)]
    assert all(path.is_file() for path in [first, second, *manifests])
    # Why they must go: the guide holds the name (Markdown-escaped: a backslash before "-").
    assert NAME.replace("-", "\\-") in first.read_text(encoding="utf-8")

    listed = cli(db_url, "candidate", "erase", NAME, "--yes")
    assert listed.exit_code == 0, listed.stderr
    assert "4 file(s) written for this candidate hold the name" in listed.stderr
    for path in [first, manifests[0], second, manifests[1]]:
        assert f"  {path.resolve()}" in listed.stderr
        assert path.is_file()  # listed, not deleted
    assert str(other) not in listed.stderr

    third = tmp_path / "other-again.md"
    _guide(db_url, third, "Other Person")
    deleted = cli(db_url, "candidate", "erase", "Other Person", "--yes", "--delete-files")
    assert deleted.exit_code == 0, deleted.stderr
    for path in [other, Path(f"{other}.manifest.json"), third, Path(f"{third}.manifest.json")]:
        assert f"deleted {path.resolve()}" in deleted.stdout
        assert not path.exists()
    assert first.is_file()  # another candidate's files are left alone
    with open_store(db_url) as store:
        assert store.all("SELECT * FROM candidate_files") == []  # the paths held the names


def test_postgres_pending_erasure_from_another_server_finishes(own_db_url: str) -> None:
    """A backup restored from another server carries that server's transaction id."""
    if not own_db_url.startswith("postgresql"):
        pytest.skip("PostgreSQL only")
    with open_store(own_db_url) as store:
        candidate = add_candidate(store, "Erased Elsewhere")
        with store.write():
            store.execute("INSERT INTO erasures_pending (candidate_id, since, xid) "
                          "VALUES (:c, 'x', '99999999999')", {"c": candidate.id})
    deadline = time.monotonic() + 60
    while True:  # the next open finishes it (retried while another test run is older)
        with open_store(own_db_url):
            pass
        if not _pending(own_db_url) or time.monotonic() > deadline:
            break
        time.sleep(1)
    assert _pending(own_db_url) == []


def test_postgres_erase_by_a_user_who_does_not_own_the_tables_says_so(
    own_db_url: str, small_bank_loaded: Any
) -> None:
    if not own_db_url.startswith("postgresql"):
        pytest.skip("PostgreSQL only")
    import uuid
    from urllib.parse import urlsplit, urlunsplit

    import psycopg

    _fill(own_db_url, small_bank_loaded)
    role = f"hiring_clerk_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(own_db_url, autocommit=True) as admin:
        admin.execute(f'CREATE ROLE "{role}" LOGIN')
        admin.execute(f'GRANT ALL ON ALL TABLES IN SCHEMA public TO "{role}"')
        admin.execute(f'GRANT ALL ON ALL SEQUENCES IN SCHEMA public TO "{role}"')
    try:
        parts = urlsplit(own_db_url)
        clerk = urlunsplit(parts._replace(netloc=f"{role}@{parts.hostname}:{parts.port or 5432}"))
        result = cli(clerk, "candidate", "erase", NAME, "--yes")
        assert result.exit_code == 3, (result.stdout, result.stderr)
        owned = ("audit, candidate_files, candidates, consensus, group_data, interviews, "
                 "outcomes, ratings")
        assert f"does not own {owned}" in result.stderr
        assert _pending(own_db_url) == [(2,)]
    finally:
        with psycopg.connect(own_db_url, autocommit=True) as admin:
            admin.execute(f'DROP OWNED BY "{role}"')
            admin.execute(f'DROP ROLE "{role}"')


def test_no_file_is_recorded_for_an_erased_candidate(db_url: str, tmp_path: Path) -> None:
    from hiring.store import erase_candidate
    from hiring.store.candidate_files import record_candidate_files

    with open_store(db_url) as store:
        candidate = add_candidate(store, NAME)
        erase_candidate(store, candidate.id)
        with pytest.raises(InputError, match="was erased"):
            record_candidate_files(store, candidate.id, [(tmp_path / "late.pdf", "guide")])
        assert store.all("SELECT * FROM candidate_files") == []
