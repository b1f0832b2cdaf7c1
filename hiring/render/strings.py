"""Translated UI strings: every word on a page that does not come from the bank."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from hiring.bank.models import SUPPORTED_LANGUAGES
from hiring.errors import InputError, RenderError
from hiring.paths import bundled_templates_dir


@lru_cache(maxsize=1)
def _all_strings() -> dict[str, dict[str, str]]:
    from hiring.cache import cache_path, load_cached, store_cached

    path = bundled_templates_dir() / "strings.yaml"
    try:
        raw = path.read_bytes()
    except OSError as error:
        raise RenderError(f"cannot read the UI strings {path}: {error}") from None
    # Cached parsed: importing PyYAML and parsing the 55 KB file cost ~30 ms per guide.
    cache = cache_path("strings", [raw])
    cached = load_cached(cache, dict)
    if cached is not None:
        return cached
    data = _parse_strings(path, raw)
    store_cached(cache, data)
    return data


def _parse_strings(path: Path, raw: bytes) -> dict[str, dict[str, str]]:
    import yaml

    # The C loader reads the file in ~10 ms; the pure-Python one takes ~180 ms.
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    try:
        data = yaml.load(raw.decode("utf-8"), Loader=loader)  # noqa: S506 - a safe loader
    except (UnicodeDecodeError, yaml.YAMLError) as error:
        raise RenderError(f"cannot read the UI strings {path}: {error}") from None
    if not isinstance(data, dict):
        raise RenderError(f"{path}: expected a mapping of string keys to {{lang: text}}")
    return data


@lru_cache(maxsize=8)
def ui_strings(lang: str) -> dict[str, str]:
    """Every UI string in ``lang`` (English where a translation is missing).

    >>> ui_strings("da")["signature"]
    'Underskrift'
    """
    if lang not in SUPPORTED_LANGUAGES:
        raise InputError(
            f"no UI strings for language '{lang}' (supported: {', '.join(SUPPORTED_LANGUAGES)})"
        )
    return {key: texts.get(lang) or texts["en"] for key, texts in _all_strings().items()}
