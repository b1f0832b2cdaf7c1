"""Batches: one guide per CSV row in spawned workers; bad rows; a killed batch."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from typer.testing import CliRunner

from hiring.cli import app
from hiring.guides.batch_rows import read_candidates

ROOT = Path(__file__).parent.parent
FIVE = ROOT / "tests" / "fixtures" / "five_lang_bank"


def test_bad_rows_reported_with_line_numbers_others_built(tmp_path: Path) -> None:
    csv = tmp_path / "people.csv"
    csv.write_text(
        "name,interviewer,lang,round\n"
        "Anna Berg,Ole,da,screen\n"
        "[red]Bad[/red],Ole,xx,screen\n"
        ",Ole,en,screen\n"
        "[bold]Иван[/bold],,ru,panel\n"
        "Bad Round,,en,nope\n",
        encoding="utf-8",
    )
    rows, problems = read_candidates(csv)
    assert problems == ["line 4: empty name"]
    result = CliRunner().invoke(app, [
        # Its own database: the interviews are recorded (never into the user's default one).
        "--bank", str(FIVE), "--db", str(tmp_path / "h.db"), "guide", "batch", "--role",
        "inbound-agent",
        "--candidates", str(csv), "--out-dir", str(tmp_path / "out"), "--format", "html",
        "--workers", "2",
    ])
    assert result.exit_code == 1, result.output
    # The name is escaped for rich markup: printed literally, brackets and all.
    assert "line 3 ([red]Bad[/red])" in result.output and "'xx'" in result.output
    assert "line 4: empty name" in result.output
    assert "line 6 (Bad Round)" in result.output and "nope" in result.output
    assert "2 guide(s) written" in result.output and "3 failed" in result.output
    written = sorted(p.name for p in (tmp_path / "out").glob("*.html"))
    assert written == ["anna-berg-screen-ole-da.html", "bold-иван-bold-panel-ru.html"]
    assert (tmp_path / "out" / "anna-berg-screen-ole-da.html.manifest.json").is_file()


def test_batch_names_say_whose_kit_it_is_and_warn_on_a_collision(tmp_path: Path) -> None:
    """'camilla-sørensen-panel-da.pdf' was Sofie's and '...-da-2.pdf' Anders's."""
    from hiring.guides.batch_rows import BatchOptions, name_collisions, output_paths

    csv = tmp_path / "panel.csv"
    csv.write_text(
        "name,interviewer\nCamilla Sørensen,Sofie Nielsen\nCamilla Sørensen,Anders Bæk\n"
        "Camilla Sørensen,Sofie Nielsen\nBo Li,\n", encoding="utf-8")
    rows, _ = read_candidates(csv)
    options = BatchOptions(role="inbound-agent", round="panel", lang="da")
    assert [p.name for p in output_paths(rows, tmp_path, options)] == [
        "camilla-sørensen-panel-sofie-nielsen-da.pdf",
        "camilla-sørensen-panel-anders-bæk-da.pdf",
        "camilla-sørensen-panel-sofie-nielsen-da-2.pdf",
        "bo-li-panel-da.pdf",
    ]
    assert name_collisions(rows, options) == [
        "line 4: camilla-sørensen-panel-sofie-nielsen-da.pdf is line 2's name too (same "
        "candidate, round, interviewer and language?): written as "
        "camilla-sørensen-panel-sofie-nielsen-da-2.pdf"
    ]


def _start_batch_of_30(tmp_path: Path, **popen: Any) -> tuple[subprocess.Popen[bytes], Path]:
    """A ``guide batch`` of 30 PDFs with 2 workers, running in the background."""
    csv = tmp_path / "many.csv"
    csv.write_text("name\n" + "".join(f"Person {i}\n" for i in range(30)), encoding="utf-8")
    out_dir = tmp_path / "out"
    process = subprocess.Popen(
        [sys.executable, "-m", "hiring", "--bank", str(FIVE), "guide", "batch", "--role",
         "inbound-agent", "--candidates", str(csv), "--out-dir", str(out_dir), "--workers", "2"],
        cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, **popen,
    )
    return process, out_dir


def test_killed_batch_leaves_no_partial_pdf(tmp_path: Path) -> None:
    process, out_dir = _start_batch_of_30(tmp_path, start_new_session=True)
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and len(list(out_dir.glob("*.pdf"))) < 2:
            time.sleep(0.05)
        assert list(out_dir.glob("*.pdf")), "no guide was written within 60 s"
    finally:
        os.killpg(process.pid, signal.SIGKILL)  # the CLI and its workers, mid-run
        process.wait()
    time.sleep(0.2)
    pdfs = list(out_dir.glob("*.pdf"))
    assert 0 < len(pdfs) < 30
    from pypdf import PdfReader

    for pdf in pdfs:
        data = pdf.read_bytes()
        assert data.startswith(b"%PDF") and data.rstrip().endswith(b"%%EOF"), pdf
        assert len(PdfReader(pdf).pages) >= 4
    # Temporary files, if any survived the kill, never carry a guide's real name.
    assert all(p.name.startswith(".") for p in out_dir.glob("*.tmp"))


def test_sigterm_stops_batch_cleanly(tmp_path: Path) -> None:
    process, out_dir = _start_batch_of_30(tmp_path)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and not list(out_dir.glob("*.pdf")):
        time.sleep(0.05)
    process.send_signal(signal.SIGTERM)  # the CLI only, as a service manager would
    assert process.wait(timeout=30) != 0
    pdfs = list(out_dir.glob("*.pdf"))
    assert 0 < len(pdfs) < 30  # it stopped early
    for pdf in pdfs:
        assert pdf.read_bytes().rstrip().endswith(b"%%EOF"), pdf
    assert not list(out_dir.glob(".*.tmp")) and not list(out_dir.glob("*.tmp"))
