"""``hiring interview``: record interviews so missing scorecards can be chased."""

from pathlib import Path
from typing import Annotated

import typer

from hiring.cli.options import JsonOption, known_language, print_json
from hiring.cli.settings import open_cli_store, settings_of

app = typer.Typer(
    help="Interviews: record who interviews whom, in which round; list them; cancel one that "
    "did not happen.",
    no_args_is_help=True,
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
    lang: Annotated[str | None, typer.Option(
            "--lang", help="Interview language.", callback=known_language
        )] = None,
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


@app.command("list")
def list_command(
    ctx: typer.Context,
    candidate: Annotated[
        str | None, typer.Option("--candidate", metavar="C", help="Candidate id or exact name.")
    ] = None,
    as_json: JsonOption = False,
) -> None:
    """List interviews, oldest first, with their scorecard's state (missing, draft,
    submitted or cancelled).

    Example: hiring interview list --candidate 3
    """
    from hiring.store import list_interviews

    with open_cli_store(ctx) as store:
        interviews = list_interviews(store, candidate)
    if as_json:
        print_json(interviews)
        return
    if not interviews:
        typer.echo("no interviews")
        return
    typer.echo(
        f"{'DATE':<10}  {'CANDIDATE':<24} {'INTERVIEWER':<20} {'ROUND':<12} {'STATE':<10} "
        "SCORES  RECOMMENDATION"
    )
    from hiring.user_text import for_terminal

    for item in interviews:
        typer.echo(for_terminal(  # names and reasons are untrusted: one row each
            f"{item['date'][:10]:<10}  "
            f"{item['candidate'] + ' (' + str(item['candidate_id']) + ')':<24} "
            f"{item['interviewer']:<20} {item['round']:<12} {item['state']:<10} "
            f"{item['ratings']:>6}  {item['recommendation'] or '-'}"
            + (f"  reason: {item['cancel_reason']}" if item["cancel_reason"] else "")
        ))


@app.command("cancel")
def cancel_command(
    ctx: typer.Context,
    candidate: Annotated[
        str, typer.Option("--candidate", metavar="C", help="Candidate id or exact name.")
    ],
    interviewer: Annotated[
        str, typer.Option("--interviewer", metavar="NAME", help="Who was to interview.")
    ],
    round_id: Annotated[str, typer.Option("--round", help="Round id.")],
    reason: Annotated[
        str, typer.Option("--reason", metavar="TEXT", help="Why (kept in the audit log).")
    ],
    delete_ratings: Annotated[
        bool,
        typer.Option(
            "--delete-ratings",
            help="Also delete its ratings and recommendation (each deletion audited).",
        ),
    ] = False,
    by: Annotated[
        str | None, typer.Option("--by", metavar="NAME", help="Who cancels (default: NAME).")
    ] = None,
) -> None:
    """Cancel an interview that did not happen: it is no longer chased, does not block a
    consensus and is not a missing scorecard. Refused while it has ratings, unless
    --delete-ratings.

    Example: hiring interview cancel --candidate 3 --interviewer "Ann X" --round screen \
      --reason "typo: the interviewer was Ann Berg"
    """
    from hiring.store import cancel_interview

    with open_cli_store(ctx) as store:
        done = cancel_interview(store, candidate, interviewer, round_id, reason, delete_ratings, by)
    deleted = ""
    if done.ratings_deleted or done.recommendation_deleted:
        parts = [f"{done.ratings_deleted} rating(s)"]
        if done.recommendation_deleted:
            parts.append("the recommendation")
        deleted = f"; deleted {' and '.join(parts)}"
    from hiring.user_text import for_terminal

    typer.echo(for_terminal(
        f"cancelled: {done.interviewer}'s interview with {done.candidate.name} "
        f"({done.candidate.id}), round {done.round}{deleted}"
    ))


def register(root: typer.Typer) -> None:
    root.add_typer(app, name="interview")
