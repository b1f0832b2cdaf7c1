"""Option checks and output helpers shared by the command modules."""

from __future__ import annotations

import json
from typing import Annotated, Any

import typer

JsonOption = Annotated[bool, typer.Option("--json", help="Print JSON instead of a table.")]
ByOption = Annotated[str, typer.Option("--by", help="Who imports (for the audit log).")]


def known_language(ctx: typer.Context, value: str | None) -> str | None:
    """``--lang`` callback: one of the languages hiring speaks (the bundled ones, and those
    the bank folders add with ``strings.<lang>.po``), never a silent fallback.

    Raised as a ``HiringError`` (one line, exit 1), as an unknown language in a file is.
    """
    if value is None:
        return None
    from hiring.bank.models import SUPPORTED_LANGUAGES

    if value in SUPPORTED_LANGUAGES:
        return value
    from hiring.cli.settings import settings_of
    from hiring.errors import InputError
    from hiring.render.catalogs import known_languages

    settings = settings_of(ctx)
    known = known_languages(settings.bank_dirs)
    if value not in known:
        raise InputError(
            f"--lang '{value}' is not a language hiring knows "
            f"(one of: {', '.join(known)}; a bank folder adds one with strings.{value}.po, "
            f"see 'hiring strings export')"
        )
    from hiring.render.strings import ui_strings

    ui_strings(value)  # read (or from the cache) now: a broken catalog is refused first
    return value


def one_line(text: str) -> str:
    """Text for one cell of a terminal table: line breaks shown as ' ↵ ', tabs as spaces,
    so a multi-line note cannot look like more rows of the table."""
    import re

    from hiring.user_text import for_terminal

    return for_terminal(
        re.sub(r"\r\n|[\r\n\v\f\x85\u2028\u2029]", " ↵ ", text).replace("\t", " ")
    )


def print_json(data: Any) -> None:
    """JSON on stdout; characters a terminal acts on (ESC, U+202E...) written as \\u
    escapes, which JSON reads as the same characters."""
    from hiring.user_text import json_for_terminal

    typer.echo(json_for_terminal(json.dumps(data, ensure_ascii=False, indent=2)))


def run_value_import(ctx: typer.Context, importer: Any, file: Any, by: str,
                     delimiter: str | None, encoding: str | None, as_json: bool,
                     what: str) -> None:
    """``fairness import`` and ``outcome import``: read, import (all or nothing), say what
    was done in one line (or as JSON)."""
    from hiring.cli.settings import open_cli_store
    from hiring.cli.spreadsheet_options import table_options

    reading = table_options(delimiter, encoding)
    with open_cli_store(ctx) as store:
        counts = importer(store, file, actor=by, reading=reading).to_json()
    if as_json:
        print_json(counts)
        return
    typer.echo(f"{what}: {counts['created']} added, {counts['updated']} changed, "
               f"{counts['unchanged']} unchanged, for {counts['candidates']} candidate(s)")
