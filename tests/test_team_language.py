"""A team's own language: a bank folder with German texts and ``strings.de.po`` makes
``--lang de`` work for kits and reports; ``hiring strings export`` writes the catalog a
translator's tools read; ``bank validate`` says what is not translated and names a language
key that is no language (``dk:``)."""

from __future__ import annotations

import io
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
import yaml
from typer.testing import CliRunner

from hiring.cli import app
from tests.conftest import SMALL_BANK

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
