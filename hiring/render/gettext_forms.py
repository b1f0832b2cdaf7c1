"""UI strings between two syntaxes: the ICU plural blocks of ``templates/strings.yaml``
(``{n, plural, one {# rating} other {# ratings}}``) and gettext's plural entries
(``msgid "{n} rating"``, ``msgid_plural "{n} ratings"``, ``msgstr[i]``).

Which ``msgstr[i]`` is which CLDR category is not assumed: it is found by evaluating the
catalog's own ``Plural-Forms`` expression on whole numbers of every category, so GNU's
three Russian forms and CLDR's four both read right.
"""

from __future__ import annotations

from hiring.errors import InputError
from hiring.render.icu import PluralBlock, plural_blocks

MAX_PLURAL_FORMS_CHARS = 1_000
_ORDER = ("zero", "one", "two", "few", "many", "other")


# -- ICU plural blocks (read by hiring.render.icu) -------------------------------------

def resolve_plurals(text: str, blocks: list[PluralBlock], category: str, number: str | None
                    ) -> str:
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


def format_fields(text: str) -> set[tuple[str, str, str]]:
    """The ``{field}`` replacements of ``text`` (plural blocks resolved), as
    ``(name, format spec, conversion)``; ValueError if the braces are broken."""
    import string

    blocks = plural_blocks(text)
    plain = resolve_plurals(text, blocks, "other", "0")
    return {(name, spec or "", conversion or "")
            for _, name, spec, conversion in string.Formatter().parse(plain)
            if name is not None} | {(block.name, "", "") for block in blocks}


def counted_names(text: str) -> set[str]:
    try:
        return {block.name for block in plural_blocks(text)}
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
    blocks = plural_blocks(english)
    counted = set().union(*(counted_names(text) for text in texts.values() if text))
    if not blocks or len(counted) > 1:
        return english
    return (resolve_plurals(english, blocks, "one", None),
            resolve_plurals(english, blocks, "other", None))


def plural_name(english: str) -> str:
    return plural_blocks(english)[0].name


# -- plural forms: gettext indexes <-> CLDR categories ------------------------------------

def category_indexes(lang: str, plural_expr: str, count: int) -> dict[str, int]:
    """Which ``msgstr[i]`` holds each CLDR category of ``lang``, found by evaluating the
    catalog's ``Plural-Forms`` expression on whole numbers of every category."""
    import gettext
    from collections import Counter

    from babel import Locale, UnknownLocaleError

    try:
        rule = Locale.parse(lang, sep="-").plural_form
    except (UnknownLocaleError, ValueError):
        raise InputError(no_cldr(lang)) from None
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


def no_cldr(lang: str) -> str:
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
        raise InputError(no_cldr(lang)) from None
    return found.plural_expr, found.num_plurals


def to_icu(english: str, wanted: str | tuple[str, str], texts: list[str],
            indexes: dict[str, int], count: int) -> str:
    """A checked translation in the ICU syntax strings.yaml uses (ValueError if unusable)."""
    if isinstance(wanted, tuple):
        if len(texts) != count:
            raise ValueError(f"{len(texts)} plural forms; the catalog's Plural-Forms has "
                             f"nplurals={count}")
        if not all(texts):
            raise ValueError("a plural form is empty")
        name = plural_name(english)
        field = "{" + name + "}"
        forms = " ".join(f"{category} {{{texts[indexes[category]].replace(field, '#')}}}"
                         for category in sorted(indexes, key=_ORDER.index))
        translated = f"{{{name}, plural, {forms}}}"
    else:
        translated = texts[0]
    try:
        extra = format_fields(translated) - format_fields(english)
    except ValueError as error:
        raise ValueError(str(error)) from None
    if extra:
        names = ", ".join(sorted(
            "{" + name + (f"!{conversion}" if conversion else "") + (f":{spec}" if spec else "")
            + "}" for name, spec, conversion in extra))
        raise ValueError(f"{names} is not a field of the English text")
    return translated


def category_of_index(indexes: dict[str, int], index: int) -> str:
    for category, found in indexes.items():
        if found == index:
            return category
    return "other"


def to_msgstr(translated: str, english: str, wanted: str | tuple[str, str],
               indexes: dict[str, int], count: int) -> str | tuple[str, ...]:
    """A translation in ICU syntax as the msgstr (or msgstr[i]) of the entry ``wanted``."""
    if not isinstance(wanted, tuple):
        return translated
    blocks = plural_blocks(translated)
    name = plural_name(english)
    if any(block.name != name for block in blocks):
        return ("",) * count  # counts another thing: left for the translator
    return tuple(resolve_plurals(translated, blocks, category_of_index(indexes, index), None)
                 for index in range(count))
