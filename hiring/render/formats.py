"""Each language's conventions for numbers, percentages, dates and plural forms, from CLDR
through Babel. The one place pages and terminal text get them from.

Danish, Russian and Bulgarian write a decimal comma (``1,4``), Danish and Russian put a space
before the percent sign (``42 %``), dates follow the language's medium format
(``7. dec. 2026``, ``7 дек. 2026 г.``). English output stays as it was (``1.4``, ``42%``).
Machine outputs (``--json``, CSV) do not come here: their numbers stay numbers.

Plural categories (https://www.unicode.org/cldr/charts/latest/supplemental/language_plural_rules.html)
come from ``babel.Locale(lang).plural_form``; :data:`PLURAL_OVERRIDES` holds a language's
documented exceptions (none today, see there for Bulgarian).

Babel is imported inside the functions: ``import babel`` plus one locale's data costs ~20 ms,
which commands that print no localised number or plural do not pay.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from functools import lru_cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from babel import Locale

MINUS = "\u2212"  # a typographic minus: "−0.3", never a hyphen
CLDR_ORDER = ("zero", "one", "two", "few", "many", "other")

# Exceptions to CLDR's plural rule, per language: a function of the number that returns a
# category, or None to keep CLDR's. Empty on purpose, and this is where one would go.
#
# Bulgarian (checked, no override): CLDR gives bg one = "n is 1", other = the rest. Bulgarian
# grammar puts the noun in the singular only after the numeral "един/една/едно" itself; after a
# compound numeral ending in one (21 "двадесет и един", 101 "сто и един") the noun is plural,
# and a masculine non-person noun takes its counted form (бройна форма) as after any numeral:
# "21 въпроса" (двадесет и един въпроса), "101 далматинеца". The Institute for Bulgarian
# Language says so: only "101 желания, 1001 рецепти, 31 списания, 51 години" are correct, not
# "101 желание, 51 година"; the singular after 21 is the error of agreeing with the last digit
# only (https://ibl.bas.bg/ezikovi_spravki/101-zhelaniya/). That is CLDR's one/other exactly,
# so every Bulgarian "other" form in templates/strings.yaml is the counted form for masculine
# non-person nouns ("# въпроса") and the plain plural otherwise ("# кандидати", "# оценки").
# The "двадесет и един въпрос" is the colloquial form, not the norm. Tests:
# tests/test_render_plurals.py (test_bulgarian_counted_form_after_...).
PLURAL_OVERRIDES: dict[str, Callable[[int | float], str | None]] = {}


def _tag(lang: str) -> str:
    return lang.replace("-", "_")


@lru_cache(maxsize=32)
def _locale(lang: str) -> Locale | None:
    """Babel's locale for a language tag; None for a tag CLDR does not know."""
    from babel import Locale, UnknownLocaleError

    try:
        return Locale.parse(_tag(lang))
    except (UnknownLocaleError, ValueError):
        return None


def _number_locale(lang: str) -> Locale:
    from babel import Locale

    return _locale(lang) or Locale.parse("en")


def plural_category(lang: str, n: int | float) -> str:
    """The CLDR plural category of ``n`` in ``lang`` ("one", "few", "many", "other", ...).

    A tag CLDR does not know gets "other", CLDR's root rule.

    >>> plural_category("ru", 21), plural_category("ru", 11), plural_category("ru", 3)
    ('one', 'many', 'few')
    """
    override = PLURAL_OVERRIDES.get(lang)
    if override is not None:
        category = override(n)
        if category is not None:
            return category
    locale = _locale(lang)
    if locale is None:
        return "other"
    return str(locale.plural_form(abs(n)))


@lru_cache(maxsize=32)
def plural_categories(lang: str) -> tuple[str, ...]:
    """The categories ``lang`` uses, in CLDR order; always ends with "other".

    >>> plural_categories("ru"), plural_categories("zh")
    (('one', 'few', 'many', 'other'), ('other',))
    """
    locale = _locale(lang)
    tags = set(locale.plural_form.tags) if locale is not None else set()
    return tuple(c for c in CLDR_ORDER if c in tags or c == "other")


def gettext_plural_forms(lang: str) -> str:
    """The gettext ``Plural-Forms`` header for ``lang``: ``msgstr[i]`` is the form of
    ``plural_categories(lang)[i]``.

    >>> gettext_plural_forms("da")
    'nplurals=2; plural=((((n == 1)) || ((!((0 == 0))) && ((n == 0) || (n == 1)))) ? 0 : 1);'
    """
    from babel.plural import to_gettext

    locale = _locale(lang)
    if locale is None:
        return "nplurals=1; plural=0;"
    return str(to_gettext(locale.plural_form))


def _signed(body: str, negative: bool, signed: bool) -> str:
    return (MINUS if negative else "+" if signed else "") + body


def format_number(value: float, lang: str, digits: int = 1, signed: bool = False) -> str:
    r"""``value`` with ``digits`` decimals in ``lang``'s convention.

    >>> format_number(1.44, "da"), format_number(-0.04, "en"), format_number(1234.5, "ru")
    ('1,4', '0.0', '1\xa0234,5')
    """
    rounded = round(float(value), digits) + 0.0  # -0.04 prints as 0.0, never "−0.0"
    symbols = _plain_symbols(lang)
    if symbols is not None:  # Babel's answer (checked), ~8x faster: a report prints thousands
        body = _plain(abs(rounded), digits, *symbols)
    else:
        body = _babel_number(abs(rounded), lang, digits)
    return _signed(body, rounded < 0, signed)


def _babel_number(value: float, lang: str, digits: int) -> str:
    from babel.numbers import format_decimal

    locale = _number_locale(lang)
    # The language's own pattern (its grouping: "#,##,##0" in Hindi), with our decimals.
    native = str(locale.decimal_formats[None].pattern).split(";")[0].split(".")[0]
    pattern = native + ("." + "0" * digits if digits > 0 else "")
    return str(format_decimal(value, format=pattern, locale=locale,
                              decimal_quantization=True, group_separator=True))


def _plain(value: float, digits: int, decimal: str, group: str) -> str:
    return f"{value:,.{digits}f}".translate({ord(","): group, ord("."): decimal})


@lru_cache(maxsize=32)
def _plain_symbols(lang: str) -> tuple[str, str] | None:
    """(decimal mark, group separator) when ``lang`` writes numbers as Python's "{:,.Nf}"
    with its own two symbols (checked against Babel on probes), else None."""
    from babel.numbers import get_decimal_symbol, get_group_symbol

    locale = _number_locale(lang)
    symbols = (str(get_decimal_symbol(locale)), str(get_group_symbol(locale)))
    probes = [(0.5, 1), (12.25, 2), (1234.5, 1), (1234567.0, 0), (98765.432, 3)]
    if all(_plain(v, d, *symbols) == _babel_number(v, lang, d) for v, d in probes):
        return symbols
    return None


def format_integer(n: int, lang: str) -> str:
    """A count in ``lang``'s convention: ``1234`` is "1,234" in English, "1.234" in Danish.

    Below 1000 every bundled language prints the plain digits, so Babel is not loaded for them.
    """
    if -1000 < n < 1000 and _plain_digits(lang):
        return str(n).replace("-", MINUS)
    return _signed(_babel_number(abs(n), lang, 0), n < 0, False)


def _plain_digits(lang: str) -> bool:
    # Languages whose CLDR default numbering system is latn (0-9): counts below 1000 print as-is.
    return lang.split("_")[0].split("-")[0] in {"en", "da", "ru", "bg", "zh", "de"}


def format_percent(share: float, lang: str, digits: int = 0) -> str:
    r"""A share as a percentage in ``lang``'s convention.

    >>> format_percent(0.423, "en"), format_percent(0.423, "da"), format_percent(0.4236, "ru", 1)
    ('42%', '42\xa0%', '42,4\xa0%')
    """
    from babel.numbers import format_percent as babel_percent

    # The locale's own pattern decides the spacing ("42 %" in Danish); only the decimals are ours.
    locale = _number_locale(lang)
    native = str(locale.percent_formats[None].pattern).split(";")[0]
    if "#,##0" not in native:
        native = "#,##0%"
    pattern = native.replace("#,##0", "#,##0" + ("." + "0" * digits if digits > 0 else ""), 1)
    rounded = round(float(share), digits + 2) + 0.0
    body = babel_percent(abs(rounded), format=pattern, locale=locale, decimal_quantization=True)
    return _signed(body, rounded < 0, False)


def decimal_symbol(lang: str) -> str:
    """"," or "." (and so whether a list of numbers needs ";" between them)."""
    from babel.numbers import get_decimal_symbol

    return str(get_decimal_symbol(_number_locale(lang)))


def list_separator(lang: str) -> str:
    """", " between numbers where the decimal mark is a point, "; " where it is a comma."""
    return "; " if decimal_symbol(lang) == "," else ", "


def format_date(day: dt.date, lang: str) -> str:
    """A date in ``lang``'s medium format: "Dec 7, 2026", "7. dec. 2026", "7 дек. 2026 г."."""
    from babel.dates import format_date as babel_date

    return str(babel_date(day, format="medium", locale=_number_locale(lang)))


def format_date_time(moment: dt.datetime, lang: str) -> str:
    """The medium date and the short time of ``moment`` as it is (its own time zone):
    "Dec 7, 2026 11:05 AM", "7. dec. 2026 11.05"."""
    from babel.dates import format_time

    time = format_time(moment.time(), format="short", locale=_number_locale(lang))
    return f"{format_date(moment.date(), lang)} {time}"


def format_timestamp(moment: dt.datetime, lang: str) -> str:
    """A UTC time stamp: the medium date, the short time, "UTC"."""
    return f"{format_date_time(moment.astimezone(dt.UTC), lang)} UTC"


def generated_stamp(lang: str, moment: dt.datetime | None = None) -> dict[str, str]:
    """A page's "generated" time: ``generated`` for the reader, ``generated_iso`` for the
    ``<time datetime>`` attribute."""
    moment = (moment or dt.datetime.now(dt.UTC)).astimezone(dt.UTC)
    return {"generated": format_timestamp(moment, lang),
            "generated_iso": moment.isoformat(timespec="minutes")}
