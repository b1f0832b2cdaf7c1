"""``hiring bank``: list, show, validate, lint and copy question banks."""

import dataclasses
import json
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from hiring.cli.options import JsonOption, known_language
from hiring.cli.settings import settings_of

if TYPE_CHECKING:
    from hiring.render.catalogs import TeamCatalog

app = typer.Typer(help="Question banks: list, show, validate, lint, init.", no_args_is_help=True)

LangOption = Annotated[
    str, typer.Option(
        "--lang",
        help="Language of the texts shown (en, da, ru, bg, zh).",
        callback=known_language,
    )
]


@app.command("list")
def list_command(ctx: typer.Context, lang: LangOption = "en", as_json: JsonOption = False) -> None:
    """List competencies (kind, questions, languages), roles and decision reasons.

    Example: hiring bank list --lang da
    """
    from hiring.bank.listing import list_bank

    summary = list_bank(settings_of(ctx).bank(), lang)
    if as_json:
        typer.echo(json.dumps(summary, ensure_ascii=False, indent=2))
        return
    typer.echo(f"Bank version {summary['version']}")
    typer.echo("")
    from hiring.cli.cells import table

    for line in table(
        ["COMPETENCY", "KIND", "Q", "LANGUAGES", "NAME"],
        [[item["id"], item["kind"], item["questions"], ",".join(item["languages"]), item["name"]]
         for item in summary["competencies"]],
        right={2},
    ):
        typer.echo(line)
    typer.echo("")
    for line in table(
        ["ROLE", "ROUNDS", "LANGUAGES", "NAME"],
        [[role["id"], ",".join(f"{r['id']}({r['minutes']}m)" for r in role["rounds"]),
          ",".join(role["languages"]), role["name"]] for role in summary["roles"]],
    ):
        typer.echo(line)
    if summary["decision_reasons"]:
        typer.echo("")
        for line in table(
            ["DECISION REASON", "FOR", "TEXT"],
            [[reason["id"], ",".join(reason["decisions"]), reason["text"]]
             for reason in summary["decision_reasons"]],
        ):
            typer.echo(line)


@app.command("show")
def show_command(
    ctx: typer.Context,
    item_id: Annotated[str, typer.Argument(metavar="ID", help="A competency or role id.")],
    lang: LangOption = "en",
    as_json: JsonOption = False,
) -> None:
    """Show one competency or role in full.

    Example: hiring bank show staying-calm --lang ru
    """
    from hiring.bank.listing import show_item
    from hiring.bank.models import Competency, localise

    bank = settings_of(ctx).bank()
    kind, item = show_item(bank, item_id)
    if as_json:
        document = {kind: dataclasses.asdict(item)}
        typer.echo(json.dumps(document, ensure_ascii=False, indent=2))
        return
    if isinstance(item, Competency):
        scale = bank.scale(item.scale)
        scale_text = f"scale {scale.id} {scale.min}-{scale.max}"
        typer.echo(f"{localise(item.name, lang)} ({item.id}, {item.kind}, {scale_text})")
        typer.echo(localise(item.definition, lang))
        typer.echo("\nAnchors:")
        for point in sorted(item.anchors):
            label = localise(scale.labels.get(point), lang)
            typer.echo(f"  {point} {label}: {localise(item.anchors[point], lang)}")
        typer.echo("\nListen for:")
        for text in item.listen_for:
            typer.echo(f"  - {localise(text, lang)}")
        typer.echo("\nRed flags:")
        for text in item.red_flags:
            typer.echo(f"  - {localise(text, lang)}")
        typer.echo("\nQuestions:")
        for question in item.questions:
            level = f", {question.level}" if question.level else ""
            typer.echo(f"  [{question.id}, {question.type}{level}]")
            if question.setup:
                typer.echo(f"    ({localise(question.setup, lang)})")
            typer.echo(f"    {localise(question.text, lang)}")
            if question.type == "written":
                typer.echo(f"    {question.channel}, {question.minutes} min; the customer writes:")
                for line in localise(question.message, lang).splitlines():
                    typer.echo(f"    | {line}")
                typer.echo("    Reply anchors:")
                for point, reply in sorted((question.reply_anchors or {}).items()):
                    label = localise(scale.labels.get(point), lang)
                    typer.echo(f"      {point} {label}: {localise(reply, lang)}")
            for probe in question.probes:
                typer.echo(f"      > {localise(probe, lang)}")
    else:
        typer.echo(
            f"{localise(item.name, lang)} ({item.id}); languages {', '.join(item.languages)}"
        )
        from hiring.cli.cells import table

        typer.echo("\nCompetencies (weight):")
        weights = table(
            ["", "", ""],
            [[entry.id, f"{entry.weight:g}", localise(bank.competencies[entry.id].name, lang)]
             for entry in item.competencies],
        )
        for line in weights[1:]:  # no header row: the title says what the columns are
            typer.echo("  " + line)
        typer.echo("\nRounds:")
        for round_ in item.rounds:
            subset = ", ".join(item.competencies_of(round_.id))
            typer.echo(
                f"  {round_.id}: {round_.minutes} min, {round_.questions_per_competency} "
                f"question(s) per competency: {subset}"
            )


PathsArgument = Annotated[
    list[Path] | None,
    typer.Argument(
        help="Bank folders or files (default: --bank, else the bundled bank).", show_default=False
    ),
]


@app.command("validate")
def validate_command(
    ctx: typer.Context,
    paths: PathsArgument = None,
    as_json: Annotated[
        bool,
        typer.Option("--json", help="Print JSON: ok, and each problem's file, line, column, "
                     "key path and message (for a CI check)."),
    ] = False,
) -> None:
    """Check bank files; print one line per problem as file:line:column: message.

    Example: hiring bank validate my_bank/ --json
    """
    from hiring.bank import check_bank
    from hiring.bank.load import team_language_files
    from hiring.user_text import for_terminal

    folders = paths or settings_of(ctx).bank_dirs or None
    bank, problems = check_bank(folders)
    catalogs: list[TeamCatalog] = []
    if team_language_files(folders or []):  # the rendering layer only for a team language
        from hiring.render.catalogs import check_team_catalogs
        from hiring.render.strings import bundled_strings

        catalog_problems, catalogs = check_team_catalogs(folders or [], bundled_strings())
        problems = [*problems, *catalog_problems]
    if as_json:
        document: dict[str, object] = {
            "ok": not problems,
            "problems": [problem.to_json() for problem in problems],
            "languages": [
                {"lang": c.lang, "file": str(c.path), "translated": len(c.strings),
                 "missing": c.missing, "untranslated": c.untranslated, "outdated": c.outdated,
                 "invalid": c.invalid, "unknown": c.unknown}
                for c in catalogs
            ],
        }
        if bank is not None:
            document.update(
                competencies=len(bank.competencies),
                questions=sum(len(c.questions) for c in bank.competencies.values()),
                roles=len(bank.roles),
                version=bank.version,
            )
        typer.echo(json.dumps(document, ensure_ascii=False, indent=2))
        if problems:
            raise typer.Exit(1)
        return
    for problem in problems:
        typer.echo(str(problem), err=True)
    for catalog in catalogs:  # what falls back to English: said, not an error
        for line in catalog.findings():
            typer.echo(for_terminal(f"{catalog.path}: warning: {line}"), err=True)
    if problems:
        typer.echo(f"{len(problems)} problem(s) found", err=True)
        raise typer.Exit(1)
    assert bank is not None
    questions = sum(len(c.questions) for c in bank.competencies.values())
    typer.echo(
        f"ok: {len(bank.competencies)} competencies, {questions} questions, "
        f"{len(bank.roles)} roles (bank version {bank.version})"
    )


@app.command("lint")
def lint_command(
    ctx: typer.Context,
    paths: PathsArgument = None,
    strict: Annotated[
        bool, typer.Option("--strict", help="Exit 1 when there is any warning.")
    ] = False,
) -> None:
    """Warn about what validation cannot call an error (closed or protected questions...).

    Example: hiring bank lint --strict question_banks/
    """
    from hiring.bank import load_bank
    from hiring.bank.lint import lint_bank

    bank = load_bank(paths or settings_of(ctx).bank_dirs or None)
    warnings = lint_bank(bank)
    for warning in warnings:
        typer.echo(str(warning), err=True)
    typer.echo(f"{len(warnings)} warning(s)", err=bool(warnings))
    if warnings and strict:
        raise typer.Exit(1)


@app.command("init")
def init_command(
    target: Annotated[Path, typer.Argument(metavar="DIR", help="New folder for your team's bank.")],
) -> None:
    """Copy the bundled bank into DIR as the starting point for your team's own.

    Example: hiring bank init ./our-bank && hiring --bank ./our-bank bank list
    """
    from hiring.bank.listing import init_bank

    files = init_bank(target)
    typer.echo(f"copied {len(files)} files into {target}")
