"""``hiring outcome``: outcomes on the job, for the validity report."""

from pathlib import Path
from typing import Annotated

import typer

from hiring.cli.options import ByOption, JsonOption, run_value_import
from hiring.cli.spreadsheet_options import DelimiterOption, EncodingOption

app = typer.Typer(
    help="Outcomes on the job (candidate, measure, value, date: e.g. retained_90d 0/1, "
    "qa_score, csat) for 'hiring report validity'; audited, erased with the candidate.",
    no_args_is_help=True,
)


@app.command("import")
def import_command(
    ctx: typer.Context,
    file: Annotated[Path, typer.Argument(
        metavar="FILE.csv", help="CSV or .xlsx with columns candidate,measure,value,date.")],
    by: ByOption = "hiring",
    delimiter: DelimiterOption = None,
    encoding: EncodingOption = None,
    as_json: JsonOption = False,
) -> None:
    """Store outcome values (all or nothing; audited). A candidate is an id or exact name;
    the value a number (a decimal comma is read as a point), the date YYYY-MM-DD; a row for
    a stored measure replaces its value.

    Example: hiring outcome import outcomes.csv   (rows such as: 17,retained_90d,1,2026-05-01)
    """
    from hiring.store.outcomes import import_outcomes

    run_value_import(ctx, import_outcomes, file, by, delimiter, encoding, as_json, "outcomes")


def register(root: typer.Typer) -> None:
    root.add_typer(app, name="outcome")
