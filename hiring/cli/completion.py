"""Shell completion of option values: ids from the bank in use, names from the database.

Command names and options complete through click's own mechanism; this module adds the
values. It is imported only when the shell asks for completions (``_HIRING_COMPLETE`` is
set), so ordinary start-up pays nothing for it. Values are attached by parameter name to
the finished click command tree, so every command that has a ``--role`` completes it the
same way, including commands added later, with no per-option wiring.

Completion never writes: it reads the bank (through the cache) and an existing database,
and it answers nothing rather than an error, since anything printed would land on the
user's command line.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click
from click.shell_completion import CompletionItem

if TYPE_CHECKING:
    from hiring.bank.models import Bank

Completer = Callable[[click.Context, click.Parameter, str], list[CompletionItem]]


def _root_params(ctx: click.Context) -> dict[str, Any]:
    return ctx.find_root().params


def _bank(ctx: click.Context) -> Bank:
    from hiring.bank import load_bank
    from hiring.cli.settings import split_bank_env

    dirs = _root_params(ctx).get("bank") or split_bank_env(os.environ.get("HIRING_BANK"))
    return load_bank([Path(d) for d in dirs] or None)


def _chosen_role(ctx: click.Context, bank: Bank) -> list[Any]:
    role_id = ctx.params.get("role")
    roles = list(bank.roles.values())
    return [role for role in roles if role.id == role_id] or roles


def _matching(values: Iterable[str], incomplete: str) -> list[CompletionItem]:
    seen: dict[str, None] = dict.fromkeys(v for v in values if v.startswith(incomplete))
    return [CompletionItem(value) for value in seen]


def _quietly(find: Callable[[click.Context], Iterable[str]]) -> Completer:
    def complete(ctx: click.Context, param: click.Parameter, incomplete: str) -> list[Any]:
        try:
            return _matching(find(ctx), incomplete)
        except Exception:  # a broken bank or database must not print into the shell
            return []

    return complete


def _role_ids(ctx: click.Context) -> Iterable[str]:
    return _bank(ctx).roles


def _round_ids(ctx: click.Context) -> Iterable[str]:
    bank = _bank(ctx)
    return [rnd.id for role in _chosen_role(ctx, bank) for rnd in role.rounds]


def _competency_ids(ctx: click.Context) -> Iterable[str]:
    return _bank(ctx).competencies


def _bank_ids(ctx: click.Context) -> Iterable[str]:
    bank = _bank(ctx)
    return [*bank.competencies, *bank.roles]


def _languages(ctx: click.Context) -> Iterable[str]:
    """The bundled languages, then those the bank folders add (strings.<lang>.po)."""
    from hiring.bank.load import team_language_files
    from hiring.bank.models import SUPPORTED_LANGUAGES
    from hiring.cli.settings import split_bank_env

    dirs = _root_params(ctx).get("bank") or split_bank_env(os.environ.get("HIRING_BANK"))
    added = sorted(set(team_language_files([Path(d) for d in dirs])) - set(SUPPORTED_LANGUAGES))
    return [*SUPPORTED_LANGUAGES, *added]


def _decisions(ctx: click.Context) -> Iterable[str]:
    from hiring.decisions import DECISIONS

    return DECISIONS


def _read_store(ctx: click.Context, read: Callable[[Any], list[str]]) -> list[str]:
    """``read(store)`` on the database in use (``--db`` or ``HIRING_DB`` on the line), or
    nothing when that database does not exist: completing must not create one."""
    from hiring.store import open_store
    from hiring.store.db import default_db_path, sqlite_path

    target = _root_params(ctx).get("db") or os.environ.get("HIRING_DB") or default_db_path()
    text = os.fspath(target)
    path = sqlite_path(text)
    if path is not None and not path.is_file():
        return []
    store = open_store(text)
    try:
        with store.read():
            return read(store)
    finally:
        store.close()


def _candidate_names(ctx: click.Context) -> Iterable[str]:
    from hiring.store.candidates import list_candidates

    return _read_store(
        ctx, lambda store: [c.name for c in list_candidates(store) if c.status != "erased"]
    )


def _interviewer_names(ctx: click.Context) -> Iterable[str]:
    """The roster's names when there is a roster, else everyone who has an interview."""
    from hiring.store.team import roster_names

    def read(store: Any) -> list[str]:
        return roster_names(store) or [
            str(row[0])
            for row in store.all("SELECT DISTINCT interviewer FROM interviews ORDER BY 1")
        ]

    return _read_store(ctx, read)


# By the parameter's name in the command functions (``--role`` -> ``role``, ``--round`` ->
# ``round_id``, the ``C`` argument -> ``candidate``). A parameter of path type keeps the
# shell's file completion (``guide batch --candidates`` is a CSV file, not a name).
COMPLETERS: dict[str, Completer] = {
    "role": _quietly(_role_ids),
    "round_id": _quietly(_round_ids),
    "competency": _quietly(_competency_ids),
    "lang": _quietly(_languages),
    "candidate": _quietly(_candidate_names),
    "candidates": _quietly(_candidate_names),
    "interviewer": _quietly(_interviewer_names),
    "as_interviewer": _quietly(_interviewer_names),
    "decision": _quietly(_decisions),
    "item_id": _quietly(_bank_ids),
}


def attach(command: click.Command) -> None:
    """Give every parameter named in :data:`COMPLETERS` its completer, through the tree."""
    for param in command.params:
        completer = COMPLETERS.get(param.name or "")
        if completer is not None and not isinstance(param.type, click.Path):
            param._custom_shell_complete = completer  # click's hook for shell_complete=
    if isinstance(command, click.Group):
        for sub in command.commands.values():
            attach(sub)


# Characters bash takes as syntax or word breaks; each is escaped with a backslash in a
# completion, so the shell inserts ``Camilla\ Sørensen`` as one word (letters of any
# script stay as they are).
_BASH_SPECIAL = re.compile(r"([^\w@%+=:,./-])")


def bash_word(value: str) -> str:
    """``value`` as bash must see it to take it as one word: ``Bo O'Brien`` ->
    ``Bo\\ O\\'Brien``. Bash inserts a completion as it is given (Typer's script fills
    COMPREPLY with the lines as printed), so the quoting is ours to do."""
    return _BASH_SPECIAL.sub(r"\\\1", value)


def zsh_word(value: str) -> str:
    """``value`` inside the double quotes of Typer's ``_arguments '*: :(("..."))'`` line:
    the line is single-quoted as a whole, so a ``'`` ends that quote and comes back as
    ``'\\''``; ``"``, ``$``, `` ` `` and ``\\`` are escaped for the double quotes, ``:`` for
    _arguments. zsh then inserts the value quoted as the command line needs it."""
    escaped = re.sub(r'(["$`\\])', r"\\\1", value).replace(":", r"\\:")
    return escaped.replace("'", "'\\''")


def _quoting_classes() -> None:
    """Register completion classes that quote values for bash and zsh (fish quotes the
    words it inserts itself, so its lines stay plain)."""
    from click.shell_completion import add_completion_class
    from typer._completion_classes import BashComplete, ZshComplete, _sanitize_help_text

    class QuotingBash(BashComplete):
        def format_completion(self, item: CompletionItem) -> str:
            return bash_word(item.value)

    class QuotingZsh(ZshComplete):
        def format_completion(self, item: CompletionItem) -> str:
            if item.help:
                described = zsh_word(_sanitize_help_text(item.help))
                return f'"{zsh_word(item.value)}":"{described}"'
            return f'"{zsh_word(item.value)}"'

    add_completion_class(QuotingBash, "bash")
    add_completion_class(QuotingZsh, "zsh")


def complete(app: Any, prog_name: str) -> None:
    """Answer the shell's completion request (exits, as click does)."""
    import typer.main

    command = typer.main.get_command(app)  # registers Typer's completion classes
    _quoting_classes()  # ... which these replace for bash and zsh
    attach(command)
    command.main(prog_name=prog_name)
