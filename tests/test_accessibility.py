"""Kits, hand-outs and reports every reader can use (issue 23): tagged PDF/UA-1 by default,
checked with ``pdfua`` (PyPI; PDF/UA-1's machine-checkable subset) and with our own reading
of the structure tree for what pdfua leaves out (heading order, /Scope on every header
cell, /Alt on every figure, /TU on every form field: ``tests/pdf_checks.py``). The HTML
side (axe-core in Chromium) is in ``tests/test_html_screen.py``.

Small documents: the small test bank's report of three candidates, its kit and fillable
kit, the bundled bank's four-exercise hand-out, and one stamped batch kit."""

from __future__ import annotations

import math
import re
from pathlib import Path

import pytest

from hiring.bank import load_bank
from hiring.guides.build import write_guide
from hiring.guides.context import GuideRequest, build_guide
from hiring.render.accessible import accessible_html
from hiring.reports.build import build_compare_report
from hiring.store import add_candidate, open_store, set_score
from tests.cli_helpers import ok, one_error_line, run
from tests.pdf_checks import (
    PDFAID,
    figure_alts,
    headings,
    pdfua_findings,
    structure_problems,
    xmp_properties,
)

SMALL_BANK = Path(__file__).parent / "fixtures" / "small_bank"
ROLE = "inbound-agent"
PDFUAID = "http://www.aiim.org/pdfua/ns/id/"
# (teamwork by Eve, by Finn; avoiding arguments by Eve, by Finn); teamwork's means 4.5, 2.5
# and 3.0, so its pool average is 3.33 (printed 3.3).
RATINGS = {"Ann Lee": (4, 5, 3, 2), "Bo Berg": (2, 3, 1, 1), "Cy Holm": (3, 3, 2, 3)}


def _pool(path: Path) -> None:
    with open_store(path) as store:
        bank = load_bank([SMALL_BANK])
        for name, (t1, t2, a1, a2) in RATINGS.items():
            add_candidate(store, name, role=ROLE)
            for who, teamwork, avoiding in (("Eve", t1, a1), ("Finn", t2, a2)):
                set_score(store, bank, name, who, "teamwork", teamwork, round_id="panel",
                          note="Helped a colleague")
                set_score(store, bank, name, who, "avoiding-arguments", avoiding,
                          round_id="panel")


@pytest.fixture(scope="module")
def documents(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("accessible")
    bank = load_bank([SMALL_BANK])
    _pool(folder / "h.db")
    made: dict[str, Path] = {}
    with open_store(folder / "h.db") as store:
        # The archival variants without candidate pages: their own checks are the XMP and
        # the attachments.
        for name, variant, detail in (("report", None, 20), ("archival", "pdf/a-3a", 0),
                                      ("a3b", "pdf/a-3b", 0)):
            made[name] = folder / f"{name}.pdf"
            build_compare_report(store, bank, ROLE, "panel", None, "en", None, made[name],
                                 pdf_variant=variant, detail=detail)
    request = GuideRequest(role=ROLE, round="panel", candidate="Ann Lee", interviewer="Eve")
    made["kit"] = write_guide(bank, request, folder / "kit.pdf").path
    made["fillable"] = write_guide(bank, request, folder / "fillable.pdf", fillable=True).path
    from hiring.guides.handout import render_handout

    bundled = load_bank(None)
    data, _ = render_handout(build_guide(bundled, GuideRequest(role="chat-email-agent",
                                                               round="written")), "pdf")
    made["handout"] = folder / "handout.pdf"
    made["handout"].write_bytes(data)  # type: ignore[arg-type]
    # A batch's kit (names stamped onto a shared layout), built as a batch worker does.
    from hiring.files import publish
    from hiring.guides.batch import BatchOptions, CandidateRow, build_row_stamped

    stamped = build_row_stamped(CandidateRow(line=2, name="Ann Lee", interviewer="Eve"),
                                folder / "stamped.pdf",
                                BatchOptions(role=ROLE, round="screen", bank_dirs=[SMALL_BANK]))
    assert stamped.error is None, stamped.error
    publish(stamped.staged)
    made["stamped"] = folder / "stamped.pdf"
    return made


@pytest.mark.slow
@pytest.mark.parametrize("document",
                         ["report", "archival", "a3b", "kit", "fillable", "handout", "stamped"])
def test_pdfua_and_the_structure_checks_find_nothing(documents, document: str) -> None:  # type: ignore[no-untyped-def]
    path = documents[document]
    assert pdfua_findings(path) == []
    assert structure_problems(path) == []
    assert headings(path)[0] == "/H1"
    from pypdf import PdfReader

    root = PdfReader(path).trailer["/Root"]
    assert root["/Lang"] == "en" and bool(root["/MarkInfo"]["/Marked"])
    assert xmp_properties(path, PDFUAID).get("part") == "1"


def test_the_checks_can_fail(tmp_path: Path) -> None:
    """What the checks catch: on a tagged page, an H3 right after the H1 and a chart without
    a title; an untagged PDF (the kits and reports before issue 23) has no structure."""
    from hiring.render.environment import template_dirs
    from hiring.render.pdf import html_to_pdf

    page = ("<html lang='en'><head><title>T</title></head><body><h1>A</h1><h3>B</h3>"
            "<svg xmlns='http://www.w3.org/2000/svg' width='20' height='5'>"
            "<rect width='10' height='5'/></svg></body></html>")
    tagged, plain = tmp_path / "tagged.pdf", tmp_path / "plain.pdf"
    tagged.write_bytes(html_to_pdf(page, roots=template_dirs(None)).data)
    plain.write_bytes(html_to_pdf(page, roots=template_dirs(None), pdf_variant=None).data)
    assert structure_problems(tagged) == ["heading /H3 follows H1", "a figure without /Alt"]
    assert any(f.startswith("UA-13-004 ERROR") for f in pdfua_findings(tagged))
    untagged = pdfua_findings(plain)
    assert any(f.startswith("UA-01-005 ERROR") for f in untagged)  # no structure tree


@pytest.mark.slow
def test_chart_bars_say_the_numbers_they_draw(documents) -> None:  # type: ignore[no-untyped-def]
    alts = figure_alts(documents["report"])
    # Three candidates' pages, a bar per competency each.
    assert len(alts) == 6
    teamwork = [a for a in alts if a.startswith("Teamwork:")]
    assert len(teamwork) == 3
    ann = teamwork[0]  # Ann ranks first
    assert re.search(r"\b4\.5\b", ann) and re.search(r"\b3\.3\b", ann), ann


@pytest.mark.slow
def test_table_headers_and_form_labels(documents) -> None:  # type: ignore[no-untyped-def]
    import pikepdf

    with pikepdf.open(documents["report"]) as pdf:
        scopes: dict[str, int] = {}
        for obj in pdf.objects:
            if isinstance(obj, pikepdf.Dictionary) and obj.get("/S") == "/TH":
                scope = str(obj["/A"]["/Scope"])
                scopes[scope] = scopes.get(scope, 0) + 1
    # The cover's facts are row headers (Round | panel); every other table heads columns.
    assert scopes.get("/Row", 0) == 6 and scopes.get("/Column", 0) > 20, scopes
    with pikepdf.open(documents["fillable"]) as pdf:
        # (A radio group's buttons are listed too, named by their group.)
        labels = {str(f["/T"]): str(f.get("/TU", "")) for f in pdf.Root.AcroForm.Fields
                  if "/T" in f}
    assert labels["score__teamwork"] == "Teamwork"  # the radio group: its competency
    assert labels["recommendation"] == "Recommendation"
    assert labels["interviewer"] == "Interviewer" and labels["date"] == "Date"
    evidence = [label for name, label in labels.items() if name.startswith("evidence__")]
    assert evidence and all(label.endswith(": Teamwork") or
                            label.endswith(": Avoiding arguments with customers")
                            for label in evidence), evidence


@pytest.mark.slow
def test_archival_report_is_pdfa_3a_and_ua_1_with_the_ratings_attached(documents) -> None:  # type: ignore[no-untyped-def]
    from pypdf import PdfReader

    archival = xmp_properties(documents["archival"], PDFAID)
    assert (archival.get("part"), archival.get("conformance")) == ("3", "A")
    assert xmp_properties(documents["archival"], PDFUAID).get("part") == "1"
    # PDF/A admits pdfuaid only with its schema described in the file (ISO 19005-2 6.6.2.3).
    import xml.etree.ElementTree as ElementTree

    root = PdfReader(documents["archival"]).trailer["/Root"]
    described = [e.text for e in ElementTree.fromstring(
        root["/Metadata"].get_object().get_data()).iter(
        "{http://www.aiim.org/pdfa/ns/schema#}namespaceURI")]
    assert described == [PDFUAID]
    assert set(PdfReader(documents["archival"]).attachments) == {"ratings.csv", "ratings.json"}
    # pdf/a-3b keeps working: level B, tagged all the same, attachments too.
    a3b = xmp_properties(documents["a3b"], PDFAID)
    assert (a3b.get("part"), a3b.get("conformance")) == ("3", "B")
    assert set(PdfReader(documents["a3b"]).attachments) == {"ratings.csv", "ratings.json"}
    # The default report is PDF/UA-1 and nothing else: no PDF/A claim, no attachments.
    assert xmp_properties(documents["report"], PDFAID) == {}
    assert PdfReader(documents["report"]).attachments == {}


def test_pdf_variant_accepts_weasyprints_and_names_them_when_refused(tmp_path: Path) -> None:
    from weasyprint.pdf import VARIANTS

    from hiring.render.pdf import PDF_VARIANTS

    assert set(PDF_VARIANTS) == set(VARIANTS) - {"debug"}  # the list the CLI checks against
    db = tmp_path / "h.db"
    _pool(db)
    out = tmp_path / "r.pdf"
    line = one_error_line(run(str(db), "report", "compare", "--role", ROLE, "--out", str(out),
                              "--pdf-variant", "pdf/a-9z"))
    assert "unknown PDF variant 'pdf/a-9z'" in line
    assert "pdf/ua-1" in line and "pdf/a-3a" in line
    assert not out.exists()


@pytest.mark.slow
def test_cli_writes_pdf_ua_2(tmp_path: Path) -> None:
    db = tmp_path / "h.db"
    _pool(db)
    out = tmp_path / "r.pdf"
    ok(str(db), "report", "compare", "--role", ROLE, "--detail", "0", "--out", str(out),
       "--pdf-variant", "pdf/ua-2")
    assert out.read_bytes().startswith(b"%PDF-2.0")
    assert xmp_properties(out, PDFUAID).get("part") == "2"


def test_header_cells_get_their_scope_and_scrolling_boxes_a_name() -> None:
    html = ("<h2>Ranking <span>(1–5)</span></h2><div class=\"table-scroll\"><table>"
            "<thead><tr><th>Name</th><th class=\"num\">Score</th></tr></thead>"
            "<tbody><tr><td>Ann</td><td>4</td></tr></tbody></table></div>"
            "<table class=\"facts\"><tr><th>Round</th><td>panel</td></tr>"
            "<tr><th scope=\"col\">Kept</th><td>as written</td></tr></table>"
            "<table><tr><th>Competency</th><th colspan=\"5\">Score</th></tr>"
            "<tr><td>Teamwork</td><td>1</td></tr></table>"
            "<h3>Say \"hi\"</h3><div class='x table-scroll' data-n=\"2\"><table></table></div>"
            "<div class=\"table-scroll\" tabindex=\"-1\"></div>")
    out = accessible_html(html)
    assert '<th scope="col">Name</th><th class="num" scope="col">Score</th>' in out
    assert '<tr><th scope="row">Round</th><td>panel</td></tr>' in out
    assert '<th scope="col">Kept</th>' in out  # a scope already given is kept
    # A row of header cells only (no <thead>) heads columns.
    assert '<tr><th scope="col">Competency</th><th colspan="5" scope="col">Score</th>' in out
    assert ('<div class="table-scroll" tabindex="0" role="group" '
            'aria-label="Ranking (1–5)">') in out
    assert ("<div class='x table-scroll' data-n=\"2\" tabindex=\"0\" role=\"group\" "
            "aria-label=\"Say &#34;hi&#34;\">") in out
    assert '<div class="table-scroll" tabindex="-1">' in out
    # Only tags change: the text is the same.
    strip = re.compile(r"<[^>]*>")
    assert strip.sub("", out) == strip.sub("", html)


def _luminance(hex_colour: str) -> float:
    """WCAG 2.1 relative luminance of #rrggbb."""
    channels = [int(hex_colour[i:i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def _contrast(a: str, b: str) -> float:
    high, low = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def test_heat_map_text_has_at_least_4_5_to_1_on_every_grey() -> None:
    from hiring.paths import bundled_templates_dir
    from hiring.reports.context import _grey

    # The formula against the measurement (axe-core: white on #787878 is 4.41:1;
    # axe cuts the ratio to two decimals).
    assert math.floor(100 * _contrast("#ffffff", "#787878")) == 441
    css = (bundled_templates_dir() / "report_print.css").read_text(encoding="utf-8")
    greys = dict(re.findall(r"\.(g\d+) \{ background: (#[0-9a-f]{6}); \}", css))
    assert len(greys) == 11
    body = re.search(r"html \{[^}]*color: (#[0-9a-f]{3,6})",
                     (bundled_templates_dir() / "print.css").read_text(encoding="utf-8"))
    assert body and body.group(1) == "#111"
    for step in range(11):
        fill, white = _grey(step / 10)
        assert fill == f"g{step}"
        text = "#ffffff" if white else "#111111"
        assert _contrast(text, greys[fill]) >= 4.5, (fill, greys[fill], text)


def test_every_text_colour_reads_on_white() -> None:
    from hiring.paths import bundled_templates_dir

    for name in ("print.css", "report_print.css", "screen.css"):
        css = (bundled_templates_dir() / name).read_text(encoding="utf-8")
        for colour in re.findall(r"(?<![-\w])color: (#[0-9a-f]{3}(?:[0-9a-f]{3})?)\b", css):
            full = colour if len(colour) == 7 else "#" + "".join(c * 2 for c in colour[1:])
            if full == "#ffffff":
                continue  # white text: only on the dark fills checked above (.light, .risk)
            assert _contrast(full, "#ffffff") >= 4.5, (name, colour)


@pytest.mark.slow
def test_stamped_kit_is_titled_with_its_candidate_in_both_places(documents) -> None:  # type: ignore[no-untyped-def]
    """A batch kit is a shared layout (titled without a name) with names stamped on: the
    title a screen reader announces (XMP dc:title, and the document information) is the
    candidate's. The stamped names themselves are drawn as an artifact."""
    from pypdf import PdfReader

    info = PdfReader(documents["stamped"]).metadata.title
    assert info is not None and info.endswith("Ann Lee")
    import xml.etree.ElementTree as ElementTree

    root = PdfReader(documents["stamped"]).trailer["/Root"]
    packet = root["/Metadata"].get_object().get_data()
    titles = [li.text for li in ElementTree.fromstring(packet).iter(
        "{http://www.w3.org/1999/02/22-rdf-syntax-ns#}li")
        if li.get("{http://www.w3.org/XML/1998/namespace}lang") == "x-default"]
    assert titles == [info]


def test_a_pdfa_part_without_files_says_the_ratings_are_not_attached(tmp_path: Path) -> None:
    from pypdf import PdfReader

    db = tmp_path / "h.db"
    _pool(db)
    out = tmp_path / "r.pdf"
    with open_store(db) as store:
        result = build_compare_report(store, load_bank([SMALL_BANK]), ROLE, "panel", None,
                                      "en", None, out, pdf_variant="pdf/a-2b", detail=0)
    assert PdfReader(out).attachments == {}
    assert result.warnings == [
        "pdf/a-2b embeds no files: the 2 ratings files (ratings.csv, ratings.json) are not "
        "attached; pdf/a-3a or pdf/a-3b attach them"]
