"""``hiring score import`` and ``export``: scores from and to files (CSV, .xlsx, JSON, PDF)."""

from pathlib import Path
from typing import Annotated

import typer

from hiring.cli.options import print_json
from hiring.cli.progress import QuietOption, progress
from hiring.cli.settings import open_cli_store, settings_of
from hiring.cli.spreadsheet_options import DelimiterOption, EncodingOption, table_options


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
    quiet: QuietOption = False,
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
    from hiring.spreadsheets import RowsError, problem_records
    from hiring.store import import_scores

    reading = table_options(delimiter, encoding)
    bank = settings_of(ctx).bank()
    pdfs = [f for f in files if f.suffix.lower() == ".pdf"]
    if pdfs:
        if len(pdfs) != len(files):
            raise InputError("give either one CSV file or PDF files, not both")
        if as_json or role or delimiter or encoding:
            raise InputError("--json, --role, --delimiter and --encoding are for CSV files")
        from hiring.guides.scorecard_pdf import import_scorecard_pdfs

        with progress("import", quiet) as step, open_cli_store(ctx) as store:
            step(f"reading {len(pdfs)} PDF scorecard(s)")
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
        with progress("import", quiet) as step, open_cli_store(ctx) as store:
            counts = import_scores(
                store, bank, csv_file, create_candidates, reading=reading, submit=submit,
                role=role, progress=step,
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
        from hiring.store.export import hidden_ratings

        hidden = hidden_ratings(store)
    if hidden:
        typer.echo(f"left out: {hidden} rating(s) you may not read yet (colleagues' drafts, or "
                   "others' while your own scorecard for them is open)", err=True)
    if out is None:
        typer.echo(text, nl=False)
        return
    if output_format == "xlsx":
        from hiring.files import write_atomic
        from hiring.spreadsheets import csv_to_xlsx

        write_atomic(out, csv_to_xlsx(text, numeric=("score",)))
    else:
        write_atomically(out, text)
    typer.echo(f"wrote {out}", err=True)
