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
import typer.main
from typer.core import TyperGroup

from hiring import __version__
from hiring.cli.settings import Settings, split_bank_env
from hiring.errors import ExitStatus, HiringError, exit_status_epilog


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


class RootContext(click.Context):
    """The root's context: ``default_map`` is for the commands below it. Its own options
    (``--bank``, ``--db``) share names with command groups (``hiring bank ...``), so they
    take hiring.toml's values by hand in ``root`` instead."""

    def lookup_default(self, name: str, call: bool = True) -> Any:
        return None


class HiringGroup(CommandGroup):
    """Root command group: the one place a ``HiringError`` becomes a message, and where
    ``hiring.toml`` becomes click's ``default_map`` (see ``hiring.cli.config``)."""

    context_class = RootContext

    def make_context(
        self, info_name: str | None, args: list[str], parent: click.Context | None = None,
        **extra: Any,
    ) -> click.Context:
        if parent is None and "obj" not in extra:
            settings = Settings()
            try:
                from hiring.cli.config import command_options, default_map
                from hiring.config import Config, find_config, load_config

                path = find_config(Path.cwd(), os.environ)
                settings.config = Config()
                if path is not None:
                    # Checked against every command's options, whichever runs (app_for).
                    root = self if self.commands.keys() >= _names() else (
                        typer.main.get_command(app))
                    assert isinstance(root, click.Group)
                    options = command_options(root)
                    settings.config = load_config(path, {k: list(v) for k, v in options.items()})
                    extra.setdefault("default_map", default_map(settings.config, options))
            except HiringError as error:
                # Reported by the root callback, so --help and --version still work.
                settings.config_error = error
            extra["obj"] = settings
        return super().make_context(info_name, args, parent=parent, **extra)

    def invoke(self, ctx: Any) -> Any:
        try:
            return super().invoke(ctx)
        except HiringError as error:
            settings = ctx.obj if isinstance(ctx.obj, Settings) else None
            if settings is not None and settings.traceback:
                raise
            from hiring.user_text import for_terminal

            # Messages quote names, cells and fields: shown with their escapes visible.
            for line in error.details():
                typer.echo(for_terminal(line), err=True)
            typer.echo(for_terminal(f"Error: {error}"), err=True)
            raise typer.Exit(int(error.exit_status)) from None


_APP_SETTINGS: dict[str, Any] = {
    "cls": HiringGroup,
    "name": "hiring",
    "help": (
        "Structured interviewing for call-centre and customer-service hiring.\n\n"
        "Example: hiring bank list --lang da"
    ),
    "epilog": exit_status_epilog(),
    "no_args_is_help": True,
    "invoke_without_command": True,  # `hiring --info`; a missing command is still an error
    "add_completion": True,  # --install-completion / --show-completion (bash, zsh, fish)
    "pretty_exceptions_enable": False,
    "rich_markup_mode": None,
}
app = typer.Typer(**_APP_SETTINGS)


def _version_callback(value: bool) -> None:
    if value:
        typer.echo(f"hiring {__version__}")
        raise typer.Exit()


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
            help="SQLite file path (or file: URI) or postgresql:// URL (env HIRING_DB).",
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
    info: Annotated[
        bool,
        typer.Option(
            "--info",
            help="Show versions (hiring, Python, WeasyPrint, Pango), fonts, database, bank "
            "and where each setting came from, for a bug report.",
        ),
    ] = False,
) -> None:
    """Structured interviewing for call-centre and customer-service hiring."""
    settings = ctx.obj if isinstance(ctx.obj, Settings) else Settings()
    if settings.config_error is not None:
        raise settings.config_error
    config = settings.config
    if bank:
        bank_dirs, bank_source = list(bank), "option --bank"
    elif os.environ.get("HIRING_BANK"):
        bank_dirs = split_bank_env(os.environ.get("HIRING_BANK"))
        bank_source = "environment HIRING_BANK"
    elif config is not None and config.bank:
        bank_dirs, bank_source = list(config.bank), str(config.path)
    else:
        bank_dirs, bank_source = [], "built-in default"
    from hiring.cli.config import source_of
    from hiring.files import protect_file, protect_folder

    for path in bank_dirs:  # no --out may land in the bank in use
        if path.is_dir():
            protect_folder(path, "the question bank in use")
        else:
            protect_file(path, "a question bank file in use")
    db_source = source_of(ctx, "db", option="--db", env="HIRING_DB")
    if db is None and config is not None and config.db is not None:
        db, db_source = config.db, str(config.path)
    settings.bank_dirs, settings.db, settings.traceback = bank_dirs, db, traceback
    settings.sources = {"bank": bank_source, "db": db_source}
    settings.use_team_languages()  # the languages the bank folders add (nothing read yet)
    ctx.obj = settings
    if info:
        from hiring.cli.info import print_info

        print_info(ctx)
        raise typer.Exit()
    if ctx.invoked_subcommand is None:
        raise click.UsageError("Missing command.", ctx)


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
        strings,
        team,
    )

    app.add_typer(bank.app, name="bank")
    for module in (guide, candidate, interview, score, fairness, outcome, report, stats, team,
                   strings, db, demo):
        module.register(app)
    for group in app.registered_groups:
        group.cls = CommandGroup


_register()

def _names() -> set[str]:
    """The names of every command and group under the root."""
    return ({str(group.name) for group in app.registered_groups}
            | {str(command.name) for command in app.registered_commands})


# The root's options that take a value (``--bank DIR``, ``--db URL``): what follows them is
# not the command's name.
_ROOT_VALUE_OPTIONS = ("--bank", "--db")


def _command_name(args: list[str]) -> str | None:
    """The command or group ``args`` run (``score`` in ``--db x score set``), or None when
    the root itself has work: ``--help``, ``--version``, ``--info``, completion, no command."""
    index = 0
    while index < len(args):
        token = args[index]
        if token in _ROOT_VALUE_OPTIONS:
            index += 2
        elif token.startswith("--bank=") or token.startswith("--db=") or token == "--traceback":
            index += 1
        elif token.startswith("-"):
            return None
        else:
            return token
    return None


def app_for(args: list[str]) -> typer.Typer:
    """The app that runs ``args``: the root with only the command or group they name.

    Typer turns every command into click's objects each time it runs, 11-13 ms for the
    whole tree, a tenth of a short command such as ``score set`` (issue 28's start-up
    target). One group's tree is what the command needs: its own help, errors and
    suggestions are the same, and a hiring.toml is still checked against every command's
    options (``HiringGroup.make_context``). The whole app runs everything else: the root's
    help, version and --info, an unknown name (suggested from all), completion.
    """
    name = _command_name(args)
    if name is None:
        return app
    groups = [group for group in app.registered_groups if group.name == name]
    commands = [command for command in app.registered_commands if command.name == name]
    if not groups and not commands:
        return app
    only = typer.Typer(**_APP_SETTINGS)
    only.registered_callback = app.registered_callback
    only.registered_groups, only.registered_commands = groups, commands
    return only


def main() -> None:
    """Console-script entry point.

    The program name is fixed, so ``python -m hiring`` completes and prints as ``hiring``.
    """
    if os.environ.get("_HIRING_COMPLETE"):
        from hiring.cli.completion import complete

        complete(app, prog_name="hiring")
        return
    import gc
    import sys

    try:
        app_for(sys.argv[1:])(prog_name="hiring")
    finally:
        # The process ends here. At exit the interpreter runs several full garbage
        # collections over every object the imports made: about 30 ms of CPU once psycopg
        # is loaded (a third of 'score list' on PostgreSQL), 10 ms for Typer alone. Frozen
        # objects are left out of them; the memory goes back to the system all the same.
        # Files and connections are closed by the commands themselves, stdout and stderr
        # are flushed by the interpreter, and atexit handlers still run.
        gc.freeze()


__all__ = ["app", "main", "ExitStatus"]
