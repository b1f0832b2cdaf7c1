"""Translated UI strings: every word on a page that does not come from the bank.

A string with a count uses the ICU plural form, so each language gets its own word forms:

    report_ratings_count:
      en: "{n, plural, one {# rating} other {# ratings}}"
      ru: "{n, plural, one {# оценка} few {# оценки} many {# оценок} other {# оценки}}"

``#`` is the number, written in the language's convention (1 000 in Russian). Every string
:func:`ui_strings` returns formats this way: ``t["report_ratings_count"].format(n=21)`` gives
"21 оценка" in Russian. The category of a count is CLDR's, through Babel, in
:mod:`hiring.render.formats` (with that module's documented overrides); a language's strings
carry exactly the categories :func:`hiring.render.formats.plural_categories` names for it.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any

from hiring.bank.models import SUPPORTED_LANGUAGES
from hiring.errors import InputError, RenderError
from hiring.paths import bundled_templates_dir
from hiring.render.formats import format_integer, plural_category
from hiring.render.icu import plural_blocks

__all__ = ["UIText", "expand_plurals", "plural_category", "plural_forms", "ui_strings"]



def plural_forms(block: str) -> tuple[str, dict[str, str]]:
    """``"n, plural, one {# x} other {# xs}"`` -> ``("n", {"one": "# x", "other": "# xs"})``."""
    blocks = plural_blocks("{" + block + "}")
    if len(blocks) != 1 or blocks[0].end != len(block) + 2:
        raise ValueError(f"expected '{{name, plural, ...}}', got {{{block}}}")
    return blocks[0].name, blocks[0].forms


def expand_plurals(text: str, lang: str, values: dict[str, Any]) -> str:
    """Replace each ``{name, plural, ...}`` block by the form ``values[name]`` needs."""
    out: list[str] = []
    index = 0
    for block in plural_blocks(text):
        count = values[block.name]
        form = block.forms.get(plural_category(lang, count), block.forms["other"])
        number = format_integer(count, lang) if isinstance(count, int) else str(count)
        out += [text[index : block.start], form.replace("#", number)]
        index = block.end
    out.append(text[index:])
    return "".join(out)


class UIText(str):
    """A UI string that knows its language, so ``format`` picks the plural forms.

    >>> UIText("{n, plural, one {# kandidat} other {# kandidater}}", "da").format(n=2)
    '2 kandidater'
    """

    lang: str

    def __new__(cls, text: str, lang: str) -> UIText:
        made = super().__new__(cls, text)
        made.lang = lang
        return made

    def format(self, *args: Any, **values: Any) -> str:
        return str.format(expand_plurals(str(self), self.lang, values), *args, **values)

    def __reduce__(self) -> tuple[Any, ...]:
        return (UIText, (str(self), self.lang))


@lru_cache(maxsize=1)
def _strings_file() -> tuple[Path, bytes]:
    path = bundled_templates_dir() / "strings.yaml"
    try:
        return path, path.read_bytes()
    except OSError as error:
        raise RenderError(f"cannot read the UI strings {path}: {error}") from None


@lru_cache(maxsize=1)
def _all_strings() -> dict[str, dict[str, str]]:
    from hiring.cache import cache_path, load_cached, store_cached

    path, raw = _strings_file()
    # Cached parsed: importing PyYAML and parsing the 55 KB file cost ~30 ms per guide.
    cache = cache_path("strings", [raw])
    cached = load_cached(cache, dict[str, dict[str, str | None]])
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


def bundled_strings() -> dict[str, dict[str, str]]:
    """templates/strings.yaml: key -> language -> text."""
    return _all_strings()


def ui_strings(lang: str) -> dict[str, str]:
    """Every UI string in ``lang`` (English where a translation is missing).

    A language the bank folders in use add (``strings.<lang>.po``, see
    ``hiring.render.catalogs``) is looked up there.

    >>> ui_strings("da")["signature"]
    'Underskrift'
    """
    if lang not in SUPPORTED_LANGUAGES:
        from hiring.render.catalogs import team_texts

        team = team_texts(lang, _all_strings())
        if team is not None:
            return {key: UIText(text, lang) for key, text in team.items()}
    return _bundled_ui_strings(lang)


@lru_cache(maxsize=8)
def _bundled_ui_strings(lang: str) -> dict[str, str]:
    if lang not in SUPPORTED_LANGUAGES:
        raise InputError(
            f"no UI strings for language '{lang}' (supported: {', '.join(SUPPORTED_LANGUAGES)})"
        )
    # Typed as str (callers only read them); each value is a UIText, so .format plurals.
    strings: dict[str, str] = {
        key: UIText(text, lang) for key, text in _language_strings(lang).items()
    }
    return strings


def _language_strings(lang: str) -> dict[str, str]:
    """key -> text in ``lang`` (English where a translation is missing), cached one entry
    per language: reading and checking every language's entry cost a guide 12-17 ms, one
    language's a fifth of that."""
    from hiring.cache import cache_path, load_cached, store_cached

    cache = cache_path(f"ui-strings-{lang}", [_strings_file()[1]])
    cached = load_cached(cache, dict[str, str])
    if cached is not None:
        return cached
    texts = {key: texts.get(lang) or texts["en"] for key, texts in _all_strings().items()}
    store_cached(cache, texts)
    return texts
