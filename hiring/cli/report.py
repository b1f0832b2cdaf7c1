"""``hiring report``: candidate comparison reports and single-candidate scorecards."""

from pathlib import Path
from typing import Annotated

import typer

from hiring.cli.options import known_language
from hiring.cli.progress import QuietOption, progress
from hiring.cli.settings import settings_of

app = typer.Typer(
    help=(
        "Reports for the hiring manager: compare candidates, one competency across "
        "candidates, one candidate's scorecard; is the interview fair (fairness) and does it "
        "predict the job (validity)."
    ),
    # The summary 'hiring --help' shows (click cuts the help after about 45 characters).
    short_help="Reports: compare, competency, candidate, fairness, validity.",
    no_args_is_help=True,
)

RoleOption = Annotated[
    str | None,
    typer.Option("--role", help="Role id (default: the only role in the bank or the store)."),
]
RoundOption = Annotated[
    str | None, typer.Option("--round", help="Round id (default: every round of the role).")
]
LangOption = Annotated[str, typer.Option(
        "--lang", help="Report language (en, da, ru, bg, zh, or one the bank adds with "
        "strings.<lang>.po).", callback=known_language
    )]
FormatOption = Annotated[
    str | None, typer.Option("--format", help="pdf or html (default: from --out's suffix).")
]
TemplatesOption = Annotated[
    Path | None,
    typer.Option("--templates", metavar="DIR",
                 help="Folder whose templates override the bundled ones by name."),
]
OutOption = Annotated[
    Path | None,
    typer.Option("--out", help="Output file (.pdf or .html); optional with --json."),
]
CandidatesOption = Annotated[
    list[str] | None,
    typer.Option("--candidates", metavar="C",
                 help="Candidate id or exact name (repeatable; default: all of the role)."),
]
JsonOption = Annotated[
    bool,
    typer.Option("--json", help="Print the report's figures as JSON on stdout: numbers as "
                 "numbers, decisions as ids (schema: hiring/schemas/report-*.schema.json)."),
]


def _check_out(out: Path | None, as_json: bool) -> None:
    from hiring.errors import InputError
    from hiring.files import check_output

    if out is None:
        if not as_json:
            raise InputError("give --out FILE (.pdf or .html), or --json for the figures")
        return
    check_output(out)  # once the database is open: --out may not be it


def _print_result(result: object, as_json: bool) -> None:
    from hiring.reports.build import ReportOutput, figures_json

    assert isinstance(result, ReportOutput)
    for warning in result.warnings:
        typer.echo(f"warning: {warning}", err=True)
    if result.path is not None:
        pages = f", {result.pages} pages" if result.pages else ""
        # With --json, stdout is the JSON: the line about the file goes to stderr.
        typer.echo(f"wrote {result.path} ({result.candidates} candidate(s){pages})",
                   err=as_json)
    if as_json:
        typer.echo(figures_json(result.figures))
    if result.key is not None:
        typer.echo(f"wrote {result.key} (the code key: open it after deciding)", err=as_json)
    if result.ratings is not None:
        typer.echo(f"ratings: {result.ratings.sentence()}", err=as_json)


@app.command("compare")
def compare_command(
    ctx: typer.Context,
    out: OutOption = None,
    role: RoleOption = None,
    round_id: RoundOption = None,
    candidates: CandidatesOption = None,
    lang: LangOption = "en",
    fmt: FormatOption = None,
    pdf_variant: Annotated[
        str | None,
        typer.Option("--pdf-variant",
                     help="Default pdf/ua-1: tagged, accessible. pdf/a-3a: archival and "
                          "accessible (PDF/A-3a and PDF/UA-1) with the ratings attached as CSV "
                          "and JSON (pdf/a-3b: the same at level B). Any of WeasyPrint's "
                          "variants: pdf/ua-2, pdf/a-1a to pdf/a-4u, pdf/x-1a to pdf/x-5g."),
    ] = None,
    templates: TemplatesOption = None,
    detail: Annotated[
        int, typer.Option("--detail", metavar="N", min=0,
                          help="Candidate pages for the top N by rank (everyone is in the "
                               "ranking; page 1 says what is left out).")
    ] = 20,
    as_json: JsonOption = False,
    blind: Annotated[
        bool, typer.Option("--blind",
                           help="Blind review: codes C-01.. in a random order instead of "
                                "names, names removed from notes; the key goes to a "
                                "separate file.")
    ] = False,
    seed: Annotated[
        int | None, typer.Option("--seed", min=0, help="With --blind: seed of the code order "
                                                "(default: random, written to the key).")
    ] = None,
    key_out: Annotated[
        Path | None, typer.Option("--key-out", metavar="FILE",
                                  help="With --blind: where the code key goes (default: "
                                       "<out>-key.csv).")
    ] = None,
    workers: Annotated[
        int | None, typer.Option("--workers", metavar="N", min=1,
                                 help="Processes that lay out a PDF with 8 or more candidate "
                                      "pages in parts, joined into one document (default: all "
                                      "cores; 1: one process; PDF/A-1, PDF 2.0 and PDF/X "
                                      "variants: one process).")
    ] = None,
    quiet: QuietOption = False,
) -> None:
    """Compare candidates: ranking, heat map, evidence, calibration and reliability.

    Past 100 candidates a PDF stays a document: page 1's ranking, the heat map and the
    recommendations list the top 100 (or --detail N if more), the rest of the ranking
    follows the candidate pages one line each, open scorecards and smaller panels the
    first 100; page 1 says so. The HTML report and --json list every candidate in full.

    Example: hiring report compare --role inbound-agent --round panel --out compare.pdf

    Blind: hiring report compare --blind --seed 7 --out blind.pdf
    """
    from hiring.cli.settings import open_cli_store
    from hiring.reports.build import build_compare_report

    bank = settings_of(ctx).bank()
    with open_cli_store(ctx) as store:
        _check_out(out, as_json)
        with progress("comparison report", quiet) as step:
            result = build_compare_report(
                store, bank, role, round_id, candidates, lang, fmt, out, pdf_variant,
                templates, detail, blind=blind, seed=seed, key_out=key_out, progress=step,
                workers=workers,
            )
    _print_result(result, as_json)


@app.command("competency")
def competency_command(
    ctx: typer.Context,
    competency: Annotated[str, typer.Argument(metavar="ID", help="Competency id.")],
    out: OutOption = None,
    role: RoleOption = None,
    round_id: RoundOption = None,
    candidates: CandidatesOption = None,
    lang: LangOption = "en",
    fmt: FormatOption = None,
    templates: TemplatesOption = None,
    blind: Annotated[
        bool, typer.Option("--blind", help="Codes instead of names, as in report compare.")
    ] = False,
    seed: Annotated[
        int | None, typer.Option("--seed", min=0,
                                    help="With --blind: seed of the code order.")
    ] = None,
    key_out: Annotated[
        Path | None, typer.Option("--key-out", metavar="FILE",
                                  help="With --blind: where the code key goes.")
    ] = None,
    as_json: JsonOption = False,
    quiet: QuietOption = False,
) -> None:
    """One competency, every candidate's evidence side by side (scores, questions, notes),
    ranked by that competency.

    Example: hiring report competency staying-calm --round panel --out calm.pdf
    """
    from hiring.cli.settings import open_cli_store
    from hiring.reports.build import build_competency_report

    bank = settings_of(ctx).bank()
    with open_cli_store(ctx) as store:
        _check_out(out, as_json)
        with progress("competency report", quiet) as step:
            result = build_competency_report(
                store, bank, competency, role, round_id, candidates, lang, fmt, out,
                templates, blind=blind, seed=seed, key_out=key_out, progress=step,
            )
    _print_result(result, as_json)


@app.command("candidate")
def candidate_command(
    ctx: typer.Context,
    candidate: Annotated[str, typer.Argument(metavar="C", help="Candidate id or exact name.")],
    out: OutOption = None,
    role: RoleOption = None,
    round_id: RoundOption = None,
    lang: LangOption = "en",
    fmt: FormatOption = None,
    templates: TemplatesOption = None,
    as_json: JsonOption = False,
    pool_rounds: Annotated[
        bool, typer.Option("--pool-rounds",
                           help="One mean over every round, labelled as pooled (default: "
                                "each round separately).")
    ] = False,
    quiet: QuietOption = False,
) -> None:
    """One candidate's scorecard, scored against the role's other candidates: each round
    the candidate was rated in is shown separately (--round R for one round).

    Example: hiring report candidate "Anna Berg" --lang da --out anna-scorecard.pdf
    """
    from hiring.cli.settings import open_cli_store
    from hiring.reports.build import build_candidate_report

    bank = settings_of(ctx).bank()
    with open_cli_store(ctx) as store:
        _check_out(out, as_json)
        with progress("scorecard", quiet) as step:
            result = build_candidate_report(
                store, bank, candidate, role, round_id, lang, fmt, out, templates,
                pool_rounds=pool_rounds, progress=step,
            )
    _print_result(result, as_json)


@app.command("fairness")
def fairness_command(
    ctx: typer.Context,
    out: OutOption = None,
    role: RoleOption = None,
    attribute: Annotated[
        str | None,
        typer.Option("--attribute", metavar="A",
                     help="One attribute of the group data (default: every attribute)."),
    ] = None,
    min_group: Annotated[
        int, typer.Option("--min-group", metavar="N",
                          help="Groups of fewer than N people are merged into 'other' "
                               "(5 or more).")
    ] = 5,
    lang: LangOption = "en",
    fmt: FormatOption = None,
    templates: TemplatesOption = None,
    as_json: JsonOption = False,
) -> None:
    """Adverse impact per stage (stage decisions and hired): each group's selection rate,
    impact ratio against the highest-rate group, the four-fifths flag, Fisher's exact p and
    the shortfall; interview scores per group with intervals. Needs group data ('hiring
    fairness import') and stage decisions ('hiring candidate decide').

    Example: hiring report fairness --role inbound-agent --attribute gender --out fair.pdf
    """
    from hiring.cli.settings import open_cli_store
    from hiring.reports.fairness_page import build_fairness_report

    bank = settings_of(ctx).bank()
    with open_cli_store(ctx) as store:
        _check_out(out, as_json)
        result = build_fairness_report(store, bank, role, attribute, lang, fmt, out,
                                       templates, min_group)
    _print_result(result, as_json)


@app.command("validity")
def validity_command(
    ctx: typer.Context,
    measure: Annotated[
        str, typer.Option("--measure", metavar="M",
                          help="The outcome measure ('hiring outcome import'), e.g. "
                               "retained_90d.")
    ],
    out: OutOption = None,
    role: RoleOption = None,
    lang: LangOption = "en",
    fmt: FormatOption = None,
    templates: TemplatesOption = None,
    as_json: JsonOption = False,
) -> None:
    """Do interview scores predict an outcome on the job? For the hired with the outcome:
    correlations (overall and per competency) with 95% intervals, corrected for range
    restriction beside the observed ones, each competency's incremental value; and the
    item analysis of the questions over every candidate.

    Example: hiring report validity --role inbound-agent --measure retained_90d --out v.pdf
    """
    from hiring.cli.settings import open_cli_store
    from hiring.reports.validity_page import build_validity_report

    bank = settings_of(ctx).bank()
    with open_cli_store(ctx) as store:
        _check_out(out, as_json)
        result = build_validity_report(store, bank, role, measure, lang, fmt, out, templates)
    _print_result(result, as_json)


def register(root: typer.Typer) -> None:
    root.add_typer(app, name="report")
