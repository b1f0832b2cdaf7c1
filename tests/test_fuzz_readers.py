"""Fuzzing every reader of untrusted files (issue 21): CSV, XLSX, filled PDF, backup JSON,
bank YAML and a team's strings catalog (.po, issue 23). Every generated input must end in
success or a ``HiringError`` (one line at the CLI), never another exception, within a memory
limit (RLIMIT_AS) set for the test.

Inputs are of two kinds per reader: real files with bytes or values changed (mutations of a
valid CSV, workbook, filled guide, backup or bank file), and files built from the format's
own pieces with hostile values (cell references, types and shared-string indexes; pypdf
objects of every type in every field key; JSON of any shape in any table, row or cell).

CI runs a few hundred derandomised examples per reader (``CI_EXAMPLES``); ``make fuzz`` runs
many more with fresh randomness. See SECURITY.md for the counts run and how long they took.
"""

from __future__ import annotations

import io
import json
import os
import resource
import shutil
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from hiring.errors import HiringError
from tests.conftest import SMALL_BANK

# Examples per reader in CI (about 30 s in all on an idle 2-core machine); ``make fuzz``
# multiplies them (HIRING_FUZZ_SCALE) and draws fresh random inputs (HIRING_FUZZ_LONG=1).
CI_EXAMPLES = {"csv": 300, "xlsx": 200, "pdf": 150, "backup": 300, "yaml": 300, "po": 150}
SCALE = float(os.environ.get("HIRING_FUZZ_SCALE", "1"))
LONG_RUN = os.environ.get("HIRING_FUZZ_LONG") == "1"
MEMORY_LIMIT = 6 * 1024**3  # address space for the whole test process while fuzzing


def fuzz(reader: str) -> Any:
    return settings(
        max_examples=max(1, int(CI_EXAMPLES[reader] * SCALE)),
        deadline=None,  # a loaded 2-core machine must not fail a run on time alone
        derandomize=not LONG_RUN,  # CI: the same inputs every run
        database=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                               HealthCheck.function_scoped_fixture],
    )


@pytest.fixture(autouse=True, scope="module")
def _bounded_memory() -> Iterator[None]:
    """A reader that tried to allocate gigabytes fails with MemoryError: not a HiringError."""
    soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    limit = MEMORY_LIMIT if hard == resource.RLIM_INFINITY else min(MEMORY_LIMIT, hard)
    resource.setrlimit(resource.RLIMIT_AS, (limit, hard))
    try:
        yield
    finally:
        resource.setrlimit(resource.RLIMIT_AS, (soft, hard))


@pytest.fixture(scope="module")
def work(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("fuzz")


def ends_well(call: Any, *args: Any) -> Any:
    """Run a reader: its result, or None after a HiringError whose message is one line."""
    try:
        return call(*args)
    except HiringError as error:
        assert str(error).strip(), "an empty error message"
        return None


@st.composite
def mutated(draw: st.DrawFn, original: bytes) -> bytes:
    """``original`` with a few spans overwritten, deleted, duplicated, or cut short."""
    data = bytearray(original)
    for _ in range(draw(st.integers(1, 4))):
        if not data:
            break
        start = draw(st.integers(0, len(data) - 1))
        kind = draw(st.sampled_from(["overwrite", "delete", "insert", "truncate", "repeat"]))
        if kind == "overwrite":
            chunk = draw(st.binary(min_size=1, max_size=16))
            data[start:start + len(chunk)] = chunk
        elif kind == "delete":
            del data[start:start + draw(st.integers(1, 64))]
        elif kind == "insert":
            data[start:start] = draw(st.binary(min_size=1, max_size=32))
        elif kind == "truncate":
            del data[start:]
        else:
            span = bytes(data[start:start + draw(st.integers(1, 32))])
            data[start:start] = span * draw(st.integers(1, 50))
    return bytes(data)


HOSTILE_TEXT = st.text(
    alphabet=st.one_of(
        st.sampled_from(list(',;\t"\'=+-@\n\r\x00\x1b\u202e\u2028\ufeff\\{}[]:&*!|>#%')),
        st.characters(codec="utf-8"),
    ),
    max_size=40,
)


# -- CSV ------------------------------------------------------------------------------------
VALID_CSV = (b"candidate,interviewer,competency,score,note,round\n"
             b'Anna Berg,Ole,teamwork,4,"said ""thanks""\nand left",panel\n'
             b"Bo Ek,Ole,avoiding-arguments,2,,panel\n")


@st.composite
def csv_files(draw: st.DrawFn) -> bytes:
    choice = draw(st.integers(0, 2))
    if choice == 0:
        return draw(mutated(VALID_CSV))
    if choice == 1:
        return draw(st.binary(max_size=600))
    rows = draw(st.lists(st.lists(HOSTILE_TEXT, max_size=8), min_size=1, max_size=8))
    delimiter = draw(st.sampled_from([",", ";", "\t"]))
    text = "\n".join(delimiter.join(row) for row in rows)
    encoding = draw(st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "cp1252"]))
    return text.encode(encoding, errors="replace")


@fuzz("csv")
@given(data=csv_files())
def test_fuzz_csv(work: Path, data: bytes) -> None:
    from hiring.guides.batch_rows import read_candidates
    from hiring.spreadsheets import read_table

    path = work / "input.csv"
    path.write_bytes(data)
    ends_well(read_table, path)
    ends_well(read_candidates, path)


# -- XLSX -----------------------------------------------------------------------------------
MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"


def _base_workbook() -> bytes:
    import openpyxl

    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(["name", "interviewer"])
    sheet.append(["Anna Berg", "Ole"])
    sheet.append([3, 2.5])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


BASE_XLSX = _base_workbook()
REFERENCES = st.one_of(
    st.builds(lambda c, r: f"{c}{r}", st.sampled_from(["A", "B", "Z", "AA", "XFD", "XFE",
                                                      "ZZZZZZ"]),
              st.integers(0, 2_000_000)),
    st.text(alphabet="AZ09$:", max_size=12),
)


@st.composite
def sheet_parts(draw: st.DrawFn) -> dict[str, str]:
    cells = []
    for number in range(1, draw(st.integers(1, 6)) + 1):
        row = []
        for _ in range(draw(st.integers(0, 5))):
            reference = draw(st.one_of(st.none(), REFERENCES))
            kind = draw(st.sampled_from(["", "s", "n", "b", "e", "str", "d", "inlineStr", "x"]))
            value = draw(st.one_of(st.integers(-5, 100_000).map(str), HOSTILE_TEXT))
            value = value.replace("&", "&amp;").replace("<", "&lt;").replace("\x00", "")
            attributes = (f' r="{reference}"' if reference else "") + (
                f' t="{kind}"' if kind else "")
            body = (f"<is><t>{value}</t></is>" if kind == "inlineStr" else f"<v>{value}</v>")
            row.append(f"<c{attributes}>{body}</c>")
        row_number = draw(st.one_of(st.just(str(number)), st.integers(-1, 2_000_000).map(str)))
        cells.append(f'<row r="{row_number}">{"".join(row)}</row>')
    dimension = draw(st.one_of(st.none(), st.sampled_from(["A1:XFD1048576", "A1", "junk"])))
    head = f'<dimension ref="{dimension}"/>' if dimension else ""
    parts = {"xl/worksheets/sheet1.xml":
             f'<worksheet xmlns="{MAIN}">{head}<sheetData>{"".join(cells)}</sheetData>'
             "</worksheet>"}
    if draw(st.booleans()):
        count = draw(st.integers(0, 3))
        parts["xl/sharedStrings.xml"] = (f'<sst xmlns="{MAIN}">'
                                         + "<si><t>x</t></si>" * count + "</sst>")
    return parts


def _rezip(replace: dict[str, str]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(BASE_XLSX)) as source, \
            zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for name in source.namelist():
            target.writestr(name, replace.pop(name, None) or source.read(name))
        for name, data in replace.items():
            target.writestr(name, data)
    return out.getvalue()


@st.composite
def xlsx_files(draw: st.DrawFn) -> bytes:
    if draw(st.booleans()):
        return draw(mutated(BASE_XLSX))
    return _rezip(draw(sheet_parts()))


@fuzz("xlsx")
@given(data=xlsx_files())
def test_fuzz_xlsx(work: Path, data: bytes) -> None:
    from hiring.spreadsheets import read_table

    path = work / "input.xlsx"
    path.write_bytes(data)
    ends_well(read_table, path)


# -- filled PDF -----------------------------------------------------------------------------
class _Bytes(bytes):
    """Bytes that print short: a failing example shows its own input, not this file."""

    def __repr__(self) -> str:
        return f"<{len(self):,} bytes>"


@pytest.fixture(scope="module")
def filled_pdf(tmp_path_factory: pytest.TempPathFactory) -> bytes:
    from tests.cli_helpers import ok
    from tests.test_scorecard_pdf import _values, fill_with_pypdf

    folder = tmp_path_factory.mktemp("pdf")
    ok(str(folder / "h.db"), "guide", "build", "--role", "inbound-agent", "--round", "panel",
       "--candidate", "Anna Berg", "--interviewer", "Ole", "--fillable", "--no-record",
       "--out", str(folder / "blank.pdf"))
    fill_with_pypdf(folder / "blank.pdf", folder / "filled.pdf", _values(folder / "blank.pdf"),
                    {"teamwork": 4, "avoiding-arguments": 2})
    return _Bytes((folder / "filled.pdf").read_bytes())


JSON_VALUES = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(-10, 10**20), st.floats(allow_nan=False),
              HOSTILE_TEXT),
    lambda children: st.one_of(st.lists(children, max_size=4),
                               st.dictionaries(HOSTILE_TEXT, children, max_size=4)),
    max_leaves=12,
)


def _pdf_object(value: Any) -> Any:
    from pypdf.generic import (
        ArrayObject,
        DictionaryObject,
        FloatObject,
        NameObject,
        NullObject,
        NumberObject,
        TextStringObject,
    )

    if value is None:
        return NullObject()
    if isinstance(value, bool):
        return NumberObject(int(value))
    if isinstance(value, int):
        return NumberObject(value % 2**31)
    if isinstance(value, float):
        return FloatObject(value if abs(value) < 1e30 else 1.0)
    if isinstance(value, str):
        return NameObject("/" + "".join(c for c in value if c.isalnum())) if value.startswith(
            "/") else TextStringObject(value)
    if isinstance(value, list):
        return ArrayObject(_pdf_object(item) for item in value)
    return DictionaryObject({NameObject("/" + "".join(c for c in key if c.isalnum()) or "/K"):
                             _pdf_object(item) for key, item in value.items()})


FIELD_KEYS = ["/FT", "/Ff", "/Opt", "/V", "/AS", "/T", "/Parent", "/Kids", "/Subtype"]


@st.composite
def pdf_changes(draw: st.DrawFn) -> list[tuple[str, Any]]:
    changes: list[tuple[str, Any]] = []
    if draw(st.booleans()):
        manifest = draw(st.one_of(JSON_VALUES, st.fixed_dictionaries(
            {"kind": st.just("hiring-guide-manifest"), "version": st.just(1)},
            optional={"role": JSON_VALUES, "round": JSON_VALUES, "competencies": JSON_VALUES,
                      "questions": JSON_VALUES, "candidate_id": JSON_VALUES,
                      "candidate": JSON_VALUES, "bank_version": JSON_VALUES})))
        changes.append(("manifest", manifest))
    for _ in range(draw(st.integers(0, 3))):
        changes.append((draw(st.sampled_from(FIELD_KEYS)), draw(st.one_of(
            JSON_VALUES, st.sampled_from(["/Btn", "/Tx", "/Ch", "/0", "/Off", "/Widget"])))))
    if draw(st.booleans()):
        changes.append(("/Annots", draw(JSON_VALUES)))
    return changes


def _changed_pdf(original: bytes, changes: list[tuple[str, Any]], pick: int) -> bytes:
    from pypdf import PdfWriter
    from pypdf.generic import DecodedStreamObject, NameObject

    writer = PdfWriter(clone_from=io.BytesIO(original))
    widgets = [annotation.get_object() for page in writer.pages
               for annotation in page.get("/Annots") or []]
    for key, value in changes:
        if key == "manifest":
            filespec = writer._root_object["/Names"]["/EmbeddedFiles"]["/Names"][1].get_object()
            stream = DecodedStreamObject()
            stream.set_data(json.dumps(value).encode("utf-8", "surrogatepass"))
            filespec["/EF"][NameObject("/F")] = writer._add_object(stream)
        elif key == "/Annots":
            writer.pages[pick % len(writer.pages)][NameObject("/Annots")] = _pdf_object(value)
        elif widgets:
            widget = widgets[pick % len(widgets)]
            parent = widget.get("/Parent")
            parent = parent.get_object() if parent is not None else None
            target = parent if isinstance(parent, dict) and pick % 2 else widget
            target[NameObject(key)] = _pdf_object(value)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


@fuzz("pdf")
@given(data=st.data())
def test_fuzz_filled_pdf(work: Path, filled_pdf: bytes, small_bank_loaded: Any,
                         data: st.DataObject) -> None:
    from hiring.guides.scorecard_pdf import read_filled_pdf, scorecard_rows

    if data.draw(st.booleans()):
        pdf = data.draw(mutated(filled_pdf))
    else:
        changes = data.draw(pdf_changes())
        pdf = _changed_pdf(filled_pdf, changes, data.draw(st.integers(0, 1000)))
    path = work / "input.pdf"
    path.write_bytes(pdf)
    card = ends_well(read_filled_pdf, path)
    if card is not None:
        ends_well(scorecard_rows, card, small_bank_loaded)


# -- backup JSON ----------------------------------------------------------------------------
@pytest.fixture(scope="module")
def backup_text(tmp_path_factory: pytest.TempPathFactory) -> str:
    from tests.cli_helpers import ok

    folder = tmp_path_factory.mktemp("backup")
    db = str(folder / "h.db")
    ok(db, "candidate", "add", "Kim Berg", "--role", "inbound-agent")
    ok(db, "score", "set", "--round", "panel", "--candidate", "Kim Berg", "--interviewer",
       "Ann", "--competency", "teamwork", "--score", "3", "--note", "fine")
    ok(db, "db", "export", str(folder / "b.json"))
    return (folder / "b.json").read_text(encoding="utf-8")


@st.composite
def backups(draw: st.DrawFn, text: str) -> bytes:
    if draw(st.booleans()):
        return draw(mutated(text.encode()))
    data = json.loads(text)
    tables = data["tables"]
    name = draw(st.sampled_from(sorted(tables)))
    where = draw(st.sampled_from(["document", "table", "rows", "row", "cell", "cell", "cell"]))
    value = draw(JSON_VALUES)
    entry = tables[name]
    if where == "document":
        data[draw(st.sampled_from(["kind", "format", "schema_version", "tables"]))] = value
    elif where == "table":
        tables[name] = value
    elif where == "rows":
        entry["rows"] = value
    elif entry["rows"] and where == "row":
        entry["rows"][draw(st.integers(0, len(entry["rows"]) - 1))] = value
    elif entry["rows"]:
        row = entry["rows"][draw(st.integers(0, len(entry["rows"]) - 1))]
        row[draw(st.integers(0, len(row) - 1))] = value
    return json.dumps(data, ensure_ascii=False).encode("utf-8", "surrogatepass")


@fuzz("backup")
@given(data=st.data())
def test_fuzz_backup_json(work: Path, backup_text: str, data: st.DataObject) -> None:
    from hiring.store.backup import read_backup, restore_into

    path = work / "input.json"
    path.write_bytes(data.draw(backups(backup_text)))
    backup = ends_well(read_backup, path)
    if backup is not None:  # accepted: it must restore, not fail in the database
        target = work / "restored.db"
        for suffix in ("", "-wal", "-shm"):
            Path(f"{target}{suffix}").unlink(missing_ok=True)
        ends_well(restore_into, str(target), backup)


# -- bank YAML ------------------------------------------------------------------------------
BANK_FILE = "competencies/teamwork.yaml"
YAML_PIECES = st.sampled_from([": ", "- ", "{", "}", "[", "]", "&a ", "*a", "!!python/object ",
                               "|\n", ">\n", "#", "'", '"', "\n", "  ", "en: ", "id: ", "1",
                               "1.5", "null", "true", "<<: *a", "---\n", "...\n", "%YAML 1.1\n",
                               "\t", "\x00", "\ufeff", "!!binary ", "? "])


@st.composite
def bank_files(draw: st.DrawFn, original: bytes) -> bytes:
    if draw(st.booleans()):
        return draw(mutated(original))
    pieces = draw(st.lists(st.one_of(YAML_PIECES, HOSTILE_TEXT), max_size=60))
    return "".join(pieces).encode("utf-8", "surrogatepass")


@fuzz("yaml")
@given(data=st.data())
def test_fuzz_bank_yaml(work: Path, data: st.DataObject) -> None:
    from hiring.bank.load import check_bank

    folder = work / "bank"
    if not folder.exists():
        shutil.copytree(SMALL_BANK, folder)
    original = (SMALL_BANK / BANK_FILE).read_bytes()
    (folder / BANK_FILE).write_bytes(data.draw(bank_files(original)))
    result = ends_well(check_bank, [folder])
    if result is not None:
        bank, problems = result
        assert (bank is None) == bool(problems)
        for problem in problems:
            assert str(problem).strip()


# -- a team's strings catalog (.po) ---------------------------------------------------------
VALID_PO = b"""msgid ""
msgstr ""
"Language: de\\n"
"Plural-Forms: nplurals=2; plural=(n != 1);\\n"
"Content-Type: text/plain; charset=utf-8\\n"

msgctxt "guide_title"
msgid "Interview guide"
msgstr "Interviewleitfaden"

#, python-brace-format
msgctxt "report_ratings_count"
msgid "{n} rating"
msgid_plural "{n} ratings"
msgstr[0] "{n} Bewertung"
msgstr[1] "{n} Bewertungen"

#, fuzzy
msgctxt "signature"
msgid "Signature"
msgstr "Unterschrift"
"""
PO_PIECES = st.sampled_from(['msgid "', 'msgstr "', 'msgctxt "', 'msgid_plural "', "msgstr[0] ",
                             "msgstr[9] ", '"', "\\n", "\n", "#, fuzzy\n", "#~ ", "{n}", "{",
                             "}", "{n, plural, one {#} other {#}}", "{x.__class__}", "{0}",
                             '"Plural-Forms: nplurals=3; plural=(n%10==1 ? 0 : n>1 ? 1 : 2);\\n"',
                             '"Plural-Forms: nplurals=1; plural=((((((n))))));\\n"',
                             "\x00", "\ufeff", "report_ratings_count", "guide_title"])


@st.composite
def po_files(draw: st.DrawFn) -> bytes:
    if draw(st.booleans()):
        return draw(mutated(VALID_PO))
    pieces = draw(st.lists(st.one_of(PO_PIECES, HOSTILE_TEXT), max_size=60))
    return "".join(pieces).encode("utf-8", "surrogatepass")


@fuzz("po")
@given(data=po_files())
def test_fuzz_strings_catalog(work: Path, data: bytes) -> None:
    from hiring.render.catalogs import _parse
    from hiring.render.gettext_forms import format_fields
    from hiring.render.strings import UIText, bundled_strings

    bundled = bundled_strings()
    path = work / "strings.de.po"
    path.write_bytes(data)
    catalog = ends_well(_parse, path, data, "de", bundled)
    if catalog is None:
        return
    for key, text in catalog.strings.items():  # what was accepted formats at any count
        names = {name for name, _, _ in format_fields(bundled[key]["en"])}
        for count in (0, 1, 2, 21):
            UIText(text, "de").format(**dict.fromkeys(names, count))
