"""Options shared by the commands that read a table (CSV or .xlsx)."""

from typing import TYPE_CHECKING, Annotated

import typer

if TYPE_CHECKING:
    from hiring.spreadsheets import TableOptions

DelimiterOption = Annotated[
    str | None,
    typer.Option(
        "--delimiter",
        metavar="CHAR",
        help="CSV delimiter: ',', ';' or 'tab' (default: found from the header line).",
        show_default=False,
    ),
]
EncodingOption = Annotated[
    str | None,
    typer.Option(
        "--encoding",
        metavar="NAME",
        help="Text encoding of a CSV that is not UTF-8 or UTF-16 with BOM (e.g. cp1252).",
        show_default=False,
    ),
]


def table_options(delimiter: str | None, encoding: str | None) -> "TableOptions":
    from hiring.spreadsheets import TableOptions, parse_delimiter, parse_encoding

    return TableOptions(delimiter=parse_delimiter(delimiter), encoding=parse_encoding(encoding))
