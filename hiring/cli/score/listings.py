"""``hiring score`` listings: a candidate's scores, the scorecards pending, the audit trail."""

from typing import Annotated

import typer

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
    typer.echo(
        f"{'DATE':<10}  {'INTERVIEWER':<20} {'CANDIDATE':<24} {'ROUND':<12} {'STATE':<8} MISSING"
    )
    for item in pending:
        missing = list(item["missing_scores"])
        if item["missing_recommendation"]:
            missing.append("recommendation")
        typer.echo(for_terminal(
            f"{item['date'][:10]:<10}  {item['interviewer']:<20} "
            f"{item['candidate'] + ' (' + str(item['candidate_id']) + ')':<24} "
            f"{item['round']:<12} {item['state']:<8} "
            f"{', '.join(missing) or 'nothing: submit it (hiring score submit)'}"
        ))
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
    typer.echo(
        f"{'ROUND':<12} {'COMPETENCY':<26} {'INTERVIEWER':<20} SCORE  {'STATE':<10} NOTE"
    )
    for row in listing.rows:
        state = row["state"] + ("*" if row["changed_after_submission"] else "")
        typer.echo(for_terminal(
            f"{row['round']:<12} {row['competency']:<26} {row['interviewer']:<20} "
            f"{row['score']:>5}  {state:<10} {one_line(row['note'] or '')}"
        ))
    for item in listing.consensus:
        by = f"consensus ({item['decided_by']})"
        typer.echo(for_terminal(
            f"{item['round']:<12} {item['competency']:<26} {by:<20} "
            f"{item['score']:>5}  {'agreed':<10} {one_line(item['note'] or '')}"
        ))
    if listing.recommendations:
        typer.echo("")
        typer.echo(f"{'ROUND':<12} {'INTERVIEWER':<20} {'RECOMMENDATION':<15} STATE")
        for item in listing.recommendations:
            typer.echo(for_terminal(
                f"{item['round']:<12} {item['interviewer']:<20} {item['decision']:<15} "
                f"{item['state']}"
            ))
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
