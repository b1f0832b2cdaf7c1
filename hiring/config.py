"""The optional ``hiring.toml``: a team's settings, kept beside its bank.

Found at ``HIRING_CONFIG`` when that is set, else as ``hiring.toml`` in the current folder
or the nearest of its parents. Options on the command line and environment variables
(``HIRING_DB``, ``HIRING_BANK``) override it; it overrides the built-in defaults::

    bank = "question_banks"                  # or a list of folders; relative to this file
    db = "postgresql://hiring@db.example/hiring"   # or a SQLite file, relative to this file
    lang = "da"                              # --lang of every command that has one

    [defaults.guide.build]                   # any option of one command, named as typed
    paper = "letter"
    question-set = "spring-2027"

    [defaults.report.compare]
    lang = "en"                              # wins over the top-level lang for this command

Every problem of the file is reported at once (unknown keys with the known ones, values of
the wrong type), before any command runs. The command tree is the caller's: this module
knows nothing of click.
"""

from __future__ import annotations

import os
import tomllib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from hiring.errors import InputError

CONFIG_NAME = "hiring.toml"
CONFIG_ENV = "HIRING_CONFIG"
TOP_LEVEL_KEYS = ("bank", "db", "lang", "defaults")


class ConfigError(InputError):
    """A ``hiring.toml`` that cannot be used; ``problems`` lists every one found."""

    def __init__(self, message: str, problems: list[str] | None = None) -> None:
        super().__init__(message)
        self.problems = problems or []

    def details(self) -> list[str]:
        return [f"  {problem}" for problem in self.problems]


@dataclass(frozen=True)
class Config:
    """A loaded ``hiring.toml`` (``path`` None: there is none, every field empty)."""

    path: Path | None = None
    bank: list[Path] = field(default_factory=list)
    db: str | None = None
    lang: str | None = None
    # command path ("guide build") -> {parameter name: value}, as the file gave them
    defaults: dict[str, dict[str, Any]] = field(default_factory=dict)


def find_config(cwd: Path, environ: Mapping[str, str]) -> Path | None:
    """``HIRING_CONFIG`` (which must exist), else the nearest ``hiring.toml`` upwards."""
    named = environ.get(CONFIG_ENV)
    if named:
        path = Path(named).expanduser()
        if not path.is_file():
            raise ConfigError(f"{CONFIG_ENV}={named}: no such file")
        return path
    for folder in (cwd, *cwd.parents):
        candidate = folder / CONFIG_NAME
        if candidate.is_file():
            return candidate
    return None


def load_config(path: Path, commands: Mapping[str, Iterable[str]]) -> Config:
    """Read and check ``path``. ``commands`` maps each command path (``"guide build"``) to
    the names of its options as typed, without dashes (``"question-set"``).

    Raises ``ConfigError`` listing every problem; nothing is half-applied.
    """
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except OSError as error:
        raise ConfigError(f"cannot read {path}: {error.strerror}") from None
    except UnicodeDecodeError:
        raise ConfigError(f"{path}: not UTF-8 text; save it as UTF-8") from None
    except tomllib.TOMLDecodeError as error:
        raise ConfigError(f"{path}: not valid TOML: {error}") from None
    problems: list[str] = []
    for key in data:
        if key not in TOP_LEVEL_KEYS:
            problems.append(f"{key}: unknown setting (known: {', '.join(TOP_LEVEL_KEYS)})")
    base = path.resolve().parent
    bank = _bank(data.get("bank"), base, problems)
    db = _db(data.get("db"), base, problems)
    lang = data.get("lang")
    if lang is not None and not isinstance(lang, str):
        problems.append(f"lang: must be a language id such as \"da\", not {_kind(lang)}")
    options = {name: set(names) for name, names in commands.items()}
    defaults: dict[str, dict[str, Any]] = {}
    _defaults(data.get("defaults", {}), [], options, defaults, problems)
    if problems:
        count = f"{len(problems)} problem{'s' if len(problems) > 1 else ''}"
        raise ConfigError(f"{path}: {count}; fix the file or set {CONFIG_ENV} to another",
                          [f"{path.name}: {p}" for p in problems])
    return Config(path=path, bank=bank, db=db, lang=lang if isinstance(lang, str) else None,
                  defaults=defaults)


def _kind(value: Any) -> str:
    return {dict: "a table", list: "a list", bool: "true/false", int: "a number",
            float: "a number"}.get(type(value), type(value).__name__)


def _bank(value: Any, base: Path, problems: list[str]) -> list[Path]:
    if value is None:
        return []
    folders = [value] if isinstance(value, str) else value
    if not isinstance(folders, list) or not all(isinstance(f, str) and f for f in folders):
        problems.append("bank: must be a folder, or a list of folders (text)")
        return []
    return [base / Path(folder).expanduser() for folder in folders]


def _db(value: Any, base: Path, problems: list[str]) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str) or not value:
        problems.append("db: must be a SQLite file path or a postgresql:// URL (text)")
        return None
    if "://" in value:
        return value
    return str(base / Path(value).expanduser())


def _defaults(table: Any, path: list[str], options: dict[str, set[str]],
              found: dict[str, dict[str, Any]], problems: list[str]) -> None:
    """Walk ``[defaults.<group>.<command>]`` tables down to the commands' options."""
    where = ".".join(["defaults", *path])
    if not isinstance(table, dict):
        problems.append(f"{where}: must be a table of commands, not {_kind(table)}")
        return
    command = " ".join(path)
    if command in options:
        for key, value in table.items():
            name = key.removeprefix("--")
            if name in options[command]:
                found.setdefault(command, {})[name] = value
            else:
                known = ", ".join(sorted(options[command])) or "none"
                problems.append(f"{where}.{key}: 'hiring {command}' has no option --{name} "
                                f"(its options: {known})")
        return
    prefix = f"{command} " if command else ""
    below = sorted({name[len(prefix):].split(" ")[0] for name in options
                    if name.startswith(prefix)})
    for key, value in table.items():
        if key in below:
            _defaults(value, [*path, key], options, found, problems)
        elif path and not isinstance(value, dict):
            problems.append(f"{where}.{key}: 'hiring {command}' is a group; options go under "
                            f"one of its commands: [{where}.<command>] ({', '.join(below)})")
        else:
            problems.append(f"{where}.{key}: no command 'hiring {prefix}{key}' "
                            f"(known here: {', '.join(below)})")


def current_config(commands: Mapping[str, Iterable[str]],
                   cwd: Path | None = None, environ: Mapping[str, str] | None = None) -> Config:
    """The config in force: found, loaded and checked (an empty ``Config`` when none)."""
    environ = os.environ if environ is None else environ
    path = find_config(cwd or Path.cwd(), environ)
    return Config() if path is None else load_config(path, commands)
