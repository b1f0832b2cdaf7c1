"""Where the bundled bank and templates are, installed or in a source checkout."""

from __future__ import annotations

from pathlib import Path

_PACKAGE_DIR = Path(__file__).resolve().parent


def _data_dir(name: str) -> Path:
    # Installed wheel: hiring/_data/<name>. Source checkout / editable: <repo>/<name>.
    installed = _PACKAGE_DIR / "_data" / name
    if installed.is_dir():
        return installed
    return _PACKAGE_DIR.parent / name


def bundled_bank_dir() -> Path:
    """The question bank shipped with hiring."""
    return _data_dir("question_banks")


def bundled_templates_dir() -> Path:
    """The Jinja templates and assets shipped with hiring."""
    return _data_dir("templates")


def cache_dir() -> Path:
    """Where hiring keeps caches (validated banks, UI strings, the form-field font):
    ``HIRING_CACHE_DIR`` or the user's cache folder. Everything in it can be deleted at any
    time; nothing in it is code (see ``hiring.cache``)."""
    import os

    configured = os.environ.get("HIRING_CACHE_DIR")
    if configured:
        return Path(configured)
    import platformdirs

    return platformdirs.user_cache_path("hiring")
