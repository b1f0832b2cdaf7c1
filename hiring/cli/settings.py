"""Global options, shared by every command through ``ctx.obj``, and the store they name."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import typer

if TYPE_CHECKING:
    from hiring.bank.models import Bank
    from hiring.config import Config
    from hiring.errors import HiringError
    from hiring.store import Store


@dataclass
class Settings:
    bank_dirs: list[Path] = field(default_factory=list)
    db: str | None = None
    traceback: bool = False
    _bank: Bank | None = None
    config: Config | None = None  # the hiring.toml in force (None: not looked for)
    config_error: HiringError | None = None  # a hiring.toml that cannot be used
    sources: dict[str, str] = field(default_factory=dict)  # setting -> where it came from

    def bank(self) -> Bank:
        """The bank in use (``--bank`` folders or the bundled one), loaded once."""
        if self._bank is None:
            from hiring.bank import load_bank

            self._bank = load_bank(self.bank_dirs or None)
        return self._bank

    def use_team_languages(self) -> None:
        """Make the languages the bank folders add (``strings.<lang>.po``) usable; what
        falls back to English is said on stderr. Reads nothing until one is asked for."""
        from hiring.team_languages import use_bank_folders

        def warn(note: str) -> None:
            from hiring.user_text import for_terminal

            typer.echo(for_terminal(f"warning: {note}"), err=True)

        use_bank_folders(self.bank_dirs, warn)


def settings_of(ctx: typer.Context) -> Settings:
    obj = ctx.find_root().obj
    assert isinstance(obj, Settings)
    return obj


def open_cli_store(ctx: typer.Context) -> Store:
    """The store named by --db / HIRING_DB (else the default file)."""
    from hiring.store import open_store

    return open_store(settings_of(ctx).db)


def split_bank_env(value: str | None) -> list[Path]:
    """``HIRING_BANK``'s folders (separated as PATH is: ``:``, or ``;`` on Windows)."""
    if not value:
        return []
    return [Path(part) for part in value.split(os.pathsep) if part]
