"""``hiring report``: candidate comparison reports and single-candidate scorecards."""

from pathlib import Path
from typing import Annotated

import typer

from hiring.cli.settings import settings_of

app = typer.Typer(
    help="Reports for the hiring manager: compare candidates, one candidate's scorecard.",
    no_args_is_help=True,
)

RoleOption = Annotated[
    str | None,
    typer.Option("--role", help="Role id (default: the only role in the bank or the store)."),
]
RoundOption = Annotated[
    str | None, typer.Option("--round", help="Round id (default: every round of the role).")
]
LangOption = Annotated[str, typer.Option("--lang", help="Report language (en, da, ru, bg, zh).")]
FormatOption = Annotated[
    str | None, typer.Option("--format", help="pdf or html (default: from --out's suffix).")
]
TemplatesOption = Annotated[
    Path | None,
    typer.Option("--templates", metavar="DIR",
                 help="Folder whose templates override the bundled ones by name."),
]
OutOption = Annotated[Path, typer.Option("--out", help="Output file (.pdf or .html).")]


def _print_result(result: object) -> None:
    from hiring.reports.build import ReportOutput

    assert isinstance(result, ReportOutput)
    for warning in result.warnings:
        typer.echo(f"warning: {warning}", err=True)
    pages = f", {result.pages} pages" if result.pages else ""
    typer.echo(f"wrote {result.path} ({result.candidates} candidate(s){pages})")
    if result.ratings is not None:
        typer.echo(f"ratings: {result.ratings.sentence()}")


@app.command("compare")
def compare_command(
    ctx: typer.Context,
    out: OutOption,
    role: RoleOption = None,
    round_id: RoundOption = None,
    candidates: Annotated[
        list[str] | None,
        typer.Option("--candidates", metavar="C",
                     help="Candidate id or exact name (repeatable; default: all of the role)."),
    ] = None,
    lang: LangOption = "en",
    fmt: FormatOption = None,
    pdf_variant: Annotated[
        str | None,
        typer.Option("--pdf-variant",
                     help="pdf/a-3b: archival PDF with the ratings attached as CSV and JSON."),
    ] = None,
    templates: TemplatesOption = None,
    detail: Annotated[
        int, typer.Option("--detail", metavar="N",
                          help="Candidate pages for the top N (everyone is in the tables).")
    ] = 20,
) -> None:
    """Compare candidates: ranking, heat map, evidence, calibration and reliability.

    Example: hiring report compare --role inbound-agent --round panel --out compare.pdf
    """
    from hiring.cli.candidate import open_cli_store
    from hiring.reports.build import build_compare_report

    bank = settings_of(ctx).bank()
    with open_cli_store(ctx) as store:
        result = build_compare_report(
            store, bank, role, round_id, candidates, lang, fmt, out, pdf_variant, templates,
            detail,
        )
    _print_result(result)


@app.command("candidate")
def candidate_command(
    ctx: typer.Context,
    candidate: Annotated[str, typer.Argument(metavar="C", help="Candidate id or exact name.")],
    out: OutOption,
    role: RoleOption = None,
    round_id: RoundOption = None,
    lang: LangOption = "en",
    fmt: FormatOption = None,
    templates: TemplatesOption = None,
) -> None:
    """One candidate's scorecard, scored against the role's other candidates.

    Example: hiring report candidate "Anna Berg" --lang da --out anna-scorecard.pdf
    """
    from hiring.cli.candidate import open_cli_store
    from hiring.reports.build import build_candidate_report

    bank = settings_of(ctx).bank()
    with open_cli_store(ctx) as store:
        result = build_candidate_report(
            store, bank, candidate, role, round_id, lang, fmt, out, templates
        )
    _print_result(result)


def register(root: typer.Typer) -> None:
    root.add_typer(app, name="report")
