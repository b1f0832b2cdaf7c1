"""Spreadsheets as recruiters save them: one reader for every imported table.

``candidate import``, ``score import`` and ``guide batch`` read their rows here, so a file
Excel saved in Danish (``;``, UTF-8 BOM, CRLF), a UTF-16 export or a ``.xlsx`` workbook all
work alike. The reader knows nothing of candidates or scores: it gives each row with the line
it starts on, and the callers apply their own rules.

- CSV via the standard ``csv`` module: the delimiter is sniffed among ``,`` ``;`` and tab
  from the header (or given); quoted newlines stay in their cell.
- Encodings: UTF-8 with or without BOM, UTF-16 with BOM; anything else is refused with how
  to save the file as UTF-8 (or a named ``encoding``, e.g. ``cp1252``).
- An unclosed quote, a row with more (non-empty) cells than the header, or a cell longer
  than ``MAX_CELL_CHARS`` is refused with the line the row starts on; one problem found on
  many rows is reported once, with all of their line numbers.
- Header names are stripped and lower-cased; blank rows are skipped (numbering stays true).

>>> table = read_table(Path("scores.csv"))            # doctest: +SKIP
>>> [(row.line, row.cells["candidate"]) for row in table.rows]  # doctest: +SKIP
[(2, 'Anna Berg'), (4, 'Bo Lund')]
"""

from __future__ import annotations

import codecs
import csv
import io
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from hiring.errors import InputError

MAX_CELL_CHARS = 100_000  # far above every field's own limit (a note: 4,000)
MAX_FILE_BYTES = 200 * 1024 * 1024
DELIMITERS = (",", ";", "\t")
DELIMITER_NAMES = {",": "comma", ";": "semicolon", "\t": "tab"}
SAVE_AS_UTF8 = (
    "save it as UTF-8 (Excel: File > Save As > 'CSV UTF-8'; LibreOffice: Save As > "
    "Character set 'Unicode (UTF-8)'), or name its encoding with --encoding (e.g. cp1252)"
)


@dataclass(frozen=True)
class TableOptions:
    """How to read a table: ``None`` means sniff (delimiter) or detect (encoding)."""

    delimiter: str | None = None
    encoding: str | None = None


@dataclass(frozen=True)
class TableRow:
    line: int  # the line (CSV) or row (xlsx) the record starts on; the header is line 1
    cells: dict[str, str]

    def get(self, column: str, default: str = "") -> str:
        return self.cells.get(column, default)


@dataclass(frozen=True)
class Table:
    source: Path
    columns: list[str]
    rows: list[TableRow]
    header_line: int = 1


class RowsError(InputError):
    """A file with invalid rows: ``problems`` has one 'line N: reason' per bad row.

    Shown summarised: one reason found on many rows is one line with all their numbers,
    and reasons that differ only in a quoted value ('no candidate 'X'') share one line.
    """

    def __init__(self, message: str, problems: list[str], source: Path | None = None) -> None:
        super().__init__(message)
        self.problems = problems
        self.source = source

    def details(self) -> list[str]:
        prefix = f"{self.source}: " if self.source else ""
        return [prefix + line for line in summarise(self.problems)]


_LINE_PROBLEM = re.compile(r"^line (\d+)(?: \([^)]*\))?: (.*)$", re.DOTALL)
_QUOTED = re.compile(r"^(.*?)'([^']*)'(.*)$", re.DOTALL)


def problem_records(problems: Iterable[str]) -> list[dict[str, object]]:
    """'line N: reason' problems as ``{"line": N, "reason": ...}`` (for ``--json``)."""
    records: list[dict[str, object]] = []
    for problem in problems:
        match = _LINE_PROBLEM.match(problem)
        if match is None:
            records.append({"line": None, "reason": problem})
        else:
            records.append({"line": int(match.group(1)), "reason": match.group(2)})
    return records


def line_ranges(lines: Sequence[int]) -> str:
    """``[2, 3, 4, 7]`` -> ``'2-4, 7'``."""
    numbers = sorted(set(lines))
    runs: list[list[int]] = []
    for number in numbers:
        if runs and number == runs[-1][1] + 1:
            runs[-1][1] = number
        else:
            runs.append([number, number])
    return ", ".join(str(a) if a == b else f"{a}-{b}" for a, b in runs)


def _lines_label(lines: Sequence[int]) -> str:
    return ("line " if len(set(lines)) == 1 else "lines ") + line_ranges(lines)


def summarise(problems: Iterable[str]) -> list[str]:
    """Group 'line N: reason' problems: one line per reason, naming every line it is on.

    >>> summarise(["line 2: no candidate 'A'", "line 3: no candidate 'B'",
    ...            "line 4: no candidate 'A'", "line 5: the score is empty"])
    ["lines 2-4: no candidate 'A' (lines 2, 4), 'B' (line 3)", 'line 5: the score is empty']
    """
    groups: dict[tuple[str, str], dict[str, list[int]]] = {}
    order: list[tuple[str, str] | str] = []
    for problem in problems:
        match = _LINE_PROBLEM.match(problem)
        if match is None:
            order.append(problem)  # e.g. '... and 12 more': kept as it is
            continue
        line, reason = int(match.group(1)), match.group(2)
        quoted = _QUOTED.match(reason)
        key = (quoted.group(1), quoted.group(3)) if quoted else (reason, "\0")
        value = quoted.group(2) if quoted else ""
        if key not in groups:
            groups[key] = {}
            order.append(key)
        groups[key].setdefault(value, []).append(line)
    lines: list[str] = []
    for item in order:
        if isinstance(item, str):
            lines.append(item)
            continue
        values = groups[item]
        every = [line for found in values.values() for line in found]
        head, tail = item
        if tail == "\0":
            lines.append(f"{_lines_label(every)}: {head}")
        elif len(values) == 1:
            (value,) = values
            lines.append(f"{_lines_label(every)}: {head}'{value}'{tail}")
        else:
            named = ", ".join(
                f"'{value}' ({_lines_label(found)})" for value, found in values.items()
            )
            lines.append(f"{_lines_label(every)}: {head}{named}{tail}")
    return lines


def check_columns(table: Table, known: Sequence[str], required: Sequence[str]) -> None:
    """Refuse a header that lacks a required column or has one nobody reads (a typo such
    as 'notes' would otherwise drop every note without a word)."""
    import difflib

    missing = [name for name in required if name not in table.columns]
    unknown = [name for name in table.columns if name not in known]
    if not missing and not unknown:
        return
    parts = []
    if missing:
        parts.append(f"the header lacks {', '.join(missing)}")
    for name in unknown:
        close = difflib.get_close_matches(name, known, n=1)
        parts.append(f"unknown column '{name}'" + (f" (did you mean '{close[0]}'?)" if close
                                                    else ""))
    raise InputError(f"{table.source}: line {table.header_line}: {'; '.join(parts)} "
                     f"(columns: {','.join(known)}; required: {','.join(required)})")


def parse_delimiter(value: str | None) -> str | None:
    """``--delimiter``: one of , ; tab (also written ``\\t`` or ``tab``)."""
    if value is None:
        return None
    named = {"tab": "\t", "\\t": "\t", "comma": ",", "semicolon": ";"}
    delimiter = named.get(value.lower(), value)
    if delimiter not in DELIMITERS:
        raise InputError(f"--delimiter '{value}' is not one of: , ; tab")
    return delimiter


def parse_encoding(value: str | None) -> str | None:
    """``--encoding``: a codec Python knows (cp1252, latin-1, utf-16...)."""
    if value is None:
        return None
    try:
        return codecs.lookup(value).name
    except LookupError:
        raise InputError(f"--encoding '{value}' is not an encoding Python knows") from None


def read_table(path: Path, options: TableOptions | None = None) -> Table:
    """The header and rows of a ``.csv`` (or ``.tsv``/``.txt``) or ``.xlsx`` file."""
    options = options or TableOptions()
    path = Path(path)
    if path.suffix.lower() in (".xlsx", ".xlsm"):
        return _read_xlsx(path)
    return _read_csv(path, _decode(path, _read_bytes(path), options.encoding), options.delimiter)


def _read_bytes(path: Path) -> bytes:
    try:
        if path.is_dir():
            raise InputError(f"cannot read {path}: it is a folder")
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise InputError(
                f"{path} is {size // (1024 * 1024)} MB; the limit is "
                f"{MAX_FILE_BYTES // (1024 * 1024)} MB (split it)"
            )
        return path.read_bytes()
    except OSError as error:
        raise InputError(f"cannot read {path}: {error.strerror or error}") from None


def _decode(path: Path, data: bytes, encoding: str | None) -> str:
    if data.startswith(b"PK\x03\x04"):
        raise InputError(f"{path} is a workbook (.xlsx), not CSV text: name it .xlsx")
    if data.startswith(b"\xd0\xcf\x11\xe0"):
        raise InputError(f"{path} is an old Excel .xls workbook: save it as .xlsx or CSV UTF-8")
    if encoding is None:
        if data.startswith(codecs.BOM_UTF8):
            encoding = "utf-8-sig"
        elif data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
            encoding = "utf-16"
        else:
            encoding = "utf-8"
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise InputError(
            f"{path}: line {line}: byte {data[error.start]:#04x} is not {encoding} text: "
            f"{SAVE_AS_UTF8}"
        ) from None
    except LookupError:
        raise InputError(f"--encoding '{encoding}' is not an encoding Python knows") from None
    if text.startswith("\ufeff"):  # a BOM inside a named encoding
        text = text[1:]
    if "\x00" in text:
        # UTF-16 without a BOM decodes as UTF-8 with a NUL after every ASCII letter.
        line = text[: text.index("\x00")].count("\n") + 1
        raise InputError(f"{path}: line {line}: a NUL character (UTF-16 without a BOM?): "
                         f"{SAVE_AS_UTF8}")
    return text


def _sniff_delimiter(text: str) -> str:
    """The delimiter that splits the header record into the most cells (ties: comma)."""
    best, best_count = ",", 0
    for delimiter in DELIMITERS:
        try:
            first = next(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter), [])
        except csv.Error:
            continue
        if len(first) > best_count:
            best, best_count = delimiter, len(first)
    return best


class _LineCounter:
    """Feeds the csv reader line by line, remembering where each record starts."""

    def __init__(self, text: str) -> None:
        self._lines = io.StringIO(text, newline="")
        self.read = 0  # physical lines handed out so far

    def __iter__(self) -> Iterator[str]:
        return self

    def __next__(self) -> str:
        line = self._lines.readline()
        if not line:
            raise StopIteration
        self.read += 1
        return line


def _read_csv(path: Path, text: str, delimiter: str | None) -> Table:
    delimiter = delimiter or _sniff_delimiter(text)
    counter = _LineCounter(text)
    # strict: an unclosed quote or text after a closing quote is an error, not glued cells.
    reader = csv.reader(counter, delimiter=delimiter, strict=True)
    records: list[tuple[int, list[str]]] = []
    start = 1
    csv.field_size_limit(max(csv.field_size_limit(), MAX_FILE_BYTES))
    try:
        for cells in reader:
            records.append((start, cells))
            start = counter.read + 1
    except csv.Error as error:
        reason = str(error)
        if "end of data" in reason or "EOF" in reason:
            reason = "a quote opened on this line is never closed"
        else:
            reason = f"{reason} (a quote inside a cell is written twice: \"\")"
        raise InputError(f"{path}: line {start}: {reason}") from None
    hint = f" (a {DELIMITER_NAMES[delimiter]} inside a cell needs the cell in double quotes)"
    return _table(path, records, hint)


def _table(path: Path, records: list[tuple[int, list[str]]], extra_hint: str = "") -> Table:
    """Header and rows from raw records, with the problems every caller shares."""
    records = [(line, cells) for line, cells in records if any(c.strip() for c in cells)]
    if not records:
        raise InputError(f"{path} is empty (expected a header line)")
    header_line, header = records[0]
    columns = [cell.strip().lower() for cell in header]
    while columns and not columns[-1]:  # spreadsheets add empty columns at the end
        columns.pop()
    seen: set[str] = set()
    for name in columns:
        if not name:
            raise InputError(f"{path}: line {header_line}: the header has an empty column name")
        if name in seen:
            raise InputError(f"{path}: line {header_line}: the header names '{name}' twice")
        seen.add(name)
    problems: list[str] = []
    rows: list[TableRow] = []
    for line, cells in records[1:]:
        extra = [cell for cell in cells[len(columns):] if cell.strip()]
        if extra:
            problems.append(
                f"line {line}: {len(cells)} cells but the header has {len(columns)} "
                f"columns{extra_hint}"
            )
            continue
        long = [(name, len(cell)) for name, cell in zip(columns, cells, strict=False)
                if len(cell) > MAX_CELL_CHARS]
        if long:
            problems.append(
                f"line {line}: a cell is over {MAX_CELL_CHARS:,} characters (column "
                f"{', '.join(name for name, _ in long)})"
            )
            continue
        values = {name: (cells[index] if index < len(cells) else "")
                  for index, name in enumerate(columns)}
        rows.append(TableRow(line, values))
    if problems:
        raise RowsError(f"{len(problems)} unreadable row(s) in {path}; nothing was read",
                        problems, path)
    return Table(path, columns, rows, header_line)


def _read_xlsx(path: Path) -> Table:
    """The first sheet of a workbook (refused when another sheet holds data too); whole
    numbers print without '.0'; a formula gives the value Excel last computed and saved."""
    import zipfile

    try:
        import openpyxl
    except ImportError:  # pragma: no cover - openpyxl is a dependency
        raise InputError(f"{path}: reading .xlsx needs openpyxl (pip install openpyxl)") from None
    _read_bytes(path)  # the same size and readability checks as a CSV
    try:
        workbook = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except (OSError, zipfile.BadZipFile, KeyError, ValueError) as error:
        raise InputError(f"{path} is not an .xlsx workbook ({error}); save it again") from None
    try:
        sheet = workbook.worksheets[0]
        others = [other.title for other in workbook.worksheets[1:]
                  if any(value is not None for row in other.iter_rows(values_only=True)
                         for value in row)]
        if others:  # never leave rows out without a word
            raise InputError(
                f"{path}: hiring reads one sheet, the first ('{sheet.title}'), but "
                f"{', '.join(repr(name) for name in others)} also "
                f"{'holds' if len(others) == 1 else 'hold'} data: move the rows "
                "into the first sheet, or save the sheet you mean on its own"
            )
        records = [
            (number, [_cell_text(value) for value in values])
            for number, values in enumerate(sheet.iter_rows(values_only=True), start=1)
        ]
    finally:
        workbook.close()
    return _table(path, records, " (a value outside the header's columns)")


def _cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if hasattr(value, "isoformat"):
        return str(value.isoformat())
    return str(value)


def write_xlsx(header: Sequence[str], rows: Iterable[Sequence[object]]) -> bytes:
    """A one-sheet workbook. Text cells are stored as text, never as formulas."""
    import openpyxl
    from openpyxl.cell.cell import TYPE_STRING

    workbook = openpyxl.Workbook(write_only=True)
    sheet = workbook.create_sheet("scores")
    sheet.append(list(header))
    from openpyxl.cell import WriteOnlyCell

    for row in rows:
        cells = []
        for value in row:
            cell = WriteOnlyCell(sheet, value=value)
            if isinstance(value, str):
                cell.data_type = TYPE_STRING  # '=1+1' stays text
            cells.append(cell)
        sheet.append(cells)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def csv_to_xlsx(text: str, numeric: Sequence[str] = ()) -> bytes:
    """A CSV export as a workbook; the ``numeric`` columns become numbers."""
    records = list(csv.reader(io.StringIO(text, newline="")))
    header, rows = records[0], records[1:]
    numbers = {header.index(name) for name in numeric if name in header}
    return write_xlsx(
        header,
        (
            [int(cell) if index in numbers and cell.lstrip("-").isdigit() else cell
             for index, cell in enumerate(row)]
            for row in rows
        ),
    )
