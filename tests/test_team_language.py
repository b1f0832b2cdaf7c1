"""A team's own language: a bank folder with German texts and ``strings.de.po`` makes
``--lang de`` work for kits and reports; ``hiring strings export`` writes the catalog a
translator's tools read; ``bank validate`` says what is not translated and names a language
key that is no language (``dk:``)."""

from __future__ import annotations

import io
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml
from typer.testing import CliRunner

from hiring.cli import app
from tests.conftest import SMALL_BANK
from tests.json_schemas import check_json_output

# German for the small bank's texts that a page shows (checked by a German speaker's eye:
# ordinary recruiting words); every other text gets "[de] " + the English.
BANK_GERMAN = {
    "Teamwork": "Teamarbeit",
    "Avoiding arguments with customers": "Streit mit Kunden vermeiden",
    "Inbound agent": "Kundenberater",
    "Tell me about a time you helped a colleague with a difficult call.":
        "Erzählen Sie von einem Mal, als Sie einer Kollegin bei einem schwierigen Anruf "
        "geholfen haben.",
}
# The UI strings the test translates (msgctxt -> msgstr, or the plural forms).
UI_GERMAN: dict[str, str | tuple[str, str]] = {
    "guide_title": "Interviewleitfaden",
    "candidate": "Kandidat",
    "signature": "Unterschrift",
    "report_title": "Kandidatenvergleich",
    "report_ratings_count": ("{n} Bewertung", "{n} Bewertungen"),
}


def _add_german(node: Any) -> Any:
    """Every localised text ({en: ..., da: ...}) of a bank file with a German text added."""
    if isinstance(node, dict):
        if "en" in node and all(isinstance(v, str) for v in node.values()):
            return {**node, "de": BANK_GERMAN.get(node["en"], "[de] " + node["en"])}
        return {key: _add_german(value) for key, value in node.items()}
    if isinstance(node, list):
        return [_add_german(item) for item in node]
    return node


def german_bank(folder: Path, translations: dict[str, str | tuple[str, str]] = UI_GERMAN
                ) -> Path:
    """The small test bank with German texts, its role offered in German, and a
    ``strings.de.po`` exported by hiring with ``translations`` filled in (Babel's writer)."""
    from babel.messages.pofile import read_po, write_po

    from hiring.bank.yaml_reader import read_yaml

    shutil.copytree(SMALL_BANK, folder)
    for path in folder.rglob("*.yaml"):
        read, problems = read_yaml(path)
        assert read is not None, problems
        data = _add_german(read.data)
        if "role" in data:
            data["role"]["languages"] = ["en", "da", "de"]
        path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False),
                        encoding="utf-8")
    template = folder.parent / "template.de.po"
    done = CliRunner().invoke(app, ["strings", "export", "--lang", "de", "--out", str(template)])
    assert done.exit_code == 0, done.output
    catalog = read_po(io.BytesIO(template.read_bytes()))
    for message in catalog:
        if message.context in translations:
            message.string = translations[message.context]
    catalog.fuzzy = False
    out = io.BytesIO()
    write_po(out, catalog)
    (folder / "strings.de.po").write_bytes(out.getvalue())
    return folder


def cli(*args: str) -> Any:
    return CliRunner().invoke(app, list(args))


def pdf_text(path: Path) -> str:
    return subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True,
                          check=True).stdout


@pytest.fixture
def de_bank(tmp_path: Path) -> Path:
    return german_bank(tmp_path / "bank")


# -- the catalog a translator gets ----------------------------------------------------------

@pytest.mark.skipif(shutil.which("msgfmt") is None, reason="needs gettext")
@pytest.mark.parametrize("lang", ["da", "ru", "bg", "zh", "de"])
def test_gettext_accepts_every_exported_catalog(tmp_path: Path, lang: str) -> None:
    """GNU gettext's own checker, brace formats included, on the template and on each
    bundled language's filled-in catalog."""
    out = tmp_path / f"{lang}.po"
    assert cli("strings", "export", "--lang", lang, "--out", str(out)).exit_code == 0
    checked = subprocess.run(["msgfmt", "--check", "-o", os.devnull, str(out)],
                             capture_output=True, text=True)
    assert checked.returncode == 0, checked.stderr


def test_export_writes_a_catalog_babel_reads(tmp_path: Path) -> None:
    from babel.messages.pofile import read_po

    from hiring.render.strings import bundled_strings

    out = tmp_path / "de.po"
    done = cli("strings", "export", "--lang", "de", "--out", str(out))
    keys = list(bundled_strings())
    assert done.exit_code == 0, done.output
    assert done.stdout.strip() == f"wrote {out} ({len(keys)} strings to translate into 'de')"
    catalog = read_po(io.BytesIO(out.read_bytes()))
    assert catalog.plural_forms == "nplurals=2; plural=(n != 1);"  # German: one, other
    assert str(catalog.locale) == "de"
    entries = {message.context: message for message in catalog if message.id}
    assert sorted(entries) == sorted(keys)  # msgctxt = key: one entry per string
    assert entries["guide_title"].id == "Interview guide"
    assert entries["guide_title"].string == ""  # a template: nothing translated
    ratings = entries["report_ratings_count"]
    assert ratings.id == ("{n} rating", "{n} ratings")  # msgid / msgid_plural
    assert ratings.pluralizable and "python-brace-format" in ratings.flags
    # A '%' is not a printf format here: gettext must not check it as one.
    assert ('#, no-python-format\nmsgctxt "report_interval"\nmsgid "95% interval"'
            in out.read_text(encoding="utf-8"))
    # Counting two things at once stays ICU, said in a comment for the translator.
    assert "{total, plural," in entries["report_completeness_value"].id
    assert any("ICU plural" in c for c in entries["report_completeness_value"].auto_comments)


def test_export_of_a_bundled_language_has_its_translations(tmp_path: Path) -> None:
    from babel.messages.pofile import read_po

    out = tmp_path / "ru.po"
    assert cli("strings", "export", "--lang", "ru", "--out", str(out)).exit_code == 0
    catalog = read_po(io.BytesIO(out.read_bytes()))
    assert catalog.num_plurals == 3  # one (1, 21), few (2-4, 22), many (5-20, 11)
    entries = {message.context: message for message in catalog if message.id}
    # templates/strings.yaml: {n, plural, one {# оценка} few {# оценки} many {# оценок} ...}
    assert entries["report_ratings_count"].string == ("{n} оценка", "{n} оценки", "{n} оценок")
    assert entries["signature"].string == "Подпись"


@pytest.mark.parametrize("lang", ["da", "ru", "bg", "zh"])
def test_a_bundled_language_read_back_from_its_catalog_says_the_same(
        tmp_path: Path, lang: str) -> None:
    """Export, then read as a team's catalog: every string, at every count, reads the same as
    strings.yaml's (the conversion to gettext plurals and back loses nothing)."""
    from hiring.render.catalogs import read_team_catalog
    from hiring.render.gettext_forms import format_fields
    from hiring.render.strings import UIText, bundled_strings

    out = tmp_path / f"strings.{lang}.po"
    assert cli("strings", "export", "--lang", lang, "--out", str(out)).exit_code == 0
    bundled = bundled_strings()
    english = {key: texts["en"] for key, texts in bundled.items()}
    catalog = read_team_catalog(out, lang, bundled)
    assert catalog.invalid == [] and catalog.outdated == [] and catalog.missing == []
    assert len(catalog.strings) == sum(1 for texts in bundled.values() if texts.get(lang))
    for key, text in catalog.strings.items():
        both = format_fields(bundled[key][lang]) | format_fields(english[key])
        names = {name for name, _, _ in both}
        for count in (0, 1, 2, 5, 11, 21, 22, 101):
            values = dict.fromkeys(names, count)
            assert (UIText(text, lang).format(**values)
                    == UIText(bundled[key][lang], lang).format(**values)), (key, count)


def test_export_refuses_what_is_no_language(tmp_path: Path) -> None:
    done = cli("strings", "export", "--lang", "dk", "--out", str(tmp_path / "x.po"))
    assert done.exit_code == 1
    assert done.stderr.strip() == "Error: 'dk' is not a language CLDR knows (did you mean 'da'?)"
    assert not (tmp_path / "x.po").exists()


# -- a German team ----------------------------------------------------------------------------

def test_lang_de_needs_the_banks_catalog(de_bank: Path, tmp_path: Path) -> None:
    args = ["guide", "build", "--role", "inbound-agent", "--round", "panel", "--lang", "de",
            "--candidate", "Anna", "--format", "html", "--out", str(tmp_path / "g.html")]
    refused = cli("--bank", str(SMALL_BANK), *args)
    assert refused.exit_code == 1
    assert refused.stderr.strip() == (
        "Error: --lang 'de' is not a language hiring knows (one of: en, da, ru, bg, zh; a bank "
        "folder adds one with strings.de.po, see 'hiring strings export')")
    done = cli("--bank", str(de_bank), *args)
    assert done.exit_code == 0, done.output
    html = (tmp_path / "g.html").read_text(encoding="utf-8")
    assert "Interviewleitfaden" in html and "Teamarbeit" in html
    assert 'lang="de"' in html


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="needs poppler-utils")
def test_a_german_kit(de_bank: Path, tmp_path: Path) -> None:
    from hiring.render.strings import bundled_strings

    out = tmp_path / "anna.pdf"
    done = cli("--bank", str(de_bank), "guide", "build", "--role", "inbound-agent",
               "--round", "panel", "--candidate", "Anna", "--lang", "de", "--out", str(out))
    assert done.exit_code == 0, done.output
    text = pdf_text(out)
    # The team's UI strings, the bank's German texts, and the language named in German.
    for german in ("Interviewleitfaden", "Kandidat", "UNTERSCHRIFT", "Teamarbeit",
                   "Streit mit Kunden vermeiden", "Erzählen Sie von einem Mal", "Deutsch"):
        assert german in text, german
    assert "Interview guide" not in text
    assert "Before you start" in text  # not translated: English, and said so
    # 379 strings, 5 translated: 374 in English.
    total = len(bundled_strings())
    assert done.stderr.strip() == (
        f"warning: {de_bank / 'strings.de.po'}: {total - 5} of {total} UI strings have no "
        "usable 'de' translation and are shown in English (run 'hiring bank validate' for the "
        "keys)")


def test_a_german_report(de_bank: Path, tmp_path: Path) -> None:
    from hiring.bank import load_bank
    from hiring.store import add_candidate, open_store, set_recommendation, set_score

    bank = load_bank([de_bank])
    db = tmp_path / "hiring.db"
    store = open_store(str(db))
    try:
        for name, scores in {"Ann": [(5, 3), (4, 2)], "Bo": [(3, 1), (2, 0)]}.items():
            add_candidate(store, name, role="inbound-agent")
            for who, (teamwork, avoiding) in zip(["Eve", "Finn"], scores, strict=True):
                set_score(store, bank, name, who, "teamwork", teamwork, round_id="panel")
                set_score(store, bank, name, who, "avoiding-arguments", avoiding,
                          round_id="panel")
                set_recommendation(store, bank, name, who, "panel", "yes")
    finally:
        store.close()
    out = tmp_path / "report.html"
    done = cli("--bank", str(de_bank), "--db", str(db), "report", "compare", "--lang", "de",
               "--out", str(out))
    assert done.exit_code == 0, done.output
    html = out.read_text(encoding="utf-8")
    assert "<title>Kandidatenvergleich" in html or "Kandidatenvergleich" in html
    assert "4 Bewertungen" in html  # the German plural: each candidate has 4 ratings
    assert "4 ratings" not in html
    assert "Teamarbeit" in html
    one = tmp_path / "ann.html"
    done = cli("--bank", str(de_bank), "--db", str(db), "report", "candidate", "Ann",
               "--lang", "de", "--out", str(one))
    assert done.exit_code == 0, done.output
    page = one.read_text(encoding="utf-8")
    assert '<html lang="de">' in page and "Teamarbeit" in page


# -- bank validate ----------------------------------------------------------------------------

def test_validate_lists_what_a_team_catalog_lacks(de_bank: Path) -> None:
    import json

    from babel.messages.pofile import read_po, write_po

    po = de_bank / "strings.de.po"
    catalog = read_po(io.BytesIO(po.read_bytes()))
    catalog.delete("Candidate's questions and close", context="closing")  # missing
    catalog.get("Signature", context="signature").id = "Sign here"  # English since changed
    catalog.get("Candidate comparison", context="report_title").string = "{x.__class__}"
    catalog.add("Gone", "Weg", context="no_such_key")
    out = io.BytesIO()
    write_po(out, catalog)
    po.write_bytes(out.getvalue())
    done = cli("bank", "validate", str(de_bank))
    assert done.exit_code == 0, done.output  # the language works: English where it lacks
    lines = done.stderr.strip().splitlines()
    assert lines[0] == (f"{po}: warning: 1 UI string missing from the catalog (shown in "
                        "English; export it again to add them): closing")
    from hiring.render.strings import bundled_strings

    # Every bundled string but the 3 translated, 1 missing, 1 outdated and 1 left out.
    untranslated = len(bundled_strings()) - 6
    assert lines[1].startswith(
        f"{po}: warning: {untranslated} UI strings not translated into 'de' ")
    assert lines[2:] == [
        f"{po}: warning: 1 translation is of an older English text (shown in English; "
        "export the catalog again): signature",
        f"{po}: warning: translation left out (shown in English): report_title: "
        "{x.__class__} is not a field of the English text",
        f"{po}: warning: 1 entry whose msgctxt is no UI string's key (ignored): no_such_key",
    ]
    args = ["bank", "validate", str(de_bank), "--json"]
    printed = cli(*args).stdout
    check_json_output(args, printed)  # hiring/schemas/bank-validate.schema.json
    document = json.loads(printed)
    (german,) = document["languages"]
    assert german["translated"] == 3  # guide_title, candidate, report_ratings_count
    assert len(german["untranslated"]) == untranslated and "report_ratings_count" not in german[
        "untranslated"]
    assert german["missing"] == ["closing"] and german["outdated"] == ["signature"]


def test_an_unknown_language_key_is_named_with_a_suggestion(small_bank: Path) -> None:
    path = small_bank / "competencies" / "teamwork.yaml"
    text = path.read_text(encoding="utf-8")
    assert "  name: {en: Teamwork, da: Samarbejde}" in text
    path.write_text(text.replace("da: Samarbejde}", "dk: Samarbejde}", 1), encoding="utf-8")
    done = cli("bank", "validate", str(small_bank))
    assert done.exit_code == 1
    lines = done.stderr.strip().splitlines()
    # Line 5, column 24: the 'dk' key itself.
    assert f"{path}:5:24: unknown language 'dk' (competency.name) — did you mean 'da'?" in lines
    # ... as well as what it leaves missing (all that was said before).
    assert any("missing language da (competency.name;" in line for line in lines)


def test_a_role_offered_in_a_language_without_strings(small_bank: Path) -> None:
    role = small_bank / "roles" / "inbound-agent.yaml"
    role.write_text(role.read_text(encoding="utf-8").replace(
        "languages: [en, da]", "languages: [en, da, de]"), encoding="utf-8")
    done = cli("bank", "validate", str(small_bank))
    assert done.exit_code == 1
    assert (f"{role}:4:23: no UI strings for the language 'de' (role.languages[2]): hiring "
            "knows en, da, ru, bg, zh; a bank adds a language with strings.de.po in its folder "
            "(see 'hiring strings export')") in done.stderr.splitlines()


# -- an untrusted catalog ------------------------------------------------------------------

@pytest.mark.parametrize(("content", "line", "message"), [
    (b'msgid ""\nmsgstr ""\n\nmsgctxt "signature"\nnonsense here\n', 5,
     "not a gettext catalog line: 'nonsense here'"),
    (b'msgid ""\nmsgstr ""\n\nmsgid "x"\nmsgstr "\xff"\n', 5,
     "not UTF-8 text (save the catalog as UTF-8)"),
    (b'msgid ""\nmsgstr ""\n"Plural-Forms: nplurals=2; plural=(n ** 1000);\\n"\n', 3,
     "the Plural-Forms header cannot be used"),
])
def test_a_broken_catalog_is_one_line_naming_file_and_line(
        de_bank: Path, tmp_path: Path, content: bytes, line: int, message: str) -> None:
    po = de_bank / "strings.de.po"
    po.write_bytes(content)
    done = cli("--bank", str(de_bank), "bank", "list", "--lang", "de")
    assert done.exit_code == 1
    (error,) = done.stderr.strip().splitlines()
    assert error.startswith(f"Error: {po}:{line}: {message}"), error
    validated = cli("bank", "validate", str(de_bank))
    assert f"{po}:{line}:1: {message}" in validated.stderr


def test_an_oversized_catalog_is_refused_unread(de_bank: Path) -> None:
    from hiring.render.catalogs import MAX_PO_BYTES

    po = de_bank / "strings.de.po"
    with po.open("ab") as stream:
        stream.write(b"#" * MAX_PO_BYTES)
    done = cli("--bank", str(de_bank), "bank", "list", "--lang", "de")
    assert done.exit_code == 1
    assert done.stderr.strip().startswith(f"Error: {po}:1: ")
    assert f"a strings catalog is at most {MAX_PO_BYTES} bytes" in done.stderr


def test_a_read_catalog_is_cached_and_babel_not_imported_again(de_bank: Path,
                                                                tmp_path: Path) -> None:
    code = (
        "import sys\n"
        "from typer.testing import CliRunner\n"
        "from hiring.cli import app\n"
        f"r = CliRunner().invoke(app, ['--bank', {str(de_bank)!r}, 'bank', 'list', '--lang', "
        "'de'])\n"
        "assert r.exit_code == 0, r.output\n"
        "assert 'Teamarbeit' in r.output\n"
        "print('babel.messages' in sys.modules)\n"
    )
    env = {**os.environ, "HIRING_CACHE_DIR": str(tmp_path / "cache")}
    root = Path(__file__).parent.parent

    def run() -> str:
        return subprocess.run([sys.executable, "-c", code], cwd=root, env=env,
                              capture_output=True, text=True, check=True).stdout.strip()

    assert run() == "True"  # read with Babel's .po reader once...
    assert run() == "False"  # ...then from hiring's cache


def test_bank_list_with_a_team_language_loads_no_catalog(de_bank: Path, tmp_path: Path
                                                         ) -> None:
    """A command that shows no UI string never reads the catalog (nor imports Babel)."""
    code = (
        "import sys\n"
        "from typer.testing import CliRunner\n"
        "from hiring.cli import app\n"
        f"r = CliRunner().invoke(app, ['--bank', {str(de_bank)!r}, 'bank', 'list'])\n"
        "assert r.exit_code == 0, r.output\n"
        "print(sorted(m for m in ('babel', 'jinja2') if m in sys.modules))\n"
    )
    env = {**os.environ, "HIRING_CACHE_DIR": str(tmp_path / "cache")}
    out = subprocess.run([sys.executable, "-c", code], cwd=Path(__file__).parent.parent,
                         env=env, capture_output=True, text=True, check=True).stdout.strip()
    assert out == "[]"


def test_export_from_a_team_bank_keeps_its_translations(de_bank: Path, tmp_path: Path) -> None:
    from babel.messages.pofile import read_po

    out = tmp_path / "new.po"
    done = cli("--bank", str(de_bank), "strings", "export", "--lang", "de", "--out", str(out))
    assert done.exit_code == 0, done.output
    entries = {m.context: m for m in read_po(io.BytesIO(out.read_bytes())) if m.id}
    assert entries["guide_title"].string == "Interviewleitfaden"
    assert entries["report_ratings_count"].string == ("{n} Bewertung", "{n} Bewertungen")
    assert entries["closing"].string == ""


def test_plural_forms_are_read_by_the_catalogs_own_header(tmp_path: Path) -> None:
    """Which msgstr[i] is which form comes from the file's Plural-Forms expression, so a
    Russian catalog with GNU's three forms and one with CLDR's four (other = fractions)
    both read right."""
    from babel import Locale
    from babel.plural import to_gettext

    from hiring.render.catalogs import read_team_catalog
    from hiring.render.strings import UIText

    bundled = {"report_ratings_count": {"en": "{n, plural, one {# rating} other {# ratings}}"}}
    forms = {  # header -> msgstr[0..]
        "nplurals=3; plural=(n%10==1 && n%100!=11 ? 0 : n%10>=2 && n%10<=4 && "
        "(n%100<10 || n%100>=20) ? 1 : 2);": ["{n} оценка", "{n} оценки", "{n} оценок"],
        to_gettext(Locale("ru").plural_form): ["{n} оценка", "{n} оценки", "{n} оценок",
                                               "{n} оценки"],
    }
    for number, (header, texts) in enumerate(forms.items()):
        po = tmp_path / f"ru{number}.po"
        strings = "".join(f'msgstr[{i}] "{text}"\n' for i, text in enumerate(texts))
        po.write_text(f'msgid ""\nmsgstr ""\n"Plural-Forms: {header}\\n"\n\n'
                      'msgctxt "report_ratings_count"\nmsgid "{n} rating"\n'
                      f'msgid_plural "{{n}} ratings"\n{strings}', encoding="utf-8")
        catalog = read_team_catalog(po, "ru", bundled)
        assert catalog.invalid == [], catalog.invalid
        text = UIText(catalog.strings["report_ratings_count"], "ru")
        # Hand-checked Russian: 1, 21, 101 оценка; 2, 22 оценки; 0, 5, 11 оценок.
        assert [text.format(n=n) for n in (1, 21, 101, 2, 22, 0, 5, 11)] == [
            "1 оценка", "21 оценка", "101 оценка", "2 оценки", "22 оценки", "0 оценок",
            "5 оценок", "11 оценок"]


def test_lang_completes_the_languages_the_bank_adds(tmp_path: Path) -> None:
    from tests.test_completion import complete_bash

    bank = tmp_path / "bank"
    shutil.copytree(SMALL_BANK, bank)
    (bank / "strings.de.po").write_text('msgid ""\nmsgstr ""\n', encoding="utf-8")
    assert complete_bash(f"hiring --bank {bank} guide build --lang ") == [
        "en", "da", "ru", "bg", "zh", "de"]


def test_a_batch_of_german_kits_in_worker_processes(de_bank: Path, tmp_path: Path) -> None:
    people = tmp_path / "people.csv"
    people.write_text("name,lang\nAnna,de\nBo,en\n", encoding="utf-8")
    done = cli("--bank", str(de_bank), "--db", str(tmp_path / "h.db"), "guide", "batch",
               "--role", "inbound-agent", "--round", "panel", "--candidates", str(people),
               "--format", "html", "--workers", "2", "--out-dir", str(tmp_path / "kits"))
    assert done.exit_code == 0, done.output
    # Said once, by the parent, not once per worker or row.
    assert done.stderr.count("UI strings have no usable 'de' translation") == 1
    anna = (tmp_path / "kits" / "anna-panel-de.html").read_text(encoding="utf-8")
    assert "Interviewleitfaden" in anna and "Teamarbeit" in anna
    assert "Interview guide" in (tmp_path / "kits" / "bo-panel-en.html").read_text(
        encoding="utf-8")


def test_a_catalog_for_a_bundled_language_is_refused_not_ignored(small_bank: Path) -> None:
    po = small_bank / "strings.da.po"
    po.write_text('msgid ""\nmsgstr ""\n', encoding="utf-8")
    done = cli("bank", "validate", str(small_bank))
    assert done.exit_code == 1
    assert (f"{po}:1:1: 'da' is bundled with hiring; a bank cannot replace its UI strings (a "
            "template folder, --templates, changes wording)") in done.stderr.splitlines()
