"""What a bug report needs (``hiring --info``): versions of hiring, Python, WeasyPrint and
Pango, the fonts found per script, the database and bank in use with their versions.

Each part is found on its own and a part that cannot be found says why, so one broken piece
(no Pango, an unreachable database) never hides the others. Nothing is created or migrated:
a database that does not exist yet is reported as such.
"""

from __future__ import annotations

import platform
import shutil
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from hiring import __version__
from hiring.errors import HiringError

# The script each language of the bank is written in; the fonts are looked up per script.
SCRIPTS = {"en": "Latin", "da": "Latin", "ru": "Cyrillic", "bg": "Cyrillic",
           "zh": "Han (simplified)"}


@dataclass(frozen=True)
class InfoLine:
    label: str
    value: str
    source: str | None = None  # where a setting came from (None: not a setting)


def versions() -> list[InfoLine]:
    """hiring, Python and the platform; WeasyPrint and Pango (loaded here: heavy)."""
    lines = [
        InfoLine("hiring", f"{__version__} ({Path(__file__).resolve().parent})"),
        InfoLine("Python", f"{platform.python_version()} ({platform.python_implementation()}, "
                           f"{sys.executable})"),
        InfoLine("Platform", platform.platform()),
    ]
    try:
        import weasyprint
        from weasyprint.text.ffi import pango
    except (ImportError, OSError) as error:  # OSError: the Pango library is missing
        reason = str(error).splitlines()[0] if str(error) else type(error).__name__
        return [*lines, InfoLine("WeasyPrint", f"cannot be loaded: {reason}"),
                InfoLine("Pango", "not defined: WeasyPrint cannot be loaded")]
    number = int(pango.pango_version())
    pango_text = f"{number // 10000}.{number // 100 % 100}.{number % 100}"
    return [*lines, InfoLine("WeasyPrint", str(weasyprint.__version__)),
            InfoLine("Pango", pango_text)]


def fonts(languages: Sequence[str]) -> list[InfoLine]:
    """The fonts hiring would print each script with (fontconfig's answer), or what is
    missing and the package that brings it."""
    from hiring.render.fonts import require_font

    by_script: dict[str, list[str]] = {}
    for lang in languages:
        by_script.setdefault(SCRIPTS.get(lang, f"script of '{lang}'"), []).append(lang)
    checked = shutil.which("fc-list") is not None
    lines = []
    for script, langs in by_script.items():
        try:
            stack = require_font(langs[0])
        except HiringError as error:
            found = f"none: {error}"
        else:
            names = [n.strip().strip('"') for n in stack.split(",")]
            found = ", ".join(n for n in names if n != "sans-serif")
            if not checked:
                found += " (fontconfig not found: not checked)"
        lines.append(InfoLine(f"Fonts, {script}", f"{found} [{', '.join(langs)}]"))
    return lines


def database(target: str) -> str:
    """The database at ``target`` (a path or a URL) and its schema version, read without
    creating or migrating anything."""
    from hiring.store.db import _redact, connect, is_postgres_url
    from hiring.store.schema import SCHEMA_VERSION, database_version

    shown = _redact(target)
    known = f"this hiring's schema version: {SCHEMA_VERSION}"
    if not is_postgres_url(target) and not Path(target).expanduser().is_file():
        return f"{shown} (not created yet; {known})"
    try:
        with connect(target) as store:
            version = database_version(store)
    except HiringError as error:
        return f"{shown} (cannot be read: {error})"
    if version == SCHEMA_VERSION:
        state = "up to date"
    elif version > SCHEMA_VERSION:
        state = "newer than this hiring: upgrade hiring"
    else:
        state = "the next command migrates it"
    return f"{shown} (schema version {version}, {known}: {state})"


def bank(folders: Sequence[Path]) -> str:
    """The bank in use (folders, or the bundled one) and its version."""
    from hiring.bank import load_bank
    from hiring.paths import bundled_bank_dir

    shown = ", ".join(str(f) for f in folders) if folders else f"bundled ({bundled_bank_dir()})"
    try:
        loaded = load_bank(list(folders) or None)
    except HiringError as error:
        return f"{shown} (cannot be loaded: {str(error).splitlines()[0]})"
    return (f"{shown} (version {loaded.version or 'not defined'}; {len(loaded.roles)} roles, "
            f"{len(loaded.competencies)} competencies)")


def format_lines(lines: Sequence[InfoLine]) -> str:
    """Aligned text: ``label  value  [from: source]``."""
    width = max(len(line.label) for line in lines)
    out = []
    for line in lines:
        source = f"  [from: {line.source}]" if line.source else ""
        out.append(f"{line.label.ljust(width)}  {line.value}{source}")
    return "\n".join(out)
