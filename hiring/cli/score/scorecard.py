"""``hiring score`` commands that write: a scorecard's scores, recommendation and submission,
and the panel's consensus."""

from pathlib import Path
from typing import Annotated

import typer

from hiring.cli.options import known_language
from hiring.cli.score.options import CandidateOption, InterviewerOption, RoundOption
from hiring.cli.settings import open_cli_store, settings_of


def set_command(
    ctx: typer.Context,
    candidate: CandidateOption,
    competency: Annotated[str, typer.Option("--competency", metavar="ID", help="Competency id.")],
    score: Annotated[
        int, typer.Option("--score", metavar="N", help="Score on the competency's scale.")
    ],
    interviewer: InterviewerOption = None,
    question: Annotated[
        str | None, typer.Option("--question", metavar="QID", help="Question id.")
    ] = None,
    note: Annotated[
        str | None,
        typer.Option(
            "--note",
            metavar="TEXT",
            help="Evidence note (without --note an update keeps the stored note; --note '' "
            "clears it).",
        ),
    ] = None,
    round_id: RoundOption = None,
) -> None:
    """Set one score; setting it again updates it (audited). Without --interviewer it is
    your own scorecard (you: the team roster's interviewer with your login).

    Example: hiring score set --candidate 3 --interviewer "Anna" --competency teamwork --score 4
    """
    from hiring.store import set_score
    from hiring.store.team import interviewer_or_self

    bank = settings_of(ctx).bank()
    with open_cli_store(ctx) as store:
        who = interviewer_or_self(store, interviewer)
        result = set_score(store, bank, candidate, who, competency, score, question, note, round_id)
    change = ""
    if result.action == "updated" and result.old_score != result.score:
        change = f" (was {result.old_score})"
    if result.note_changed:
        change += ", note changed"
    elif result.note_kept:
        change += ", note kept"
    typer.echo(
        f"{result.action}: candidate {result.candidate_id}, round {result.round}, "
        f"{result.competency} = {result.score}{change}"
    )


def recommend_command(
    ctx: typer.Context,
    candidate: CandidateOption,
    round_id: Annotated[str, typer.Option("--round", help="Round id.")],
    decision: Annotated[
        str,
        typer.Option(
            "--decision",
            help="strong-no, no, yes or strong-yes, or the guide's word for it in any of the "
            "five languages (e.g. 'Klart ja', 'нет', '推荐').",
        ),
    ],
    interviewer: InterviewerOption = None,
) -> None:
    """Record an interviewer's overall recommendation for a round.

    Example: hiring score recommend --candidate 3 --interviewer Anna --round screen --decision yes
    """
    from hiring.store import set_recommendation
    from hiring.store.team import interviewer_or_self

    bank = settings_of(ctx).bank()
    with open_cli_store(ctx) as store:
        who = interviewer_or_self(store, interviewer)
        recorded = set_recommendation(store, bank, candidate, who, round_id, decision)
    typer.echo(f"recommendation recorded: {recorded}")


def enter_command(
    ctx: typer.Context,
    candidate: CandidateOption,
    interviewer: InterviewerOption = None,
    round_id: RoundOption = None,
    manifest: Annotated[
        Path | None, typer.Option("--manifest", metavar="FILE", help="The guide's manifest JSON.")
    ] = None,
    lang: Annotated[
        str | None,
        typer.Option(
            "--lang",
            help="Language of the prompts and anchors (default: the guide's).",
            callback=known_language,
        ),
    ] = None,
) -> None:
    """Enter a scorecard interactively: each competency with its anchors, then a recommendation.

    Each answer is saved at once; run the same command again to continue where you stopped.

    Example: hiring score enter --candidate 3 --interviewer Anna --manifest guide-3.json
    """
    from hiring.cli.score.entry import Progress, ask_yes_no, walk_scorecard
    from hiring.render.strings import ui_strings
    from hiring.store import scorecard_plan, submit_scorecard
    from hiring.store.team import interviewer_or_self

    t = ui_strings(lang) if lang else None  # an unknown language is refused before any write
    bank = settings_of(ctx).bank()
    with open_cli_store(ctx) as store:
        who = interviewer_or_self(store, interviewer)
        plan = scorecard_plan(store, bank, candidate, who, round_id, manifest, lang)
        t = t or ui_strings(plan.language)
        done = len([c for c in plan.competencies if c in plan.entered])
        from hiring.user_text import for_terminal

        typer.echo(for_terminal(t["enter_header"].format(
            candidate=plan.candidate.name, round=plan.round, n=len(plan.competencies), done=done
        )))
        progress = Progress()
        try:
            walk_scorecard(store, bank, plan, t, progress)
            typer.echo(t["enter_complete"].format(n=len(plan.competencies)))
            if plan.submitted is not None:
                when = _when(plan.submitted, lang or plan.language)
                typer.echo(t["enter_already_submitted"].format(when=when))
                return
            # Submitting is the point after which others' scores become visible to this
            # interviewer, so it is asked, not assumed.
            if ask_yes_no(t, t["enter_submit"], default=True):
                submit_scorecard(store, bank, plan.candidate.id, plan.interviewer, plan.round)
                typer.echo(t["enter_submitted"])
            else:
                command = (
                    f"'hiring score submit --candidate {plan.candidate.id} --interviewer "
                    f"\"{plan.interviewer}\" --round {plan.round}'"
                )
                typer.echo(for_terminal(t["enter_draft"].format(command=command)))
        except typer.Abort:
            # Ctrl-C or end of input: what was entered is already committed.
            typer.echo("\n" + t["enter_stopped"].format(n=progress.saved), err=True)
            raise typer.Exit(1) from None


def submit_command(
    ctx: typer.Context,
    candidate: CandidateOption,
    interviewer: InterviewerOption = None,
    round_id: RoundOption = None,
) -> None:
    """Submit a scorecard: its draft becomes final (refused while scores of the round or the
    recommendation are missing). Only then does 'score list --as NAME' show others' scores.

    Example: hiring score submit --candidate 3 --interviewer Anna --round screen
    """
    from hiring.store import submit_scorecard
    from hiring.store.team import interviewer_or_self

    bank = settings_of(ctx).bank()
    with open_cli_store(ctx) as store:
        who = interviewer_or_self(store, interviewer)
        done = submit_scorecard(store, bank, candidate, who, round_id)
    when = done.submitted[:16].replace("T", " ")
    state = "already submitted" if done.already else "submitted"
    from hiring.user_text import for_terminal

    typer.echo(for_terminal(
        f"{state}: {done.interviewer}'s scorecard for {done.candidate.name} "
        f"({done.candidate.id}), round {done.round} ({when})"
    ))


def consensus_command(
    ctx: typer.Context,
    candidate: CandidateOption,
    round_id: Annotated[str, typer.Option("--round", help="Round id.")],
    competency: Annotated[str, typer.Option("--competency", metavar="ID", help="Competency id.")],
    score: Annotated[int, typer.Option("--score", metavar="N", help="The agreed score.")],
    note: Annotated[str, typer.Option("--note", metavar="WHY", help="Why the panel agreed on it.")],
    by: Annotated[str, typer.Option("--by", metavar="NAME", help="Who records it.")] = "panel",
) -> None:
    """Record the panel's agreed score, once every panel member has scored the competency
    and submitted their scorecard.

    Example: hiring score consensus --candidate 3 --round panel --competency teamwork \
      --score 4 --note "two clear examples"
    """
    from hiring.store import set_consensus

    bank = settings_of(ctx).bank()
    with open_cli_store(ctx) as store:
        result = set_consensus(store, bank, candidate, round_id, competency, score, note, by)
    typer.echo(f"consensus {result.action}: {competency} = {result.score}")


def delete_command(
    ctx: typer.Context,
    candidate: CandidateOption,
    competency: Annotated[str, typer.Option("--competency", metavar="ID", help="Competency id.")],
    round_id: Annotated[str, typer.Option("--round", help="Round id.")],
    interviewer: InterviewerOption = None,
) -> None:
    """Delete one score (audited with its old value).

    Example: hiring score delete --candidate 3 --interviewer Al --competency teamwork --round panel
    """
    from hiring.store import delete_score
    from hiring.store.team import interviewer_or_self

    with open_cli_store(ctx) as store:
        who = interviewer_or_self(store, interviewer)
        old = delete_score(store, candidate, who, competency, round_id)
    typer.echo(f"deleted: {competency} (was {old})")


def _when(stamp: str, lang: str) -> str:
    """A stored UTC time stamp for the interviewer, in the prompts' language (CLDR)."""
    import datetime as dt

    from hiring.render.formats import format_timestamp

    try:
        moment = dt.datetime.fromisoformat(str(stamp))
    except ValueError:
        return str(stamp)[:16].replace("T", " ")
    return format_timestamp(moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC), lang)
