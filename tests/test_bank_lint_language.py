"""Lint rules from the native review (issue 16): Chinese head nouns, glossary terms."""

from __future__ import annotations

import shutil
from pathlib import Path

from hiring.bank import load_bank
from hiring.bank.lint import lint_bank
from hiring.paths import bundled_bank_dir
from tests.test_bank_lint import Q2_DA, Q2_EN
from tests.test_bank_validate import TEAMWORK, edit, line_of


def warnings_of(bank: Path) -> list[str]:
    return [str(w) for w in lint_bank(load_bank([bank]))]


def add_chinese(bank: Path, text: str) -> Path:
    return edit(bank, TEAMWORK, f"da: {Q2_DA}", f'da: {Q2_DA}, zh: "{text}"')


def test_chinese_question_with_a_long_lead_in_before_its_head_noun(small_bank: Path) -> None:
    # The old stem of avoiding-arguments-01: 32 characters (counted by hand) before 经历.
    path = add_chinese(
        small_bank,
        "请讲述一次客户在账单或规定问题上坚持自己没错、其实是客户弄错了的经历。您当时是怎么做的？",
    )
    warnings = warnings_of(small_bank)
    assert len(warnings) == 1, warnings
    assert warnings[0].startswith(f"{path}:{line_of(path, 'id: teamwork-02')}:")
    assert "question teamwork-02 [zh] puts 32 characters before its head noun 经历" in warnings[0]
    assert "请您讲一次这样的经历" in warnings[0]


def test_chinese_head_noun_boundary(small_bank: Path) -> None:
    # 15 characters before 经历 warn (the old stem of punctuality-03, counted by hand:
    # 请您讲一次 5 + 需要调整或调换班次的 10); 14 do not (需要临时调换班次的 is 9).
    add_chinese(small_bank, "请您讲一次需要调整或调换班次的经历。您是怎么安排的？")
    warnings = warnings_of(small_bank)
    assert len(warnings) == 1, warnings
    assert "puts 15 characters before its head noun 经历 (15 or more)" in warnings[0]
    edit(
        small_bank,
        TEAMWORK,
        "请您讲一次需要调整或调换班次的经历",
        "请您讲一次需要临时调换班次的经历",
    )
    assert warnings_of(small_bank) == []


def test_bundled_chinese_stems_told_as_their_own_sentence(tmp_path: Path) -> None:
    # Four stems had 15-18 characters before 经历 (issue 27); the bundled bank now tells
    # the situation as its own sentence, and an old stem brought back is caught.
    bank = tmp_path / "bank"
    shutil.copytree(bundled_bank_dir(), bank)
    edit(
        bank,
        Path("competencies/teamwork.yaml"),
        "请您讲一次这样的经历：您带一位新同事度过了上岗的头几周。",
        "请您讲一次带新同事度过上岗头几周的经历。",
    )
    warnings = warnings_of(bank)
    assert len(warnings) == 1, warnings
    assert "question teamwork-06 [zh] puts 17 characters before its head noun 经历" in warnings[0]


def test_chinese_question_in_the_natural_form_passes(small_bank: Path) -> None:
    add_chinese(
        small_bank,
        "请您讲一次这样的经历：客户在账单或规定上坚持说自己没错，其实是客户弄错了。您当时是怎么做的？",
    )
    assert warnings_of(small_bank) == []


def add_glossary(bank: Path, body: str) -> None:
    (bank / "glossary.yaml").write_text(f"glossary:\n{body}", encoding="utf-8")


COLLEAGUE = "  - id: colleague\n    text: {en: colleague, da: kollega, ru: коллега}\n"


def test_glossary_term_missing_where_its_english_appears(small_bank: Path) -> None:
    add_glossary(small_bank, COLLEAGUE)
    assert warnings_of(small_bank) == []  # "en kollega" is the glossary's word
    path = edit(small_bank, TEAMWORK, Q2_DA, "Køen er lang og en medarbejder har det svært.")
    warnings = warnings_of(small_bank)
    assert len(warnings) == 1, warnings
    assert warnings[0].startswith(f"{path}:{line_of(path, 'id: teamwork-02')}:")
    assert (
        "question teamwork-02 text [da] says 'colleague' in English but not the glossary's "
        "'kollega' (glossary term colleague)"
    ) in warnings[0]


def test_glossary_forms_and_inflections_count(small_bank: Path) -> None:
    add_glossary(small_bank, COLLEAGUE + "    forms: {da: [medarbejder]}\n")
    edit(small_bank, TEAMWORK, Q2_DA, "Køen er lang og en medarbejder har det svært.")
    # Russian inflects the noun: "коллеге" is the glossary's "коллега".
    edit(
        small_bank,
        TEAMWORK,
        "da: Køen er lang og en medarbejder har det svært.",
        'da: Køen er lang og en medarbejder har det svært., ru: "Очередь длинная, коллеге тяжело."',
    )
    assert warnings_of(small_bank) == []


def test_glossary_word_in_another_form_of_english(small_bank: Path) -> None:
    # "complaining" is not the noun "complaint": no warning for a text without the term.
    add_glossary(small_bank, "  - id: complaint\n    text: {en: complaint, da: klage}\n")
    edit(small_bank, TEAMWORK, Q2_EN, "A customer starts complaining about the queue.")
    assert warnings_of(small_bank) == []
    edit(
        small_bank,
        TEAMWORK,
        "A customer starts complaining about the queue.",
        "A customer's complaint is about the queue.",
    )
    warnings = warnings_of(small_bank)
    assert len(warnings) == 1 and "[da] says 'complaint'" in warnings[0], warnings


def test_bundled_bank_old_bulgarian_case_word_is_caught(tmp_path: Path) -> None:
    # The review's most frequent Bulgarian finding, 'запитване' for a CRM case, comes back.
    bank = tmp_path / "bank"
    shutil.copytree(bundled_bank_dir(), bank)
    assert warnings_of(bank) == []
    edit(
        bank,
        Path("competencies/teamwork.yaml"),
        'bg: "Какво записахте по случая и какво казахте на колегата?"',
        'bg: "Какво записахте в запитването и какво казахте на колегата?"',
    )
    warnings = warnings_of(bank)
    assert len(warnings) == 1, warnings
    assert "[bg] says 'case' in English but not the glossary's 'случай'" in warnings[0]
