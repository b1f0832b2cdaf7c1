"""``hiring score``: enter, import, export, list and chase interview scores."""

from pathlib import Path
from typing import Annotated

import typer

from hiring.cli.candidate import open_cli_store, print_json
from hiring.cli.settings import settings_of

app = typer.Typer(
    help="Scores: set, enter, recommend, import, export, list, pending, consensus. Stored in "
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
        help="Round id (default: the round this interviewer already has with the candidate, "
        "else the first round of the candidate's role, else 'interview').",
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
        str | None, typer.Option("--note", metavar="TEXT", help="Evidence note.")
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
    change = f" (was {result.old_score})" if result.action == "updated" else ""
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
        typer.Option("--lang", help="Language of the anchors shown (default: the guide's)."),
    ] = None,
) -> None:
    """Enter a scorecard interactively: each competency with its anchors, then a recommendation.

    Each answer is saved at once; run the same command again to continue where you stopped.

    Example: hiring score enter --candidate 3 --interviewer Anna --manifest guide-3.json
    """
    from hiring.bank.models import localise
    from hiring.store import DECISIONS, scorecard_plan, set_recommendation, set_score

    bank = settings_of(ctx).bank()
    with open_cli_store(ctx) as store:
        plan = scorecard_plan(store, bank, candidate, interviewer, round_id, manifest, lang)
        todo = [c for c in plan.competencies if c not in plan.entered]
        typer.echo(
            f"{plan.candidate.name}, round {plan.round}: {len(plan.competencies)} "
            f"competencies, {len(plan.competencies) - len(todo)} already scored"
        )
        saved = 0
        try:
            for competency_id in todo:
                competency = bank.competency(competency_id)
                scale = bank.scale(competency.scale)
                typer.echo("")
                typer.echo(f"{localise(competency.name, plan.language)} ({competency_id})")
                typer.echo(f"  {localise(competency.definition, plan.language)}")
                for point in scale.points:
                    label = localise(scale.labels.get(point), plan.language)
                    anchor = localise(competency.anchors.get(point), plan.language)
                    typer.echo(f"  {point} {label}" + (f": {anchor}" if anchor else ""))
                while True:
                    value = typer.prompt(f"Score ({scale.min}-{scale.max})", type=int)
                    if scale.min <= value <= scale.max:
                        break
                    typer.echo(f"  the score must be {scale.min}-{scale.max}")
                note = typer.prompt(
                    "Evidence (what they said or did)", default="", show_default=False
                )
                set_score(
                    store,
                    bank,
                    plan.candidate.id,
                    plan.interviewer,
                    competency_id,
                    value,
                    note=note,
                    round_id=plan.round,
                )
                saved += 1
            if plan.recommendation is None:
                typer.echo("")
                while True:
                    decision = typer.prompt(f"Recommendation ({'/'.join(DECISIONS)})").strip()
                    if decision in DECISIONS:
                        break
                    typer.echo(f"  choose one of {', '.join(DECISIONS)}")
                set_recommendation(
                    store, bank, plan.candidate.id, plan.interviewer, plan.round, decision
                )
        except typer.Abort:
            # Ctrl-C or end of input: what was entered is already committed.
            typer.echo(
                f"\nstopped: {saved} new score(s) saved; run the same command to continue", err=True
            )
            raise typer.Exit(1) from None
    typer.echo(f"scorecard complete: {len(plan.competencies)} score(s) and a recommendation")


@app.command("import")
def import_command(
    ctx: typer.Context,
    files: Annotated[
        list[Path],
        typer.Argument(
            metavar="FILE.csv | FILE.pdf...",
            help="Score rows (CSV), or filled fillable guides (PDF, one or more).",
        ),
    ],
    create_candidates: Annotated[
        bool, typer.Option("--create-candidates", help="Add candidates whose names are unknown.")
    ] = False,
    candidate: Annotated[
        str | None,
        typer.Option("--candidate", metavar="C", help="PDFs only: refuse a file for anyone else."),
    ] = None,
) -> None:
    """Import scores from CSV (candidate,interviewer,competency,score[,note,round,question])
    or from filled PDF scorecards ('hiring guide build --fillable').

    All or nothing: if any row or field is invalid, nothing is written and every problem is
    listed. A PDF's embedded manifest says whose scorecard it is; its recommendation is
    recorded too.

    Example: hiring score import scores.csv --create-candidates

    Example: hiring score import anna-panel.pdf bo-panel.pdf
    """
    from hiring.errors import InputError

    bank = settings_of(ctx).bank()
    pdfs = [f for f in files if f.suffix.lower() == ".pdf"]
    if pdfs:
        if len(pdfs) != len(files):
            raise InputError("give either one CSV file or PDF files, not both")
        from hiring.guides.scorecard_pdf import import_scorecard_pdfs

        with open_cli_store(ctx) as store:
            result = import_scorecard_pdfs(store, bank, pdfs, candidate)
        for path, empty in result["empty"].items():
            if empty:
                typer.echo(f"{path}: empty field(s): {', '.join(empty)}", err=True)
        typer.echo(
            f"imported {len(pdfs)} scorecard(s): {result['created']} created, "
            f"{result['updated']} updated, {result['unchanged']} unchanged, "
            f"{result['recommendations']} recommendation(s)"
        )
        return
    if len(files) != 1:
        raise InputError(f"give one CSV file (got {len(files)})")
    if candidate:
        raise InputError("--candidate checks PDF scorecards; a CSV names its candidates")
    from hiring.store import import_scores

    with open_cli_store(ctx) as store:
        counts = import_scores(store, bank, files[0], create_candidates)
    typer.echo(
        f"imported: {counts['created']} created, {counts['updated']} updated, "
        f"{counts['unchanged']} unchanged, {counts['candidates_created']} new candidate(s)"
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
    """Interviews whose scorecard is missing or partial, oldest first: chase these.

    Example: hiring score pending --older-than 2d
    """
    from hiring.store import parse_duration, pending_scorecards

    age = parse_duration(older_than) if older_than else None
    bank = settings_of(ctx).bank()
    with open_cli_store(ctx) as store:
        pending = pending_scorecards(store, bank, age)
    if as_json:
        print_json(pending)
        return
    if not pending:
        typer.echo("no scorecards pending")
        return
    typer.echo(f"{'DATE':<10}  {'INTERVIEWER':<20} {'CANDIDATE':<24} {'ROUND':<12} MISSING")
    for item in pending:
        missing = list(item["missing_scores"])
        if item["missing_recommendation"]:
            missing.append("recommendation")
        typer.echo(
            f"{item['date'][:10]:<10}  {item['interviewer']:<20} "
            f"{item['candidate'] + ' (' + str(item['candidate_id']) + ')':<24} "
            f"{item['round']:<12} {', '.join(missing)}"
        )


@app.command("export")
def export_command(
    ctx: typer.Context,
    output_format: Annotated[str, typer.Option("--format", help="csv or json.")] = "csv",
    out: Annotated[
        Path | None, typer.Option("--out", metavar="FILE", help="Write to FILE.")
    ] = None,
) -> None:
    """Export every score (the CSV imports back with 'hiring score import').

    Example: hiring score export --format csv --out scores.csv
    """
    from hiring.store import export_scores, write_atomically

    with open_cli_store(ctx) as store:
        text = export_scores(store, output_format)
    if out is None:
        typer.echo(text, nl=False)
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
            help="Show others' scores of a round only once INTERVIEWER has scored it.",
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
                "hidden": listing.hidden,
            }
        )
        return
    typer.echo(f"{listing.candidate.name} (id {listing.candidate.id})")
    typer.echo(f"{'ROUND':<12} {'COMPETENCY':<26} {'INTERVIEWER':<20} SCORE  NOTE")
    for row in listing.rows:
        typer.echo(
            f"{row['round']:<12} {row['competency']:<26} {row['interviewer']:<20} "
            f"{row['score']:>5}  {row['note'] or ''}"
        )
    for round_id, count in sorted(listing.hidden.items()):
        typer.echo(
            f"{round_id}: {count} score(s) by others hidden until {as_interviewer} has "
            "entered their own for this round"
        )


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
    """Record the panel's agreed score, once every panel member has scored the competency.

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
