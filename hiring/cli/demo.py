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
    """Create a demo: SQLite database, 8 candidates, 3 interviewers, guides and the report;
    then a synthetic hiring history of another role and its fairness and validity reports.

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
    if result.history is not None:
        history = result.history
        hired = sum(1 for _, _, decision in history.decisions if decision == "hired")
        typer.echo(f"fairness:  {result.fairness_report}")
        typer.echo(f"validity:  {result.validity_report}")
        typer.echo(
            f"synthetic history ({history.role}): {len(history.names)} made-up applicants, "
            f"{hired} hired, group data and outcomes in {result.folder / 'synthetic-history'}"
        )
    else:
        typer.echo(f"no fairness or validity report: {result.history_skipped}")
    missing = ", ".join(f"{c} (by {i})" for c, i in data.missing)
    typer.echo(
        f"{len(data.candidates)} candidates, {len(data.interviewers)} interviewers, "
        f"{len(data.ratings)} ratings; missing scorecard: {missing}"
    )
    typer.echo(f"try:       hiring --db {result.database} score pending")
