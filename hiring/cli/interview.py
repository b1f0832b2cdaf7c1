"""``hiring interview``: record interviews so missing scorecards can be chased."""

from pathlib import Path
from typing import Annotated

import typer

from hiring.cli.options import JsonOption, known_language, print_json
from hiring.cli.settings import open_cli_store, settings_of

app = typer.Typer(
    help="Interviews: record who interviews whom, in which round and when; send calendar "
    "invitations; list them; cancel one that did not happen.",
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
    at: Annotated[
        str | None,
        typer.Option(
            "--at", metavar="TIME",
            help="Start, e.g. 2026-12-08T10:00 (this machine's time zone) or with an offset "
            "(2026-12-08T10:00+01:00); a changed time makes 'interview invite' send an update.",
        ),
    ] = None,
    minutes: Annotated[
        int | None, typer.Option("--minutes", help="Length in minutes (default 60; needs --at).")
    ] = None,
    place: Annotated[
        str | None, typer.Option("--place", metavar="TEXT", help="Room, address or video link.")
    ] = None,
    email: Annotated[
        str | None,
        typer.Option(
            "--email", metavar="ADDR",
            help="The interviewer's e-mail address for invitations and reminders (the team "
            "roster's address wins when it has one).",
        ),
    ] = None,
) -> None:
    """Record an interview (it shows in 'hiring score pending' until its scorecard is done),
    with its time for 'hiring interview invite' and 'hiring score remind'.

    Example: hiring interview add --candidate 3 --interviewer Anna --round screen \
      --at 2026-12-08T10:00 --minutes 45 --place "Room 2" --email anna@example.com
    """
    from hiring.store.schedule import add_interview
    from hiring.store.team import require

    bank = settings_of(ctx).bank()
    with open_cli_store(ctx) as store:
        require(store, "interview.write")
        interview_id, schedule = add_interview(
            store, bank, candidate, interviewer, role=role, round_id=round_id, language=lang,
            manifest=manifest, date=date, at=at, minutes=minutes, place=place, email=email,
        )
    typer.echo(str(interview_id))
    if schedule is not None and schedule.changed:
        typer.echo(
            f"the time or place changed: 'hiring interview invite' sends an update "
            f"(sequence {schedule.sequence})",
            err=True,
        )


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
    from hiring.cli.cells import table

    for line in table(  # names and reasons are untrusted: for_terminal, one row each
        ["DATE", "CANDIDATE", "INTERVIEWER", "ROUND", "STATE", "SCORES", "RECOMMENDATION"],
        [[item["date"][:10], f"{item['candidate']} ({item['candidate_id']})",
          item["interviewer"], item["round"], item["state"], item["ratings"],
          (item["recommendation"] or "-")
          + (f"  reason: {item['cancel_reason']}" if item["cancel_reason"] else "")]
         for item in interviews],
        right={5},
    ):
        typer.echo(line)


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


@app.command("invite")
def invite_command(
    ctx: typer.Context,
    candidate: Annotated[
        str | None,
        typer.Option("--candidate", metavar="C", help="Only this candidate's interviews."),
    ] = None,
    out_dir: Annotated[
        Path, typer.Option("--out-dir", metavar="DIR", help="Folder for the .ics files.")
    ] = Path("invitations"),
) -> None:
    """Write a calendar invitation (.ics, RFC 5545) for every upcoming interview with a time
    ('interview add --at'), one per interviewer, and with HIRING_SMTP_URL set e-mail each
    one not sent yet, the interviewer's kit attached. A moved interview is sent again as an
    update of the same event (same UID, higher SEQUENCE).

    Example: HIRING_SMTP_URL=smtps://mail.example.com HIRING_SMTP_FROM=hr@example.com \
      hiring interview invite --candidate 3
    """
    from datetime import UTC, datetime

    from hiring.mail.outbox import send_invitations
    from hiring.mail.smtp import smtp_settings
    from hiring.store.team import require

    settings = smtp_settings()  # bad settings are refused before anything is written
    bank = settings_of(ctx).bank()
    with open_cli_store(ctx) as store:
        require(store, "interview.write")
        outcome, plan = send_invitations(store, bank, settings, now=datetime.now(UTC),
                                         candidate=candidate, out_dir=out_dir)
    for line in outcome.sent:
        typer.echo(f"sent: {line}")
    for line in outcome.failures:
        typer.echo(f"not sent: {line}", err=True)
    typer.echo(f"{len(outcome.written)} invitation(s) written to {out_dir}, "
               f"{len(outcome.sent)} sent"
               + ("" if settings else " (HIRING_SMTP_URL is not set: none sent)"))
    if plan.without_time:
        typer.echo(f"{plan.without_time} interview(s) have no time ('hiring interview add "
                   "--at'): no invitation", err=True)
    if plan.over:
        typer.echo(f"{plan.over} interview(s) are over: no invitation", err=True)
    if outcome.not_sent:
        typer.echo(f"{outcome.not_sent} invitation(s) not sent", err=True)
    if outcome.failures:
        raise typer.Exit(1)


def register(root: typer.Typer) -> None:
    root.add_typer(app, name="interview")
