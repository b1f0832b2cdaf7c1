"""``hiring fairness``: self-identified group data, opt-in and kept apart (the fairness
report: ``hiring report fairness``)."""

from pathlib import Path
from typing import Annotated

import typer

from hiring.cli.options import ByOption, JsonOption, run_value_import
from hiring.cli.spreadsheet_options import DelimiterOption, EncodingOption

app = typer.Typer(
    help="Group data for the fairness report (candidate, attribute, group: self-identified, "
    "opt-in). Kept apart from ratings, never shown to interviewers or in kits and the other "
    "reports, erased with the candidate; 'db export' writes it only with "
    "--include-group-data.",
    no_args_is_help=True,
)


@app.command("import")
def import_command(
    ctx: typer.Context,
    file: Annotated[Path, typer.Argument(
        metavar="FILE.csv", help="CSV or .xlsx with columns candidate,attribute,group.")],
    by: ByOption = "hiring",
    delimiter: DelimiterOption = None,
    encoding: EncodingOption = None,
    as_json: JsonOption = False,
) -> None:
    """Store candidates' self-identified groups (all or nothing; audited without the group).
    A candidate is an id or exact name; a row for a stored attribute replaces its group.

    Example: hiring fairness import groups.csv   (rows such as: 17,gender,woman)
    """
    from hiring.store.group_data import import_group_data

    run_value_import(ctx, import_group_data, file, by, delimiter, encoding, as_json, "group data")


def register(root: typer.Typer) -> None:
    root.add_typer(app, name="fairness")
