"""A team's own languages: gettext catalogs (``strings.<lang>.po``) in a bank folder.

The five bundled languages keep their UI strings in ``templates/strings.yaml`` (ICU plural
syntax, one line per key). A team adds a language by putting a translated gettext catalog,
``strings.<lang>.po``, at the top of its bank folder; ``hiring strings export --lang de``
writes the catalog to translate:

- ``msgctxt`` is the string's key (``report_title``), so two keys with the same English text
  stay two entries; ``msgid`` is the English text;
- a string with a count is a gettext plural (``msgid_plural``, ``msgstr[0]``...), with the
  ``Plural-Forms`` header of the target language from Babel's CLDR data. ``{n}`` in the text
  is the number. The one string that counts two things at once keeps ICU syntax
  (``{total, plural, one {...} other {...}}``) and says so in a comment;
- ``{name}`` fields are Python brace formats (``#, python-brace-format``: ``msgfmt --check``
  checks them).

Reading a team catalog turns each translation back into the ICU text ``strings.yaml`` holds,
so the rest of hiring (``hiring.render.strings``) sees one format. The catalog is untrusted
input: at most :data:`MAX_PO_BYTES`, UTF-8, a syntax error is one ``InputError`` naming the
file and line, and a translation that names a field the English does not (``{x.__class__}``)
or has the wrong number of plural forms is left out, counted and named. What is not
translated falls back to English, and that is said (``hiring.team_languages``'s ``warn``).
The parsed catalog is cached (``hiring.cache``), keyed by its bytes and the English strings,
so Babel is imported only when a catalog changed or one is exported.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from hiring.errors import InputError

if TYPE_CHECKING:
    from hiring.bank.yaml_reader import Problem

MAX_PO_BYTES = 2_000_000  # strings.yaml holds five languages in ~60 KB
MAX_PLURAL_FORMS_CHARS = 1_000
_FORMAT = "hiring-po-1"  # bump when what a cached catalog holds changes


class CatalogError(InputError):
    """A catalog that cannot be read: one line naming the file and line."""

    def __init__(self, path: Path, line: int, message: str) -> None:
        super().__init__(f"{path}:{line}: {message}")
        self.path, self.line, self.message = path, line, message


@dataclass(frozen=True, kw_only=True)
class TeamCatalog:
    """One team language's UI strings, read from its ``strings.<lang>.po``."""

    lang: str
    path: Path
    strings: dict[str, str]  # key -> text in ICU plural syntax, translated keys only
    missing: list[str]  # keys the catalog has no entry for (added to hiring since)
    untranslated: list[str]  # entries with an empty or fuzzy translation
    outdated: list[str]  # translated from an English text that has changed since
    invalid: list[str]  # "key: why", translations left out
    unknown: list[str]  # msgctxt values that are no UI string's key

    @property
    def fallback_keys(self) -> list[str]:
        """Every key shown in English: untranslated, outdated or invalid."""
        invalid = [item.partition(":")[0] for item in self.invalid]
        return sorted({*self.missing, *self.untranslated, *self.outdated, *invalid})

    def fallback_note(self, total: int) -> str | None:
        """One line saying how many strings are shown in English, or None."""
        count = len(self.fallback_keys)
        if not count:
            return None
        return (f"{self.path}: {count} of {total} UI strings have no usable '{self.lang}' "
                "translation and are shown in English (run 'hiring bank validate' for the keys)")

    def findings(self, shown: int = 10) -> list[str]:
        """What ``bank validate`` says about a team catalog: one line per kind, with the count
        and the first ``shown`` keys."""
        def listed(keys: list[str]) -> str:
            more = (f", and {len(keys) - shown} more (--json lists them all)"
                    if len(keys) > shown else "")
            return ", ".join(keys[:shown]) + more

        lines = []
        if self.missing:
            lines.append(f"{len(self.missing)} UI strings missing from the catalog (shown in "
                         f"English; export it again to add them): {listed(self.missing)}")
        if self.untranslated:
            lines.append(f"{len(self.untranslated)} UI strings not translated into "
                         f"'{self.lang}' (shown in English): {listed(self.untranslated)}")
        if self.outdated:
            lines.append(f"{len(self.outdated)} translations are of an older English text "
                         f"(shown in English; export the catalog again): {listed(self.outdated)}")
        for item in self.invalid:
            lines.append(f"translation left out (shown in English): {item}")
        if self.unknown:
            lines.append(f"{len(self.unknown)} entries whose msgctxt is no UI string's key "
                         f"(ignored): {listed(self.unknown)}")
        return lines


# -- the language lookup --------------------------------------------------------------------

_loaded: dict[tuple[str, int], TeamCatalog | None] = {}


def team_languages(folders: Sequence[Path] | None = None) -> dict[str, Path]:
    """Language -> catalog file, for the languages the bank folders add (not read); the
    folders in use (``hiring.team_languages``) unless ``folders`` are given."""
    from hiring.bank.load import team_language_files
    from hiring.bank.models import SUPPORTED_LANGUAGES
    from hiring.team_languages import in_use

    found = team_language_files(in_use().folders if folders is None else folders)
    return {lang: path for lang, path in found.items() if lang not in SUPPORTED_LANGUAGES}


def speaks(lang: str) -> bool:
    """Whether ``lang`` has UI strings: bundled, or added by a bank folder in use."""
    from hiring.bank.models import SUPPORTED_LANGUAGES

    return lang in SUPPORTED_LANGUAGES or lang in team_languages()


def known_languages(folders: Sequence[Path] | None = None) -> list[str]:
    """The bundled languages, then those the bank folders add."""
    from hiring.bank.models import SUPPORTED_LANGUAGES

    return [*SUPPORTED_LANGUAGES, *sorted(team_languages(folders))]


def team_texts(lang: str, bundled: dict[str, dict[str, str]]) -> dict[str, str] | None:
    """A language the bank folders in use add: every UI string's text in ICU syntax,
    English where the catalog has no usable translation (said once, with the count, to
    the ``warn`` of ``hiring.team_languages``). None if no folder adds ``lang``."""
    from hiring.team_languages import in_use

    state = in_use()
    key = (lang, state.generation)
    if key not in _loaded:
        path = team_languages().get(lang)
        catalog = None if path is None else read_team_catalog(path, lang, bundled)
        _loaded[key] = catalog
        if catalog is not None:
            note = catalog.fallback_note(len(bundled))
            if note is not None and state.warn is not None:
                state.warn(note)
            elif note is not None:
                import warnings

                warnings.warn(note, stacklevel=3)
    catalog = _loaded[key]
    if catalog is None:
        return None
    return {key: catalog.strings.get(key, texts["en"]) for key, texts in bundled.items()}


def language_name(lang: str) -> str:
    """A team language's name in itself, from CLDR ("de" -> "Deutsch"); else the code."""
    from babel import Locale, UnknownLocaleError

    try:
        locale = Locale.parse(lang, sep="-")
        name = locale.get_display_name(locale)
    except (ValueError, TypeError, UnknownLocaleError):
        return lang
    return name[:1].upper() + name[1:] if name else lang


def _english(bundled: dict[str, dict[str, str]]) -> dict[str, str]:
    return {key: texts["en"] for key, texts in bundled.items()}


# -- ICU plural blocks ----------------------------------------------------------------------

_BLOCK_HEAD = re.compile(r"\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*,\s*plural\s*,")
_CATEGORY = re.compile(r"\s*(zero|one|two|few|many|other)\s*\{")


@dataclass(frozen=True)
class _Block:
    start: int
    end: int  # one past the closing brace
    name: str
    forms: dict[str, str]


def _closing(text: str, opening: int) -> int:
    depth = 0
    for index in range(opening, len(text)):
        if text[index] == "{":
            depth += 1
        elif text[index] == "}":
            depth -= 1
            if depth == 0:
                return index
    raise ValueError("a '{' is never closed")


def _blocks(text: str) -> list[_Block]:
    """The ``{name, plural, one {...} other {...}}`` blocks of ``text`` (ValueError if bad)."""
    found: list[_Block] = []
    index = 0
    while (head := _BLOCK_HEAD.search(text, index)) is not None:
        end = _closing(text, head.start())
        forms: dict[str, str] = {}
        position = head.end()
        while (category := _CATEGORY.match(text, position)) is not None and category.end() <= end:
            closing = _closing(text, category.end() - 1)
            forms[category.group(1)] = text[category.end() : closing]
            position = closing + 1
        if text[position:end].strip():
            raise ValueError(f"'{text[position:end].strip()[:40]}' in a plural block")
        if "other" not in forms:
            raise ValueError(f"the plural block of '{head.group(1)}' has no 'other' form")
        found.append(_Block(head.start(), end + 1, head.group(1), forms))
        index = end + 1
    return found


def _resolve(text: str, blocks: list[_Block], category: str, number: str | None) -> str:
    """``text`` with each block replaced by its ``category`` form (else 'other'); ``#`` in
    a form becomes ``number``, or ``{name}`` when ``number`` is None."""
    out, index = [], 0
    for block in blocks:
        form = block.forms.get(category, block.forms["other"])
        out += [text[index : block.start],
                form.replace("#", number if number is not None else "{" + block.name + "}")]
        index = block.end
    out.append(text[index:])
    return "".join(out)


def _fields(text: str) -> set[tuple[str, str, str]]:
    """The ``{field}`` replacements of ``text`` (plural blocks resolved), as
    ``(name, format spec, conversion)``; ValueError if the braces are broken."""
    import string

    blocks = _blocks(text)
    plain = _resolve(text, blocks, "other", "0")
    return {(name, spec or "", conversion or "")
            for _, name, spec, conversion in string.Formatter().parse(plain)
            if name is not None} | {(block.name, "", "") for block in blocks}


def _counted(text: str) -> set[str]:
    try:
        return {block.name for block in _blocks(text)}
    except ValueError:
        return set()


def gettext_form(texts: dict[str, str]) -> str | tuple[str, str]:
    """A string's msgid (its English text), or (msgid, msgid_plural) when it counts one
    thing: the English counts one and no bundled language counts another. Otherwise the
    English keeps its ICU plural blocks (a gettext plural has one number).

    >>> gettext_form({"en": "{n, plural, one {# rating} other {# ratings}} left out"})
    ('{n} rating left out', '{n} ratings left out')
    """
    english = texts["en"]
    blocks = _blocks(english)
    counted = set().union(*(_counted(text) for text in texts.values() if text))
    if not blocks or len(counted) > 1:
        return english
    return _resolve(english, blocks, "one", None), _resolve(english, blocks, "other", None)


def _plural_name(english: str) -> str:
    return _blocks(english)[0].name


# -- plural forms: gettext indexes <-> CLDR categories ------------------------------------

def _category_indexes(lang: str, plural_expr: str, count: int) -> dict[str, int]:
    """Which ``msgstr[i]`` holds each CLDR category of ``lang``, found by evaluating the
    catalog's ``Plural-Forms`` expression on whole numbers of every category."""
    import gettext
    from collections import Counter

    from babel import Locale, UnknownLocaleError

    try:
        rule = Locale.parse(lang, sep="-").plural_form
    except (UnknownLocaleError, ValueError):
        raise InputError(_no_cldr(lang)) from None
    if len(plural_expr) > MAX_PLURAL_FORMS_CHARS:
        raise ValueError("the Plural-Forms expression is too long")
    pick = gettext.c2py(plural_expr)
    seen: dict[str, Counter[int]] = {}
    for number in range(0, 1001):
        seen.setdefault(rule(number), Counter())[int(pick(number))] += 1
    indexes = {category: counter.most_common(1)[0][0] for category, counter in seen.items()}
    for category in [*rule.tags, "other"]:
        indexes.setdefault(category, count - 1)  # 'other' for fractions only (ru)
    if any(not 0 <= index < count for index in indexes.values()):
        raise ValueError(f"the Plural-Forms expression gives an index past nplurals={count}")
    return indexes


def _no_cldr(lang: str) -> str:
    import difflib

    from hiring.bank.models import SUPPORTED_LANGUAGES

    close = difflib.get_close_matches(lang, SUPPORTED_LANGUAGES, n=1, cutoff=0.5)
    hint = f" (did you mean '{close[0]}'?)" if close else ""
    return f"'{lang}' is not a language CLDR knows{hint}"


def plural_forms_header(lang: str) -> tuple[str, int]:
    """The ``Plural-Forms`` expression and form count gettext tools expect for ``lang``."""
    from babel import UnknownLocaleError
    from babel.messages.plurals import get_plural

    try:
        found = get_plural(lang.replace("-", "_"))
    except (UnknownLocaleError, ValueError):
        raise InputError(_no_cldr(lang)) from None
    return found.plural_expr, found.num_plurals


# -- reading a team catalog ---------------------------------------------------------------

def read_team_catalog(path: Path, lang: str, bundled: dict[str, dict[str, str]]
                      ) -> TeamCatalog:
    """Read and check ``strings.<lang>.po`` against the English strings, cached."""
    from hiring.cache import cache_path, load_cached, store_cached

    try:
        size = path.stat().st_size
        if size > MAX_PO_BYTES:
            raise CatalogError(path, 1, f"{size} bytes; a strings catalog is at most "
                               f"{MAX_PO_BYTES} bytes")
        with path.open("rb") as stream:
            raw = stream.read(MAX_PO_BYTES + 1)
    except OSError as error:
        raise CatalogError(path, 1, f"cannot read it: {error.strerror or error}") from None
    if len(raw) > MAX_PO_BYTES:
        raise CatalogError(path, 1, f"a strings catalog is at most {MAX_PO_BYTES} bytes")
    english_bytes = json.dumps(bundled, sort_keys=True, ensure_ascii=False).encode()
    cache = cache_path("team-strings", [_FORMAT.encode(), Path(__file__).read_bytes(),
                                        str(path.resolve()).encode(),
                                        lang.encode(), raw, english_bytes])
    cached = load_cached(cache, TeamCatalog)
    if cached is not None:
        return cached
    catalog = _parse(path, raw, lang, bundled)
    store_cached(cache, catalog)
    return catalog


def _parse(path: Path, raw: bytes, lang: str, bundled: dict[str, dict[str, str]]
           ) -> TeamCatalog:
    from babel.messages.pofile import PoFileError, read_po

    english = _english(bundled)
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        raise CatalogError(path, line, "not UTF-8 text (save the catalog as UTF-8)") from None
    if "\0" in text:
        raise CatalogError(path, text[: text.index("\0")].count("\n") + 1,
                           "a NUL character: not a text file")
    try:
        po = read_po(text.splitlines(keepends=True), locale=None, abort_invalid=True)
    except PoFileError as error:
        line = int(getattr(error, "lineno", 0)) + 1
        raise CatalogError(path, line, "not a gettext catalog line: "
                           f"{str(getattr(error, 'line', '')).strip()[:60]!r}") from None
    except Exception as error:  # noqa: BLE001 - Babel's reader on untrusted bytes
        raise CatalogError(path, 1, f"not a gettext catalog ({error})") from None
    try:
        count = int(po.num_plurals)
        indexes = _category_indexes(lang, po.plural_expr, count)
    except (ValueError, SyntaxError, RecursionError) as error:
        raise CatalogError(path, _header_line(text), "the Plural-Forms header cannot be "
                           f"used ({error})") from None
    strings: dict[str, str] = {}
    untranslated, outdated, invalid, unknown = [], [], [], []
    seen: set[str] = set()
    for message in po:
        if not message.id:
            continue  # the header
        key = message.context
        if key is None or key not in english:
            unknown.append(str(key if key is not None else message.id)[:80])
            continue
        seen.add(key)
        wanted = gettext_form(bundled[key])
        raw_texts = message.string if isinstance(message.string, tuple | list) else (
            message.string,)
        texts = [str(text or "") for text in raw_texts]
        if message.fuzzy or not any(texts):
            untranslated.append(key)
        elif message.id != wanted and (
                not isinstance(message.id, tuple | list) or tuple(message.id) != wanted):
            outdated.append(key)
        else:
            try:
                strings[key] = _to_icu(english[key], wanted, texts, indexes, count)
            except ValueError as error:
                invalid.append(f"{key}: {error}")
    missing = [key for key in english if key not in seen]
    return TeamCatalog(lang=lang, path=path, strings=strings, missing=missing,
                       untranslated=sorted(untranslated),
                       outdated=sorted(outdated), invalid=sorted(invalid), unknown=unknown)


def _header_line(text: str) -> int:
    for number, line in enumerate(text.splitlines(), start=1):
        if "Plural-Forms:" in line:
            return number
    return 1


def _to_icu(english: str, wanted: str | tuple[str, str], texts: list[str],
            indexes: dict[str, int], count: int) -> str:
    """A checked translation in the ICU syntax strings.yaml uses (ValueError if unusable)."""
    if isinstance(wanted, tuple):
        if len(texts) != count:
            raise ValueError(f"{len(texts)} plural forms; the catalog's Plural-Forms has "
                             f"nplurals={count}")
        if not all(texts):
            raise ValueError("a plural form is empty")
        name = _plural_name(english)
        field = "{" + name + "}"
        order = ("zero", "one", "two", "few", "many", "other")
        forms = " ".join(f"{category} {{{texts[indexes[category]].replace(field, '#')}}}"
                         for category in sorted(indexes, key=order.index))
        translated = f"{{{name}, plural, {forms}}}"
    else:
        translated = texts[0]
    try:
        extra = _fields(translated) - _fields(english)
    except ValueError as error:
        raise ValueError(str(error)) from None
    if extra:
        names = ", ".join(sorted(
            "{" + name + (f"!{conversion}" if conversion else "") + (f":{spec}" if spec else "")
            + "}" for name, spec, conversion in extra))
        raise ValueError(f"{names} is not a field of the English text")
    return translated


# -- writing a catalog ----------------------------------------------------------------------

def _category_of_index(indexes: dict[str, int], index: int) -> str:
    for category, found in indexes.items():
        if found == index:
            return category
    return "other"


def _to_msgstr(translated: str, english: str, wanted: str | tuple[str, str],
               indexes: dict[str, int], count: int) -> str | tuple[str, ...]:
    """A translation in ICU syntax as the msgstr (or msgstr[i]) of the entry ``wanted``."""
    if not isinstance(wanted, tuple):
        return translated
    blocks = _blocks(translated)
    name = _plural_name(english)
    if any(block.name != name for block in blocks):
        return ("",) * count  # counts another thing: left for the translator
    return tuple(_resolve(translated, blocks, _category_of_index(indexes, index), None)
                 for index in range(count))


def export_catalog(lang: str, bundled: dict[str, dict[str, str]], translated: dict[str, str],
                   version: str) -> bytes:
    """The ``.po`` catalog of every UI string for translating into ``lang``: msgctxt = key,
    msgid = English, plurals with ``lang``'s Plural-Forms, ``translated`` (key -> ICU text)
    filled in."""
    import io

    from babel.messages.catalog import Catalog
    from babel.messages.pofile import write_po

    expr, count = plural_forms_header(lang)
    indexes = _category_indexes(lang, expr, count)
    categories = ", ".join(sorted(indexes, key=lambda c: indexes[c]))
    catalog = Catalog(locale=lang.replace("-", "_"), project="hiring", version=version,
                      charset="utf-8", fuzzy=not translated,
                      header_comment=f"# hiring's UI strings in '{lang}'.\n"
                      "# msgctxt is the string's key; {name} fields must stay as they are.\n"
                      "# Put this file in the bank folder as strings." + lang + ".po.\n#")
    for key, texts in bundled.items():
        text = texts["en"]
        wanted = gettext_form(texts)
        counts = any(_counted(other) for other in texts.values() if other)
        comments = []
        if isinstance(wanted, tuple):
            comments.append(f"{{{_plural_name(text)}}} is the number; one form per "
                            f"plural index ({categories})")
        elif counts:
            comments.append("ICU plural syntax: keep each '{name, plural, ...}' block and "
                            f"give the forms '{lang}' needs ({categories}); a count the "
                            "English does not inflect may get one")
        # Python brace formats, checked by msgfmt; not where ICU blocks may stand.
        flags = ["python-brace-format"] if isinstance(wanted, tuple) or (
            _fields(text) and not counts) else []
        string: str | tuple[str, ...] = ("",) * count if isinstance(wanted, tuple) else ""
        if key in translated:
            string = _to_msgstr(translated[key], text, wanted, indexes, count)
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


def check_team_catalogs(folders: Sequence[Path], bundled: dict[str, dict[str, str]]
                        ) -> tuple[list[Problem], list[TeamCatalog]]:
    """``bank validate``: each team catalog of the bank folders read; a catalog that cannot
    be read is a problem, the others are returned for :func:`catalog_findings`."""
    from hiring.bank.yaml_reader import Problem

    problems: list[Problem] = []
    catalogs: list[TeamCatalog] = []
    for lang, path in team_languages(folders).items():
        try:
            catalogs.append(read_team_catalog(path, lang, bundled))
        except CatalogError as error:
            problems.append(Problem(error.path, error.line, 1, error.message))
        except InputError as error:
            problems.append(Problem(path, 1, 1, str(error)))
    return problems, catalogs
