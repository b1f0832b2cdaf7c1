"""A team's own languages: gettext catalogs (``strings.<lang>.po``) in a bank folder.

The five bundled languages keep their UI strings in ``templates/strings.yaml`` (ICU plural
syntax, one line per key). A team adds a language by putting a translated gettext catalog,
``strings.<lang>.po``, at the top of its bank folder; ``hiring strings export --lang de``
writes the catalog to translate (``hiring.render.catalog_export``; the conversion between
ICU and gettext plurals is ``hiring.render.gettext_forms``):

- ``msgctxt`` is the string's key (``report_title``), so two keys with the same English text
  stay two entries; ``msgid`` is the English text;
- a string with a count is a gettext plural (``msgid_plural``, ``msgstr[0]``...), with the
  ``Plural-Forms`` header of the target language from Babel's CLDR data. ``{n}`` in the text
  is the number. A string where some language counts two things at once keeps ICU syntax
  (``{total, plural, one {...} other {...}}``) and says so in a comment;
- ``{name}`` fields are Python brace formats (``#, python-brace-format``: ``msgfmt --check``
  checks them), except where ICU blocks may stand.

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
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from hiring.errors import InputError
from hiring.render.gettext_forms import category_indexes, gettext_form, to_icu

if TYPE_CHECKING:
    from hiring.bank.yaml_reader import Problem

MAX_PO_BYTES = 2_000_000  # strings.yaml holds five languages in ~60 KB
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
            lines.append(f"{_strings(len(self.missing))} missing from the catalog (shown in "
                         f"English; export it again to add them): {listed(self.missing)}")
        if self.untranslated:
            lines.append(f"{_strings(len(self.untranslated))} not translated into "
                         f"'{self.lang}' (shown in English): {listed(self.untranslated)}")
        if self.outdated:
            lines.append(f"{len(self.outdated)} "
                         f"{'translation is' if len(self.outdated) == 1 else 'translations are'}"
                         " of an older English text "
                         f"(shown in English; export the catalog again): {listed(self.outdated)}")
        for item in self.invalid:
            lines.append(f"translation left out (shown in English): {item}")
        if self.unknown:
            lines.append(f"{len(self.unknown)} {'entry' if len(self.unknown) == 1 else 'entries'}"
                         " whose msgctxt is no UI string's key "
                         f"(ignored): {listed(self.unknown)}")
        return lines


def _strings(count: int) -> str:
    """ "1 UI string", "2 UI strings": these lines are English only (a team's tooling)."""
    return f"{count} UI string" + ("" if count == 1 else "s")


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
    return {name: catalog.strings.get(name, texts["en"]) for name, texts in bundled.items()}


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
        indexes = category_indexes(lang, po.plural_expr, count)
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
                strings[key] = to_icu(english[key], wanted, texts, indexes, count)
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


def check_team_catalogs(folders: Sequence[Path], bundled: dict[str, dict[str, str]]
                        ) -> tuple[list[Problem], list[TeamCatalog]]:
    """``bank validate``: each team catalog of the bank folders read; a catalog that cannot
    be read is a problem, the others are returned (see :meth:`TeamCatalog.findings`)."""
    from hiring.bank.load import team_language_files
    from hiring.bank.models import SUPPORTED_LANGUAGES
    from hiring.bank.yaml_reader import Problem

    problems: list[Problem] = []
    catalogs: list[TeamCatalog] = []
    for lang, path in team_language_files(folders).items():
        if lang in SUPPORTED_LANGUAGES:  # never read: said, not ignored silently
            problems.append(Problem(path, 1, 1, f"'{lang}' is bundled with hiring; a bank "
                                    "cannot replace its UI strings (a template folder, "
                                    "--templates, changes wording)"))
    for lang, path in team_languages(folders).items():
        try:
            catalogs.append(read_team_catalog(path, lang, bundled))
        except CatalogError as error:
            problems.append(Problem(error.path, error.line, 1, error.message))
        except InputError as error:
            problems.append(Problem(path, 1, 1, str(error)))
    return problems, catalogs
