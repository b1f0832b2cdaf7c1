"""Numbers, percentages and dates in each language's CLDR convention (issue 23): Danish,
Russian and Bulgarian pages print "1,4", not "1.4"; machine outputs stay locale-free.

The expected forms are CLDR's conventions written out by hand (decimal comma and "."
grouping in Danish, a no-break space in Russian and Bulgarian; "7. dec. 2026", "7 дек. 2026 г.",
"7.12.2026 г."), not taken from the code.
"""

from __future__ import annotations

import datetime as dt
import html
import json
import re
import subprocess
import sys
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from hiring.render.formats import (
    format_date,
    format_integer,
    format_number,
    format_percent,
    generated_stamp,
)

MOMENT = dt.datetime(2026, 12, 7, 11, 5, tzinfo=dt.UTC)
STAMP = {  # the report's "generated" time for MOMENT
    "en": "Dec 7, 2026 11:05 AM UTC",
    "da": "7. dec. 2026 11.05 UTC",
    "ru": "7 дек. 2026 г. 11:05 UTC",
    "bg": "7.12.2026 г. 11:05 UTC",
    "zh": "2026年12月7日 11:05 UTC",
}


def spaces(text: str) -> str:
    """CLDR's no-break and narrow no-break spaces as plain spaces, runs collapsed."""
    return re.sub(r"\s+", " ", text.replace("\xa0", " ").replace("\u202f", " "))


@pytest.mark.parametrize(("lang", "decimal", "grouped", "negative", "percent", "share", "date"), [
    ("en", "1.4", "12,345.6", "−0.35", "42%", "42.5%", "Dec 7, 2026"),
    ("da", "1,4", "12.345,6", "−0,35", "42 %", "42,5 %", "7. dec. 2026"),
    ("ru", "1,4", "12 345,6", "−0,35", "42 %", "42,5 %", "7 дек. 2026 г."),
    ("bg", "1,4", "12 345,6", "−0,35", "42%", "42,5%", "7.12.2026 г."),
    ("zh", "1.4", "12,345.6", "−0.35", "42%", "42.5%", "2026年12月7日"),
])
def test_each_languages_convention(lang: str, decimal: str, grouped: str, negative: str,
                                   percent: str, share: str, date: str) -> None:
    assert format_number(1.44, lang) == decimal
    assert spaces(format_number(12345.64, lang)) == grouped
    assert format_number(-0.351, lang, 2) == negative
    assert format_number(-0.04, lang) == format_number(0.0, lang)  # never "−0,0"
    assert format_number(0.25, lang, 2, signed=True).startswith("+0")
    assert spaces(format_percent(0.42, lang)) == percent
    assert spaces(format_percent(0.425, lang, 1)) == share
    assert spaces(format_date(dt.date(2026, 12, 7), lang)) == date
    assert spaces(generated_stamp(lang, MOMENT)["generated"]) == STAMP[lang]
    assert generated_stamp(lang, MOMENT)["generated_iso"] == "2026-12-07T11:05+00:00"


def test_counts_are_grouped_but_small_ones_need_no_babel() -> None:
    assert format_integer(21, "ru") == "21" and format_integer(-3, "en") == "−3"
    assert spaces(format_integer(12345, "ru")) == "12 345"
    assert format_integer(12345, "da") == "12.345"
    code = (
        "import sys\n"
        "from hiring.render.strings import ui_strings\n"
        "t = ui_strings('ru')\n"
        "print(t['signature'], t['minutes'].format(n=5), 'babel' in sys.modules)\n"
        "print(t['report_ratings_count'].format(n=21), 'babel' in sys.modules)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True, cwd=Path(__file__).parent.parent).stdout.splitlines()
    # Plain strings never load Babel (~20 ms); the first plural does.
    assert out == ["Подпись 5 мин False", "21 оценка True"]


# -- the reports ------------------------------------------------------------------------------

DECIMAL = {"en": ".", "da": ",", "ru": ",", "bg": ","}
CITATIONS = ("1607.4",)  # 29 CFR 1607.4(D): a section number, not a quantity


def _text(page: str) -> str:
    page = re.sub(r"<(style|script)\b.*?</\1>", " ", page, flags=re.S)
    return spaces(html.unescape(re.sub(r"<[^>]+>", " ", page)))


def _decimals(text: str, mark: str) -> Counter[str]:
    """Every number with a decimal part, written with ``mark``, as "x.y"."""
    other = "," if mark == "." else "."
    # Not part of a longer number ("2.000,5"), but "4,7–4,9, 42" holds "4,9".
    found = re.findall(rf"(?<![\d{re.escape(other)}{re.escape(mark)}])(\d+){re.escape(mark)}"
                       rf"(\d+)(?!\d|[.,]\d)", text)
    return Counter(f"{whole}.{part}" for whole, part in found)


@pytest.fixture(scope="module")
def reports(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """The comparison, validity and fairness reports of one synthetic history in en, da, ru
    and bg, generated at MOMENT."""
    import hiring.reports.context as context
    import hiring.reports.fairness_page as fairness_page
    import hiring.reports.validity_page as validity_page
    from hiring.bank import load_bank
    from hiring.demo.history import (
        HISTORY_ROLE,
        QA_MEASURE,
        synthetic_history,
        write_history,
    )
    from hiring.reports.build import build_compare_report
    from hiring.store import open_store

    folder = tmp_path_factory.mktemp("formats")
    bank = load_bank(None)
    pages: dict[str, Any] = {}
    with pytest.MonkeyPatch.context() as patch:
        for module in (context, fairness_page, validity_page):
            patch.setattr(module, "generated_stamp", lambda lang: generated_stamp(lang, MOMENT))
        with open_store(folder / "history.db") as store:
            write_history(store, bank, synthetic_history(bank, n=60), folder)
            for lang in DECIMAL:
                compare, validity = folder / f"c-{lang}.html", folder / f"v-{lang}.html"
                build_compare_report(store, bank, HISTORY_ROLE, None, None, lang, None, compare,
                                     detail=3)
                validity_page.build_validity_report(store, bank, HISTORY_ROLE, QA_MEASURE,
                                                    lang, None, validity)
                fairness = folder / f"f-{lang}.html"
                fairness_page.build_fairness_report(store, bank, HISTORY_ROLE, None, lang, None,
                                                    fairness)
                pages[lang] = {kind: (folder / f"{kind[0]}-{lang}.html").read_text("utf-8")
                               for kind in ("compare", "validity", "fairness")}
            pdf = folder / "c-da.pdf"
            build_compare_report(store, bank, HISTORY_ROLE, None, None, "da", None, pdf,
                                 detail=1)
            pages["da-pdf"] = pdf
            figures = build_compare_report(store, bank, HISTORY_ROLE, None, None, "da", None,
                                           None, detail=1).figures
            pages["da-json"] = json.dumps(figures, default=str)
    return pages


@pytest.mark.parametrize("lang", ["da", "ru", "bg"])
@pytest.mark.parametrize("kind", ["compare", "validity", "fairness"])
def test_reports_print_decimal_commas(reports: dict[str, Any], lang: str, kind: str) -> None:
    english = _decimals(_text(reports["en"][kind]), ".")
    for citation in CITATIONS:
        del english[citation]
    local_text = _text(reports[lang][kind])
    local = _decimals(local_text, ",")
    # Every decimal the English page prints ("4.6") is on this page as "4,6", as often.
    assert sum(english.values()) > {"compare": 500, "validity": 40, "fairness": 40}[kind]
    missing = english - local
    assert missing == Counter(), list(missing.items())[:10]
    # ... and no decimal point is left, but in the Danish time ("11.05") and Danish grouped
    # thousands ("1.476 bedømmelser", "2.000 gange").
    points = [n for n in _decimals(local_text, ".") if n not in ("11.05", *CITATIONS)
              and not (lang == "da" and re.fullmatch(r"\d{1,3}\.\d{3}", n))]
    assert points == []


@pytest.mark.parametrize("lang", ["en", "da", "ru", "bg"])
def test_reports_print_the_date_in_the_language(reports: dict[str, Any], lang: str) -> None:
    for kind in ("compare", "validity", "fairness"):
        stamps = re.findall(r'<time datetime="([^"]+)">([^<]+)</time>', reports[lang][kind])
        assert [(iso, spaces(text)) for iso, text in stamps] == [
            ("2026-12-07T11:05+00:00", STAMP[lang])]


@pytest.mark.parametrize(("lang", "sign"), [("en", "%"), ("da", " %"), ("ru", " %"),
                                            ("bg", "%")])
def test_validity_percentages_in_the_language(reports: dict[str, Any], lang: str,
                                              sign: str) -> None:
    text = _text(reports[lang]["validity"])
    english = re.findall(r"(\d+)%", _text(reports["en"]["validity"]))
    shares = re.findall(r"(\d+)" + re.escape(sign) + r"(?!\w)", text)
    assert len(english) > 10
    # The ceiling shares (and the 50% mark) as the language writes them, one for one.
    assert Counter(english) - Counter(shares) == Counter()
    if sign == " %":
        assert re.search(r"\d%", text.replace("95%", "")) is None


def test_danish_pdf_reads_back_with_commas(reports: dict[str, Any]) -> None:
    text = spaces(subprocess.run(["pdftotext", "-enc", "UTF-8", str(reports["da-pdf"]), "-"],
                                 capture_output=True, text=True, check=True).stdout)
    assert STAMP["da"].upper() in text.upper()  # the kicker is set in capitals
    english_scores = _decimals(_text(reports["en"]["compare"]), ".")
    top = english_scores.most_common(3)
    for number, _ in top:
        assert number.replace(".", ",") in text, number
    assert re.search(r"\b\d\.\d\b", text.replace("11.05", "")) is None


def test_machine_output_stays_locale_free(reports: dict[str, Any]) -> None:
    # --json of a Danish report: numbers are JSON numbers, never "4,6" strings.
    figures = json.loads(reports["da-json"])
    first = figures["ranking"][0]["score"]["mean"]
    assert isinstance(first, float)
    assert not re.search(r'"\d+,\d+"', reports["da-json"])


def test_a_danish_kit_prints_the_date_in_danish(tmp_path: Path) -> None:
    from tests.cli_helpers import ok

    expected = {"en": "Dec 7, 2026", "da": "7. dec. 2026", "ru": "7 дек. 2026 г.",
                "bg": "7.12.2026 г.", "zh": "2026年12月7日"}
    for lang, date in expected.items():
        out = tmp_path / f"g-{lang}.html"
        ok(str(tmp_path / "h.db"), "guide", "build", "--role", "inbound-agent", "--lang", lang,
           "--date", "2026-12-07", "--out", str(out), bank=None)
        assert date in spaces(_text(out.read_text(encoding="utf-8"))), lang


@pytest.mark.parametrize(("lang", "expected"), [
    ("en", "Dec 8, 2026 11:00 AM (UTC+01:00)"),
    ("da", "8. dec. 2026 11.00 (UTC+01:00)"),
    ("ru", "8 дек. 2026 г. 11:00 (UTC+01:00)"),
    ("bg", "8.12.2026 г. 11:00 (UTC+01:00)"),
])
def test_mail_times_in_the_readers_language(monkeypatch: pytest.MonkeyPatch, lang: str,
                                            expected: str) -> None:
    import time

    from hiring.mail.messages import local_time

    monkeypatch.setenv("TZ", "Europe/Copenhagen")
    time.tzset()
    try:
        assert spaces(local_time(dt.datetime(2026, 12, 8, 10, 0, tzinfo=dt.UTC), lang)) == (
            expected)
    finally:
        monkeypatch.undo()
        time.tzset()


def test_score_enter_says_when_in_the_prompts_language(tmp_path: Path) -> None:
    # Terminal output where a language is chosen: "уже сдан (7 дек. 2026 г. 11:05 UTC)".
    from tests.cli_helpers import ok

    db = str(tmp_path / "h.db")
    ok(db, "candidate", "add", "Jo", "--role", "inbound-agent")
    enter = ["score", "enter", "--candidate", "Jo", "--interviewer", "Ann", "--round", "panel"]
    ok(db, *enter, input="4\nhelped\n2\nstayed calm\nYes\ny\n")
    today = dt.datetime.now(dt.UTC).date()
    said = spaces(ok(db, *enter, "--lang", "ru").strip().splitlines()[-1])
    assert said.startswith(f"уже сдан ({spaces(format_date(today, 'ru'))} ")
    assert re.fullmatch(r"уже сдан \(\d{1,2} [а-я]+\.? \d{4} г\. \d{2}:\d{2} UTC\)", said), said
    english = spaces(ok(db, *enter).strip().splitlines()[-1])
    assert re.fullmatch(r"already submitted \([A-Z][a-z]{2} \d{1,2}, \d{4} \d{1,2}:\d{2} [AP]M"
                        r" UTC\)", english), english
