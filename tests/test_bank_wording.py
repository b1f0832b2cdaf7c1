"""The bundled bank's wording findings of the native read (issue 27) stay fixed.

Calques and office words that a machine can catch are lint rules (``lint_words.AVOID_WORDS``,
tests/test_bank_lint_wording.py). What is left here is specific to the bundled bank: one word
per idea across the bank and the UI strings, and meaning drifts found in named texts.
"""

from __future__ import annotations

import pytest

from hiring.bank import load_bank
from hiring.bank.models import Bank
from hiring.render.strings import _all_strings


@pytest.fixture(scope="module")
def bank() -> Bank:
    return load_bank()


def text_at(bank: Bank, where: str) -> dict[str, str]:
    """The localised text at ``where``: 'competency/anchors/4', 'competency/listen_for/3',
    'question-id/text', 'question-id/probes/0', 'question-id/reply_anchors/4'."""
    head, field, *index = where.split("/")
    if head in bank.competencies:
        owner: object = bank.competencies[head]
    else:
        owner = next(q for c in bank.competencies.values() for q in c.questions if q.id == head)
    value = getattr(owner, field)
    if index:
        value = value[int(index[0])]
    assert isinstance(value, dict), where
    return value


def all_texts(bank: Bank, lang: str) -> list[str]:
    texts: list[str] = []
    for competency in bank.competencies.values():
        texts += [competency.name[lang], competency.definition[lang]]
        texts += [a[lang] for a in competency.anchors.values()]
        texts += [t[lang] for t in competency.listen_for + competency.red_flags]
        for question in competency.questions:
            texts += [question.text[lang]] + [p[lang] for p in question.probes]
            for extra in (question.setup, question.message):
                if extra:
                    texts.append(extra[lang])
            texts += [a[lang] for a in (question.reply_anchors or {}).values()]
    return texts


def ui_texts(lang: str) -> list[str]:
    return [str(t[lang]) for t in _all_strings().values() if lang in t]


# (where, language, wording that must be gone, wording that must be there or "")
DRIFTS = [
    # English source: anchors say what the candidate described, in the past.
    ("complaint-resolution/anchors/2", "en", "Handles the immediate", "Describes handling"),
    ("avoiding-over-favouring/anchors/5", "en", "declines warmly", "describes declining"),
    ("adaptability/anchors/5", "en", "customers, reported a flaw", "describes reporting a flaw"),
    # Danish
    ("avoiding-arguments/anchors/4", "da", "valgte en af dem", "sagde ja til et næste skridt"),
    ("avoiding-over-favouring-07/reply_anchors/4", "da", "garanti", "reklamation"),
    ("avoiding-over-favouring/anchors/5", "da", "imødekommende", "sagt nej"),
    ("avoiding-over-favouring/listen_for/3", "da", "imødekommende", ""),
    ("avoiding-over-favouring-03/text", "da", "urimeligt resultat", ""),
    ("clear-communication-07/text", "da", "den første besked eller to", ""),
    ("complaint-resolution/anchors/2", "da", "Løser kundens", "Beskriver at have løst"),
    # Russian
    ("clear-communication-07/reply_anchors/1", "ru", "Угадывает", "Додумывает"),
    ("complaint-resolution-03/text", "ru", "обратился к вам с жалобой", "жалобу клиента"),
    ("staying-calm-06/text", "ru", "(раздражённо)", "(сердито)"),
    ("complaint-resolution/anchors/2", "ru", "Закрывает текущую", "Рассказывает, что закрыл"),
    ("complaint-resolution/definition", "ru", "решает её", "решает проблему"),
    ("avoiding-over-favouring/anchors/5", "ru", "отказывает доброжелательно", "рассказывает, как"),
    ("avoiding-over-favouring/definition", "ru", "оформляет", "не делает исключений"),
    ("resilience-06/text", "ru", "лгуны", ""),
    # Bulgarian
    (
        "complaint-resolution-03/text",
        "bg",
        "се е обърнал към Вас с оплакване",
        "оплакване на клиент",
    ),
    ("complaint-resolution/anchors/2", "bg", "Решава непосредствения", "Разказва, че е решил"),
    ("avoiding-over-favouring/anchors/5", "bg", "отказва любезно", "разказва как"),
    # Chinese
    ("staying-calm-03/text", "zh", "甚至", "或者"),
    ("staying-calm-03/probes/0", "zh", "如果没找", "找过主管吗"),
    ("complaint-resolution-01/text", "zh", "有一件很复杂", "最复杂"),
    ("avoiding-over-favouring-07/message", "zh", "希望你们", "理应"),
    ("complaint-resolution/anchors/2", "zh", "", "描述自己按话术"),
]


@pytest.mark.parametrize(("where", "lang", "gone", "there"), DRIFTS)
def test_named_finding_stays_fixed(
    bank: Bank, where: str, lang: str, gone: str, there: str
) -> None:
    text = text_at(bank, where)[lang]
    assert not gone or gone.lower() not in text.lower(), text
    assert there.lower() in text.lower(), text


def test_danish_one_word_per_idea(bank: Bank) -> None:
    # A note goes "i sagen" (it was "på sagen" in half the bank); the scorecard is a
    # "bedømmelsesskema" ("resultatkort" is a word from sports).
    texts = all_texts(bank, "da")
    assert [t for t in texts if "på sagen" in t] == []
    assert sum("i sagen" in t for t in texts) >= 12
    assert [t for t in ui_texts("da") if "resultatkort" in t.lower()] == []
    assert sum("bedømmelsesskema" in t.lower() for t in ui_texts("da")) >= 8


def test_russian_one_word_per_idea(bank: Bank) -> None:
    # Evidence is "факты" everywhere; a "known failure mode" is a "зона риска".
    ui = ui_texts("ru")
    assert [t for t in ui if "свидетельств" in t.lower() or "известн" in t.lower()] == []
    assert sum("зон" in t and "риска" in t for t in ui) >= 4


def test_bulgarian_one_word_per_idea(bank: Bank) -> None:
    # The guide says "Факти" for evidence, "длъжност" for the job and "рискова зона" for a
    # known failure mode; five strings said "Доказателства", four "позиция".
    ui = ui_texts("bg")
    assert [t for t in ui if "доказателств" in t.lower() or "позиция" in t.lower()] == []
    assert [t for t in ui if "известн" in t.lower()] == []
    assert sum("факти" in t.lower() for t in ui) >= 8
    assert sum("рисков" in t.lower() for t in ui) >= 4


def test_chinese_one_word_per_idea(bank: Bank) -> None:
    strings = _all_strings()
    ui = ui_texts("zh")
    # Evidence is 行为证据 (证据 alone reads as a police file); the job is 岗位, never 职位.
    assert [t for t in ui if t.replace("行为证据", "").count("证据")] == []
    assert sum("行为证据" in t for t in ui) >= 8
    assert [t for t in ui + all_texts(bank, "zh") if "职位" in t] == []
    # The recommendation had four labels (总体建议, 推荐意见, 建议, 录用建议).
    labels = {
        str(strings[key]["zh"])
        for key in (
            "closing_title",
            "enter_recommendation",
            "kit_recommendation",
            "report_recommendations",
        )
    }
    assert labels == {"录用建议"}
    assert str(strings["report_verdict_strongest"]["zh"]).startswith("最强项")
    assert str(strings["report_verdict_weakest"]["zh"]).startswith("最弱项")


def test_chinese_opening_compares_questions_with_questions() -> None:
    # "我会问 N 个问题，与这个岗位的每位候选人相同" compared questions with candidates.
    strings = _all_strings()
    for key in ("kit_opening_how", "kit_opening_how_written"):
        assert "每位候选人相同" not in str(strings[key]["zh"]), key


@pytest.mark.parametrize("lang", ["ru", "bg"])
def test_written_session_and_each_exercise_have_their_own_words(bank: Bank, lang: str) -> None:
    # The round (all exercises together) was called by the same word as each exercise.
    strings = _all_strings()
    written_round = next(r for r in bank.roles["chat-email-agent"].rounds if r.id == "written")
    assert written_round.name is not None
    session = str(written_round.name[lang])
    exercise = str(strings["type_written"][lang])
    assert session.split()[-1] != exercise.split()[-1], (session, exercise)
    # The opening script names the session by the round's word (Bulgarian adds its article).
    opening = str(strings["kit_opening_how_written"][lang]).split()
    assert opening[1].startswith(session.split()[-1]), (opening[:2], session)
    assert str(strings["handout_title"][lang]).startswith(exercise)


@pytest.mark.parametrize(
    ("lang", "presumed"), [("ru", "будете работать"), ("bg", "ще работите"), ("zh", "将加入")]
)
def test_opening_does_not_presume_the_hire(lang: str, presumed: str) -> None:
    welcome = str(_all_strings()["kit_opening_welcome"][lang])
    assert presumed not in welcome


@pytest.mark.parametrize("lang", ["da", "ru", "bg", "zh"])
def test_ui_strings_have_no_wording_to_avoid(lang: str) -> None:
    from hiring.bank.lint_words import avoided_in

    found = {
        key: [hit for _, hit in avoided_in(lang, str(texts[lang]), spoken=True)]
        for key, texts in _all_strings().items()
        if lang in texts
    }
    assert {key: hits for key, hits in found.items() if hits} == {}
