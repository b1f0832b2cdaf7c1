"""Lint: what validation cannot call an error but a careful recruiter would fix.

Warnings, not errors (``hiring bank lint --strict`` turns them into a failure):
- a question that asks about a protected characteristic (word lists per language);
- a closed yes/no question;
- a question or anchor much longer than the rest (in the same language);
- two anchors of one competency that are nearly the same text;
- a competency no role uses;
- a Chinese question that puts 15 or more characters before its head noun 经历, so a listener
  cannot parse it until it ends (write "请您讲一次这样的经历：……。" instead);
- a text whose English uses a glossary term while another language lacks the glossary's word;
- a wording a native recruiter would not read aloud unchanged (``lint_words.AVOID_WORDS``:
  calques, office jargon, a word with the wrong meaning), with what to write instead.
"""

from __future__ import annotations

import difflib
import re
import statistics
from pathlib import Path
from typing import NamedTuple

from hiring.bank.lint_words import PROTECTED_WORDS, avoided_in
from hiring.bank.models import Bank, Competency, GlossaryTerm
from hiring.bank.yaml_reader import Problem

__all__ = ["PROTECTED_WORDS", "LintWarning", "lint_bank"]

# Openings that make a question answerable with yes or no.
CLOSED_QUESTION: dict[str, re.Pattern[str]] = {
    "en": re.compile(
        r"^\s*(do|does|did|have|has|had|is|are|was|were|can|could|would|will|should)\s+"
        r"(you|they|it|there|anyone)\b",
        re.IGNORECASE,
    ),
    "da": re.compile(
        r"^\s*(har|er|kan|vil|ville|skal|gør|gjorde|havde|var)\s+(du|i|der|det|nogen)\b",
        re.IGNORECASE,
    ),
    # Russian and Bulgarian mark yes/no questions with the particle "ли".
    "ru": re.compile(r"^[^.?!]*\sли\s", re.IGNORECASE),
    "bg": re.compile(r"^[^.?!]*\sли\s", re.IGNORECASE),
    # 吗 ends a yes/no question; 么 does too, but not in 什么 (what), 怎么 (how), 为什么 (why).
    "zh": re.compile(r"吗\s*[？?]|(?<![什怎这那多])么\s*[？?]|是否|有没有|会不会|能不能"),
}

ZH_HEAD_NOUN = "经历"
ZH_BEFORE_HEAD_NOUN = 15  # this many characters of one sentence before 经历 are too many to hold
_ZH_SENTENCE_END = re.compile(r"[。？！?!；]")

# Word stems for the glossary check: inflected languages lose more of the word's end
# (bg случая, ru обращения). A stem keeps at least four letters.
_STEM_CUT = {"ru": 3, "bg": 3, "da": 2}
_WORD = re.compile(r"[^\W\d_]+(?:-[^\W\d_]+)*")

LONG_FACTOR = 2.5  # longer than 2.5x the median of its kind in that language
SIMILAR_ANCHORS = 0.85  # difflib ratio from which two anchors read as the same


class LintWarning(Problem):
    """A located problem that is a warning, not an error."""

    def __str__(self) -> str:
        return f"{self.file}:{self.line}:{self.column}: warning: {self.message}"


def _at(bank: Bank, key: str, message: str) -> LintWarning:
    file, line, column = bank.locations.get(key, (Path("?"), 1, 1))
    return LintWarning(file, line, column, message)


def _protected(lang: str, text: str) -> str | None:
    words = PROTECTED_WORDS.get(lang)
    if not words:
        return None
    if lang == "zh":
        return next((word for word in words if word in text), None)
    pattern = re.compile(r"(?<!\w)(" + "|".join(words) + r")(?!\w)", re.IGNORECASE)
    found = pattern.search(text)
    return found.group(0) if found else None


def _question_warnings(bank: Bank, competency: Competency) -> list[LintWarning]:
    warnings: list[LintWarning] = []
    for question in competency.questions:
        key = f"question:{question.id}"
        asked: list[tuple[str, dict[str, str]]] = [("text", question.text)]
        asked += [(f"probes[{i}]", probe) for i, probe in enumerate(question.probes)]
        if question.setup:
            asked.append(("setup", question.setup))
        if question.message:
            asked.append(("message", question.message))
        for where, text in asked:
            for lang, value in text.items():
                word = _protected(lang, value)
                if word:
                    warnings.append(
                        _at(
                            bank,
                            key,
                            (
                                f"question {question.id} {where} [{lang}] mentions '{word}', "
                                "which touches "
                                "a protected characteristic; ask about the job, not the person"
                            ),
                        )
                    )
        if question.type in ("role_play", "written"):
            continue  # the customer's lines or a written task, not a question to the candidate
        for lang, value in question.text.items():
            pattern = CLOSED_QUESTION.get(lang)
            if pattern and pattern.search(value):
                warnings.append(
                    _at(
                        bank,
                        key,
                        (
                            f"question {question.id} [{lang}] can be answered yes or no; "
                            "ask for one "
                            "situation instead (e.g. 'Tell me about a time...')"
                        ),
                    )
                )
    return warnings


def _length_warnings(bank: Bank) -> list[LintWarning]:
    warnings: list[LintWarning] = []
    by_kind: dict[tuple[str, str], list[tuple[str, str, int]]] = {}
    for competency in bank.competencies.values():
        for question in competency.questions:
            if question.type in ("role_play", "written"):
                continue  # scripts and written tasks are not read as one question
            for lang, value in question.text.items():
                by_kind.setdefault(("question", lang), []).append(
                    (f"question:{question.id}", question.id, len(value))
                )
        for point, anchor in competency.anchors.items():
            for lang, value in anchor.items():
                by_kind.setdefault(("anchor", lang), []).append(
                    (
                        f"anchor:{competency.id}:{point}",
                        f"{competency.id} anchor {point}",
                        len(value),
                    )
                )
    for (kind, lang), items in sorted(by_kind.items()):
        if len(items) < 5:
            continue  # too few to say what is usual
        median = statistics.median(length for _, _, length in items)
        for key, label, length in items:
            if length > LONG_FACTOR * median:
                warnings.append(
                    _at(
                        bank,
                        key,
                        (
                            f"{label} [{lang}] is {length} characters, "
                            f"over {LONG_FACTOR:g}x the usual "
                            f"{kind} ({median:.0f}); split it or cut it down"
                        ),
                    )
                )
    return warnings


def _anchor_warnings(bank: Bank, competency: Competency) -> list[LintWarning]:
    warnings: list[LintWarning] = []
    points = sorted(competency.anchors)
    for index, first in enumerate(points):
        for second in points[index + 1 :]:
            for lang, text in competency.anchors[first].items():
                other = competency.anchors[second].get(lang)
                if other is None:
                    continue
                ratio = difflib.SequenceMatcher(None, text.lower(), other.lower()).ratio()
                if ratio >= SIMILAR_ANCHORS:
                    warnings.append(
                        _at(
                            bank,
                            f"anchor:{competency.id}:{second}",
                            (
                                f"anchors {first} and {second} of {competency.id} [{lang}] "
                                "are nearly the "
                                f"same text ({ratio:.0%} alike); say what differs in the answer"
                            ),
                        )
                    )
    return warnings


def _zh_head_noun_warnings(bank: Bank, competency: Competency) -> list[LintWarning]:
    warnings: list[LintWarning] = []
    for question in competency.questions:
        if question.type in ("role_play", "written"):
            continue
        text = question.text.get("zh")
        if not text or ZH_HEAD_NOUN not in text:
            continue
        before = text[: text.index(ZH_HEAD_NOUN)]
        sentence = _ZH_SENTENCE_END.split(before)[-1]
        count = len(re.sub(r"\s", "", sentence))
        if count >= ZH_BEFORE_HEAD_NOUN:
            warnings.append(
                _at(
                    bank,
                    f"question:{question.id}",
                    f"question {question.id} [zh] puts {count} characters before its head noun "
                    f"{ZH_HEAD_NOUN} ({ZH_BEFORE_HEAD_NOUN} or more); a listener cannot parse "
                    "it until it ends: write "
                    "'请您讲一次这样的经历：[the situation]。您当时是怎么做的？'",
                )
            )
    return warnings


def _stem(word: str, lang: str) -> str:
    word = word.lower()
    keep = max(min(4, len(word)), len(word) - _STEM_CUT.get(lang, 2))
    return word[:keep]


def _english_forms(word: str) -> tuple[str, ...]:
    # English is matched on the whole word and its endings, so that "complaining" is not
    # "complaint"; a final e drops before -ing/-ion (escalate: escalating, escalation).
    word = word.lower()
    return (word, word[:-1] + "i") if word.endswith("e") else (word,)


def _has_term(text: str, term: str, lang: str) -> bool:
    """Whether every word of ``term`` (3 letters or more) starts a word of ``text``."""
    if lang == "zh":
        return term in text
    words = [w.lower() for w in _WORD.findall(text)]
    term_words = [w for w in _WORD.findall(term) if len(w) >= 3] or [term]
    if lang == "en":
        wanted = [_english_forms(w) for w in term_words]
    else:
        wanted = [(_stem(w, lang),) for w in term_words]
    return all(any(word.startswith(wanted_stems) for word in words) for wanted_stems in wanted)


def _glossary_wordings(term: GlossaryTerm, lang: str) -> list[str]:
    wordings = [term.text[lang]] if lang in term.text else []
    return wordings + list((term.forms or {}).get(lang, []))


class _Text(NamedTuple):
    key: str  # location key
    label: str
    text: dict[str, str]
    spoken: bool  # read aloud or handed to the candidate: a question, set-up, probe, message


def _texts_of(competency: Competency) -> list[_Text]:
    """Every localised text of a competency."""
    key = f"competency:{competency.id}"
    out = [_Text(key, f"{competency.id} name", competency.name, False)]
    out.append(_Text(key, f"{competency.id} definition", competency.definition, False))
    for point, anchor in competency.anchors.items():
        out.append(
            _Text(
                f"anchor:{competency.id}:{point}", f"{competency.id} anchor {point}", anchor, False
            )
        )
    for field_name in ("listen_for", "red_flags"):
        for index, item in enumerate(getattr(competency, field_name)):
            out.append(_Text(key, f"{competency.id} {field_name}[{index}]", item, False))
    for question in competency.questions:
        q_key = f"question:{question.id}"
        label = f"question {question.id}"
        out.append(_Text(q_key, f"{label} text", question.text, True))
        if question.setup:
            out.append(_Text(q_key, f"{label} setup", question.setup, True))
        for index, probe in enumerate(question.probes):
            out.append(_Text(q_key, f"{label} probes[{index}]", probe, True))
        if question.message:
            out.append(_Text(q_key, f"{label} message", question.message, True))
        for point, reply in (question.reply_anchors or {}).items():
            out.append(_Text(q_key, f"{label} reply anchor {point}", reply, False))
    return out


def _avoid_warnings(bank: Bank, competency: Competency) -> list[LintWarning]:
    warnings: list[LintWarning] = []
    for item in _texts_of(competency):
        for lang, value in item.text.items():
            for word, found in avoided_in(lang, value, spoken=item.spoken):
                warnings.append(
                    _at(
                        bank,
                        item.key,
                        f"{item.label} [{lang}] says '{found}': {word.why}; write {word.instead}",
                    )
                )
    return warnings


def _glossary_warnings(bank: Bank, competency: Competency) -> list[LintWarning]:
    warnings: list[LintWarning] = []
    terms = [term for term in bank.glossary.values() if "en" in term.text]
    for key, label, text, _ in _texts_of(competency):
        english = text.get("en")
        if not english:
            continue
        for term in terms:
            if not _has_term(english, term.text["en"], "en"):
                continue
            for lang, value in text.items():
                wordings = _glossary_wordings(term, lang)
                if lang == "en" or not wordings:
                    continue
                if not any(_has_term(value, wording, lang) for wording in wordings):
                    warnings.append(
                        _at(
                            bank,
                            key,
                            f"{label} [{lang}] says '{term.text['en']}' in English but not the "
                            f"glossary's '{term.text[lang]}' (glossary term {term.id}); use it, "
                            "or add the wording to the term's forms",
                        )
                    )
    return warnings


def lint_bank(bank: Bank) -> list[LintWarning]:
    """Every lint warning for a valid bank, in file order."""
    warnings: list[LintWarning] = []
    used = {item.id for role in bank.roles.values() for item in role.competencies}
    for competency in bank.competencies.values():
        warnings += _question_warnings(bank, competency)
        warnings += _anchor_warnings(bank, competency)
        warnings += _zh_head_noun_warnings(bank, competency)
        warnings += _glossary_warnings(bank, competency)
        warnings += _avoid_warnings(bank, competency)
        if competency.id not in used:
            warnings.append(
                _at(
                    bank,
                    f"competency:{competency.id}",
                    (
                        f"competency {competency.id} is used by no role; "
                        "add it to a role or remove it"
                    ),
                )
            )
    warnings += _length_warnings(bank)
    return sorted(warnings, key=lambda w: (str(w.file), w.line, w.column, w.message))
