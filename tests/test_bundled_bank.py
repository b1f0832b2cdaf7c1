"""The bundled bank is complete, valid, lint-clean and as large as promised."""

from __future__ import annotations

import re
from collections import Counter

import pytest

from hiring.bank import check_bank, load_bank
from hiring.bank.lint import lint_bank
from hiring.bank.models import SUPPORTED_LANGUAGES, Bank, Competency

REQUIRED_COMPETENCIES = {
    "teamwork",
    "initiative",
    "staying-calm",
    "punctuality",
    "clear-communication",
    "empathy",
    "patience",
    "positive-tone",
    "active-listening",
    "complaint-resolution",
    "documentation",
    "adaptability",
    "call-control",
    "resilience",
    "avoiding-arguments",
    "avoiding-over-favouring",
}
WEAKNESSES = {"avoiding-arguments", "avoiding-over-favouring"}
ROLES = {"inbound-agent", "senior-agent", "chat-email-agent"}


@pytest.fixture(scope="module")
def bank() -> Bank:
    return load_bank()


def texts_of(competency: Competency) -> list[tuple[str, dict[str, str]]]:
    texts = [("name", competency.name), ("definition", competency.definition)]
    texts += [(f"anchors.{p}", t) for p, t in competency.anchors.items()]
    texts += [(f"listen_for[{i}]", t) for i, t in enumerate(competency.listen_for)]
    texts += [(f"red_flags[{i}]", t) for i, t in enumerate(competency.red_flags)]
    for question in competency.questions:
        texts.append((f"{question.id}.text", question.text))
        if question.setup:
            texts.append((f"{question.id}.setup", question.setup))
        texts += [(f"{question.id}.probes[{i}]", t) for i, t in enumerate(question.probes)]
    return texts


def test_bundled_bank_validates_and_is_lint_clean(bank: Bank) -> None:
    _, problems = check_bank()
    assert problems == []
    assert [str(w) for w in lint_bank(bank)] == []


def test_every_text_in_every_language_of_every_role(bank: Bank) -> None:
    missing = []
    for role in bank.roles.values():
        assert set(role.languages) == set(SUPPORTED_LANGUAGES)
        for item in role.competencies:
            for where, text in texts_of(bank.competencies[item.id]):
                for lang in role.languages:
                    if not text.get(lang, "").strip():
                        missing.append(f"{item.id} {where} [{lang}]")
    assert missing == []


def test_an_anchor_on_every_anchored_point(bank: Bank) -> None:
    for competency in bank.competencies.values():
        scale = bank.scale(competency.scale)
        assert set(scale.anchored_points) <= set(competency.anchors), competency.id
        assert set(competency.anchors) <= set(scale.points), competency.id


def test_counts_promised_by_the_content_issue(bank: Bank) -> None:
    assert REQUIRED_COMPETENCIES <= set(bank.competencies)
    assert len(bank.competencies) >= 16
    assert ROLES <= set(bank.roles)
    role_plays = 0
    for competency in bank.competencies.values():
        expected_kind = "weakness" if competency.id in WEAKNESSES else "strength"
        assert competency.kind == expected_kind, competency.id
        assert len(competency.questions) >= 5, competency.id
        assert len(competency.listen_for) >= 3, competency.id
        assert len(competency.red_flags) >= 2, competency.id
        types = Counter(q.type for q in competency.questions)
        assert types["behavioural"] >= 1 and types["situational"] >= 1, competency.id
        role_plays += types["role_play"]
        for question in competency.questions:
            assert question.probes, question.id
            if question.type == "role_play":
                assert question.setup, question.id
    assert role_plays >= 3
    senior = [q.id for c in bank.competencies.values() for q in c.questions if q.level == "senior"]
    assert senior, "the senior role needs senior-level questions"
    assert bank.roles["senior-agent"].level == "senior"


def test_chinese_is_simplified(bank: Bank) -> None:
    # Characters whose traditional form differs from the simplified one, common in this domain.
    traditional = set("們這個來時說話務對應話處問題總與們會為從點讓電戶話錄員經驗間題單")
    found = []
    for competency in bank.competencies.values():
        for where, text in texts_of(competency):
            bad = traditional & set(text.get("zh", ""))
            if bad:
                found.append(f"{competency.id} {where}: {''.join(sorted(bad))}")
    assert found == []


def test_russian_and_bulgarian_are_cyrillic_and_danish_is_latin(bank: Bank) -> None:
    for competency in bank.competencies.values():
        for where, text in texts_of(competency):
            for lang in ("ru", "bg"):
                letters = re.findall(r"[^\W\d_]", text[lang])
                latin = [ch for ch in letters if "a" <= ch.lower() <= "z"]
                # CRM and the like are fine; a sentence in the wrong script is not.
                assert len(latin) <= max(6, len(letters) // 10), (competency.id, where, lang)
            assert not re.search(r"[\u0400-\u04ff]", text["da"]), (competency.id, where)


def test_readme_example_is_the_bundled_file() -> None:
    from pathlib import Path

    root = Path(__file__).resolve().parent.parent / "question_banks"
    readme = (root / "README.md").read_text(encoding="utf-8")
    example = readme.split("```yaml\n", 1)[1].split("```\n", 1)[0]
    assert example == (root / "competencies" / "initiative.yaml").read_text(encoding="utf-8")
