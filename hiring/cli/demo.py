"""``hiring demo``: the whole path on an embedded database, in one command."""

from pathlib import Path
from typing import Annotated

import typer

from hiring.cli.options import known_language
from hiring.cli.settings import settings_of


def register(app: typer.Typer) -> None:
    app.command("demo")(demo_command)


def demo_command(
    ctx: typer.Context,
    out: Annotated[
        Path, typer.Option("--out", help="Folder for the demo database, guides and report.")
    ] = Path("hiring-demo"),
    lang: Annotated[str, typer.Option(
            "--lang", help="Language of guides and report.", callback=known_language
        )] = "en",
) -> None:
    """Create a demo: SQLite database, 8 candidates, 3 interviewers, guides and the report.

    Example: hiring demo --out ./hiring-demo
    """
    from hiring.demo.run import run_demo

    bank = settings_of(ctx).bank()
    result = run_demo(bank, out, lang=lang)
    data = result.data
    assert data is not None
    typer.echo(f"database:  {result.database}")
    typer.echo(f"guides:    {len(result.guides)} PDFs in {result.folder / 'guides'}")
    typer.echo(f"report:    {result.report}")
    missing = ", ".join(f"{c} (by {i})" for c, i in data.missing)
    typer.echo(
        f"{len(data.candidates)} candidates, {len(data.interviewers)} interviewers, "
        f"{len(data.ratings)} ratings; missing scorecard: {missing}"
    )
    typer.echo(f"try:       hiring --db {result.database} score pending")
