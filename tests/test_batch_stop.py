"""Batches that end cleanly: workers die with their parent; SIGTERM and Ctrl-C keep what was
written, record its interviews, print the summary and exit 130."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).parent.parent
FIVE = ROOT / "tests" / "fixtures" / "five_lang_bank"


def _children(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                status = (entry / "status").read_text()
            except OSError:
                continue
            if f"\nPPid:\t{pid}\n" in status:
                found.append(int(entry.name))
    return found


def _alive(pid: int) -> bool:
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return False
    return "\nState:\tZ" not in status  # a zombie has exited; only its entry is left


def _start(tmp_path: Path, count: int = 30, **popen: object) -> tuple[subprocess.Popen[str], Path]:
    people = tmp_path / "people.csv"
    people.write_text("name,interviewer\n" + "".join(f"Person {i},Ole\n" for i in range(count)),
                      encoding="utf-8")
    out_dir = tmp_path / "out"
    process = subprocess.Popen(
        [sys.executable, "-m", "hiring", "--bank", str(FIVE), "--db", str(tmp_path / "h.db"),
         "guide", "batch", "--role", "inbound-agent", "--candidates", str(people),
         "--out-dir", str(out_dir), "--workers", "2"],
        cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, **popen,  # type: ignore[call-overload]
    )
    return process, out_dir


def _wait_for_guides(out_dir: Path, count: int) -> None:
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline and len(list(out_dir.glob("*.pdf"))) < count:
        time.sleep(0.05)
    assert len(list(out_dir.glob("*.pdf"))) >= count, "the batch wrote too few guides in 90 s"


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
def test_sigkill_of_the_parent_leaves_no_worker(tmp_path: Path) -> None:
    process, out_dir = _start(tmp_path)
    workers: list[int] = []
    try:
        _wait_for_guides(out_dir, 1)
        workers = _children(process.pid)
        assert len(workers) >= 2, workers  # two workers (and multiprocessing's tracker)
        # A handle on each worker before the kill: it becomes readable when the worker has
        # exited (an event from the kernel), so no timer decides the outcome.
        handles = {pid: os.pidfd_open(pid) for pid in workers if _alive(pid)}
        process.send_signal(signal.SIGKILL)  # the parent only
        process.wait()
        try:
            import select

            poller = select.poll()
            for handle in handles.values():
                poller.register(handle, select.POLLIN)
            running = set(handles.values())
            # The kernel kills them at once (PR_SET_PDEATHSIG); the bound only stops a hang.
            deadline = time.monotonic() + 120
            while running and time.monotonic() < deadline:
                for fd, _ in poller.poll(1000):
                    poller.unregister(fd)
                    running.discard(fd)
            assert not running, "a worker outlived its parent"
            assert [pid for pid in workers if _alive(pid)] == []
        finally:
            for handle in handles.values():
                os.close(handle)
    finally:
        # Orphans belong to init now: kill the workers seen, by their ids, if still there.
        for pid in workers + _children(process.pid):
            if _alive(pid):
                os.kill(pid, signal.SIGKILL)
        process.communicate()


@pytest.mark.parametrize("stop", [signal.SIGTERM, signal.SIGINT])
def test_a_stopped_batch_records_and_summarises(tmp_path: Path, stop: signal.Signals) -> None:
    process, out_dir = _start(tmp_path, start_new_session=True)
    _wait_for_guides(out_dir, 2)
    if stop == signal.SIGINT:
        os.killpg(process.pid, stop)  # Ctrl-C reaches the whole group, workers too
    else:
        process.send_signal(stop)  # the CLI only, as a service manager would
    stdout, stderr = process.communicate(timeout=60)
    assert process.returncode == 130, (stdout, stderr)
    pdfs = sorted(out_dir.glob("*.pdf"))
    assert 0 < len(pdfs) < 30
    for pdf in pdfs:
        assert pdf.read_bytes().rstrip().endswith(b"%%EOF"), pdf
    assert f"{len(pdfs)} guide(s) written to {out_dir}" in stdout
    assert f"recorded {len(pdfs)} interview(s) in the database" in stdout
    assert f"interrupted: {30 - len(pdfs)} of 30 guide(s) not built" in stderr
    assert "Traceback" not in stderr
    listed = subprocess.run(
        [sys.executable, "-m", "hiring", "--db", str(tmp_path / "h.db"), "candidate", "list",
         "--json"], cwd=ROOT, capture_output=True, text=True, check=True,
    )
    names = {candidate["name"] for candidate in json.loads(listed.stdout)}
    manifests = {json.loads(p.read_text())["candidate"] for p in out_dir.glob("*.manifest.json")}
    assert names == manifests and len(names) == len(pdfs)
    assert not list(out_dir.glob(".*.tmp"))
