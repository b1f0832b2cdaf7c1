"""Erasing a candidate: name, e-mail and notes go for good, from the rows and the files;
their group data and outcomes are deleted.

An erase is two steps. The first is one write transaction: the candidate's row is locked
(writers hold the same lock, see ``find_active_candidate``), name, e-mail and notes are
overwritten, the guide files recorded for the candidate are listed, and the erasure is
noted in ``erasures_pending``. The second removes the old copies the database keeps:

- SQLite (``secure_delete`` is on, so freed space is zeroed): checkpoint the WAL into the
  file and truncate it, VACUUM, checkpoint again. A checkpoint cannot complete while
  another connection holds a read transaction that still sees the old pages; then the
  erasure stays pending, the caller is told exactly that, and the next open finishes it.
- PostgreSQL keeps old row versions until no transaction can see them. When no session
  holds a transaction older than the erase, ``VACUUM FULL`` rewrites the tables into new
  files (and their indexes and TOAST data), so the old versions leave the database's
  files. Overwriting a value before the update would not help: an update writes a new row
  version and leaves the old one in place. The server's WAL, its archive and backups are
  out of reach (see the README).

Only when the second step is done does ``erasures_pending`` lose the candidate's row.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass, field
from pathlib import Path

from hiring.errors import HiringError
from hiring.store.audit import record_audit
from hiring.store.candidates import Candidate, find_candidate
from hiring.store.db import Store, now_iso
from hiring.store.team import require
from hiring.user_text import check_name

ERASE_WAIT_SECONDS = 5.0  # how long erase waits for readers and locks before it says so
OPEN_WAIT_SECONDS = 0.1  # the same, when an open finishes a pending erasure
PERSONAL_TABLES = (
    "candidates", "ratings", "consensus", "candidate_files", "audit", "interviews",
    "stage_decisions", "group_data", "outcomes",
)


# Audit rows of note changes and cancellation reasons hold free text: erase marks it removed
# (the rows stay). The one update ever made to the audit table; with the team set up on
# PostgreSQL only the owner may update audit rows, so it runs as the owner's function.
ERASE_AUDIT_TEXT = (
    "UPDATE audit SET "
    "old_value = CASE WHEN old_value IS NULL THEN NULL ELSE '[erased]' END, "
    "new_value = CASE WHEN new_value IS NULL THEN NULL ELSE '[erased]' END "
    "WHERE candidate_id = :id AND action IN ('rating.note', 'interview.cancel', "
    "'decision.note', 'outcome.set')"
)


def erase_audit_text(store: Store, candidate_id: int) -> None:
    if store.dialect == "postgresql":
        row = store.one("SELECT to_regprocedure('hiring_erase_audit_text(bigint)') IS NOT NULL")
        if row and row[0]:
            store.one("SELECT hiring_erase_audit_text(:id)", {"id": candidate_id})
            return
    store.execute(ERASE_AUDIT_TEXT, {"id": candidate_id})


@dataclass
class ErasureResult:
    candidate: Candidate
    files: list[Path] = field(default_factory=list)  # guide files and manifests recorded
    deleted_files: list[Path] = field(default_factory=list)
    undeleted_files: list[tuple[Path, str]] = field(default_factory=list)  # (path, why)
    pending: str | None = None  # what is not yet gone from the database files, and why


def erase_candidate(
    store: Store,
    reference: str | int,
    actor: str = "hiring",
    delete_files: bool = False,
    wait_seconds: float = ERASE_WAIT_SECONDS,
) -> ErasureResult:
    """Forget a candidate: name, e-mail and notes go for good; scores stay, anonymised.

    ``delete_files`` also deletes the guide files and manifests recorded for them (they
    hold the name); otherwise they are listed. Erasing an erased candidate again retries
    what is pending.
    """
    actor = check_name(actor, "the name of who erases")
    with store.write():
        require(store, "candidate.erase")
        candidate = find_candidate(store, reference)
        params = {"id": candidate.id}
        # Waits for writers that hold the row (see find_active_candidate), so what they
        # wrote is erased too.
        store.one("SELECT id FROM candidates WHERE id = :id" + store.for_update, params)
        from hiring.store.candidate_files import recorded_files

        written = recorded_files(store, candidate.id)
        files = [item.path for item in written]
        store.execute(
            "UPDATE candidates SET name = :name, email = NULL, status = 'erased' WHERE id = :id",
            {**params, "name": f"erased-{candidate.id}"},
        )
        interview_ids = "SELECT id FROM interviews WHERE candidate_id = :id"
        store.execute(
            f"UPDATE ratings SET note = NULL WHERE interview_id IN ({interview_ids}) "
            "AND note IS NOT NULL",
            params,
        )
        store.execute(
            "UPDATE consensus SET note = NULL WHERE candidate_id = :id AND note IS NOT NULL",
            params,
        )
        store.execute(
            "UPDATE stage_decisions SET reason_note = NULL WHERE candidate_id = :id "
            "AND reason_note IS NOT NULL",
            params,
        )
        # Group data (special-category) and outcomes go whole: they are about the person.
        store.execute("DELETE FROM group_data WHERE candidate_id = :id", params)
        store.execute("DELETE FROM outcomes WHERE candidate_id = :id", params)
        # Audit rows of note changes, cancellation reasons, decision notes and outcomes hold
        # free text or the person's values: they are marked removed (the rows stay). Group
        # data's audit rows hold the attribute's name only.
        erase_audit_text(store, candidate.id)
        store.execute(
            "UPDATE interviews SET cancel_reason = '[erased]' "
            "WHERE candidate_id = :id AND cancel_reason IS NOT NULL",
            params,
        )
        # The paths hold the name too; they are reported to the caller instead.
        store.execute("DELETE FROM candidate_files WHERE candidate_id = :id", params)
        xid = None
        if store.dialect == "postgresql":
            row = store.one("SELECT pg_current_xact_id()::text")
            xid = row[0] if row else None
        store.execute(
            "INSERT INTO erasures_pending (candidate_id, since, xid) VALUES (:id, :since, :xid) "
            "ON CONFLICT (candidate_id) DO UPDATE SET since = :since, xid = :xid",
            {**params, "since": now_iso(), "xid": xid},
        )
        record_audit(store, "candidate.erase", actor, candidate.id)
    erased = Candidate(
        candidate.id, f"erased-{candidate.id}", None, candidate.role, "erased", candidate.created
    )
    result = ErasureResult(erased, files=files)
    try:
        result.pending = finish_erasures(store, wait_seconds)
    except HiringError as error:  # committed above: the rest is pending, never a lost erase
        result.pending = (f"{error}; the erase itself is saved, but old copies of the name, "
                          "e-mail and notes may remain in the database files")
    if delete_files:
        from hiring.store.candidate_files import delete_written_file

        # Only files that are still what hiring wrote: a path in a restored or edited row
        # must not make erase delete anything else.
        for item in written:
            reason = delete_written_file(item)
            if reason is None:
                result.deleted_files.append(item.path)
            else:
                result.undeleted_files.append((item.path, reason))
    return result


def erasures_pending(store: Store) -> list[int]:
    """Candidates whose erasure is not yet complete in the database files."""
    return [int(row[0]) for row in store.all("SELECT candidate_id FROM erasures_pending")]


def finish_erasures(store: Store, wait_seconds: float = OPEN_WAIT_SECONDS) -> str | None:
    """Remove old copies of erased data from the database files; ``None`` when done (or
    nothing was pending), else one sentence saying what is pending and why."""
    rows = store.all("SELECT candidate_id, xid FROM erasures_pending ORDER BY candidate_id")
    if not rows:
        return None
    ids = [int(row[0]) for row in rows]
    if store.dialect == "sqlite":
        pending = _finish_sqlite(store, wait_seconds)
    else:
        pending = _finish_postgres(store, [row[1] for row in rows if row[1]], wait_seconds)
    if pending is not None:
        who = ", ".join(str(cid) for cid in ids)
        return f"erasure of candidate(s) {who} not complete: {pending}"
    from hiring.store.db import placeholders

    marks, params = placeholders("c", ids)
    with store.write():
        store.execute(f"DELETE FROM erasures_pending WHERE candidate_id IN ({marks})", params)
    if store.dialect == "sqlite":
        _checkpoint(store, 0)  # best effort: that last write holds no personal data
    return None


def _checkpoint(store: Store, wait_seconds: float) -> tuple[int, int, int]:
    """``wal_checkpoint(TRUNCATE)`` waiting at most ``wait_seconds`` for readers:
    (busy, WAL pages, pages copied into the file)."""
    from hiring.store.db import BUSY_TIMEOUT_MS

    cursor = store.connection.cursor()
    cursor.execute(f"PRAGMA busy_timeout = {int(wait_seconds * 1000)}")
    try:
        row = cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
    finally:
        cursor.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    return int(row[0]), int(row[1]), int(row[2])


def _finish_sqlite(store: Store, wait_seconds: float) -> str | None:
    path = store.location
    try:
        busy, frames, copied = _checkpoint(store, wait_seconds)
        if not busy:
            store.connection.cursor().execute("VACUUM")
            busy, frames, copied = _checkpoint(store, wait_seconds)
    except sqlite3.DatabaseError as error:  # VACUUM: another writer, no room, a damaged page
        from hiring.store.db import describe_database_error

        return (
            f"{describe_database_error(path, error, committed=True)}; so old copies of the "
            "erased name, e-mail and notes may remain in the file until the next open of the "
            "database"
        )
    if busy:
        left = f"{frames - copied} of {frames}" if frames >= 0 else "some"
        return (
            f"another connection holds a read transaction on {path}, so {left} pages of its "
            f"write-ahead log cannot be copied into the file yet, and old copies of the erased "
            f"name, e-mail and notes remain in {path} and {path}-wal until that transaction "
            "ends; the next open of the database finishes the erasure (or run the erase again)"
        )
    return None


def _finish_postgres(store: Store, xids: list[str], wait_seconds: float) -> str | None:
    import time

    # An id this server has not handed out yet comes from a restored backup of another
    # server: no transaction here is older than that erase.
    xids = [
        xid
        for xid in xids
        if (row := store.one(
            "SELECT CAST(:xid AS xid8) < pg_snapshot_xmax(pg_current_snapshot())", {"xid": xid}
        )) and row[0]
    ]
    not_owned = [
        row[0]
        for row in store.all(
            "SELECT relname FROM pg_class WHERE oid = ANY(CAST(:tables AS regclass[])) "
            "AND NOT pg_has_role(current_user, relowner, 'USAGE') ORDER BY relname",
            {"tables": "{" + ",".join(PERSONAL_TABLES) + "}"},
        )
    ]
    if not_owned:  # VACUUM would skip them with a warning only
        return (
            f"the database user does not own {', '.join(not_owned)}, so it cannot VACUUM FULL "
            "them and old row versions with the name, e-mail and notes remain; the tables' "
            f"owner must run VACUUM FULL {', '.join(PERSONAL_TABLES)}"
        )
    deadline = time.monotonic() + wait_seconds
    while True:
        blockers = _older_transactions(store, xids)
        if not blockers or time.monotonic() >= deadline:
            break
        time.sleep(0.1)  # most transactions are short: wait for them a little
    if blockers:
        return (
            f"{'; '.join(blockers)}: PostgreSQL keeps the old row versions with the name, "
            "e-mail and notes while a transaction older than the erase runs; the next open of "
            "the database finishes the erasure (or run the erase again)"
        )
    cursor = store.connection.cursor()
    cursor.execute(f"SET lock_timeout = '{max(int(wait_seconds * 1000), 1)}ms'")
    try:
        # Rewrites each table, its indexes and TOAST data into new files; the old files,
        # which hold the old row versions, are removed.
        cursor.execute("VACUUM FULL " + ", ".join(PERSONAL_TABLES))
    except Exception as error:
        if type(error).__name__ != "LockNotAvailable":
            raise
        return (
            "another session holds a lock on the candidates, ratings or consensus table, so "
            "VACUUM FULL could not rewrite them and old row versions with the name, e-mail "
            "and notes remain; the next open of the database finishes the erasure (or run "
            "the erase again)"
        )
    finally:
        cursor.execute("RESET lock_timeout")
    return None


def _older_transactions(store: Store, xids: list[str]) -> list[str]:
    """What would make VACUUM keep the row versions an erase left behind, one phrase each.

    - A session of this database whose snapshot is older than the erase can still read them.
    - A transaction of any database still running since before the erase: every snapshot
      taken now, VACUUM FULL's own included, counts it as running, and VACUUM keeps the
      row versions such a snapshot could see.
    """
    found: dict[int, str] = {}
    unseen = False
    for xid in sorted(set(xids), key=int):
        erase = "CAST(CAST(mod(CAST(:xid AS bigint), 4294967296) AS text) AS xid)"
        for pid, database in store.all(
            "SELECT pid, datname FROM pg_stat_activity WHERE pid <> pg_backend_pid() AND ("
            f"(datname = current_database() AND backend_xmin IS NOT NULL "
            f"AND age(backend_xmin) >= age({erase})) OR "
            f"(backend_xid IS NOT NULL AND age(backend_xid) >= age({erase})))",
            {"xid": xid},
        ):
            found[int(pid)] = str(database)
        row = store.one(
            "SELECT pg_snapshot_xmin(pg_current_snapshot()) <= CAST(:xid AS xid8)", {"xid": xid}
        )
        unseen = unseen or bool(row and row[0])
    phrases = [
        f"server process {pid} (database {database}) holds a transaction that began before "
        "the erase"
        for pid, database in sorted(found.items())
    ]
    if unseen and not found:
        phrases.append(
            "a transaction that began before the erase is still running (pg_stat_activity "
            "does not show it to this user)"
        )
    return phrases
