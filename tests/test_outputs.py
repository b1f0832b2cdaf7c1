"""Outputs that cannot clobber: --out is a regular file or a new one, never a device, FIFO,
socket or folder, never the open database (or its -wal/-shm), never a bank or templates file."""

from __future__ import annotations

import os
import shutil
import socket
import stat
from pathlib import Path

import pytest
from typer.testing import CliRunner

from hiring.cli import app
from tests.cli_helpers import one_error_line
from tests.conftest import SMALL_BANK


def run(*args: str):  # type: ignore[no-untyped-def]
    return CliRunner().invoke(app, list(args))


@pytest.fixture
def db_with_a_score(tmp_path: Path) -> Path:
    db = tmp_path / "hiring.db"
    result = run("--bank", str(SMALL_BANK), "--db", str(db), "score", "set", "--round", "panel",
                 "--candidate", "1",
                 "--interviewer", "Lu", "--competency", "teamwork", "--score", "4")
    assert result.exit_code == 1  # no candidate 1 yet
    assert run("--db", str(db), "candidate", "add", "Kim", "--role", "inbound-agent").exit_code == 0
    assert run("--bank", str(SMALL_BANK), "--db", str(db), "score", "set", "--round", "panel",
               "--candidate", "1",
               "--interviewer", "Lu", "--competency", "teamwork", "--score", "4").exit_code == 0
    return db


def test_a_fifo_is_refused_and_stays_a_fifo(tmp_path: Path, db_with_a_score: Path) -> None:
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    line = one_error_line(run("--db", str(db_with_a_score), "score", "export", "--out",
                              str(fifo)))
    assert "it is a FIFO" in line and "regular file" in line
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode)


def test_a_device_is_refused(tmp_path: Path, db_with_a_score: Path) -> None:
    # A null device of our own (as root the old code turned '/dev/null' into a regular
    # file; never aim a test at the real one).
    device = tmp_path / "null"
    try:
        os.mknod(device, 0o666 | stat.S_IFCHR, os.makedev(1, 3))
    except (PermissionError, OSError):
        pytest.skip("needs root to make a device node")
    line = one_error_line(run("--db", str(db_with_a_score), "score", "export", "--out",
                              str(device)))
    assert "it is a device" in line
    assert stat.S_ISCHR(os.lstat(device).st_mode)


def test_a_socket_and_a_folder_are_refused(tmp_path: Path, db_with_a_score: Path) -> None:
    sock_path = tmp_path / "s.sock"
    server = socket.socket(socket.AF_UNIX)
    server.bind(str(sock_path))
    try:
        line = one_error_line(run("--db", str(db_with_a_score), "score", "export", "--out",
                                  str(sock_path)))
        assert "it is a socket" in line
    finally:
        server.close()
    folder = tmp_path / "folder"
    folder.mkdir()
    line = one_error_line(run("--db", str(db_with_a_score), "score", "export", "--out",
                              str(folder)))
    assert "it is a folder" in line and folder.is_dir()


@pytest.mark.parametrize("suffix", ["", "-wal", "-shm"])
def test_the_open_database_is_refused(db_with_a_score: Path, suffix: str) -> None:
    target = db_with_a_score.with_name(db_with_a_score.name + suffix)
    before = target.read_bytes() if target.exists() else None
    line = one_error_line(run("--db", str(db_with_a_score), "score", "export", "--out",
                              str(target)))
    assert "it is the database in use" in line
    assert (target.read_bytes() if target.exists() else None) == before


def test_report_cannot_replace_the_database(db_with_a_score: Path) -> None:
    before = db_with_a_score.read_bytes()
    line = one_error_line(run("--bank", str(SMALL_BANK), "--db", str(db_with_a_score), "report",
                              "compare", "--format", "html", "--out", str(db_with_a_score)))
    assert "the database in use" in line
    assert db_with_a_score.read_bytes()[:16] == b"SQLite format 3\x00"
    assert len(db_with_a_score.read_bytes()) == len(before)


def test_guide_cannot_overwrite_a_bank_file(tmp_path: Path) -> None:
    bank = tmp_path / "our-bank"
    shutil.copytree(SMALL_BANK, bank)
    role_file = bank / "roles" / "inbound-agent.yaml"
    before = role_file.read_bytes()
    line = one_error_line(run("--bank", str(bank), "guide", "build", "--role", "inbound-agent",
                              "--out", str(role_file), "--format", "md"))
    assert "inside the question bank in use" in line
    assert role_file.read_bytes() == before
    assert not list(bank.rglob("*.manifest.json")) and not list(bank.rglob("*.tmp"))


def test_guide_cannot_write_into_the_templates_folder(tmp_path: Path) -> None:
    templates = tmp_path / "templates"
    templates.mkdir()
    (templates / "keep.txt").write_text("x", encoding="utf-8")
    line = one_error_line(run("--bank", str(SMALL_BANK), "guide", "build", "--role",
                              "inbound-agent", "--templates", str(templates), "--out",
                              str(templates / "guide.md.j2"), "--format", "md"))
    assert "inside the templates folder in use" in line
    assert sorted(p.name for p in templates.iterdir()) == ["keep.txt"]


def test_existing_file_mode_is_kept(tmp_path: Path) -> None:
    from hiring.files import write_atomic

    target = tmp_path / "out.csv"
    target.write_text("old", encoding="utf-8")
    target.chmod(0o600)
    write_atomic(target, "new")
    assert target.read_text(encoding="utf-8") == "new"
    assert stat.S_IMODE(target.stat().st_mode) == 0o600


def test_a_symlink_is_replaced_not_its_target(tmp_path: Path) -> None:
    from hiring.files import write_atomic

    real = tmp_path / "real.txt"
    real.write_text("keep", encoding="utf-8")
    link = tmp_path / "link.txt"
    link.symlink_to(real)
    write_atomic(link, "new")
    assert real.read_text(encoding="utf-8") == "keep"
    assert not link.is_symlink() and link.read_text(encoding="utf-8") == "new"


def test_a_new_file_and_a_regular_file_are_fine(tmp_path: Path, db_with_a_score: Path) -> None:
    out = tmp_path / "new" / "scores.csv"
    assert run("--db", str(db_with_a_score), "score", "export", "--out", str(out)).exit_code == 0
    assert out.read_text(encoding="utf-8").startswith("candidate,")
    assert run("--db", str(db_with_a_score), "score", "export", "--out", str(out)).exit_code == 0


def test_batch_cannot_write_into_the_bank_folder(tmp_path: Path) -> None:
    bank = tmp_path / "our-bank"
    shutil.copytree(SMALL_BANK, bank)
    people = tmp_path / "people.csv"
    people.write_text("name\nAnn\n", encoding="utf-8")
    before = sorted(p.relative_to(bank) for p in bank.rglob("*"))
    line = one_error_line(run("--bank", str(bank), "guide", "batch", "--role", "inbound-agent",
                              "--candidates", str(people), "--out-dir", str(bank / "roles"),
                              "--format", "md", "--no-record"))
    assert "inside the question bank in use" in line
    assert sorted(p.relative_to(bank) for p in bank.rglob("*")) == before
