"""Lint: what validation cannot call an error but a careful recruiter would fix.

Warnings, not errors (``hiring bank lint --strict`` turns them into a failure):
- a question that asks about a protected characteristic (word lists per language);
- a closed yes/no question;
- a question or anchor much longer than the rest (in the same language);
- two anchors of one competency that are nearly the same text;
- a competency no role uses.
"""

from __future__ import annotations

import difflib
import re
import statistics
from pathlib import Path

from hiring.bank.models import Bank, Competency
from hiring.bank.yaml_reader import Problem

# Words that would make a question ask about a protected characteristic (age, family,
# pregnancy, health, disability, religion, nationality, ethnicity, gender, sexuality,
# marital status, union membership). Stems match the start of a word.
PROTECTED_WORDS: dict[str, list[str]] = {
    "en": [
        r"age",
        r"aged",
        r"how old",
        r"born",
        r"birth\w*",
        r"married",
        r"marital",
        r"spouse",
        r"husband",
        r"wife",
        r"child\w*",
        r"kids?",
        r"pregnan\w*",
        r"maternity",
        r"paternity",
        r"religio\w*",
        r"church\w*",
        r"mosque\w*",
        r"pray\w*",
        r"nationalit\w*",
        r"ethnic\w*",
        r"race",
        r"racial",
        r"disab\w*",
        r"health\w*",
        r"illness\w*",
        r"sick\w*",
        r"medical",
        r"gender",
        r"sexual\w*",
        r"trade union\w*",
        r"union member\w*",
    ],
    "da": [
        r"alder\w*",
        r"gammel",
        r"født",
        r"gift",
        r"ægtefælle\w*",
        r"børn\w*",
        r"barn\w*",
        r"gravid\w*",
        r"barsel\w*",
        r"religi\w*",
        r"kirke\w*",
        r"nationalitet\w*",
        r"etnisk\w*",
        r"race",
        r"handicap\w*",
        r"helbred\w*",
        r"sygdom\w*",
        r"syg",
        r"køn",
        r"seksuel\w*",
        r"fagforening\w*",
    ],
    "ru": [
        r"возраст\w*",
        r"сколько вам лет",
        r"замуж\w*",
        r"женат\w*",
        r"супруг\w*",
        r"дет(и|ей|ям|ьми)",
        r"ребён\w*",
        r"ребен\w*",
        r"беремен\w*",
        r"декрет\w*",
        r"религи\w*",
        r"церк\w*",
        r"национальн\w*",
        r"этническ\w*",
        r"рас(а|ы|е|у)",
        r"инвалид\w*",
        r"здоровь\w*",
        r"болезн\w*",
        r"сексуальн\w*",
        r"профсоюз\w*",
        r"вероисповедан\w*",
    ],
    "bg": [
        r"възраст\w*",
        r"на колко години",
        r"омъжен\w*",
        r"женен\w*",
        r"съпруг\w*",
        r"деца\w*",
        r"дете\w*",
        r"бремен\w*",
        r"майчинство\w*",
        r"религи\w*",
        r"вяра\w*",
        r"църк\w*",
        r"националност\w*",
        r"етническ\w*",
        r"раса\w*",
        r"увреждан\w*",
        r"здраве\w*",
        r"здравословн\w*",
        r"болест\w*",
        r"сексуал\w*",
        r"синдикат\w*",
    ],
    # Chinese has no spaces: these match anywhere in the text.
    "zh": [
        "年龄",
        "多大了",
        "几岁",
        "结婚",
        "婚姻",
        "配偶",
        "孩子",
        "子女",
        "怀孕",
        "生育",
        "宗教",
        "信仰",
        "国籍",
        "民族",
        "种族",
        "残疾",
        "健康状况",
        "疾病",
        "性别",
        "性取向",
        "工会",
    ],
}

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
        if question.type == "role_play":
            continue  # the text is the customer's lines, not a question to the candidate
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
            if question.type == "role_play":
                continue
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


def lint_bank(bank: Bank) -> list[LintWarning]:
    """Every lint warning for a valid bank, in file order."""
    warnings: list[LintWarning] = []
    used = {item.id for role in bank.roles.values() for item in role.competencies}
    for competency in bank.competencies.values():
        warnings += _question_warnings(bank, competency)
        warnings += _anchor_warnings(bank, competency)
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
