"""``hiring guide``: build interview guides (PDF, HTML, Markdown), one or a CSV batch."""

import datetime as dt
from contextlib import ExitStack
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from hiring.cli.options import known_language
from hiring.cli.progress import QuietOption, shows_progress
from hiring.cli.settings import settings_of
from hiring.cli.spreadsheet_options import DelimiterOption, EncodingOption, table_options

if TYPE_CHECKING:
    from hiring.guides.batch import BatchResult, CandidateRow
    from hiring.guides.build import GuideOutput

app = typer.Typer(help="Interview guides: build one, or a batch from a CSV.", no_args_is_help=True)

RoleOption = Annotated[str, typer.Option("--role", help="Role id (see 'hiring bank list').")]
RoundOption = Annotated[
    str | None, typer.Option("--round", help="Round id (default: the role's first round).")
]
LangOption = Annotated[
    str, typer.Option(
        "--lang", help="Language of the guide (en, da, ru, bg, zh, or one the bank adds "
        "with strings.<lang>.po).", callback=known_language
    )
]
QuestionSetOption = Annotated[
    str,
    typer.Option(
        "--question-set",
        metavar="NAME",
        help="Which questions the round asks (same for every candidate); a new set for a "
        "new hiring campaign rotates them.",
    ),
]
PaperOption = Annotated[str, typer.Option("--paper", help="Paper size: a4 or letter.")]
FormatOption = Annotated[
    str | None, typer.Option("--format", help="pdf, html or md (default: from --out's suffix).")
]
TemplatesOption = Annotated[
    Path | None,
    typer.Option(
        "--templates",
        metavar="DIR",
        help="Folder whose templates override the bundled ones by name.",
    ),
]
DateOption = Annotated[
    str | None, typer.Option("--date", help="Interview date, YYYY-MM-DD (default: today).")
]
FillableOption = Annotated[
    bool,
    typer.Option(
        "--fillable",
        help="PDF with form fields (evidence, scores, recommendation, interviewer, date) and "
        "the manifest inside; 'hiring score import FILE.pdf' reads it back.",
    ),
]
RecordOption = Annotated[
    bool,
    typer.Option(
        "--record/--no-record",
        help="Record the interview in the database (--db) when candidate and interviewer "
        "are named, so 'hiring score pending' can chase the scorecard.",
    ),
]


def _parse_date(value: str | None) -> dt.date | None:
    from hiring.errors import InputError

    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise InputError(f"--date '{value}' is not a date like 2026-03-31") from None


@app.command("build")
def build_command(
    ctx: typer.Context,
    role: RoleOption,
    out: Annotated[Path, typer.Option("--out", help="Output file (.pdf, .html or .md).")],
    round_id: RoundOption = None,
    candidate: Annotated[
        str | None,
        typer.Option(
            "--candidate",
            help="Candidate id or name; with a database, the stored name is printed.",
        ),
    ] = None,
    interviewer: Annotated[
        str | None, typer.Option("--interviewer", help="Interviewer's name.")
    ] = None,
    lang: LangOption = "en",
    question_set: QuestionSetOption = "default",
    fmt: FormatOption = None,
    paper: PaperOption = "a4",
    date: DateOption = None,
    templates: TemplatesOption = None,
    record: RecordOption = True,
    fillable: FillableOption = False,
) -> None:
    """Build one interview guide and its manifest (<out>.manifest.json).

    With --candidate and --interviewer the interview is also recorded in the database, so
    'hiring score pending' can chase its scorecard. A written work-sample round also gets
    the candidate's hand-out (<out stem>.handout.pdf): the exercises without the anchors.

    Example: hiring guide build --role inbound-agent --round panel
    --candidate "Anna Berg" --lang da --out anna.pdf
    """
    from hiring.guides.build import write_guide
    from hiring.guides.context import GuideRequest

    candidate_id, candidate = _stored_candidate(ctx, candidate)
    request = GuideRequest(
        role=role,
        round=round_id,
        candidate=candidate,
        candidate_id=candidate_id,
        interviewer=interviewer,
        lang=lang,
        question_set=question_set,
        date=_parse_date(date),
        paper=paper,
    )
    settings = settings_of(ctx)
    bank = settings.bank()
    with ExitStack() as stack:
        store = None
        if record and candidate and interviewer:
            # Check first, then write: the database (a newer schema, unreadable) and the
            # candidate (two of that name, erased) are checked before any file is written.
            from hiring.guides.build import check_request_names
            from hiring.guides.record import check_guide_interview
            from hiring.store import open_store

            check_request_names(request)
            store = stack.enter_context(open_store(settings.db))
            check_guide_interview(store, bank, candidate, interviewer, role)
        interview: int | None = None

        def record_files(staged: "GuideOutput") -> None:
            """Record the interview and its files before they are moved in: a failed
            database write leaves no file behind."""
            nonlocal interview
            if store is not None:
                from hiring.guides.build import written_files
                from hiring.guides.record import record_guide_interview

                interview = record_guide_interview(
                    store, bank, staged.guide.manifest(),
                    files=written_files(staged.staged, staged.path),
                )

        result = write_guide(bank, request, out, fmt, templates, fillable=fillable,
                             before_publish=record_files)
        from hiring.user_text import for_terminal

        for warning in result.warnings:
            typer.echo(for_terminal(f"warning: {warning}"), err=True)
        pages = f" ({result.pages} pages)" if result.pages else ""
        typer.echo(f"wrote {result.path}{pages} and {result.manifest_path}")
        if result.handout_path is not None:
            typer.echo(f"wrote the candidate's hand-out {result.handout_path} (give it, not the "
                       "guide: the guide holds the rating anchors)")
        if store is not None:
            typer.echo(for_terminal(
                f"recorded interview {interview}: {interviewer} with {candidate}"
            ))


def _stored_candidate(ctx: typer.Context, reference: str | None) -> tuple[int | None, str | None]:
    """(id, stored name) of the candidate --candidate names, when a database is given
    (--db / HIRING_DB) and holds them; otherwise (None, the text as given)."""
    db = settings_of(ctx).db
    if not reference or not db:
        return None, reference
    from hiring.store import open_store
    from hiring.store.db import sqlite_path

    path = sqlite_path(db)
    if path is not None and not path.is_file():
        return None, reference  # never create a database just to look a name up
    from hiring.guides.record import stored_candidate

    with open_store(db) as store:
        found = stored_candidate(store, reference)
    return (found.id, found.name) if found is not None else (None, reference)


def _stop_on_sigterm() -> None:
    """Treat SIGTERM like Ctrl-C, so a stopped batch cancels what has not started."""
    import signal

    def interrupt(signum: int, frame: object) -> None:
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, interrupt)


@app.command("batch")
def batch_command(
    ctx: typer.Context,
    role: RoleOption,
    out_dir: Annotated[Path, typer.Option("--out-dir", help="Folder for the guides.")],
    candidates: Annotated[
        Path | None,
        typer.Option(
            "--candidates", help="CSV or .xlsx with columns name[,interviewer,lang,round]."
        ),
    ] = None,
    from_round: Annotated[
        str | None,
        typer.Option(
            "--from-round",
            metavar="ROUND",
            help="Instead of --candidates: the stored candidates decided on in ROUND (with "
            "--decision), given the next round's guide (see 'hiring candidate decide').",
        ),
    ] = None,
    decision: Annotated[
        str | None,
        typer.Option(
            "--decision",
            metavar="DECISION",
            help="With --from-round: advance (the only decision that leads to a next round).",
        ),
    ] = None,
    round_id: RoundOption = None,
    lang: LangOption = "en",
    question_set: QuestionSetOption = "default",
    fmt: Annotated[str, typer.Option("--format", help="pdf, html or md.")] = "pdf",
    paper: PaperOption = "a4",
    date: DateOption = None,
    templates: TemplatesOption = None,
    workers: Annotated[
        int | None, typer.Option("--workers", help="Worker processes (default: all cores).")
    ] = None,
    record: RecordOption = True,
    delimiter: DelimiterOption = None,
    encoding: EncodingOption = None,
    fillable: FillableOption = False,
    quiet: QuietOption = False,
) -> None:
    """Build one guide per CSV row in worker processes, or one per candidate who advanced
    from a round to the next (--from-round R --decision advance); exit 1 if any failed.

    Example: hiring guide batch --role inbound-agent --candidates people.csv --out-dir kits/

    Example: hiring guide batch --role inbound-agent --from-round screen --decision advance \
      --out-dir kits/
    """
    from rich.console import Console
    from rich.markup import escape
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    from hiring.guides.batch import (
        BatchInterrupted,
        BatchOptions,
        check_batch_outputs,
        run_batch,
    )
    from hiring.guides.batch_rows import read_candidates

    _stop_on_sigterm()
    from hiring.errors import InputError
    from hiring.guides.build import FORMATS

    settings = settings_of(ctx)
    # Fail early, before starting workers: an invalid bank, role, round or format.
    settings.bank().role(role).round(round_id)
    if fmt not in FORMATS:
        raise InputError(f"unknown format '{fmt}' (expected: {', '.join(FORMATS)})")
    if fillable and fmt != "pdf":
        raise InputError(f"--fillable makes a PDF; the format is {fmt}")
    if (candidates is None) == (from_round is None):
        raise InputError(
            "say whom the guides are for: --candidates FILE, or --from-round ROUND "
            "--decision advance (not both)"
        )
    if decision is not None and from_round is None:
        raise InputError("--decision goes with --from-round")
    if candidates is not None:
        rows, problems = read_candidates(candidates, table_options(delimiter, encoding))
    else:
        assert from_round is not None
        round_id, rows = _advanced_rows(ctx, role, from_round, decision, round_id)
        problems = []
    options = BatchOptions(
        bank_dirs=settings.bank_dirs,
        role=role,
        round=round_id,
        lang=lang,
        question_set=question_set,
        fmt=fmt,
        paper=paper,
        date=_parse_date(date),
        templates_dir=templates,
        fillable=fillable,
    )
    check_batch_outputs(rows, out_dir, options)  # before the first guide, and the progress bar
    from hiring.guides.batch_rows import name_collisions

    for warning in name_collisions(rows, options):
        typer.echo(f"warning: {warning}", err=True)
    from hiring.spreadsheets import summarise

    failed = summarise(problems)  # 'lines 3-40: empty name', once
    where = "line" if from_round is None else "candidate"
    with ExitStack() as stack:
        store = None
        if from_round is not None or (record and any(row.interviewer for row in rows)):
            from hiring.store import open_store

            # Opened before any guide is built: a database that cannot be used (a newer
            # schema, unreadable) stops the batch before it writes anything.
            store = stack.enter_context(open_store(settings.db))
        interrupted = False
        with Progress(
            TextColumn("{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            console=Console(stderr=True),
            disable=not shows_progress(quiet),
        ) as progress:
            task = progress.add_task("guides", total=len(rows))

            def on_result(item: object) -> None:
                progress.advance(task)

            recorded = 0

            def record_files(item: "BatchResult") -> None:
                """Record a row's interview and files before they are moved in."""
                nonlocal recorded
                if store is None or item.manifest is None or item.path is None:
                    return
                from hiring.guides.build import written_files
                from hiring.guides.record import record_guide_interview

                files = written_files(item.staged, item.path)
                if from_round is not None:
                    # Stored candidates: the guides hold the names, so erasing a candidate
                    # lists (or deletes) theirs.
                    from hiring.store.candidate_files import record_candidate_files

                    record_candidate_files(store, item.line, files)
                elif record_guide_interview(store, settings.bank(), item.manifest, files=files):
                    recorded += 1

            try:
                results = run_batch(rows, out_dir, options, workers=workers, on_result=on_result,
                                    commit=record_files)
            except BatchInterrupted as stop:
                # Ctrl-C / SIGTERM: what was written is kept, recorded and reported.
                results, interrupted = stop.results, True
        failed += [
            f"{where} {item.line} ({item.name}): {item.error}" for item in results if item.error
        ]
    from hiring.user_text import for_terminal

    errors = Console(stderr=True, highlight=False)
    for line in failed:
        # Names come from the CSV: escapes made visible, and rich must not read markup.
        errors.print(f"[bold]failed[/bold] {escape(for_terminal(line))}", soft_wrap=True)
    done = sum(1 for item in results if not item.error)
    failures = len(problems) + sum(1 for item in results if item.error)
    typer.echo(f"{done} guide(s) written to {out_dir}, {failures} failed")
    handouts = sum(1 for item in results if not item.error and item.handout is not None)
    if handouts:
        typer.echo(f"and {handouts} hand-out(s) for the candidates (*.handout.*): give them "
                   "those, not the guides, which hold the rating anchors")
    if recorded:
        typer.echo(f"recorded {recorded} interview(s) in the database")
    if interrupted:
        typer.echo(
            f"interrupted: {len(rows) - len(results)} of {len(rows)} guide(s) not built; "
            "run the batch again for the rest",
            err=True,
        )
        raise typer.Exit(130)
    if failed:
        raise typer.Exit(1)


def _advanced_rows(
    ctx: typer.Context, role: str, from_round: str, decision: str | None, round_id: str | None
) -> "tuple[str, list[CandidateRow]]":
    """The next round after ``from_round`` and one batch row per candidate now at it (they
    advanced from ``from_round`` and have no decision there yet)."""
    from hiring.errors import InputError
    from hiring.guides.batch import CandidateRow
    from hiring.store import open_store
    from hiring.store.stages import candidates_at_stage, check_stage_decision

    if decision is None:
        raise InputError("--from-round needs --decision advance (who moves on from that round)")
    if check_stage_decision(decision) != "advance":
        raise InputError(
            f"--decision {decision}: only 'advance' leads to a next round's guide (see "
            f"'hiring candidate list --stage' for where candidates are)"
        )
    chosen = settings_of(ctx).bank().role(role)
    rounds = [item.id for item in chosen.rounds]
    chosen.round(from_round)  # NotFoundError listing the rounds
    position = rounds.index(from_round)
    if position + 1 == len(rounds):
        raise InputError(f"'{from_round}' is the last round of {role}: there is no next round")
    next_round = rounds[position + 1]
    if round_id is not None and round_id != next_round:
        raise InputError(
            f"--round {round_id}: the round after '{from_round}' is '{next_round}' "
            "(leave --round out, or give that one)"
        )
    with open_store(settings_of(ctx).db) as store:
        found = candidates_at_stage(store, chosen, next_round)
    if not found:
        raise InputError(
            f"no candidate of {role} advanced from '{from_round}' without a decision in "
            f"'{next_round}' yet (record one with 'hiring candidate decide')"
        )
    rows = [
        CandidateRow(line=candidate.id, name=candidate.name, round=next_round,
                     candidate_id=candidate.id)
        for candidate in found
    ]
    return next_round, rows


@app.command("questions")
def questions_command(
    ctx: typer.Context,
    role: RoleOption,
    round_id: RoundOption = None,
    question_set: QuestionSetOption = "default",
    lang: LangOption = "en",
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON instead of a list.")] = False,
) -> None:
    """List the questions a round asks with a question set (every candidate hears these).

    Example: hiring guide questions --role inbound-agent --round panel --question-set spring
    """
    import json

    from hiring.guides.selection import round_questions

    listing = round_questions(settings_of(ctx).bank(), role, round_id, question_set, lang)
    if as_json:
        typer.echo(json.dumps(listing, ensure_ascii=False, indent=2))
        return
    typer.echo(
        f"{listing['role']}, round {listing['round']}, question set {listing['question_set']} "
        f"(bank {listing['bank_version']}):"
    )
    from hiring.cli.cells import table

    rows = table(["", "", ""], [
        [item["competency"], item["question"], " ".join(str(item["text"]).split())]
        for item in listing["questions"]
    ])
    for line in rows[1:]:  # no header row
        typer.echo("  " + line)


def register(root: typer.Typer) -> None:
    root.add_typer(app, name="guide")
