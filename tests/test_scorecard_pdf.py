"""Fillable guides: real PDF form fields, filled by two independent PDF engines (pypdf and
MuPDF), imported back with the CSV import's rules, and found in the store."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from pypdf import PdfReader, PdfWriter
from pypdf.generic import NameObject

from tests.conftest import SMALL_BANK, invoke

HOSTILE = '<img src="file:///etc/hostname">{{7*7}} =HYPERLINK("x") **bold**'


@pytest.fixture
def kit(runner, tmp_path: Path):  # type: ignore[no-untyped-def]
    """A database with Anna (1) and Bo (2), and a fillable panel guide for each."""
    db = tmp_path / "h.db"
    base = ["--bank", str(SMALL_BANK), "--db", str(db)]
    for name in ("Anna Berg", "Bo Ek"):
        added = invoke(runner, *base, "candidate", "add", name, "--role", "inbound-agent")
        assert added.exit_code == 0, added.output
    for cid, stem in (("1", "anna"), ("2", "bo")):
        built = invoke(runner, *base, "guide", "build", "--role", "inbound-agent", "--round",
                       "panel", "--candidate", cid, "--interviewer", "Ole Holm", "--lang", "da",
                       "--fillable", "--out", str(tmp_path / f"{stem}.pdf"))
        assert built.exit_code == 0, built.output
    return base, tmp_path


def _fields(path: Path) -> dict[str, dict]:
    return {name: dict(f) for name, f in (PdfReader(path).get_fields() or {}).items()}


def _manifest(path: Path) -> dict:
    return json.loads(PdfReader(path).attachments["hiring-guide-manifest.json"][0])


def fill_with_pypdf(source: Path, target: Path, values: dict[str, str],
                    scores: dict[str, int]) -> None:
    """Text and choice fields by value; a radio by its position (/0, /1 ...) as pypdf does."""
    writer = PdfWriter(clone_from=str(source))
    options = {}
    for name, field in (PdfReader(source).get_fields() or {}).items():
        if "/Opt" in field and field.get("/FT") == "/Btn":
            options[name.split(".")[0]] = [str(o) for o in field["/Opt"]]
    updates: dict[str, str] = dict(values)
    for competency, score in scores.items():
        group = f"score__{competency}"
        updates[group] = f"/{options[group].index(str(score))}"
    for page in writer.pages:
        writer.update_page_form_field_values(page, updates, auto_regenerate=False)
    writer.write(str(target))


def fill_with_mupdf(source: Path, target: Path, values: dict[str, str],
                    scores: dict[str, int]) -> None:
    pymupdf = pytest.importorskip("pymupdf")
    document = pymupdf.open(str(source))
    manifest = _manifest(source)
    del manifest
    radio_seen: dict[str, int] = {}
    for page in document:
        for widget in page.widgets():
            name = widget.field_name.split(".")[0]
            if widget.field_type == pymupdf.PDF_WIDGET_TYPE_RADIOBUTTON:
                position = radio_seen.get(name, 0)
                radio_seen[name] = position + 1
                competency = name.removeprefix("score__")
                # The n-th button of a group holds the n-th point of the scale.
                if competency in scores and position == scores[competency] - _first(name):
                    widget.field_value = widget.on_state()
                    widget.update()
            elif name in values:
                widget.field_value = values[name]
                widget.update()
    document.save(str(target))


def _first(group: str) -> int:
    return 0 if group == "score__avoiding-arguments" else 1  # 0-3 scale, else 1-5


def _ratings(runner, base: list[str], candidate: str) -> dict[str, tuple[int, str]]:  # type: ignore[no-untyped-def]
    listed = invoke(runner, *base, "score", "list", "--candidate", candidate, "--json")
    assert listed.exit_code == 0, listed.output
    return {r["competency"]: (r["score"], r["note"]) for r in json.loads(listed.output)["scores"]}


def _values(path: Path, hostile: str = HOSTILE) -> dict[str, str]:
    manifest = _manifest(path)
    values = {"recommendation": "yes"}
    for n, item in enumerate(manifest["questions"]):
        values[f"evidence__{item['question']}"] = (
            f"Svar {n}: kunden råbte, «Спасибо», 谢谢 {hostile}"
        )
    return values


@pytest.mark.parametrize("engine", ["pypdf", "mupdf"])
def test_filled_pdf_imports_into_the_store(runner, kit, engine: str) -> None:  # type: ignore[no-untyped-def]
    base, folder = kit
    source, filled = folder / "anna.pdf", folder / f"anna-{engine}.pdf"
    values = _values(source)
    scores = {"teamwork": 4, "avoiding-arguments": 0}
    (fill_with_pypdf if engine == "pypdf" else fill_with_mupdf)(source, filled, values, scores)
    result = invoke(runner, *base, "score", "import", str(filled))
    assert result.exit_code == 0, result.output
    assert "imported 1 scorecard(s): 2 created" in result.output
    assert "1 recommendation(s)" in result.output
    ratings = _ratings(runner, base, "1")
    assert {c: s for c, (s, _) in ratings.items()} == scores
    manifest = _manifest(source)
    for competency, (_, note) in ratings.items():
        asked = [q["question"] for q in manifest["questions"] if q["competency"] == competency]
        assert len(asked) == 2  # the small bank's panel asks two per competency
        for question in asked:
            assert f"{question}: {values['evidence__' + question]}" in note  # only text
    assert _ratings(runner, base, "2") == {}  # Bo's scores untouched
    exported = invoke(runner, *base, "score", "export", "--format", "json")
    data = json.loads(exported.output)
    assert [(r["candidate"], r["interviewer"], r["decision"]) for r in data["recommendations"]] \
        == [("Anna Berg", "Ole Holm", "yes")]


def test_submit_submits_the_pdf_scorecard_or_refuses_an_incomplete_one(  # type: ignore[no-untyped-def]
    runner, kit
) -> None:
    base, folder = kit
    source = folder / "anna.pdf"
    # Without a recommendation the scorecard cannot be submitted: refused, nothing written.
    undecided = folder / "anna-undecided.pdf"
    values = {k: v for k, v in _values(source).items() if k != "recommendation"}
    fill_with_pypdf(source, undecided, values, {"teamwork": 4, "avoiding-arguments": 2})
    refused = invoke(runner, *base, "score", "import", str(undecided), "--submit")
    assert refused.exit_code == 1, refused.output
    assert "recommendation" in refused.stderr
    assert _ratings(runner, base, "1") == {}
    # Complete: imported and submitted, so score pending no longer chases it.
    filled = folder / "anna-complete.pdf"
    fill_with_pypdf(source, filled, _values(source), {"teamwork": 4, "avoiding-arguments": 2})
    done = invoke(runner, *base, "score", "import", str(filled), "--submit")
    assert done.exit_code == 0, done.output
    assert "1 submitted" in done.output
    pending = json.loads(invoke(runner, *base, "score", "pending", "--json").output)["pending"]
    assert [(p["candidate"], p["state"]) for p in pending] == [("Bo Ek", "missing")]


def test_macos_preview_state_on_the_widget_only(runner, kit) -> None:  # type: ignore[no-untyped-def]
    base, folder = kit
    source, filled = folder / "anna.pdf", folder / "anna-preview.pdf"
    fill_with_pypdf(source, filled, {}, {"teamwork": 2, "avoiding-arguments": 3})
    writer = PdfWriter(clone_from=str(filled))
    # Preview: the group's /V says nothing; only the ticked widget's /AS does.
    for page in writer.pages:
        for annotation in page.get("/Annots") or []:
            widget = annotation.get_object()
            parent = widget.get("/Parent")
            if parent is not None and "/V" in parent.get_object():
                parent.get_object()[NameObject("/V")] = NameObject("/Off")
    writer.write(str(filled))
    groups = [a.get_object()["/Parent"].get_object() for page in PdfReader(filled).pages
              for a in page.get("/Annots") or [] if "/Parent" in a.get_object()]
    assert groups and {str(g["/V"]) for g in groups} == {"/Off"}
    ticked = [a.get_object()["/AS"] for page in PdfReader(filled).pages
              for a in page.get("/Annots") or [] if "/Parent" in a.get_object()]
    assert sorted(str(s) for s in ticked if s != "/Off") == ["/1", "/3"]  # 2 of 1-5, 3 of 0-3
    result = invoke(runner, *base, "score", "import", str(filled))
    assert result.exit_code == 0, result.output
    assert {c: s for c, (s, _) in _ratings(runner, base, "1").items()} == {
        "teamwork": 2, "avoiding-arguments": 3}
    # Said per question in the guide's language (Danish), not as field ids.
    assert "ingen dokumentation for Samarbejde, spørgsmål 1" in result.stderr
    assert "ingen anbefaling valgt" in result.stderr and "evidence__" not in result.output


def test_flattened_pdf_is_one_line(runner, kit) -> None:  # type: ignore[no-untyped-def]
    base, folder = kit
    writer = PdfWriter(clone_from=str(folder / "anna.pdf"))
    writer.remove_annotations(subtypes="/Widget")
    writer.write(str(folder / "flat.pdf"))
    result = invoke(runner, *base, "score", "import", str(folder / "flat.pdf"))
    assert result.exit_code == 1
    assert result.output.strip().splitlines() == [
        f"Error: {folder / 'flat.pdf'} has no form fields left (printed or flattened?): "
        "enter its scores with 'hiring score enter' or a CSV"
    ]


def test_another_candidates_pdf_is_refused_and_nothing_written(runner, kit) -> None:  # type: ignore[no-untyped-def]
    base, folder = kit
    anna, bo = folder / "anna-filled.pdf", folder / "bo-filled.pdf"
    scores = {"teamwork": 4, "avoiding-arguments": 2}
    fill_with_pypdf(folder / "anna.pdf", anna, _values(folder / "anna.pdf"), scores)
    fill_with_pypdf(folder / "bo.pdf", bo, _values(folder / "bo.pdf"), scores)
    result = invoke(runner, *base, "score", "import", str(anna), str(bo), "--candidate", "1")
    assert result.exit_code == 1
    assert f"{bo}: the guide is for 'Bo Ek' (candidate 2), not for 'Anna Berg' (candidate 1)" \
        in result.output
    assert _ratings(runner, base, "1") == {}  # all or nothing: Anna's file was rolled back


def test_other_bank_version_and_empty_score_are_refused(runner, kit, small_bank: Path) -> None:  # type: ignore[no-untyped-def]
    base, folder = kit
    filled = folder / "anna-partial.pdf"
    fill_with_pypdf(folder / "anna.pdf", filled, _values(folder / "anna.pdf"), {"teamwork": 3})
    result = invoke(runner, *base, "score", "import", str(filled))
    assert result.exit_code == 1
    assert "empty score field(s): score__avoiding-arguments" in result.output
    # The same file against a changed bank: the version differs.
    teamwork = small_bank / "competencies" / "teamwork.yaml"
    teamwork.write_text(teamwork.read_text().replace("Teamwork", "Team work", 1))
    other = ["--bank", str(small_bank), *base[2:]]
    result = invoke(runner, *other, "score", "import", str(filled))
    assert result.exit_code == 1
    assert f"built from bank version {_manifest(filled)['bank_version']}; this bank is" \
        in result.output
    assert _ratings(runner, base, "1") == {}


def test_manifest_is_embedded_and_fields_are_real(kit) -> None:  # type: ignore[no-untyped-def]
    _, folder = kit
    manifest = _manifest(folder / "anna.pdf")
    assert (manifest["candidate"], manifest["candidate_id"], manifest["round"]) == (
        "Anna Berg", 1, "panel")
    fields = _fields(folder / "anna.pdf")
    radios = {n.split(".")[0] for n, f in fields.items() if f.get("/FT") == "/Btn"}
    assert radios == {"score__teamwork", "score__avoiding-arguments"}
    texts = {n for n, f in fields.items() if f.get("/FT") == "/Tx"}
    assert texts == {f"evidence__{q['question']}" for q in manifest["questions"]} | {
        "interviewer", "date"}
    assert fields["interviewer"]["/V"] == "Ole Holm"
    assert [list(map(str, o)) for o in fields["recommendation"]["/Opt"]][1:] == [
        ["strong-no", "Klart nej"], ["no", "Nej"], ["yes", "Ja"], ["strong-yes", "Klart ja"]]
    # A plain PDF, not PDF/A (NeedAppearances is not allowed there): no PDF/A identification
    # in its XMP metadata, read as XML (tests/test_reports_compare.py finds one with it).
    from tests.pdf_checks import PDFAID, xmp_properties

    assert xmp_properties(folder / "anna.pdf", PDFAID) == {}


@pytest.mark.slow
def test_chinese_fillable_guide_is_small(tmp_path: Path) -> None:
    from hiring.bank import load_bank
    from hiring.guides.build import write_guide
    from hiring.guides.context import GuideRequest

    bank = load_bank()
    request = GuideRequest(role="inbound-agent", round="panel", lang="zh", candidate="王小明")
    plain = write_guide(bank, request, tmp_path / "plain.pdf")
    fillable = write_guide(bank, request, tmp_path / "fill.pdf", fillable=True)
    plain_size, fill_size = plain.path.stat().st_size, fillable.path.stat().st_size
    assert fill_size < 5 * 1024 * 1024 and fill_size <= 3 * plain_size, (plain_size, fill_size)
    # Typed Chinese displays: the fields' font has the glyphs (pypdf draws the appearance).
    fields = PdfReader(fillable.path).get_fields() or {}
    name = next(n for n in fields if n.startswith("evidence__"))
    writer = PdfWriter(clone_from=str(fillable.path))
    for page in writer.pages:
        writer.update_page_form_field_values(page, {name: "客户很生气，我先道歉"})
    writer.write(str(tmp_path / "typed.pdf"))
    if shutil.which("pdftotext"):
        text = subprocess.run(["pdftotext", str(tmp_path / "typed.pdf"), "-"],
                              capture_output=True, text=True, check=True).stdout
        assert "客户很生气" in text


def test_csv_import_never_loads_pypdf_or_weasyprint(tmp_path: Path) -> None:
    (tmp_path / "s.csv").write_text(
        "candidate,interviewer,competency,score,round\nAnn,Ole,teamwork,3,panel\n"
    )
    code = (
        "import sys; from hiring.cli import app; from typer.testing import CliRunner;"
        f"r = CliRunner().invoke(app, ['--bank', {str(SMALL_BANK)!r}, '--db', "
        f"{str(tmp_path / 'h.db')!r}, 'score', 'import', {str(tmp_path / 's.csv')!r}, "
        "'--create-candidates']);"
        "assert r.exit_code == 0, r.output;"
        "print('pypdf' in sys.modules, 'weasyprint' in sys.modules, 'fontTools' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         cwd=Path(__file__).parent.parent)
    assert out.returncode == 0, out.stderr
    assert out.stdout.split() == ["False", "False", "False"]


def test_batch_fillable_guides_fill_with_pypdf_and_import(runner, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    # guide batch --fillable stamps names onto one laid-out form. The first stamping put
    # a page's content stream directly into its /Contents array, and pypdf then failed to
    # clone the copy to fill it (AttributeError: no 'indirect_reference').
    db = tmp_path / "h.db"
    base = ["--bank", str(SMALL_BANK), "--db", str(db)]
    people = tmp_path / "people.csv"
    people.write_text("name,interviewer\nAnna Berg,Ole Holm\nBo Ek,Ole Holm\n", encoding="utf-8")
    built = invoke(runner, *base, "guide", "batch", "--role", "inbound-agent", "--round", "panel",
                   "--candidates", str(people), "--out-dir", str(tmp_path / "kits"),
                   "--fillable", "--workers", "1")
    assert built.exit_code == 0, built.output
    guides = sorted((tmp_path / "kits").glob("*.pdf"))
    assert len(guides) == 2
    filled = []
    scores = [{"teamwork": 3, "avoiding-arguments": 2}, {"teamwork": 5, "avoiding-arguments": 1}]
    for n, (guide, fill) in enumerate(zip(guides, (fill_with_pypdf, fill_with_mupdf),
                                          strict=True)):
        target = tmp_path / f"filled-{n}.pdf"
        fill(guide, target, _values(guide, hostile=""), scores[n])
        filled.append(str(target))
    result = invoke(runner, *base, "score", "import", *filled)
    assert result.exit_code == 0, result.output
    assert "imported 2 scorecard(s): 4 created" in result.output
    for n, guide in enumerate(guides):  # each copy's scores went to its own candidate
        candidate = _manifest(guide)["candidate"]
        assert {c: s for c, (s, _) in _ratings(runner, base, candidate).items()} == scores[n]
