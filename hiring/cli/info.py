"""``hiring --info``: what a bug report needs, and where each setting came from."""

from __future__ import annotations

from pathlib import Path

import typer

from hiring.cli.settings import settings_of


def print_info(ctx: typer.Context) -> None:
    from hiring import info
    from hiring.bank.models import SUPPORTED_LANGUAGES
    from hiring.config import CONFIG_ENV, CONFIG_NAME
    from hiring.store.db import default_db_path

    settings = settings_of(ctx)
    config = settings.config
    lines = [*info.versions(), *info.fonts(SUPPORTED_LANGUAGES)]
    if config is not None and config.path is not None:
        lines.append(info.InfoLine("Config", str(config.path)))
    else:
        lines.append(info.InfoLine(
            "Config",
            f"none (no {CONFIG_NAME} in {Path.cwd()} or its parents; {CONFIG_ENV} not set)",
        ))
    lines.append(info.InfoLine("Bank", info.bank(settings.bank_dirs), settings.sources["bank"]))
    target = settings.db or str(default_db_path())
    lines.append(info.InfoLine("Database", info.database(target), settings.sources["db"]))
    if config is not None and config.lang:
        lines.append(info.InfoLine("Language", config.lang, str(config.path)))
    else:
        lines.append(info.InfoLine("Language", "en (each command's --lang)", "built-in default"))
    if config is not None:
        for command, values in sorted(config.defaults.items()):
            for key, value in values.items():
                lines.append(info.InfoLine(f"hiring {command}", f"--{key} {value!r}",
                                           str(config.path)))
    typer.echo(info.format_lines(lines))
