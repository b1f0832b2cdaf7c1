"""``hiring interview``: record interviews so missing scorecards can be chased."""

from pathlib import Path
from typing import Annotated

import typer

from hiring.cli.candidate import open_cli_store
from hiring.cli.settings import settings_of

app = typer.Typer(
    help="Interviews: record who interviews whom, in which round.", no_args_is_help=True
)


@app.command("add")
def add_command(
    ctx: typer.Context,
    candidate: Annotated[
        str, typer.Option("--candidate", metavar="C", help="Candidate id or exact name.")
    ],
    interviewer: Annotated[
        str, typer.Option("--interviewer", metavar="NAME", help="Who interviews.")
    ],
    role: Annotated[
        str | None,
        typer.Option("--role", help="Role id (default: the candidate's, or the manifest's)."),
    ] = None,
    round_id: Annotated[
        str | None,
        typer.Option(
            "--round", help="Round id (default: the manifest's, else the role's only round)."
        ),
    ] = None,
    lang: Annotated[str | None, typer.Option("--lang", help="Interview language.")] = None,
    manifest: Annotated[
        Path | None, typer.Option("--manifest", metavar="FILE", help="The guide's manifest JSON.")
    ] = None,
    date: Annotated[
        str | None, typer.Option("--date", help="When (YYYY-MM-DD or ISO-8601; default now).")
    ] = None,
) -> None:
    """Record an interview (it shows in 'hiring score pending' until its scorecard is done).

    Example: hiring interview add --candidate 3 --interviewer Anna --round screen
    """
    from hiring.store import record_interview

    bank = settings_of(ctx).bank()
    with open_cli_store(ctx) as store:
        interview_id = record_interview(
            store, bank, candidate, interviewer, role, round_id, lang, manifest, date
        )
    typer.echo(str(interview_id))


def register(root: typer.Typer) -> None:
    root.add_typer(app, name="interview")
