"""``hiring score`` listings: a candidate's scores, the scorecards pending, the audit trail."""

from pathlib import Path
from typing import Annotated

import typer

from hiring.cli.cells import table
from hiring.cli.options import JsonOption, one_line, print_json
from hiring.cli.score.options import CandidateOption
from hiring.cli.settings import open_cli_store, settings_of
from hiring.user_text import for_terminal


def pending_command(
    ctx: typer.Context,
    older_than: Annotated[
        str | None,
        typer.Option(
            "--older-than", metavar="AGE", help="Only interviews older than e.g. 2d, 12h."
        ),
    ] = None,
    as_json: JsonOption = False,
) -> None:
    """Scorecards not submitted (missing, or a draft), oldest first: chase these.

    Example: hiring score pending --older-than 2d
    """
    from hiring.store import parse_duration, pending_scorecards
    from hiring.store.scorecards import pending_ratings_account

    age = parse_duration(older_than) if older_than else None
    bank = settings_of(ctx).bank()
    with open_cli_store(ctx) as store:
        pending = pending_scorecards(store, bank, age)
        account = pending_ratings_account(store, bank)
    if as_json:
        print_json({"pending": pending, "ratings": account.to_json()})
        return
    if not pending:
        typer.echo("no scorecards pending")
        typer.echo(f"ratings: {account.sentence()}")
        return
    rows = []
    for item in pending:
        missing = list(item["missing_scores"])
        if item["missing_recommendation"]:
            missing.append("recommendation")
        reminded = f"{item['reminders']}x, {item['last_reminder']}" if item["reminders"] else "-"
        rows.append([
            item["date"][:10], item["interviewer"], f"{item['candidate']} ({item['candidate_id']})",
            item["round"], item["state"], reminded,
            ", ".join(missing) or "nothing: submit it (hiring score submit)",
        ])
    for line in table(
        ["DATE", "INTERVIEWER", "CANDIDATE", "ROUND", "STATE", "REMINDED", "MISSING"], rows
    ):
        typer.echo(line)
    typer.echo(f"ratings: {account.sentence()}")


def list_command(
    ctx: typer.Context,
    candidate: CandidateOption,
    as_interviewer: Annotated[
        str | None,
        typer.Option(
            "--as",
            metavar="INTERVIEWER",
            help="Show others' scores of a round only once INTERVIEWER has submitted their "
            "own scorecard for it.",
        ),
    ] = None,
    as_json: JsonOption = False,
) -> None:
    """List a candidate's scores.

    Example: hiring score list --candidate 3 --as Anna
    """
    from hiring.store import list_scores

    with open_cli_store(ctx) as store:
        listing = list_scores(store, candidate, as_interviewer)
    if as_json:
        print_json(
            {
                "candidate": listing.candidate.to_json(),
                "scores": listing.rows,
                "recommendations": listing.recommendations,
                "consensus": listing.consensus,
                "hidden": listing.hidden,
                "hidden_recommendations": listing.hidden_recommendations,
            }
        )
        return
    typer.echo(for_terminal(f"{listing.candidate.name} (id {listing.candidate.id})"))
    rows = [
        [row["round"], row["competency"], row["interviewer"], row["score"],
         row["state"] + ("*" if row["changed_after_submission"] else ""),
         one_line(row["note"] or "")]
        for row in listing.rows
    ] + [
        [item["round"], item["competency"], f"consensus ({item['decided_by']})", item["score"],
         "agreed", one_line(item["note"] or "")]
        for item in listing.consensus
    ]
    for line in table(
        ["ROUND", "COMPETENCY", "INTERVIEWER", "SCORE", "STATE", "NOTE"], rows, right={3}
    ):
        typer.echo(line)
    if listing.recommendations:
        typer.echo("")
        for line in table(
            ["ROUND", "INTERVIEWER", "RECOMMENDATION", "STATE"],
            [[item["round"], item["interviewer"], item["decision"], item["state"]]
             for item in listing.recommendations],
        ):
            typer.echo(line)
    if any(row["changed_after_submission"] for row in listing.rows):
        typer.echo("* changed after the scorecard was submitted (see 'hiring score history')")
    for round_id in sorted(set(listing.hidden) | set(listing.hidden_recommendations)):
        count = listing.hidden.get(round_id, 0)
        decisions = listing.hidden_recommendations.get(round_id, 0)
        typer.echo(for_terminal(
            f"{round_id}: {count} score(s) and {decisions} recommendation(s) by others hidden "
            f"until {as_interviewer} has submitted their own scorecard for this round"
        ))


def history_command(
    ctx: typer.Context, candidate: CandidateOption, as_json: JsonOption = False
) -> None:
    """Show the audit trail of a candidate: who changed what, and when, oldest first.

    Example: hiring score history --candidate 3
    """
    from hiring.store import candidate_history

    with open_cli_store(ctx) as store:
        found, entries = candidate_history(store, candidate)
    if as_json:
        print_json(
            {"candidate": found.to_json(), "history": [entry.to_json() for entry in entries]}
        )
        return
    typer.echo(for_terminal(f"{found.name} (id {found.id}): {len(entries)} change(s)"))
    for entry in entries:
        typer.echo(for_terminal(f"{entry.at[:19].replace('T', ' ')}  {entry.sentence()}"))


def remind_command(
    ctx: typer.Context,
    dry_run: Annotated[
        bool,
        typer.Option("--dry-run", help="Write the e-mails as .eml files; send and record nothing."),
    ] = False,
    out_dir: Annotated[
        Path | None,
        typer.Option(
            "--out-dir", metavar="DIR",
            help="Where the .eml files go (--dry-run: default ./reminders; else a copy of "
            "each message sent).",
        ),
    ] = None,
    first_after: Annotated[
        str,
        typer.Option("--first-after", metavar="AGE",
                     help="First reminder this long after the interview ends."),
    ] = "1h",
    days: Annotated[
        int, typer.Option("--days", help="Remind once a day for at most this many days.")
    ] = 10,
) -> None:
    """E-mail each interviewer with scorecards not submitted one reminder listing them
    (candidate, round, date, what is missing, the command or kit to use), in their language:
    first after the interview ends (--first-after), then once a day for --days days. Never
    two reminders for one scorecard on one day, however often it runs; each is recorded,
    audited and shown in 'score pending'. Sends through HIRING_SMTP_URL.

    Example: hiring score remind --dry-run --out-dir reminders/
    """
    from datetime import UTC, datetime

    from hiring.mail.outbox import send_reminders
    from hiring.mail.smtp import smtp_settings
    from hiring.store import parse_duration
    from hiring.store.team import require

    after = parse_duration(first_after)
    settings = smtp_settings()  # bad settings are refused before anything is written
    bank = settings_of(ctx).bank()
    with open_cli_store(ctx) as store:
        if not dry_run:
            require(store, "reminder.send")
        outcome = send_reminders(store, bank, settings, now=datetime.now(UTC),
                                 dry_run=dry_run, out_dir=out_dir, first_after=after, days=days)
    for line in outcome.sent:
        typer.echo(f"sent: {line}")
    for line in outcome.failures:
        typer.echo(f"not sent: {line}", err=True)
    if dry_run:
        typer.echo(f"{len(outcome.written)} reminder(s) written to {out_dir or 'reminders'} "
                   "(dry run: nothing sent or recorded)")
    else:
        typer.echo(f"{len(outcome.sent)} reminder(s) sent, {len(outcome.failures)} failed")
    if outcome.not_sent:
        typer.echo(f"{outcome.not_sent} reminder(s) not sent", err=True)
    if outcome.failures and not dry_run:
        raise typer.Exit(1)
