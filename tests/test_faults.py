"""Every fault is one line: exit 1, no traceback, nothing half-done. Real faults only: a file
size limit (RLIMIT_FSIZE) for a full disk, read-only bind mounts for -wal/-shm, bytes of the
database overwritten by the test, a real lock held by another connection."""

from __future__ import annotations

import json
import os
import resource
import signal
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import SMALL_BANK, small_tmpfs

ROOT = Path(__file__).parent.parent


def hiring(db: Path, *args: str, limit: int | None = None) -> subprocess.CompletedProcess[str]:
    def set_limit() -> None:
        if limit is not None:
            signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a failed write, not a killed process
            resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    return subprocess.run(
        [sys.executable, "-m", "hiring", "--bank", str(SMALL_BANK), "--db", str(db), *args],
        capture_output=True, text=True, cwd=ROOT, env=dict(os.environ), preexec_fn=set_limit,
        check=False,
    )


def one_line(done: subprocess.CompletedProcess[str], *needles: str) -> str:
    assert done.returncode == 1, (done.stdout, done.stderr)
    assert "Traceback" not in done.stderr
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("Error: "), lines
    for needle in needles:
        assert needle in lines[0], lines[0]
    return lines[0]


def ratings(db: Path) -> int:
    connection = sqlite3.connect(db)
    try:
        return int(connection.execute("SELECT COUNT(*) FROM ratings").fetchone()[0])
    finally:
        connection.close()


@pytest.fixture
def db(tmp_path: Path) -> Path:
    path = tmp_path / "hiring.db"
    assert hiring(path, "candidate", "add", "Kim", "--role", "inbound-agent").returncode == 0
    return path


@pytest.fixture
def held_open(db: Path) -> Iterator[sqlite3.Connection]:
    """Another reader keeps the -wal and -shm files in place (as a running report would)."""
    connection = sqlite3.connect(db)
    connection.execute("SELECT * FROM candidates").fetchall()
    yield connection
    connection.close()


# -- a full disk ------------------------------------------------------------------------------


def test_disk_full_at_commit_of_score_set(db: Path, held_open: sqlite3.Connection) -> None:
    assert os.path.getsize(f"{db}-wal") == 0
    done = hiring(db, "score", "set", "--round", "panel",
                  "--candidate", "Kim", "--interviewer", "A",
                  "--competency", "teamwork", "--score", "3", limit=1000)
    one_line(done, str(db), "nothing was saved")
    assert ratings(db) == 0
    assert hiring(db, "score", "set", "--round", "panel",
                  "--candidate", "Kim", "--interviewer", "A",
                  "--competency", "teamwork", "--score", "3").returncode == 0
    assert ratings(db) == 1  # the database is fine once there is room


def test_disk_full_during_score_import(db: Path, tmp_path: Path,
                                       held_open: sqlite3.Connection) -> None:
    rows = tmp_path / "big.csv"
    rows.write_text("candidate,interviewer,competency,score,note,round\n" + "".join(
        f"Kim,I{i},teamwork,3,{'x' * 1000},panel\n" for i in range(300)), encoding="utf-8")
    one_line(hiring(db, "score", "import", str(rows), limit=200_000), str(db),
             "nothing was saved")
    assert ratings(db) == 0


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Path]:
    """A 4 MB tmpfs (root only)."""
    with small_tmpfs(tmp_path / "small", "4m") as folder:
        yield folder


def fill(folder: Path, leave: int) -> Path:
    """Fill the file system of ``folder`` but ``leave`` bytes."""
    status = os.statvfs(folder)
    filler = folder / "filler"
    filler.write_bytes(b"\0" * (status.f_bavail * status.f_frsize - leave))
    return filler


def test_a_full_disk_during_score_import(small_disk: Path, tmp_path: Path) -> None:
    db = small_disk / "hiring.db"
    assert hiring(db, "candidate", "add", "Kim", "--role", "inbound-agent").returncode == 0
    filler = fill(small_disk, 100_000)
    rows = tmp_path / "big.csv"
    rows.write_text("candidate,interviewer,competency,score,note,round\n" + "".join(
        f"Kim,I{i},teamwork,3,{'x' * 1000},panel\n" for i in range(300)), encoding="utf-8")
    one_line(hiring(db, "score", "import", str(rows)), str(db), "nothing was saved")
    filler.unlink()
    assert ratings(db) == 0


# -- read-only -wal / -shm --------------------------------------------------------------------


def _read_only(path: Path) -> bool:
    """Bind-mount a file read-only over itself (root only; even root cannot write it)."""
    try:
        subprocess.run(["mount", "--bind", str(path), str(path)], check=True,
                       capture_output=True)
    except (OSError, subprocess.CalledProcessError):
        return False
    subprocess.run(["mount", "-o", "remount,bind,ro", str(path), str(path)], check=True)
    return True


@pytest.mark.parametrize("suffix", ["-wal", "-shm"])
def test_read_only_wal_or_shm(db: Path, held_open: sqlite3.Connection, suffix: str) -> None:
    target = Path(f"{db}{suffix}")
    if not _read_only(target):
        pytest.skip("needs root and mount --bind")
    try:
        done = hiring(db, "score", "set", "--round", "panel",
                      "--candidate", "Kim", "--interviewer", "A",
                      "--competency", "teamwork", "--score", "3")
    finally:
        subprocess.run(["umount", str(target)], check=True)
    one_line(done, str(db), "read-only")
    assert ratings(db) == 0


# -- a damaged file ---------------------------------------------------------------------------


@pytest.fixture
def damaged(db: Path) -> Path:
    assert hiring(db, "score", "set", "--round", "panel",
                  "--candidate", "Kim", "--interviewer", "A",
                  "--competency", "teamwork", "--score", "3").returncode == 0
    assert not Path(f"{db}-wal").exists()  # checkpointed into the file when the last one closed
    data = bytearray(db.read_bytes())
    page = int.from_bytes(data[16:18], "big")
    assert len(data) >= 3 * page
    for start in range(page, len(data), page):  # every page after the first (the schema)
        data[start : start + page] = b"\xa5" * page
    db.write_bytes(bytes(data))
    return db


@pytest.mark.parametrize(
    "args",
    [
        ["score", "export"],
        ["report", "compare", "--format", "html", "--out", "{tmp}/r.html"],
        ["candidate", "erase", "1", "--yes"],
        ["candidate", "list"],
    ],
)
def test_malformed_database_page(damaged: Path, tmp_path: Path, args: list[str]) -> None:
    done = hiring(damaged, *[a.replace("{tmp}", str(tmp_path)) for a in args])
    one_line(done, str(damaged), "damaged", f"sqlite3 {damaged} .recover")
    assert not (tmp_path / "r.html").exists()


# -- a lock held too long, a bad schema version -----------------------------------------------


def test_locked_beyond_the_timeout_is_one_store_error(db: Path) -> None:
    from hiring.bank import load_bank
    from hiring.errors import StoreError
    from hiring.store import open_store, set_score

    other = sqlite3.connect(db, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")  # holds the write lock
    try:
        with open_store(db) as store:
            store.execute("PRAGMA busy_timeout = 200")  # instead of waiting 30 s
            with pytest.raises(StoreError, match="is locked: another program held it"):
                set_score(store, load_bank([SMALL_BANK]), "Kim", "A", "teamwork", 3)
    finally:
        other.execute("ROLLBACK")
        other.close()
    assert ratings(db) == 0


def test_non_numeric_schema_version(db: Path) -> None:
    connection = sqlite3.connect(db)
    with connection:
        connection.execute("UPDATE schema_version SET version = 'two'")
    connection.close()
    one_line(hiring(db, "candidate", "list"), str(db), "schema version 'two', not a number")


# -- demo --out at a symlink ------------------------------------------------------------------


def test_demo_out_at_a_symlink(tmp_path: Path) -> None:
    real = tmp_path / "real"
    real.mkdir()
    (real / "keep.txt").write_text("mine", encoding="utf-8")
    for name, target in (("link", real), ("dangling", tmp_path / "nowhere")):
        link = tmp_path / name
        link.symlink_to(target)
        done = subprocess.run(
            [sys.executable, "-m", "hiring", "demo", "--out", str(link)],
            capture_output=True, text=True, cwd=ROOT, env=dict(os.environ), check=False,
        )
        one_line(done, str(link), "symbolic link")
        assert link.is_symlink()
    assert (real / "keep.txt").read_text(encoding="utf-8") == "mine"
    assert not (tmp_path / "nowhere").exists()


def test_a_report_of_a_fine_database_still_works(db: Path) -> None:
    assert json.loads(hiring(db, "candidate", "list", "--json").stdout)[0]["name"] == "Kim"


def test_vacuum_after_erase_on_a_full_disk_says_what_is_pending(
    small_disk: Path, tmp_path: Path
) -> None:
    db = small_disk / "hiring.db"
    people = tmp_path / "people.csv"
    people.write_text("name,email\n" + "".join(f"Person {i} {'y' * 150},\n" for i in range(3000)),
                      encoding="utf-8")
    assert hiring(db, "candidate", "import", str(people)).returncode == 0
    size = os.path.getsize(db)
    assert size > 500_000
    filler = fill(small_disk, 150_000)  # room for the erase, not for a copy of the database
    # The erase commits; removing the old copies (VACUUM) has no room: said as pending
    # (exit 3, one line), and the next open finishes it.
    done = hiring(db, "candidate", "erase", "1", "--yes")
    assert done.returncode == 3, (done.stdout, done.stderr)
    assert "Traceback" not in done.stderr
    assert "candidate 1 erased from the records" in done.stdout
    pending = done.stderr.strip().splitlines()
    assert len(pending) == 1 and pending[0].startswith("Pending: "), pending
    assert "disk is full" in pending[0]
    assert "nothing was saved" not in pending[0]  # the erase was saved (stdout says so)
    filler.unlink()
    assert hiring(db, "candidate", "list").returncode == 0  # the next open finishes it
    connection = sqlite3.connect(db)
    try:
        assert connection.execute("SELECT name, status FROM candidates WHERE id = 1").fetchone() \
            == ("erased-1", "erased")
        assert connection.execute("SELECT COUNT(*) FROM erasures_pending").fetchone() == (0,)
    finally:
        connection.close()
