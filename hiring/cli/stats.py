"""``hiring stats``: statistics over the stored ratings."""

import json
from typing import Annotated, Any

import typer

from hiring.cli.options import JsonOption
from hiring.cli.progress import QuietOption, progress
from hiring.cli.settings import settings_of

app = typer.Typer(help="Statistics over the stored ratings.", no_args_is_help=True)


NOT_DEFINED = "not defined"
OVERALL = "overall"
# What each measure answers, in plain words (printed beside it).
MEASURE_MEANINGS = {
    "ICC(1,1)": "one interviewer's score; candidates may have different interviewers",
    "ICC(2,1)": "one interviewer's score, agreeing on the exact value",
    "ICC(3,1)": "one interviewer's score, agreeing on the order only",
    "ICC(1,k)": "the panel's mean score; candidates may have different interviewers",
    "ICC(2,k)": "the panel's mean score, agreeing on the exact value",
    "ICC(3,k)": "the panel's mean score, agreeing on the order only",
    "alpha(interval)": "Krippendorff's alpha, scores as numbers",
    "alpha(ordinal)": "Krippendorff's alpha, scores as ranks",
}
LEGEND = (
    "VALUE: the estimate (1 = interviewers agree fully, 0 = no better than chance). "
    "95% INTERVAL: where the true value lies with 95% confidence. VERDICT: the bands the "
    "interval covers (ICC after Koo & Li 2016: poor < 0.5, moderate, good, excellent > 0.9; "
    "alpha after Krippendorff 2004: unreliable < 0.667, tentative, reliable >= 0.8); a wide "
    "interval spanning three bands or more says 'too few candidates to tell'."
)
DETAIL_LEGEND = (
    "TARGETS: the candidates rated (overall: candidate x competency pairs). RATERS: "
    "interviewers per candidate (k; for ICC(1) the effective number k0 when panels differ; "
    "for ICC(2)/(3) the largest complete block). NOTE: why a value or its interval is not "
    "defined."
)


def _value(value: float | None, digits: int = 3) -> str:
    """A figure with fixed decimals, never "-0.000"; "not defined" when there is none."""
    if value is None:
        return NOT_DEFINED
    return f"{round(value, digits) + 0.0:.{digits}f}"


def _interval(row: dict[str, Any]) -> str:
    if row["low"] is None or row["high"] is None:
        return "-"
    return f"[{_value(row['low'], 2)}, {_value(row['high'], 2)}]"


def _verdict(row: dict[str, Any]) -> str:
    bands = row["bands"]
    if not bands:
        return ""
    if len(bands) == 1:
        return str(bands[0])
    if len(bands) == 2:
        return f"{bands[0]} to {bands[1]}"
    return "too few candidates to tell"


def _one_line(row: dict[str, Any]) -> list[str]:
    """A measure in one row: the figure, its interval and the verdict, or why not."""
    meaning = MEASURE_MEANINGS.get(row["measure"], "")
    if row["value"] is None:
        return [row["measure"], "", "", "", f"{NOT_DEFINED}: {row['reason']}  ({meaning})"]
    interval = (_interval(row) if row["low"] is not None
                else f"no interval: {row['interval_reason']}")
    return [row["measure"], _value(row["value"], 2), interval, _verdict(row), meaning]


def _legend(text: str) -> None:
    from hiring.cli.cells import terminal_columns, wrap

    for line in wrap(text, min(terminal_columns() or 100, 100)):
        typer.echo(line)


@app.command("reliability")
def reliability_command(
    ctx: typer.Context,
    role: Annotated[
        str | None,
        typer.Option("--role", help="Role id (default: the only role in the bank or the store)."),
    ] = None,
    competency: Annotated[
        str | None,
        typer.Option("--competency", metavar="ID",
                     help="This competency (default: all competencies together)."),
    ] = None,
    round_id: Annotated[
        str | None, typer.Option("--round", help="Round id (default: every round).")
    ] = None,
    detail: Annotated[
        bool,
        typer.Option("--detail", help="The full table: every competency and measure, with "
                     "TARGETS (candidates rated) and RATERS (interviewers per candidate)."),
    ] = False,
    as_json: JsonOption = False,
    quiet: QuietOption = False,
) -> None:
    """How far interviewers agree: one line per measure, for all competencies together (or
    --competency ID), each with its 95% interval and a verdict read from the interval, or
    "not defined" and why. ICC(1,1), ICC(2,1), ICC(3,1): intraclass correlations (Shrout &
    Fleiss) of one interviewer's score; the k forms, of the panel's mean. ICC(2) asks for
    the same value, ICC(3) for the same order, ICC(1) allows a different panel per
    candidate. alpha: Krippendorff's alpha with scores as numbers (interval) or ranks
    (ordinal). 1 means full agreement, 0 none beyond chance.

    Example: hiring stats reliability --role inbound-agent --round panel --detail
    """
    from hiring.cli.settings import open_cli_store
    from hiring.stats import reliability_figures

    with progress("reliability", quiet) as step, open_cli_store(ctx) as store:
        # The one-line view prints one competency's (or the overall) rows: only those are
        # computed; --detail and --json print every row.
        figures = reliability_figures(store, settings_of(ctx).bank(), role, round_id, competency,
                                      progress=step,
                                      computed="all" if detail or as_json else "shown")
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
    if detail:
        _print_table(figures["rows"])
        return
    chosen = competency or OVERALL
    typer.echo(f"Agreement between interviewers, "
               f"{'all competencies' if chosen == OVERALL else chosen}:")
    from hiring.cli.cells import table

    for line in table(
        ["MEASURE", "VALUE", "95% INTERVAL", "VERDICT", "MEANING"],
        [_one_line(row) for row in figures["rows"] if row["competency"] == chosen],
        right={1},
    ):
        typer.echo(line)
    _legend(LEGEND)
    if competency is None:
        per = figures.get("competencies_rated",
                          len({row["competency"] for row in figures["rows"]}) - 1)
        typer.echo(f"Each of the {per} competencies on its own: --competency ID, or --detail "
                   "for the full table.")


def _print_table(rows: list[dict[str, Any]]) -> None:
    from hiring.cli.cells import table

    for line in table(
        ["COMPETENCY", "MEASURE", "VALUE", "95% INTERVAL", "VERDICT", "TARGETS", "RATERS",
         "NOTE"],
        [[row["competency"], row["measure"], _value(row["value"]), _interval(row),
          _verdict(row) or "-", row["targets"], _value(row["raters"], 2),
          row["reason"] or row["interval_reason"] or ""] for row in rows],
        right={2, 5, 6},
    ):
        typer.echo(line)
    _legend(LEGEND)
    _legend(DETAIL_LEGEND)


def register(root: typer.Typer) -> None:
    root.add_typer(app, name="stats")
