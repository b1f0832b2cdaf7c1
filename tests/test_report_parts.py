"""A report laid out in parts in parallel processes and joined reads as the one-process
render does (issue 28): the same pages, text and pixels, page numbers, outline, structure
tree (every marked content on every page maps to its element), PDF/A and PDF/UA
declarations and attachments. One real SQLite store, real WeasyPrint, real worker
processes; the expected values are the one-process render's, itself checked by the other
report tests (test_reports_large_pool.py checks numbers, bookmarks and attachments by
hand, on both paths).
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from hiring.bank import load_bank
from hiring.reports import build as report_build
from hiring.reports import context as report_context
from hiring.reports.build import PARALLEL_MIN_DETAILS, build_compare_report, report_parts
from hiring.store import add_candidate, open_store, set_score
from tests.pdf_checks import pdfua_findings, structure_problems, xmp_properties

ROLE = "inbound-agent"
SMALL_BANK = Path(__file__).parent / "fixtures" / "small_bank"
NAMES = [f"Person {k:02d}" for k in range(1, 13)]  # 12 candidate pages: past the minimum
STAMP = {"generated": "Dec 7, 2026 9:00 AM UTC", "generated_iso": "2026-12-07T09:00+00:00"}


def _fill(db: Path) -> None:
    bank = load_bank([SMALL_BANK])
    with open_store(str(db)) as store:
        for k, name in enumerate(NAMES):
            add_candidate(store, name, role=ROLE)
            for j, who in enumerate(("Eve", "Finn", "Gus")):
                set_score(store, bank, name, who, "teamwork", 1 + (k + j) % 5,
                          note=f"{who} on {name}: worked the queue with the team",
                          round_id="panel")
                set_score(store, bank, name, who, "avoiding-arguments", (k * j) % 4,
                          note="stayed calm; named the customer's problem",
                          round_id="panel")


@pytest.fixture(scope="module")
def joined(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    folder = tmp_path_factory.mktemp("parts")
    _fill(folder / "hiring.db")
    bank = load_bank([SMALL_BANK])
    made: dict[str, Any] = {}
    with open_store(str(folder / "hiring.db")) as store, pytest.MonkeyPatch.context() as patch:
        patch.setattr(report_context, "generated_stamp", lambda lang: dict(STAMP))
        for label, workers in (("one", 1), ("joined", 3)):
            out = folder / f"{label}.pdf"
            result = build_compare_report(store, bank, ROLE, "panel", None, "en", "pdf", out,
                                          pdf_variant="pdf/a-3a", detail=20, workers=workers)
            made[label] = out
            made[f"{label}-pages"] = result.pages
    return made


def _page_texts(pdf: Path) -> list[str]:
    done = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], check=True,
                          capture_output=True, text=True)
    return done.stdout.split("\f")


def test_the_parts_are_the_summary_each_run_of_candidate_pages_and_the_rest() -> None:
    details = [{"name": f"c{k}"} for k in range(9)]
    context = {"details": details, "title": "t"}
    assert report_parts(context, 1) == [context]
    assert report_parts({**context, "details": details[:PARALLEL_MIN_DETAILS - 1]}, 4) == [
        {**context, "details": details[:PARALLEL_MIN_DETAILS - 1]}]
    parts = report_parts(context, 3)
    assert [p.get("report_part") for p in parts] == ["summary", "details", "details", "rest"]
    assert [p["details"] for p in parts[1:3]] == [details[:5], details[5:]]
    assert parts[0]["details"] == details and parts[3]["details"] == details
    assert parts[3]["ranking_rest_sections"] == [] and parts[3]["report_method"]
    # A large pool: one part per section of the rest of the ranking, the method last.
    sections = [{"first": 101, "last": 2100}, {"first": 2101, "last": 2500}]
    parts = report_parts({**context, "ranking_rest_sections": sections}, 2)
    assert [p.get("report_part") for p in parts] == ["summary", "details", "rest", "rest"]
    assert [p["ranking_rest_sections"] for p in parts[2:]] == [[sections[0]], [sections[1]]]
    assert [p["report_method"] for p in parts[2:]] == [False, True]


def test_joined_pages_read_and_look_as_the_one_process_render(joined, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from PIL import Image, ImageChops

    assert joined["joined-pages"] == joined["one-pages"] >= 14
    one, two = _page_texts(joined["one"]), _page_texts(joined["joined"])
    assert one == two
    total = joined["one-pages"]
    assert f"2 / {total}" in two[1] and f"{total} / {total}" in two[total - 1]
    assert f"/ {total}" not in two[0]
    for label in ("one", "joined"):
        subprocess.run(["pdftoppm", "-png", "-r", "40", str(joined[label]),
                        str(tmp_path / label)], check=True)
    # Each part embeds its own subset of a font; a subset's hinting can shade a glyph's
    # edge differently (seen: up to 61 of 255 grey levels, Russian). A glyph moved, missing
    # or added differs by far more.
    differing = []
    for number in range(1, total + 1):
        name = f"-{number:02d}.png"
        first = Image.open(tmp_path / f"one{name}").convert("L")
        second = Image.open(tmp_path / f"joined{name}").convert("L")
        low, high = ImageChops.difference(first, second).getextrema()
        if high > 96:
            differing.append((number, high))
    assert differing == []


def _outline(pdf: Path) -> list[tuple[int, str, int, float]]:
    from pypdf import PdfReader

    reader = PdfReader(pdf)
    found: list[tuple[int, str, int, float]] = []

    def walk(items: list[Any], depth: int) -> None:
        for item in items:
            if isinstance(item, list):
                walk(item, depth + 1)
            else:
                found.append((depth, str(item.title), reader.get_destination_page_number(item),
                              round(float(item.top), 1)))

    walk(reader.outline, 0)
    return found


def test_the_outline_nests_the_candidates_under_the_title_as_in_one_render(joined) -> None:  # type: ignore[no-untyped-def]
    one, two = _outline(joined["one"]), _outline(joined["joined"])
    assert one == two
    # A candidate page's heading sits under the report's title (depth 1), in rank order.
    candidates = [(depth, title) for depth, title, _, _ in two if title in NAMES]
    assert sorted(candidates) == [(1, name) for name in NAMES]
    assert [depth for depth, *_ in two].count(0) == 1 and two[0][0] == 0


def _marked_content(pdf: Any, page: Any) -> list[int]:
    import pikepdf

    found = []
    for operands, operator in pikepdf.parse_content_stream(page):
        if operator == pikepdf.Operator("BDC") and isinstance(operands[1], pikepdf.Dictionary):
            if "/MCID" in operands[1]:
                found.append(int(operands[1].MCID))
    return found


def test_every_marked_content_maps_to_its_element_and_ids_are_unique(joined) -> None:  # type: ignore[no-untyped-def]
    import pikepdf

    counts = {}
    for label in ("one", "joined"):
        pdf = pikepdf.open(joined[label])
        root = pdf.Root.StructTreeRoot
        numbers = root.ParentTree.Nums
        tree = {int(numbers[i]): numbers[i + 1] for i in range(0, len(numbers), 2)}
        assert len(tree) == len(numbers) // 2  # keys unique
        mapped = 0
        for page in pdf.pages:
            key = int(page.obj.StructParents)
            for mcid in _marked_content(pdf, page):
                element = tree[key][mcid]
                kids = element.K if isinstance(element.K, pikepdf.Array) else [element.K]
                assert mcid in [int(k) for k in kids if not isinstance(k, pikepdf.Dictionary)]
                assert element.Pg.objgen == page.obj.objgen
                mapped += 1
        # Every element reachable from the one Document element, each with its parent.
        document = root.K[0]
        ids: list[str] = []
        headers: list[str] = []
        stack = [(document, root)]
        elements = 0
        while stack:
            element, parent = stack.pop()
            assert element.P.objgen == parent.objgen
            elements += 1
            if "/ID" in element:
                ids.append(str(element.ID))
            if "/A" in element and "/Headers" in element.A:
                headers.extend(str(h) for h in element.A.Headers)
            kids = element.get("/K")
            for kid in kids if isinstance(kids, pikepdf.Array) else [kids]:
                if isinstance(kid, pikepdf.Dictionary) and kid.get("/Type") != "/MCR":
                    stack.append((kid, element))
        assert len(ids) == len(set(ids)) and set(headers) <= set(ids)
        counts[label] = (mapped, elements, len(ids))
    # The same elements and ids; each numbered page's number, which one render tags as a
    # Span, is an artifact when drawn after the join (pagination, ISO 32000-1 14.8.2.2).
    numbered = joined["one-pages"] - 1
    assert counts["joined"][1:] == counts["one"][1:]
    assert counts["joined"][0] + numbered == counts["one"][0] > 1000


def test_the_joined_report_is_accessible_archival_and_carries_the_ratings(joined) -> None:  # type: ignore[no-untyped-def]
    from pypdf import PdfReader

    path = joined["joined"]
    assert pdfua_findings(path) == []
    assert structure_problems(path) == []
    assert xmp_properties(path, "http://www.aiim.org/pdfa/ns/id/") == {
        "part": "3", "conformance": "A"}
    assert xmp_properties(path, "http://www.aiim.org/pdfua/ns/id/") == {"part": "1"}
    one, two = PdfReader(joined["one"]), PdfReader(path)
    for key in ("/Lang", "/MarkInfo", "/ViewerPreferences"):
        assert two.trailer["/Root"][key] == one.trailer["/Root"][key]
    assert two.metadata.title == one.metadata.title
    assert set(two.attachments) == {"ratings.csv", "ratings.json"}
    assert two.attachments["ratings.csv"] == one.attachments["ratings.csv"]

    def ratings(reader: Any) -> dict[str, Any]:
        payload = json.loads(reader.attachments["ratings.json"][0])
        payload.pop("generated")  # the time each report was made
        return payload  # type: ignore[no-any-return]

    assert ratings(two) == ratings(one)
    assert len(ratings(two)["ratings"]) == len(NAMES) * 3 * 2


def test_variants_the_join_is_not_checked_for_are_laid_out_in_one_process(tmp_path: Path) -> None:
    _fill(tmp_path / "hiring.db")
    bank = load_bank([SMALL_BANK])
    with open_store(str(tmp_path / "hiring.db")) as store:
        out = tmp_path / "a1.pdf"
        build_compare_report(store, bank, ROLE, "panel", None, "en", "pdf", out,
                             pdf_variant="pdf/a-1b", workers=3)
    assert b"HiringPageNumber" not in out.read_bytes()
    assert xmp_properties(out, "http://www.aiim.org/pdfa/ns/id/")["part"] == "1"


def _layout_worker(parent: int) -> int | None:
    """The pid of ``parent``'s spawned layout worker, once it runs."""
    for children in Path(f"/proc/{parent}/task").glob("*/children"):
        for pid in children.read_text().split():
            try:
                command = Path(f"/proc/{pid}/cmdline").read_bytes()
            except OSError:
                continue
            if b"spawn_main" in command:
                return int(pid)
    return None


def test_a_killed_layout_worker_is_one_line_and_leaves_no_file(tmp_path: Path) -> None:
    db = tmp_path / "hiring.db"
    _fill(db)
    out = tmp_path / "compare.pdf"
    process = subprocess.Popen(
        [sys.executable, "-m", "hiring", "--bank", str(SMALL_BANK), "--db", str(db), "report",
         "compare", "--role", ROLE, "--round", "panel", "--workers", "2", "--out", str(out)],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 60
    worker = None
    while worker is None and time.monotonic() < deadline and process.poll() is None:
        worker = _layout_worker(process.pid)
        time.sleep(0.01)
    assert worker is not None, "no layout worker started"
    os.kill(worker, signal.SIGKILL)
    _, stderr = process.communicate(timeout=120)
    assert process.returncode == 1
    lines = [line for line in stderr.splitlines() if line.strip()]
    assert lines[-1].startswith("Error: PDF rendering failed: a layout process stopped"), stderr
    assert "Traceback" not in stderr
    assert not out.exists() and not list(tmp_path.glob("*.pdf*"))


def test_the_cli_takes_workers(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from hiring.cli import app

    db = tmp_path / "hiring.db"
    _fill(db)
    result = CliRunner().invoke(app, ["--bank", str(SMALL_BANK), "--db", str(db), "report",
                                      "compare", "--role", ROLE, "--workers", "0",
                                      "--out", str(tmp_path / "x.pdf")])
    assert result.exit_code == 2 and not (tmp_path / "x.pdf").exists()
    assert report_build.PARALLEL_MIN_DETAILS == PARALLEL_MIN_DETAILS == 8


def test_the_report_has_no_links_or_anchors_a_join_would_have_to_carry() -> None:
    # The join renumbers annotations' structure keys but keeps only the first part's named
    # destinations: a link from one part to an anchor in another would be lost. The
    # report's templates have neither; one added here needs the join extended first.
    templates = Path(__file__).parent.parent / "templates"
    for path in [templates / "report_compare.html.j2", templates / "base.html.j2",
                 *sorted((templates / "partials").glob("report_*.html.j2"))]:
        text = path.read_text(encoding="utf-8")
        assert "<a " not in text and "href" not in text and " id=" not in text, path.name
