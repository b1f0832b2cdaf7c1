"""``hiring score``: enter, import, export, list and chase interview scores."""

from pathlib import Path
from typing import Annotated

import typer

from hiring.cli.candidate import open_cli_store, print_json
from hiring.cli.options import known_language, one_line
from hiring.cli.settings import settings_of
from hiring.cli.tables import DelimiterOption, EncodingOption, table_options

app = typer.Typer(
    help="Scores: set, enter, recommend, submit, import, export, list, pending, history, "
    "consensus. Stored in "
    "the database given by --db / HIRING_DB (a file path or postgresql:// URL); default: "
    "'hiring.db' in your user data folder, e.g. ~/.local/share/hiring/hiring.db on Linux. "
    "A SQLite file is for one machine (not on a network drive): teams entering scores from "
    "several machines share a PostgreSQL database.",
    no_args_is_help=True,
)

JsonOption = Annotated[bool, typer.Option("--json", help="Print JSON instead of a table.")]
CandidateOption = Annotated[
    str, typer.Option("--candidate", metavar="C", help="Candidate id or exact name.")
]
InterviewerOption = Annotated[
    str, typer.Option("--interviewer", metavar="NAME", help="Who interviewed.")
]
RoundOption = Annotated[
    str | None,
    typer.Option(
        "--round",
        help="Round id (default: the round of this interviewer's only open interview with "
        "the candidate, else the role's only round; otherwise the command lists the rounds).",
        show_default=False,
    ),
]


@app.command("set")
def set_command(
    ctx: typer.Context,
    candidate: CandidateOption,
    interviewer: InterviewerOption,
    competency: Annotated[str, typer.Option("--competency", metavar="ID", help="Competency id.")],
    score: Annotated[
        int, typer.Option("--score", metavar="N", help="Score on the competency's scale.")
    ],
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
    """Set one score; setting it again updates it (audited).

    Example: hiring score set --candidate 3 --interviewer "Anna" --competency teamwork --score 4
    """
    from hiring.store import set_score

    bank = settings_of(ctx).bank()
    with open_cli_store(ctx) as store:
        result = set_score(
            store, bank, candidate, interviewer, competency, score, question, note, round_id
        )
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


@app.command("recommend")
def recommend_command(
    ctx: typer.Context,
    candidate: CandidateOption,
    interviewer: InterviewerOption,
    round_id: Annotated[str, typer.Option("--round", help="Round id.")],
    decision: Annotated[str, typer.Option("--decision", help="strong-no, no, yes or strong-yes.")],
) -> None:
    """Record an interviewer's overall recommendation for a round.

    Example: hiring score recommend --candidate 3 --interviewer Anna --round screen --decision yes
    """
    from hiring.store import set_recommendation

    bank = settings_of(ctx).bank()
    with open_cli_store(ctx) as store:
        set_recommendation(store, bank, candidate, interviewer, round_id, decision)
    typer.echo(f"recommendation recorded: {decision}")


@app.command("enter")
def enter_command(
    ctx: typer.Context,
    candidate: CandidateOption,
    interviewer: InterviewerOption,
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
    from hiring.cli.scorecard_entry import Progress, ask_yes_no, walk_scorecard
    from hiring.render.strings import ui_strings
    from hiring.store import scorecard_plan, submit_scorecard

    t = ui_strings(lang) if lang else None  # an unknown language is refused before any write
    bank = settings_of(ctx).bank()
    with open_cli_store(ctx) as store:
        plan = scorecard_plan(store, bank, candidate, interviewer, round_id, manifest, lang)
        t = t or ui_strings(plan.language)
        done = len([c for c in plan.competencies if c in plan.entered])
        typer.echo(
            f"{plan.candidate.name}, round {plan.round}: {len(plan.competencies)} "
            f"competencies, {done} already scored"
        )
        progress = Progress()
        try:
            walk_scorecard(store, bank, plan, t, progress)
            typer.echo(
                f"scorecard complete: {len(plan.competencies)} score(s) and a recommendation"
            )
            if plan.submitted is not None:
                typer.echo(f"already submitted ({plan.submitted[:16].replace('T', ' ')})")
                return
            # Submitting is the point after which others' scores become visible to this
            # interviewer, so it is asked, not assumed.
            if ask_yes_no(t, t["enter_submit"], default=True):
                submit_scorecard(store, bank, plan.candidate.id, plan.interviewer, plan.round)
                typer.echo("submitted")
            else:
                typer.echo(
                    "saved as a draft: submit it with 'hiring score submit --candidate "
                    f"{plan.candidate.id} --interviewer \"{plan.interviewer}\" --round "
                    f"{plan.round}'"
                )
        except typer.Abort:
            # Ctrl-C or end of input: what was entered is already committed.
            typer.echo(
                f"\nstopped: {progress.saved} new score(s) saved; run the same command to "
                "continue",
                err=True,
            )
            raise typer.Exit(1) from None


@app.command("submit")
def submit_command(
    ctx: typer.Context,
    candidate: CandidateOption,
    interviewer: InterviewerOption,
    round_id: RoundOption = None,
) -> None:
    """Submit a scorecard: its draft becomes final (refused while scores of the round or the
    recommendation are missing). Only then does 'score list --as NAME' show others' scores.

    Example: hiring score submit --candidate 3 --interviewer Anna --round screen
    """
    from hiring.store import submit_scorecard

    bank = settings_of(ctx).bank()
    with open_cli_store(ctx) as store:
        done = submit_scorecard(store, bank, candidate, interviewer, round_id)
    when = done.submitted[:16].replace("T", " ")
    state = "already submitted" if done.already else "submitted"
    typer.echo(
        f"{state}: {done.interviewer}'s scorecard for {done.candidate.name} "
        f"({done.candidate.id}), round {done.round} ({when})"
    )


@app.command("import")
def import_command(
    ctx: typer.Context,
    files: Annotated[
        list[Path],
        typer.Argument(
            metavar="FILE | FILE.pdf...",
            help="Score rows (CSV or .xlsx), or filled fillable guides (PDF, one or more).",
        ),
    ],
    create_candidates: Annotated[
        bool, typer.Option("--create-candidates", help="Add candidates whose names are unknown.")
    ] = False,
    submit: Annotated[
        bool,
        typer.Option(
            "--submit",
            help="Submit every scorecard the file touches (refused if one would be incomplete).",
        ),
    ] = False,
    role: Annotated[
        str | None,
        typer.Option(
            "--role",
            help="Role of rows without a role cell (default: the bank's only role); new "
            "candidates without a role are refused.",
        ),
    ] = None,
    candidate: Annotated[
        str | None,
        typer.Option("--candidate", metavar="C", help="PDFs only: refuse a file for anyone else."),
    ] = None,
    delimiter: DelimiterOption = None,
    encoding: EncodingOption = None,
    as_json: Annotated[
        bool, typer.Option("--json", help="Print JSON: counts created/updated, rows refused.")
    ] = False,
) -> None:
    """Import scores (CSV or .xlsx):
    candidate,interviewer,competency,score[,note,round,question,role,recommendation],
    or filled PDF scorecards ('hiring guide build --fillable').

    All or nothing: if any row or field is invalid, nothing is written and every problem is
    listed. Without a note (or question) column, stored notes are kept; an empty cell clears
    one. A recommendation is one per scorecard (repeat it or leave it empty on its other
    rows). A PDF's embedded manifest says whose scorecard it is; its recommendation is
    recorded too.

    Example: hiring score import scores.csv --create-candidates --submit

    Example: hiring score import anna-panel.pdf bo-panel.pdf --submit
    """
    from hiring.errors import InputError
    from hiring.store import import_scores
    from hiring.tables import RowsError, problem_records

    reading = table_options(delimiter, encoding)
    bank = settings_of(ctx).bank()
    pdfs = [f for f in files if f.suffix.lower() == ".pdf"]
    if pdfs:
        if len(pdfs) != len(files):
            raise InputError("give either one CSV file or PDF files, not both")
        if as_json or role or delimiter or encoding:
            raise InputError("--json, --role, --delimiter and --encoding are for CSV files")
        from hiring.guides.scorecard_pdf import import_scorecard_pdfs

        with open_cli_store(ctx) as store:
            result = import_scorecard_pdfs(store, bank, pdfs, candidate, submit=submit)
        for path, empty in result["empty"].items():
            if empty:
                typer.echo(f"{path}: empty field(s): {', '.join(empty)}", err=True)
        typer.echo(
            f"imported {len(pdfs)} scorecard(s): {result['created']} created, "
            f"{result['updated']} updated, {result['unchanged']} unchanged, "
            f"{result['recommendations']} recommendation(s), {result['submitted']} submitted"
        )
        return
    if len(files) != 1:
        raise InputError(f"give one CSV file (got {len(files)})")
    if candidate:
        raise InputError("--candidate checks PDF scorecards; a CSV names its candidates")
    csv_file = files[0]
    try:
        with open_cli_store(ctx) as store:
            counts = import_scores(
                store, bank, csv_file, create_candidates, reading=reading, submit=submit, role=role
            )
    except RowsError as error:
        if not as_json:
            raise
        print_json({"file": str(csv_file), "imported": False, "message": str(error),
                    "created": 0, "updated": 0, "unchanged": 0, "candidates_created": 0,
                    "refused": problem_records(error.problems)})
        raise typer.Exit(1) from None
    if as_json:
        print_json({"file": str(csv_file), "imported": True, **counts, "refused": []})
        return
    typer.echo(
        f"imported: {counts['created']} created, {counts['updated']} updated, "
        f"{counts['unchanged']} unchanged, {counts['candidates_created']} new candidate(s), "
        f"{counts['roles_given']} role(s) given, "
        f"{counts['recommendations']} recommendation(s), {counts['submitted']} scorecard(s) "
        "submitted"
    )


@app.command("pending")
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
        typer.echo(
            f"{item['date'][:10]:<10}  {item['interviewer']:<20} "
            f"{item['candidate'] + ' (' + str(item['candidate_id']) + ')':<24} "
            f"{item['round']:<12} {item['state']:<8} "
            f"{', '.join(missing) or 'nothing: submit it (hiring score submit)'}"
        )
    typer.echo(f"ratings: {account.sentence()}")


@app.command("export")
def export_command(
    ctx: typer.Context,
    output_format: Annotated[
        str, typer.Option("--format", help="csv, json or xlsx (xlsx needs --out).")
    ] = "csv",
    out: Annotated[
        Path | None, typer.Option("--out", metavar="FILE", help="Write to FILE.")
    ] = None,
) -> None:
    """Export every score (the CSV imports back with 'hiring score import').

    Example: hiring score export --format csv --out scores.csv
    """
    from hiring.errors import InputError
    from hiring.store import export_scores, write_atomically

    if output_format == "xlsx" and out is None:
        raise InputError("--format xlsx writes a workbook: give --out FILE.xlsx")
    if output_format not in ("csv", "json", "xlsx"):
        raise InputError(f"format '{output_format}' is not csv, json or xlsx")
    with open_cli_store(ctx) as store:
        if out is not None:
            from hiring.files import check_output

            check_output(out)  # before reading every score: not the database, not /dev/null
        text = export_scores(store, "csv" if output_format == "xlsx" else output_format)
    if out is None:
        typer.echo(text, nl=False)
        return
    if output_format == "xlsx":
        from hiring.files import write_atomic
        from hiring.tables import csv_to_xlsx

        write_atomic(out, csv_to_xlsx(text, numeric=("score",)))
    else:
        write_atomically(out, text)
    typer.echo(f"wrote {out}", err=True)


@app.command("list")
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
    typer.echo(f"{listing.candidate.name} (id {listing.candidate.id})")
    typer.echo(
        f"{'ROUND':<12} {'COMPETENCY':<26} {'INTERVIEWER':<20} SCORE  {'STATE':<10} NOTE"
    )
    for row in listing.rows:
        state = row["state"] + ("*" if row["changed_after_submission"] else "")
        typer.echo(
            f"{row['round']:<12} {row['competency']:<26} {row['interviewer']:<20} "
            f"{row['score']:>5}  {state:<10} {one_line(row['note'] or '')}"
        )
    for item in listing.consensus:
        by = f"consensus ({item['decided_by']})"
        typer.echo(
            f"{item['round']:<12} {item['competency']:<26} {by:<20} "
            f"{item['score']:>5}  {'agreed':<10} {item['note'] or ''}"
        )
    if listing.recommendations:
        typer.echo("")
        typer.echo(f"{'ROUND':<12} {'INTERVIEWER':<20} {'RECOMMENDATION':<15} STATE")
        for item in listing.recommendations:
            typer.echo(
                f"{item['round']:<12} {item['interviewer']:<20} {item['decision']:<15} "
                f"{item['state']}"
            )
    if any(row["changed_after_submission"] for row in listing.rows):
        typer.echo("* changed after the scorecard was submitted (see 'hiring score history')")
    for round_id in sorted(set(listing.hidden) | set(listing.hidden_recommendations)):
        count = listing.hidden.get(round_id, 0)
        decisions = listing.hidden_recommendations.get(round_id, 0)
        typer.echo(
            f"{round_id}: {count} score(s) and {decisions} recommendation(s) by others hidden "
            f"until {as_interviewer} has submitted their own scorecard for this round"
        )


@app.command("history")
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
    typer.echo(f"{found.name} (id {found.id}): {len(entries)} change(s)")
    for entry in entries:
        typer.echo(f"{entry.at[:19].replace('T', ' ')}  {entry.sentence()}")


@app.command("consensus")
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


@app.command("delete")
def delete_command(
    ctx: typer.Context,
    candidate: CandidateOption,
    interviewer: InterviewerOption,
    competency: Annotated[str, typer.Option("--competency", metavar="ID", help="Competency id.")],
    round_id: Annotated[str, typer.Option("--round", help="Round id.")],
) -> None:
    """Delete one score (audited with its old value).

    Example: hiring score delete --candidate 3 --interviewer Al --competency teamwork --round panel
    """
    from hiring.store import delete_score

    with open_cli_store(ctx) as store:
        old = delete_score(store, candidate, interviewer, competency, round_id)
    typer.echo(f"deleted: {competency} (was {old})")


def register(root: typer.Typer) -> None:
    root.add_typer(app, name="score")
