"""The ``hiring`` command line: parse options, call one library function, print.

Every ``HiringError`` raised below is reported here, once: one line on stderr and
exit status 1 (``--traceback`` re-raises it for debugging). Usage errors are
click's (exit 2).
"""

import os
from pathlib import Path
from typing import Annotated, Any

import click
import typer
from typer.core import TyperGroup

from hiring import __version__
from hiring.cli.settings import Settings
from hiring.errors import ExitStatus, HiringError


class CommandGroup(TyperGroup):
    """A command group whose "no such command" error suggests a close name once.

    Typer appends "Did you mean ...?" to click's message, and click 8.4 already says it,
    so the suggestion came twice. Click's own message is used where it has one; on older
    click (no suggestion) one is added.
    """

    def resolve_command(
        self, ctx: click.Context, args: list[str]
    ) -> tuple[str | None, click.Command | None, list[str]]:
        try:
            return click.Group.resolve_command(self, ctx, args)
        except click.UsageError as error:
            if args and "Did you mean" not in error.format_message():
                from difflib import get_close_matches

                matches = get_close_matches(args[0], list(self.commands))
                if matches:
                    names = ", ".join(repr(name) for name in matches)
                    message = f"{error.message.rstrip('.')}. Did you mean {names}?"
                    raise click.UsageError(message, error.ctx) from None
            raise


class HiringGroup(CommandGroup):
    """Root command group: the one place a ``HiringError`` becomes a message."""

    def invoke(self, ctx: Any) -> Any:
        try:
            return super().invoke(ctx)
        except HiringError as error:
            settings = ctx.obj if isinstance(ctx.obj, Settings) else None
            if settings is not None and settings.traceback:
                raise
            for line in error.details():
                typer.echo(line, err=True)
            typer.echo(f"Error: {error}", err=True)
            raise typer.Exit(int(error.exit_status)) from None


app = typer.Typer(
    cls=HiringGroup,
    name="hiring",
    help=(
        "Structured interviewing for call-centre and customer-service hiring.\n\n"
        "Example: hiring bank list --lang da"
    ),
    no_args_is_help=True,
    add_completion=True,  # --install-completion / --show-completion (bash, zsh, fish)
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)


def _version_callback(value: bool) -> None:
    if value:
        typer.echo(f"hiring {__version__}")
        raise typer.Exit()


def _split_bank_env(value: str | None) -> list[Path]:
    if not value:
        return []
    return [Path(part) for part in value.split(os.pathsep) if part]


@app.callback()
def root(
    ctx: typer.Context,
    bank: Annotated[
        list[Path] | None,
        typer.Option(
            "--bank",
            metavar="DIR",
            help="Question bank folder to use instead of the bundled one (repeatable; "
            "env HIRING_BANK, paths separated by the OS path separator).",
            show_default=False,
        ),
    ] = None,
    db: Annotated[
        str | None,
        typer.Option(
            "--db",
            envvar="HIRING_DB",
            metavar="PATH|URL",
            help="SQLite file path or postgresql:// URL (env HIRING_DB).",
            show_default=False,
        ),
    ] = None,
    traceback: Annotated[
        bool, typer.Option("--traceback", help="Show the full traceback of an error.")
    ] = False,
    version: Annotated[
        bool,
        typer.Option(
            "--version", callback=_version_callback, is_eager=True, help="Show the version."
        ),
    ] = False,
) -> None:
    """Structured interviewing for call-centre and customer-service hiring."""
    bank_dirs = list(bank) if bank else _split_bank_env(os.environ.get("HIRING_BANK"))
    from hiring.files import protect_file, protect_folder

    for path in bank_dirs:  # no --out may land in the bank in use
        if path.is_dir():
            protect_folder(path, "the question bank in use")
        else:
            protect_file(path, "a question bank file in use")
    ctx.obj = Settings(bank_dirs=bank_dirs, db=db, traceback=traceback)


def _register() -> None:
    # One module per command group, each adding itself with ``register(app)``. The modules
    # import only Typer at the top: their work is imported inside each command.
    from hiring.cli import (
        bank,
        candidate,
        db,
        demo,
        fairness,
        guide,
        interview,
        outcome,
        report,
        score,
        stats,
    )

    app.add_typer(bank.app, name="bank")
    for module in (guide, candidate, interview, score, fairness, outcome, report, stats, db,
                   demo):
        module.register(app)
    for group in app.registered_groups:
        group.cls = CommandGroup


_register()


def main() -> None:
    """Console-script entry point.

    The program name is fixed, so ``python -m hiring`` completes and prints as ``hiring``.
    """
    if os.environ.get("_HIRING_COMPLETE"):
        from hiring.cli.completion import complete

        complete(app, prog_name="hiring")
        return
    app(prog_name="hiring")


__all__ = ["app", "main", "ExitStatus"]
