"""UI strings with a count use each language's plural forms (issue 16: "1 оценок", "3 оценок").

Expected forms are written out by hand from each language's grammar, not taken from the code.
"""

from __future__ import annotations

import re

import pytest

from hiring.bank.models import SUPPORTED_LANGUAGES
from hiring.render.strings import (
    PLURAL_CATEGORIES,
    _all_strings,
    expand_plurals,
    plural_category,
    plural_forms,
    ui_strings,
)

COUNTS = (1, 2, 5, 11, 21)

RATINGS = {
    "en": ["1 rating", "2 ratings", "5 ratings", "11 ratings", "21 ratings"],
    "da": ["1 bedømmelse", "2 bedømmelser", "5 bedømmelser", "11 bedømmelser", "21 bedømmelser"],
    "ru": ["1 оценка", "2 оценки", "5 оценок", "11 оценок", "21 оценка"],
    "bg": ["1 оценка", "2 оценки", "5 оценки", "11 оценки", "21 оценки"],
    "zh": ["1 个评分", "2 个评分", "5 个评分", "11 个评分", "21 个评分"],
}

# "interviewers disagree on N competencies": Russian по + dative, singular after 1 and 21.
DISAGREE = {
    "en": [
        "1 competency",
        "2 competencies",
        "5 competencies",
        "11 competencies",
        "21 competencies",
    ],
    "da": ["1 kompetence", "2 kompetencer", "5 kompetencer", "11 kompetencer", "21 kompetencer"],
    "ru": [
        "1 компетенции",
        "2 компетенциям",
        "5 компетенциям",
        "11 компетенциям",
        "21 компетенции",
    ],
    "bg": ["1 компетенция", "2 компетенции", "5 компетенции", "11 компетенции", "21 компетенции"],
    "zh": ["1 项能力", "2 项能力", "5 项能力", "11 项能力", "21 项能力"],
}

# "N more are marked": Russian noun and participle agree with the number.
MORE = {
    "ru": [
        "Ещё 1 расхождение с меньшим разбросом отмечено",
        "Ещё 2 расхождения с меньшим разбросом отмечены",
        "Ещё 5 расхождений с меньшим разбросом отмечены",
        "Ещё 11 расхождений с меньшим разбросом отмечены",
        "Ещё 21 расхождение с меньшим разбросом отмечено",
    ],
    "bg": [
        "Още 1 разминаване с по-малко разсейване е отбелязано",
        "Още 2 разминавания с по-малко разсейване са отбелязани",
        "Още 5 разминавания с по-малко разсейване са отбелязани",
        "Още 11 разминавания с по-малко разсейване са отбелязани",
        "Още 21 разминавания с по-малко разсейване са отбелязани",
    ],
    "en": [
        "1 more, with a smaller spread, is marked",
        "2 more, with smaller spreads, are marked",
        "5 more, with smaller spreads, are marked",
        "11 more, with smaller spreads, are marked",
        "21 more, with smaller spreads, are marked",
    ],
}


@pytest.mark.parametrize("lang", SUPPORTED_LANGUAGES)
def test_ratings_count_in_every_language(lang: str) -> None:
    t = ui_strings(lang)
    assert [t["report_ratings_count"].format(n=n) for n in COUNTS] == RATINGS[lang]


@pytest.mark.parametrize("lang", SUPPORTED_LANGUAGES)
def test_disagreement_count_in_every_language(lang: str) -> None:
    t = ui_strings(lang)
    rendered = [t["report_verdict_disagree_count"].format(n=n) for n in COUNTS]
    for text, form in zip(rendered, DISAGREE[lang], strict=True):
        assert form in text, (text, form)


@pytest.mark.parametrize("lang", sorted(MORE))
def test_more_disagreements_agree_with_the_number(lang: str) -> None:
    t = ui_strings(lang)
    rendered = [t["report_disagreements_more"].format(n=n) for n in COUNTS]
    for text, start in zip(rendered, MORE[lang], strict=True):
        assert text.startswith(start), (text, start)


def test_small_panel_uses_the_genitive_after_iz() -> None:
    t = ui_strings("ru")
    assert t["report_small_panel"].format(n=1, typical=21) == "его видели 1 из 21 интервьюера"
    assert t["report_small_panel"].format(n=2, typical=5) == "его видели 2 из 5 интервьюеров"
    assert ui_strings("bg")["report_small_panel"].format(n=1, typical=1) == (
        "видян от 1 от 1 интервюиращ"
    )


def test_russian_rule_matches_cldr() -> None:
    # CLDR ru: one = n%10=1 and n%100!=11; few = n%10=2..4 and n%100!=12..14; many = the rest.
    one = {1, 21, 31, 101, 121, 1001}
    few = {2, 3, 4, 22, 23, 24, 102, 104, 1022}
    many = {0, 5, 9, 10, 11, 12, 13, 14, 15, 19, 20, 25, 100, 111, 112, 114, 1011}
    assert {n for n in one | few | many if plural_category("ru", n) == "one"} == one
    assert {n for n in one | few | many if plural_category("ru", n) == "few"} == few
    assert {n for n in one | few | many if plural_category("ru", n) == "many"} == many


@pytest.mark.parametrize(("lang", "forms"), [("en", 2), ("da", 2), ("bg", 2), ("zh", 1)])
def test_other_languages_rule(lang: str, forms: int) -> None:
    seen = {plural_category(lang, n) for n in range(0, 200)}
    assert len(seen) == forms
    assert plural_category(lang, 1) == ("other" if lang == "zh" else "one")
    assert plural_category(lang, 0) == "other"


def test_every_plural_string_is_well_formed_and_formats() -> None:
    # Every key (also those other teams add) parses, names only its language's categories,
    # and formats with a count for each of its placeholders.
    problems = []
    for key, texts in _all_strings().items():
        for lang in SUPPORTED_LANGUAGES:
            text = str(texts.get(lang) or texts["en"])
            for block in re.findall(r"\{(\w+\s*,\s*plural\s*,.*?\})\}", text):
                _, forms = plural_forms(block)
                stray = set(forms) - set(PLURAL_CATEGORIES[lang])
                if stray:
                    problems.append(f"{key} [{lang}]: categories {sorted(stray)}")
            names = set(re.findall(r"\{(\w+)[,}]", text))
            values = {name: 21 for name in names}
            try:
                rendered = ui_strings(lang)[key].format(**values)
            except (KeyError, ValueError, IndexError) as error:
                problems.append(f"{key} [{lang}]: {error!r}")
                continue
            if "plural" in rendered:
                problems.append(f"{key} [{lang}]: plural block left in {rendered!r}")
    assert problems == []


def test_a_plain_string_is_untouched() -> None:
    assert expand_plurals("{n} min", "ru", {"n": 5}) == "{n} min"
    assert ui_strings("ru")["minutes"].format(n=5) == "5 мин"
    assert expand_plurals("{{literal}} {n, plural, one {#} other {#s}}", "en", {"n": 2}) == (
        "{{literal}} 2s"
    )
