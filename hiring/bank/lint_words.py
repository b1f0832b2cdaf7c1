"""Word lists the bank lint reads: protected characteristics, and wordings to avoid.

Kept apart from the rules in ``hiring.bank.lint`` because they are data a reviewer extends:
add a wording here when a native read finds it, with what to write instead and why.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

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
        r"здраве(?!й)\w*",  # not "здравейте" (hello)
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


@dataclass(frozen=True)
class AvoidWord:
    """A wording a native recruiter would not read aloud unchanged, and what to write instead.

    ``pattern`` is a regular expression matched at the start of a word (Chinese: anywhere),
    ignoring case; ``spoken_only`` limits it to what is read aloud or handed to the
    candidate (a question, its set-up and probes, a customer's written message).
    """

    lang: str
    pattern: str
    instead: str
    why: str
    spoken_only: bool = False

    def find(self, text: str) -> str | None:
        """The wording as it stands in ``text``, or None."""
        found = _compiled(self.lang, self.pattern).search(text)
        return found.group(0) if found else None


_CACHE: dict[tuple[str, str], re.Pattern[str]] = {}


def _compiled(lang: str, pattern: str) -> re.Pattern[str]:
    key = (lang, pattern)
    if key not in _CACHE:
        # Chinese has no spaces between words: its patterns match anywhere.
        wrapped = pattern if lang == "zh" else r"(?<!\w)(?:" + pattern + r")(?!\w)"
        _CACHE[key] = re.compile(wrapped, re.IGNORECASE)
    return _CACHE[key]


# Found by native reads of the bundled bank (issues 16 and 27). A team's own bank gets the
# same warnings: these wordings read as calques, office jargon or the wrong meaning.
AVOID_WORDS: tuple[AvoidWord, ...] = (
    AvoidWord(
        "da",
        r"refunder\w*",
        "'give pengene tilbage', 'betale beløbet tilbage'",
        "office Danish; customers and recruiters say 'pengene tilbage'",
    ),
    AvoidWord(
        "da",
        r"resultatkort\w*",
        "'bedømmelsesskema'",
        "a word from sports, not from interviews",
    ),
    AvoidWord(
        "da",
        r"handle på (svaret|det|beskeden)",
        "'gøre noget ved det', 'bruge svaret'",
        "a calque of English 'act on'",
    ),
    AvoidWord(
        "ru",
        r"лжец\w*|лгун\w*",
        "'вы все врёте', 'обманщики'",
        "no caller says it",
    ),
    AvoidWord(
        "ru",
        r"оформ(ите|и|ляйте)(\s+\w+)?\s+возврат\w*",
        "'верните мне деньги', 'вернуть всю сумму'",
        "office wording, even in a customer's mouth",
        spoken_only=True,
    ),
    AvoidWord(
        "ru",
        r"в полном объ[её]ме",
        "'всю сумму', 'полностью'",
        "office wording, even in a customer's mouth",
        spoken_only=True,
    ),
    AvoidWord(
        "ru",
        r"оформ\w*(\s+\w+)?\s+исключени\w*",
        "'сделать исключение'",
        "a calque of 'process an exception'",
    ),
    AvoidWord(
        "ru",
        r"реш(ить|ил|ила|или|ает|ают|ать|ен|ён|ена|ено|ены|[её]нн\w*)\s+жалоб\w*",
        "'разобраться с жалобой', 'решить проблему клиента'",
        "a calque of 'resolve a complaint': the problem behind it is solved, not the complaint",
    ),
    AvoidWord(
        "ru",
        r"как развивались события",
        "'Что было дальше?'",
        "a calque; a recruiter asks what happened next",
    ),
    AvoidWord(
        "ru",
        r"известн\w+\s+слабост\w*",
        "'зона риска'",
        "a 'known failure mode' is a risk to probe, not a weakness everyone knows of",
    ),
    AvoidWord(
        "ru",
        r"оборонительн\w*",
        "'звучит как оправдание', 'оправдывается'",
        "a military word for 'defensive'",
    ),
    AvoidWord(
        "ru",
        r"свидетельств\w*",
        "'факты'",
        "the guide calls what the candidate said 'факты': one word per idea",
    ),
    AvoidWord(
        "bg",
        r"облаг(а|и|ата|ите)",
        "'специално отношение', 'отстъпки'",
        "reads as perks or bribes",
    ),
    AvoidWord(
        "bg",
        r"последователн\w*",
        "'еднакво', 'всеки път'",
        "reads as 'one after another', not 'consistently'",
    ),
    AvoidWord(
        "bg",
        r"състезани\w*",
        "'спор', 'кой ще надделее'",
        "a calque of English 'contest'",
    ),
    AvoidWord(
        "bg",
        r"отбранител\w*",
        "'оправдава се', 'в защитна позиция'",
        "a military word; a person is not 'отбранителен'",
    ),
    AvoidWord(
        "bg",
        r"известн\w+\s+слабост\w*",
        "'рискова зона'",
        "a 'known failure mode' is a risk to probe, not a weakness everyone knows of",
    ),
    AvoidWord(
        "zh",
        r"难缠的?(通话|电话|来电)",
        "棘手的通话",
        "难缠 describes people, not calls",
    ),
    AvoidWord(
        "zh",
        r"讲义",
        "答题页",
        "讲义 are lecture notes, not a candidate's hand-out",
    ),
    AvoidWord(
        "zh",
        r"职位",
        "岗位",
        "one word for the job: the bank and the guide say 岗位",
    ),
    AvoidWord(
        "zh",
        r"尚可",
        "暂可接受",
        "尚可 means 'passable', not 'tentative'",
    ),
)


def avoided_in(lang: str, text: str, *, spoken: bool) -> list[tuple[AvoidWord, str]]:
    """Each wording to avoid found in ``text``, with the words as they stand there.

    >>> [found for _, found in avoided_in("ru", "Вы все лжецы!", spoken=True)]
    ['лжецы']
    """
    hits = []
    for word in AVOID_WORDS:
        if word.lang != lang or (word.spoken_only and not spoken):
            continue
        found = word.find(text)
        if found:
            hits.append((word, found))
    return hits
