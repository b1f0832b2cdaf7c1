"""Issue 21, item 3: a hostile .xlsx is refused in one line before openpyxl loads it: bad XML,
entities (billion laughs, external), cell references past XFD, shared-string indexes past
the table, and a sheet whose cells span more than the limit (which ran out of memory)."""

from __future__ import annotations

import io
import os
import resource
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from tests.cli_helpers import ok, one_error_line, run
from tests.conftest import SMALL_BANK

ROOT = Path(__file__).parent.parent
MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
SHEET = "xl/worksheets/sheet1.xml"


def _base() -> bytes:
    import openpyxl

    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(["name", "email"])
    sheet.append(["Ann Berg", "ann@example.dk"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def workbook(path: Path, sheet: str | bytes | None = None,
             parts: dict[str, str | bytes] | None = None) -> Path:
    """The base workbook with its sheet (and other parts) replaced."""
    replace: dict[str, str | bytes] = dict(parts or {})
    if sheet is not None:
        replace[SHEET] = sheet
    with zipfile.ZipFile(io.BytesIO(_base())) as source, \
            zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as target:
        names = source.namelist()
        for name in names:
            data = replace.pop(name, None)
            target.writestr(name, source.read(name) if data is None else data)
        for name, data in replace.items():
            target.writestr(name, data)
    return path


def sheet_xml(rows: str, head: str = "") -> str:
    return f'{head}<worksheet xmlns="{MAIN}"><sheetData>{rows}</sheetData></worksheet>'


HEADER_ROW = ('<row r="1"><c r="A1" t="inlineStr"><is><t>name</t></is></c>'
              '<c r="B1" t="inlineStr"><is><t>email</t></is></c></row>')
LAUGHS = (
    '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
    '<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">'
    '<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">'
    '<!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">'
    '<!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">'
    '<!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">'
    '<!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">'
    '<!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">'
    '<!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">]>'
)
STRINGS = ('<sst xmlns="' + MAIN + '" count="1" uniqueCount="1"><si><t>name</t></si></sst>')
CONTENT_TYPES = (
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
    'relationships+xml"/>'
    '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-'
    'officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.'
    'openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
    '<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-'
    'officedocument.spreadsheetml.sharedStrings+xml"/>'
    '<Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-'
    'officedocument.spreadsheetml.styles+xml"/></Types>'
)

CASES = {
    "malformed sheet XML": ({"sheet": sheet_xml(HEADER_ROW)[:-30]}, "is not XML"),
    "billion laughs": ({"sheet": sheet_xml(
        HEADER_ROW + '<row r="2"><c r="A2" t="inlineStr"><is><t>&lol9;</t></is></c></row>',
        LAUGHS)}, "is not XML"),
    "an undefined entity": ({"sheet": sheet_xml(
        HEADER_ROW + '<row r="2"><c r="A2" t="inlineStr"><is><t>&nowhere;</t></is></c></row>'
    )}, "is not XML"),
    "an external entity": ({"sheet": sheet_xml(
        HEADER_ROW + '<row r="2"><c r="A2" t="inlineStr"><is><t>&e;</t></is></c></row>',
        '<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>')}, "is not XML"),
    "a cell reference past XFD": ({"sheet": sheet_xml(
        HEADER_ROW + '<row r="2"><c r="' + "Z" * 40 + '2" t="inlineStr"><is><t>x</t></is></c>'
        "</row>")}, "is not one Excel allows"),
    "a shared-string index past the table": ({
        "sheet": sheet_xml('<row r="1"><c r="A1" t="s"><v>0</v></c></row>'
                           '<row r="2"><c r="A2" t="s"><v>99999</v></c></row>'),
        "parts": {"xl/sharedStrings.xml": STRINGS, "[Content_Types].xml": CONTENT_TYPES},
    }, "names shared string 99,999, but the workbook has 1"),
    "a number that is not one": ({"sheet": sheet_xml(
        HEADER_ROW + '<row r="2"><c r="A2" t="n"><v>abc</v></c></row>')}, "cannot be read"),
}


@pytest.mark.parametrize("case", list(CASES))
@pytest.mark.parametrize("command", ["candidate", "score"])
def test_a_hostile_workbook_is_one_line(tmp_path: Path, case: str, command: str) -> None:
    kwargs, needle = CASES[case]
    path = workbook(tmp_path / "people.xlsx", **kwargs)  # type: ignore[arg-type]
    db = str(tmp_path / "h.db")
    if command == "score":
        ok(db, "candidate", "add", "Ann Berg", "--role", "inbound-agent")
    line = one_error_line(run(db, command, "import", str(path)))
    assert str(path) in line and needle in line, line


def test_a_fine_workbook_still_imports(tmp_path: Path) -> None:
    path = workbook(tmp_path / "people.xlsx")
    db = str(tmp_path / "h.db")
    assert "added 1 candidate(s)" in ok(db, "candidate", "import", str(path))


def test_a_lying_dimension_does_not_pad_the_rows(tmp_path: Path) -> None:
    sheet = ('<worksheet xmlns="' + MAIN + '"><dimension ref="A1:XFD1048576"/><sheetData>'
             + HEADER_ROW + '<row r="2"><c r="A2" t="inlineStr"><is><t>Bo Lund</t></is></c>'
             "</row></sheetData></worksheet>")
    path = workbook(tmp_path / "people.xlsx", sheet=sheet)
    from hiring.spreadsheets import read_table

    table = read_table(path)
    assert [row.cells["name"] for row in table.rows] == ["Bo Lund"]


def _wide_sheet(rows: int) -> bytes:
    """``rows`` rows, each with a value in column A and one in column XFD (2 MB zipped)."""
    body = "".join(f'<row r="{n}"><c r="A{n}"><v>1</v></c><c r="XFD{n}"><v>1</v></c></row>'
                   for n in range(2, rows + 2))
    return sheet_xml(HEADER_ROW + body).encode()


def test_a_sheet_spanning_too_many_cells_is_refused_within_bounded_memory(
    tmp_path: Path,
) -> None:
    """The issue's 2.1 MB workbook: 200k rows, a cell in column XFD on each. openpyxl padded
    every row to 16,384 cells (46 s, 3.8 GB, then MemoryError); it is refused before."""
    path = workbook(tmp_path / "wide.xlsx", sheet=_wide_sheet(200_000))
    assert path.stat().st_size < 5 * 1024 * 1024
    limit = 1536 * 1024 * 1024  # 1.5 GB of address space: the old reader failed within it

    def bounded() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))

    done = subprocess.run(
        [sys.executable, "-m", "hiring", "--bank", str(SMALL_BANK), "--db",
         str(tmp_path / "h.db"), "candidate", "import", str(path)],
        capture_output=True, text=True, cwd=ROOT, env=dict(os.environ), preexec_fn=bounded,
        check=False, timeout=300,
    )
    assert done.returncode == 1, done.stderr[-2000:]
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and "16,384 columns" in lines[0], lines


def test_a_part_whose_compressed_data_is_broken_is_one_line(tmp_path: Path) -> None:
    """Found by the fuzz suite: invalid deflate data raised zlib.error, a traceback."""
    data = bytearray(_base())
    with zipfile.ZipFile(io.BytesIO(bytes(data))) as archive:
        info = archive.getinfo(SHEET)
    name_length = int.from_bytes(data[info.header_offset + 26:info.header_offset + 28], "little")
    extra_length = int.from_bytes(data[info.header_offset + 28:info.header_offset + 30],
                                  "little")
    start = info.header_offset + 30 + name_length + extra_length
    data[start] = 0xFF  # deflate block type 3: invalid
    path = tmp_path / "people.xlsx"
    path.write_bytes(bytes(data))
    line = one_error_line(run(str(tmp_path / "h.db"), "candidate", "import", str(path)))
    assert str(path) in line and "cannot be unpacked" in line, line
