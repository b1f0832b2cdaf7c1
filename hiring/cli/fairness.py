"""``hiring fairness``: self-identified group data, opt-in and kept apart (the fairness
report: ``hiring report fairness``)."""

from pathlib import Path
from typing import Annotated

import typer

from hiring.cli.options import ByOption, JsonOption, import_summary, print_json
from hiring.cli.settings import open_cli_store
from hiring.cli.tables import DelimiterOption, EncodingOption, table_options

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

    reading = table_options(delimiter, encoding)
    with open_cli_store(ctx) as store:
        counts = import_group_data(store, file, actor=by, reading=reading).to_json()
    if as_json:
        print_json(counts)
    else:
        typer.echo(import_summary(counts, "group data"))


def register(root: typer.Typer) -> None:
    root.add_typer(app, name="fairness")
