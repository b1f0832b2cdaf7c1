"""Validating ``--json`` output against the JSON Schemas kept in ``hiring/schemas/``.

``schema_for(words)`` names the schema of a command (``["report", "compare"]`` ->
``report-compare``); ``check_json_output(args, stdout)`` validates what a command printed
when its arguments hold ``--json`` (``tests.cli_helpers.run`` calls it on every run).
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

SCHEMAS = Path(__file__).resolve().parent.parent / "hiring" / "schemas"


@cache
def validator(name: str) -> Any:
    import jsonschema

    schema = json.loads((SCHEMAS / f"{name}.schema.json").read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(
        schema, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER
    )


def command_words(args: list[str]) -> list[str]:
    """The command path in a CLI argument list (global options and their values skipped)."""
    import click
    import typer

    from hiring.cli import app

    command: Any = typer.main.get_command(app)
    words: list[str] = []
    rest = list(args)
    while rest:
        word = rest.pop(0)
        if word.startswith("-"):
            option = next((p for p in command.params if word in p.opts), None)
            if option is not None and not getattr(option, "is_flag", False) and rest:
                rest.pop(0)
            continue
        if not isinstance(command, click.Group) or word not in command.commands:
            break
        command = command.commands[word]
        words.append(word)
    return words


def schema_for(words: list[str]) -> str:
    return "-".join(words)


def assert_valid(name: str, data: Any) -> None:
    errors = sorted(validator(name).iter_errors(data), key=lambda e: list(e.absolute_path))
    assert not errors, f"{name}: " + "; ".join(
        f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in errors[:5])


def check_json_output(args: list[str], stdout: str) -> None:
    """Validate ``stdout`` when ``args`` asked for ``--json`` and it printed JSON."""
    if "--json" not in args or not stdout.strip().startswith(("{", "[")):
        return
    assert_valid(schema_for(command_words(args)), json.loads(stdout))
