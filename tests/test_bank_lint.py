"""Each lint warning, triggered on purpose in a copy of the small bank."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from hiring.bank import load_bank
from hiring.bank.lint import lint_bank
from tests.conftest import invoke
from tests.test_bank_validate import ARGUMENTS, ROLE, TEAMWORK, edit, line_of

Q2_EN = "The queue is long and a colleague is struggling. What do you do?"
Q2_DA = "Køen er lang og en kollega har det svært. Hvad gør du?"


def warnings_of(bank: Path) -> list[str]:
    return [str(w) for w in lint_bank(load_bank([bank]))]


def test_small_bank_is_lint_clean(small_bank: Path) -> None:
    assert warnings_of(small_bank) == []


@pytest.mark.parametrize(
    ("old", "new", "lang", "word"),
    [
        (Q2_EN, "How old are you, and who minds your children on late shifts?", "en", "How old"),
        (Q2_DA, "Hvordan passer du dine børn på sene vagter?", "da", "børn"),
    ],
)
def test_protected_characteristic(
    small_bank: Path, old: str, new: str, lang: str, word: str
) -> None:
    path = edit(small_bank, TEAMWORK, old, f'"{new}"')
    warnings = warnings_of(small_bank)
    assert len(warnings) == 1, warnings
    assert warnings[0].startswith(f"{path}:{line_of(path, 'id: teamwork-02')}:")
    assert f"question teamwork-02 text [{lang}] mentions '{word}'" in warnings[0]


def test_protected_characteristic_in_chinese_and_russian(small_bank: Path) -> None:
    extra = "zh: 请问您有几个孩子？, ru: Какого вы вероисповедания?"
    path = edit(small_bank, TEAMWORK, f"da: {Q2_DA}", f"da: {Q2_DA}, {extra}")
    warnings = warnings_of(small_bank)
    assert any("[zh] mentions '孩子'" in w for w in warnings), warnings
    assert any("[ru] mentions 'вероисповедания'" in w for w in warnings), warnings
    assert all(w.startswith(f"{path}:") for w in warnings)


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("Have you ever helped a colleague with a difficult call?", "en"),
        ("Har du nogensinde hjulpet en kollega?", "da"),
        ("Приходилось ли вам помогать коллеге?", "ru"),
        ("Случвало ли Ви се е да помогнете на колега?", "bg"),
        ("您帮助过同事吗？", "zh"),
    ],
)
def test_closed_yes_no_question(small_bank: Path, text: str, lang: str) -> None:
    if lang in ("en", "da"):
        edit(small_bank, TEAMWORK, Q2_EN if lang == "en" else Q2_DA, text)
    else:
        edit(small_bank, TEAMWORK, f"da: {Q2_DA}", f'da: {Q2_DA}, {lang}: "{text}"')
    warnings = warnings_of(small_bank)
    assert len(warnings) == 1, warnings
    assert f"question teamwork-02 [{lang}] can be answered yes or no" in warnings[0]


def test_open_questions_in_each_language_pass(small_bank: Path) -> None:
    opens = {
        "ru": "Расскажите о случае, когда вы помогли коллеге.",
        "bg": "Разкажете за случай, когато помогнахте на колега.",
        "zh": "请您讲一次这样的经历：您帮同事处理了一通棘手的来电。您当时说了什么？为什么？",
    }
    extra = ", ".join(f'{lang}: "{text}"' for lang, text in opens.items())
    edit(small_bank, TEAMWORK, f"da: {Q2_DA}", f"da: {Q2_DA}, {extra}")
    assert warnings_of(small_bank) == []


def test_question_much_longer_than_the_rest(small_bank: Path) -> None:
    # Five questions in English are needed before lengths are compared.
    competencies = small_bank / "competencies"
    extra = "\n".join(
        f"    - id: teamwork-1{i}\n      type: behavioural\n"
        f"      text: {{en: Tell me about a shift {i} that went well., da: Fortæl om vagt {i}.}}"
        for i in range(3)
    )
    path = competencies / "teamwork.yaml"
    path.write_text(path.read_text(encoding="utf-8") + extra + "\n", encoding="utf-8")
    long_text = (
        "Tell me about a time " + "and then another thing happened " * 12 + "what did you do?"
    )
    edit(small_bank, TEAMWORK, f"en: {Q2_EN}", f"en: {long_text}")
    warnings = warnings_of(small_bank)
    assert len(warnings) == 1, warnings
    assert "teamwork-02 [en] is 4" in warnings[0]
    assert "over 2.5x the usual question" in warnings[0]


def test_nearly_identical_anchors(small_bank: Path) -> None:
    path = edit(
        small_bank,
        ARGUMENTS,
        "3: {en: Acknowledges the customer's view and agrees a next step without arguing.",
        "3: {en: Explains the rule calmly once and moves on to what can be done.",
    )
    warnings = warnings_of(small_bank)
    assert len(warnings) == 1, warnings
    assert warnings[0].startswith(f"{path}:{line_of(path, '    3: {en: Explains')}:")
    assert "anchors 2 and 3 of avoiding-arguments [en] are nearly the same text" in warnings[0]


def test_competency_no_role_uses(small_bank: Path) -> None:
    edit(small_bank, ROLE, "    - {id: teamwork, weight: 1.0}\n", "")
    warnings = warnings_of(small_bank)
    assert len(warnings) == 1, warnings
    assert "competency teamwork is used by no role" in warnings[0]


def test_lint_command_exit_codes(small_bank: Path, runner: CliRunner) -> None:
    assert invoke(runner, "bank", "lint", "--strict", str(small_bank)).exit_code == 0
    edit(small_bank, ROLE, "    - {id: teamwork, weight: 1.0}\n", "")
    relaxed = invoke(runner, "bank", "lint", str(small_bank))
    assert relaxed.exit_code == 0
    assert "warning: competency teamwork is used by no role" in relaxed.stderr
    strict = invoke(runner, "bank", "lint", "--strict", str(small_bank))
    assert strict.exit_code == 1
    assert strict.stderr.strip().endswith("1 warning(s)")
