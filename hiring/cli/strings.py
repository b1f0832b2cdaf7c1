"""``hiring strings``: the UI strings as a gettext catalog, for a team's own language."""

from pathlib import Path
from typing import Annotated

import typer

from hiring.cli.settings import settings_of

app = typer.Typer(
    help="UI strings (every word on a page that is not from the bank) for translators.",
    short_help="UI strings as gettext catalogs, for a team's own language.",
    no_args_is_help=True,
)


@app.command("export")
def export_command(
    ctx: typer.Context,
    lang: Annotated[str, typer.Option(
        "--lang", help="Language to translate into (e.g. de); a bundled one comes translated.",
    )],
    out: Annotated[Path, typer.Option(
        "--out", help="The .po file to write (put it in the bank folder as strings.<lang>.po).",
    )],
) -> None:
    """Write the UI strings as a gettext catalog (.po) to translate into a language.

    msgctxt is the string's key, msgid the English text; counted strings are plurals with
    the language's Plural-Forms (CLDR). Translations hiring has (a bundled language, or the
    bank's own strings.<lang>.po) are filled in. A bank folder carrying the translated file
    as strings.<lang>.po adds the language to --lang.

    Example: hiring strings export --lang de --out my_bank/strings.de.po
    """
    from hiring.files import check_output, write_atomic
    from hiring.render.catalog_export import exported_catalog
    from hiring.render.strings import bundled_strings

    check_output(out)
    data = exported_catalog(lang, bundled_strings(), settings_of(ctx).bank_dirs)
    write_atomic(out, data)
    count = data.count(b"\nmsgctxt ")
    typer.echo(f"wrote {out} ({count} strings to translate into '{lang}')")


def register(root: typer.Typer) -> None:
    root.add_typer(app, name="strings")
