"""Lint: wordings a native recruiter would not read aloud unchanged (issue 27)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from hiring.bank import load_bank
from hiring.bank.lint import lint_bank
from hiring.bank.lint_words import AVOID_WORDS, avoided_in
from hiring.paths import bundled_bank_dir
from tests.test_bank_lint import Q2_DA
from tests.test_bank_validate import TEAMWORK, edit, line_of


def warnings_of(bank: Path) -> list[str]:
    return [str(w) for w in lint_bank(load_bank([bank]))]


def add_language(bank: Path, lang: str, text: str) -> Path:
    return edit(bank, TEAMWORK, f"da: {Q2_DA}", f'da: {Q2_DA}, {lang}: "{text}"')


@pytest.mark.parametrize(
    ("lang", "text", "found", "instead"),
    [
        ("ru", "Клиент говорит, что вы все лжецы. Что вы будете делать?", "лжецы", "вы все врёте"),
        ("bg", "Колега дава на клиентите облаги. Какво ще направите?", "облаги", "отстъпки"),
        ("zh", "您接到一通难缠的通话时会怎么做？", "难缠的通话", "棘手的通话"),
    ],
)
def test_a_wording_to_avoid_is_named_with_what_to_write(
    small_bank: Path, lang: str, text: str, found: str, instead: str
) -> None:
    path = add_language(small_bank, lang, text)
    warnings = warnings_of(small_bank)
    assert len(warnings) == 1, warnings
    assert warnings[0].startswith(f"{path}:{line_of(path, 'id: teamwork-02')}:")
    assert f"question teamwork-02 text [{lang}] says '{found}':" in warnings[0]
    assert instead in warnings[0]


def test_danish_office_word_in_a_probe_and_an_anchor(small_bank: Path) -> None:
    edit(
        small_bank, TEAMWORK, "da: Hvad sagde du til kollegaen?", "da: Ville du refundere beløbet?"
    )
    edit(
        small_bank,
        TEAMWORK,
        "da: Giver holdet skylden",
        "da: Refunderer penge for at blive vellidt",
    )
    warnings = warnings_of(small_bank)
    assert len(warnings) == 2, warnings
    assert any("question teamwork-01 probes[0] [da] says 'refundere'" in w for w in warnings)
    assert any("teamwork red_flags[0] [da] says 'Refunderer'" in w for w in warnings)
    assert all("pengene tilbage" in w for w in warnings)


def test_spoken_only_wording_is_left_alone_in_an_anchor(small_bank: Path) -> None:
    # "в полном объёме" is office Russian in a customer's mouth, not in an interviewer's note.
    office = "Клиент требует: оформите мне возврат средств в полном объёме."
    edit(
        small_bank,
        TEAMWORK,
        "da: Beskriver at arbejde alene; giver kolleger skylden.",
        f'da: Beskriver at arbejde alene; giver kolleger skylden., ru: "{office}"',
    )
    assert warnings_of(small_bank) == []
    add_language(small_bank, "ru", office)
    warnings = warnings_of(small_bank)
    assert sorted(w.split(" says ")[1].split(":")[0] for w in warnings) == [
        "'в полном объёме'",
        "'оформите мне возврат'",
    ], warnings


@pytest.mark.parametrize(
    ("lang", "text"),
    [
        # Word starts only: "облагодетелства" (favours) is not "облаги" (perks).
        ("bg", "Колега облагодетелства някои клиенти. Какво ще направите?"),
        # 难缠 describes people; a difficult customer may be called so.
        ("zh", "遇到难缠的客户时，您会怎么做？"),
        # "оформить заказ" is fine; only a refund or an exception is "оформлен" in office speech.
        ("ru", "Клиент просит оформить заказ заново. Что вы будете делать?"),
    ],
)
def test_near_misses_pass(small_bank: Path, lang: str, text: str) -> None:
    add_language(small_bank, lang, text)
    assert warnings_of(small_bank) == []


def test_every_wording_to_avoid_is_explained() -> None:
    assert len(AVOID_WORDS) >= 15
    for word in AVOID_WORDS:
        assert word.lang in ("en", "da", "ru", "bg", "zh"), word
        assert word.instead and word.why, word
    assert [found for _, found in avoided_in("ru", "Вы все ЛЖЕЦЫ!", spoken=False)] == ["ЛЖЕЦЫ"]


def test_bundled_bank_old_wordings_are_caught(tmp_path: Path) -> None:
    # Three findings of the native read come back into a copy of the bundled bank.
    bank = tmp_path / "bank"
    shutil.copytree(bundled_bank_dir(), bank)
    assert warnings_of(bank) == []
    edit(
        bank,
        Path("competencies/staying-calm.yaml"),
        "говорит, что вы все врёте,",
        "говорит, что вы все лжецы,",
    )
    edit(
        bank,
        Path("competencies/avoiding-arguments.yaml"),
        "lovede at betale hele beløbet tilbage",
        "lovede at refundere hele beløbet",
    )
    edit(
        bank,
        Path("competencies/avoiding-over-favouring.yaml"),
        "(без специално отношение)",
        "(без специални облаги)",
    )
    warnings = warnings_of(bank)
    assert len(warnings) == 3, warnings
    assert any("question staying-calm-04 text [ru] says 'лжецы'" in w for w in warnings)
    assert any("question avoiding-arguments-04 text [da] says 'refundere'" in w for w in warnings)
    assert any("avoiding-over-favouring name [bg] says 'облаги'" in w for w in warnings)
