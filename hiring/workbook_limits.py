"""An imported ``.xlsx`` checked before openpyxl loads it: sizes, XML and cell extent.

A workbook is a zip of XML parts, and every part is untrusted: a zip bomb, a billion-laughs
entity, an external entity, a cell reference past column XFD, a shared-string index past the
end of the table, or 200,000 rows with one cell each in column XFD (which openpyxl pads to
3.3 billion cells). :func:`check_workbook` reads the zip's directory and streams every XML
part once through defusedxml (no DTD, no entities) before openpyxl sees the file, and
refuses with one line naming the file and the part. What it returns bounds how many rows and
columns openpyxl may read (see ``hiring.spreadsheets``).

>>> extent = check_workbook(Path("scores.xlsx"))  # doctest: +SKIP
"""

from __future__ import annotations

import lzma
import re
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from hiring.errors import InputError

MAX_MEMBERS = 10_000
MAX_UNCOMPRESSED_BYTES = 200 * 1024 * 1024  # every part together, as the zip says
MAX_CELLS = 5_000_000  # rows x columns of one sheet's used range
MAX_COLUMN = 16_384  # XFD, Excel's last column
MAX_ROW = 1_048_576
_REFERENCE = re.compile(r"^\$?([A-Z]{1,3})\$?([0-9]{1,7})$")
_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"


@dataclass(frozen=True)
class WorkbookExtent:
    """The largest used range of any sheet: openpyxl reads no more than this."""

    rows: int
    columns: int


def _column_number(letters: str) -> int:
    number = 0
    for letter in letters:
        number = number * 26 + ord(letter) - 64
    return number


def _looks_like_xml(stream: IO[bytes]) -> bool:
    head = stream.read(64).lstrip(b"\xef\xbb\xbf \t\r\n")
    return head.startswith(b"<")


class _Refused(Exception):
    """One reason a part is refused (said with the part's name)."""


class _SheetScan:
    """Counts one worksheet part's used range and shared-string references."""

    def __init__(self) -> None:
        self.rows = 0
        self.columns = 0
        self.cells = 0
        self.max_shared = -1
        self._row = 0
        self._column = 0

    def start(self, tag: str, attributes: dict[str, str]) -> None:
        if tag == _MAIN + "row":
            number = attributes.get("r")
            self._row = self._whole(number, MAX_ROW, "row number") if number else self._row + 1
            self._column = 0
            self.rows = max(self.rows, self._row)
        elif tag == _MAIN + "c":
            self.cells += 1
            if self.cells > MAX_CELLS:
                raise _Refused(f"it has over {MAX_CELLS:,} cells")
            reference = attributes.get("r")
            if reference:
                found = _REFERENCE.match(reference)
                column = _column_number(found[1]) if found else 0
                row = int(found[2]) if found else 0
                if not found or not 1 <= column <= MAX_COLUMN or not 1 <= row <= MAX_ROW:
                    raise _Refused(f"cell reference '{reference[:20]}' is not one Excel allows "
                                   "(A1 to XFD1048576)")
                self._column = column
                self._row = max(self._row, row)
                self.rows = max(self.rows, row)
            else:
                self._column += 1
            self.columns = max(self.columns, self._column)
            if self.rows * self.columns > MAX_CELLS:
                raise _Refused(
                    f"its cells span {self.rows:,} rows x {self.columns:,} columns; the limit "
                    f"is {MAX_CELLS:,} cells (delete stray cells far right or below, or save "
                    "it as CSV)"
                )

    def shared_index(self, text: str | None) -> None:
        self.max_shared = max(self.max_shared, self._whole(text, 10**9, "shared-string index"))

    @staticmethod
    def _whole(text: str | None, limit: int, what: str) -> int:
        value = (text or "").strip()
        if not value.isdecimal() or not 0 <= int(value) <= limit:
            raise _Refused(f"{what} '{value[:20]}' is not a whole number up to {limit:,}")
        return int(value)


def _scan_part(stream: IO[bytes], sheets: list[_SheetScan]) -> int | None:
    """Stream one XML part; a worksheet is added to ``sheets``; the shared-string table
    returns its number of strings (else None)."""
    from defusedxml.ElementTree import iterparse

    events = iterparse(stream, events=("start", "end"), forbid_dtd=True,
                       forbid_entities=True, forbid_external=True)
    depth = 0
    kind = ""
    scan = _SheetScan()
    strings = 0
    cell_type = ""
    parent = None
    for event, element in events:
        if event == "start":
            depth += 1
            if depth == 1:
                kind = element.tag
                if kind == _MAIN + "worksheet":
                    sheets.append(scan)
            elif kind == _MAIN + "worksheet":
                if element.tag == _MAIN + "sheetData":
                    parent = element
                scan.start(element.tag, dict(element.attrib))
                if element.tag == _MAIN + "c":
                    cell_type = element.attrib.get("t", "")
            continue
        depth -= 1
        if kind == _MAIN + "worksheet":
            if element.tag == _MAIN + "v" and cell_type == "s":
                scan.shared_index(element.text)
            elif element.tag == _MAIN + "row" and parent is not None:
                parent.clear()  # rows seen: memory stays flat
        elif kind == _MAIN + "sst" and depth == 1 and element.tag == _MAIN + "si":
            strings += 1
            element.clear()
    return strings if kind == _MAIN + "sst" else None


def check_workbook(path: Path) -> WorkbookExtent:
    """Refuse a workbook openpyxl must not load; the largest sheet's used range else."""
    from xml.etree.ElementTree import ParseError

    from defusedxml import DefusedXmlException

    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError, ValueError, EOFError) as error:
        raise InputError(f"{path} is not an .xlsx workbook ({error}); save it again") from None
    with archive:
        members = archive.infolist()
        if len(members) > MAX_MEMBERS:
            raise InputError(f"{path}: the workbook has {len(members):,} parts; the limit is "
                             f"{MAX_MEMBERS:,}")
        total = sum(member.file_size for member in members)
        if total > MAX_UNCOMPRESSED_BYTES:
            raise InputError(
                f"{path}: the workbook unpacks to {total // (1024 * 1024):,} MB; the limit is "
                f"{MAX_UNCOMPRESSED_BYTES // (1024 * 1024)} MB (save it as CSV, or split it)"
            )
        sheets: list[_SheetScan] = []
        strings: int | None = None
        for member in members:
            if member.is_dir():
                continue
            where = f"{path}: part {member.filename[:80]}"
            try:
                with archive.open(member) as stream:
                    if not _looks_like_xml(stream):
                        continue
                with archive.open(member) as stream:
                    found = _scan_part(stream, sheets)
            except _Refused as refused:
                raise InputError(f"{where}: {refused}") from None
            except (DefusedXmlException, ParseError) as error:
                said = str(error).splitlines()[0][:120] if str(error) else type(error).__name__
                raise InputError(f"{where} is not XML hiring reads ({said})") from None
            except (zipfile.BadZipFile, OSError, EOFError, ValueError, NotImplementedError,
                    RuntimeError, zlib.error, lzma.LZMAError) as error:
                raise InputError(f"{where} cannot be unpacked ({error}); save it again"
                                 ) from None
            if found is not None:
                strings = found
        used = max((sheet.max_shared for sheet in sheets), default=-1)
        if used >= 0 and (strings is None or used >= strings):
            have = 0 if strings is None else strings
            raise InputError(f"{path}: a cell names shared string {used:,}, but the workbook "
                             f"has {have:,}; save it again")
    return WorkbookExtent(
        rows=max((sheet.rows for sheet in sheets), default=0),
        columns=max((sheet.columns for sheet in sheets), default=0),
    )
