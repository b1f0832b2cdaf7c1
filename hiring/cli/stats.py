"""``hiring stats``: statistics over the stored ratings."""

from typing import Annotated

import typer

from hiring.cli.settings import settings_of

app = typer.Typer(help="Statistics over the stored ratings.", no_args_is_help=True)


def _value(value: float | None) -> str:
    return "-" if value is None else f"{value:.3f}"


@app.command("reliability")
def reliability_command(
    ctx: typer.Context,
    role: Annotated[
        str | None,
        typer.Option("--role", help="Role id (default: the only role in the bank or the store)."),
    ] = None,
    competency: Annotated[
        str | None,
        typer.Option("--competency", metavar="ID", help="Only this competency (default: all)."),
    ] = None,
    round_id: Annotated[
        str | None, typer.Option("--round", help="Round id (default: every round).")
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON instead of a table.")] = False,
) -> None:
    """Inter-rater reliability: Shrout & Fleiss ICCs and Krippendorff's alpha, per
    competency and overall.

    Example: hiring stats reliability --role inbound-agent --round panel
    """
    from hiring.cli.candidate import open_cli_store, print_json
    from hiring.reports.build import reliability_figures

    with open_cli_store(ctx) as store:
        figures = reliability_figures(store, settings_of(ctx).bank(), role, round_id, competency)
    if as_json:
        print_json(figures)
        return
    typer.echo(
        f"Role {figures['role']}, round {figures['round'] or 'all'}: {figures['candidates']} "
        f"candidates, {figures['interviewers']} interviewers, {figures['ratings']} ratings"
    )
    typer.echo(f"ratings: {figures['stored_ratings']['sentence']}")
    typer.echo(f"{'COMPETENCY':<26} {'MEASURE':<16} {'VALUE':>7}  {'BAND':<11} "
               f"{'TARGETS':>7} {'RATERS':>6}  NOTE")
    for row in figures["rows"]:
        typer.echo(
            f"{row['competency']:<26} {row['measure']:<16} {_value(row['value']):>7}  "
            f"{row['band'] or '-':<11} {row['targets']:>7} {row['raters']:>6.2f}  {row['note']}"
        )


def register(root: typer.Typer) -> None:
    root.add_typer(app, name="stats")
