"""``hiring stats``: statistics over the stored ratings."""

import json
from typing import Annotated, Any

import typer

from hiring.cli.options import JsonOption
from hiring.cli.settings import settings_of

app = typer.Typer(help="Statistics over the stored ratings.", no_args_is_help=True)


NOT_DEFINED = "not defined"


def _value(value: float | None) -> str:
    return NOT_DEFINED if value is None else f"{value:.3f}"


def _interval(row: dict[str, Any]) -> str:
    if row["low"] is None or row["high"] is None:
        return "-"
    return f"{row['low']:.2f} to {row['high']:.2f}"


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
    as_json: JsonOption = False,
) -> None:
    """Inter-rater reliability: Shrout & Fleiss ICCs and Krippendorff's alpha, per
    competency and overall.

    Example: hiring stats reliability --role inbound-agent --round panel
    """
    from hiring.cli.settings import open_cli_store
    from hiring.reports.build import reliability_figures

    with open_cli_store(ctx) as store:
        figures = reliability_figures(store, settings_of(ctx).bank(), role, round_id, competency)
    if as_json:
        # Strict JSON: a figure that is not defined is null with its reason, never NaN.
        typer.echo(json.dumps(figures, ensure_ascii=False, indent=2, allow_nan=False))
        return
    erased = figures["erased_candidates"]
    counted = f" (including {erased} erased, anonymised)" if erased else ""
    typer.echo(
        f"Role {figures['role']}, round {figures['round'] or 'all'}: {figures['candidates']} "
        f"candidates{counted}, {figures['interviewers']} interviewers, "
        f"{figures['ratings']} ratings"
    )
    typer.echo(f"ratings: {figures['stored_ratings']['sentence']}")
    typer.echo(f"{'COMPETENCY':<26} {'MEASURE':<16} {'VALUE':>11}  {'95% INTERVAL':<13} "
               f"{'BAND':<26} {'TARGETS':>7} {'RATERS':>6}  NOTE")
    for row in figures["rows"]:
        note = row["reason"] or row["interval_reason"]
        typer.echo(
            f"{row['competency']:<26} {row['measure']:<16} {_value(row['value']):>11}  "
            f"{_interval(row):<13} {row['band'] or '-':<26} {row['targets']:>7} "
            f"{row['raters']:>6.2f}  {note}"
        )


def register(root: typer.Typer) -> None:
    root.add_typer(app, name="stats")
