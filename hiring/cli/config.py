"""``hiring.toml`` meets the command tree: its defaults become click's ``default_map``.

Click reads a value from the command line first, then the option's environment variable,
then ``default_map``, then the built-in default, so options and environment override the
file without further code. The root's options (``--bank``, ``--db``) share their names
with command groups (``hiring bank``, ``hiring db``), so the root callback gives them the
same order by hand.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import click

if TYPE_CHECKING:
    from hiring.config import Config


def command_options(group: click.Group) -> dict[str, dict[str, str]]:
    """Command path (``"guide build"``) -> {option as typed, without dashes: parameter name},
    for every command below ``group`` (groups themselves take no options here)."""
    found: dict[str, dict[str, str]] = {}

    def walk(command: click.Command, path: list[str]) -> None:
        if isinstance(command, click.Group):
            for name, sub in command.commands.items():
                walk(sub, [*path, name])
            return
        options = {}
        for param in command.params:
            if isinstance(param, click.Option) and param.name and param.name != "help":
                for opt in param.opts:
                    if opt.startswith("--"):
                        options[opt[2:]] = param.name
        found[" ".join(path)] = options

    for name, sub in group.commands.items():
        walk(sub, [name])
    return found


def default_map(config: Config, options: dict[str, dict[str, str]]) -> dict[str, Any]:
    """Click's nested ``default_map`` from a loaded config: the top-level ``lang`` for every
    command with a ``--lang``, then each command's own table. (The root's own options,
    ``--bank`` and ``--db``, are not in it: see ``hiring.cli.RootContext``.)"""
    root: dict[str, Any] = {}
    for command, typed in options.items():
        values: dict[str, Any] = {}
        if config.lang is not None and "lang" in typed:
            values[typed["lang"]] = config.lang
        for key, value in config.defaults.get(command, {}).items():
            values[typed[key]] = value
        if values:
            node = root
            for word in command.split(" "):
                node = node.setdefault(word, {})
            node.update(values)
    return root


SOURCE_NAMES = {
    click.core.ParameterSource.COMMANDLINE: "option {option}",
    click.core.ParameterSource.ENVIRONMENT: "environment {env}",
}


def source_of(ctx: click.Context, name: str, *, option: str, env: str | None) -> str:
    """Where the value of root parameter ``name`` came from, in words for ``hiring --info``
    (hiring.toml's values reach root options by hand, so the caller names that source)."""
    source = ctx.get_parameter_source(name)
    text = SOURCE_NAMES.get(source, "built-in default") if source else "built-in default"
    return text.format(option=option, env=env)
