"""Every UI string exists in all five languages (the fallback to English is never needed)."""

from __future__ import annotations

from hiring.bank.models import SUPPORTED_LANGUAGES
from hiring.render.strings import _all_strings, ui_strings


def test_every_ui_string_in_every_language() -> None:
    strings = _all_strings()
    assert len(strings) > 100  # guide and report strings
    missing = [
        f"{key} [{lang}]"
        for key, texts in strings.items()
        for lang in SUPPORTED_LANGUAGES
        if not str(texts.get(lang) or "").strip()
    ]
    assert missing == []


def test_languages_differ_where_they_should() -> None:
    # A string copied from English into another language is a missed translation.
    english = ui_strings("en")
    for lang in ("da", "ru", "bg", "zh"):
        same = [k for k, v in ui_strings(lang).items() if v == english[k] and len(v) > 12]
        assert same == [], (lang, same)
