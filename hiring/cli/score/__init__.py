"""``hiring score``: enter, import, export, list and chase interview scores.

One command group; its commands live by noun: ``scorecard`` (writing scores), ``listings``
(reading them) and ``files`` (import, export).
"""

import typer

from hiring.cli.score import files, listings, scorecard

app = typer.Typer(
    help="Scores: set, enter, recommend, submit, import, export, list, pending, remind, "
    "history, consensus. Stored in "
    "the database given by --db / HIRING_DB (a file path or postgresql:// URL); default: "
    "'hiring.db' in your user data folder, e.g. ~/.local/share/hiring/hiring.db on Linux. "
    "A SQLite file is for one machine (not on a network drive): teams entering scores from "
    "several machines share a PostgreSQL database.",
    no_args_is_help=True,
)

# Registered here, in the order --help lists them.
app.command("set")(scorecard.set_command)
app.command("recommend")(scorecard.recommend_command)
app.command("enter")(scorecard.enter_command)
app.command("submit")(scorecard.submit_command)
app.command("import")(files.import_command)
app.command("pending")(listings.pending_command)
app.command("remind")(listings.remind_command)
app.command("export")(files.export_command)
app.command("list")(listings.list_command)
app.command("history")(listings.history_command)
app.command("consensus")(scorecard.consensus_command)
app.command("delete")(scorecard.delete_command)


def register(root: typer.Typer) -> None:
    root.add_typer(app, name="score")
