"""``hiring strings export``: the UI strings as a gettext catalog to translate."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from hiring.errors import InputError
from hiring.render.catalogs import read_team_catalog, team_languages
from hiring.render.gettext_forms import (
    category_indexes,
    counted_names,
    format_fields,
    gettext_form,
    plural_forms_header,
    plural_name,
    to_msgstr,
)


def export_catalog(lang: str, bundled: dict[str, dict[str, str]], translated: dict[str, str],
                   version: str) -> bytes:
    """The ``.po`` catalog of every UI string for translating into ``lang``: msgctxt = key,
    msgid = English, plurals with ``lang``'s Plural-Forms, ``translated`` (key -> ICU text)
    filled in."""
    import io

    from babel.messages.catalog import Catalog
    from babel.messages.pofile import write_po

    expr, count = plural_forms_header(lang)
    indexes = category_indexes(lang, expr, count)
    categories = ", ".join(sorted(indexes, key=lambda c: indexes[c]))
    catalog = Catalog(locale=lang.replace("-", "_"), project="hiring", version=version,
                      charset="utf-8", fuzzy=not translated,
                      header_comment=f"# hiring's UI strings in '{lang}'.\n"
                      "# msgctxt is the string's key; {name} fields must stay as they are.\n"
                      "# Put this file in the bank folder as strings." + lang + ".po.\n#")
    for key, texts in bundled.items():
        text = texts["en"]
        wanted = gettext_form(texts)
        counts = any(counted_names(other) for other in texts.values() if other)
        comments = []
        if isinstance(wanted, tuple):
            comments.append(f"{{{plural_name(text)}}} is the number; one form per "
                            f"plural index ({categories})")
        elif counts:
            comments.append("ICU plural syntax: keep each '{name, plural, ...}' block and "
                            f"give the forms '{lang}' needs ({categories}); a count the "
                            "English does not inflect may get one")
        # Python brace formats, checked by msgfmt; not where ICU blocks may stand.
        flags = ["python-brace-format"] if isinstance(wanted, tuple) or (
            format_fields(text) and not counts) else []
        string: str | tuple[str, ...] = ("",) * count if isinstance(wanted, tuple) else ""
        if key in translated:
            string = to_msgstr(translated[key], text, wanted, indexes, count)
        message = catalog.add(wanted, string, context=key, auto_comments=comments, flags=flags)
        # Babel guesses formats from the msgid: a '%' ("95% interval") is no printf format,
        # and where ICU blocks may stand in the msgstr it is no Python brace format either.
        for kind in ("python-format", "python-brace-format"):
            if kind in message.flags and kind not in flags:
                message.flags.discard(kind)
                message.flags.add(f"no-{kind}")
    out = io.BytesIO()
    write_po(out, catalog, width=0, omit_header=False)
    return out.getvalue()


def exported_catalog(lang: str, bundled: dict[str, dict[str, str]],
                     folders: Sequence[Path] = ()) -> bytes:
    """``hiring strings export``: the catalog for ``lang``, with the translations hiring
    has: a bundled language's (``bundled``, strings.yaml's data), or those of the bank
    folders' own catalog of a team language."""
    from hiring import __version__
    from hiring.bank.load import TEAM_STRINGS_FILE
    from hiring.bank.models import SUPPORTED_LANGUAGES

    if not TEAM_STRINGS_FILE.match(f"strings.{lang}.po"):
        raise InputError(f"'{lang}' is not a language code (e.g. de, pt-BR)")
    translated: dict[str, str] = {}
    if lang in SUPPORTED_LANGUAGES:
        translated = {key: texts[lang] for key, texts in bundled.items() if texts.get(lang)}
    else:
        path = team_languages(folders).get(lang)
        if path is not None:
            translated = dict(read_team_catalog(path, lang, bundled).strings)
    return export_catalog(lang, bundled, translated, __version__)
