"""UI strings with a count use each language's plural forms (issue 16: "1 оценок", "3 оценок";
issue 23: CLDR's rules through Babel, and "21 из 21 сохранённых оценок", "около 21 минут",
"оценены 1 из 5").

Every string with a count is rendered at 0, 1, 2, 5, 11, 21, 22 and 101 in every language. The
expected forms are written out by hand from each language's grammar, not taken from the code:
which numbers take which form (``RU_FORM``, ``SINGULAR``) is the grammar applied by hand to
those eight numbers, and each string's word forms are spelled out below.
"""

from __future__ import annotations

import re
from typing import Any

import pytest

from hiring.bank.models import SUPPORTED_LANGUAGES
from hiring.render.formats import (
    PLURAL_OVERRIDES,
    gettext_plural_forms,
    plural_categories,
    plural_category,
)
from hiring.render.strings import UIText, _all_strings, expand_plurals, plural_forms, ui_strings

COUNTS = (0, 1, 2, 5, 11, 21, 22, 101)

# Russian, by hand: the noun after a number ending in 1 (not 11) takes the singular form; after
# one ending in 2-4 (not 12-14) the paucal (genitive singular after a numeral: "2 оценки");
# after the rest (0, 5-20, 11-14, 25...) the genitive plural ("5 оценок").
RU_FORM = {0: 2, 1: 0, 2: 1, 5: 2, 11: 2, 21: 0, 22: 1, 101: 0}
# English, Danish and Bulgarian, by hand: the singular only after the number one itself.
# Bulgarian: after a compound numeral ending in one ("двадесет и един", "сто и един") the noun
# is plural ("101 желания", "51 години"), and a masculine non-person noun takes its counted
# form ("21 въпроса"): the Institute for Bulgarian Language's rule, see
# hiring.render.formats.PLURAL_OVERRIDES.
SINGULAR = {n: 0 if n == 1 else 1 for n in COUNTS}

Forms = tuple[str, ...] | str


def _expected(lang: str, forms: Forms, n: int) -> str:
    if isinstance(forms, str):  # one form for every number (Chinese, or "label: N")
        form = forms
    elif lang == "ru":
        form = forms[RU_FORM[n]] if len(forms) == 3 else forms[0]
    else:
        form = forms[SINGULAR[n]] if len(forms) == 2 else forms[0]
    return form.replace("#", str(n))


def _found(expected: str, text: str) -> bool:
    # "…" in a form stands for any text between two parts; the number must not be the tail of
    # a longer one ("1 оценка" is not found in "21 оценка") and the last word must end.
    # (A Chinese character may touch a number; Latin and Cyrillic words must not run on.)
    parts = [re.escape(part) for part in expected.split("…")]
    word = "0-9A-Za-zÀ-ÿА-Яа-яЁё"
    return re.search(f"(?<![{word}])" + ".*?".join(parts) + f"(?![{word}])", text) is not None


# (key, the counted placeholder, the other placeholders' values, {lang: forms}).
# en/da/bg forms: (after 1, after the rest); ru: (after 1/21, after 2-4/22, after 0/5-20);
# a plain string: the same form after every number.
CASES: list[tuple[str, str, dict[str, Any], dict[str, Forms]]] = [
    ("report_left_out_none", "stored", {}, {
        "en": ("none of # stored rating", "none of # stored ratings"),
        "da": ("ingen af # gemt bedømmelse", "ingen af # gemte bedømmelser"),
        "ru": "нет (сохранено оценок: #)", "bg": "няма (запазени оценки: #)",
        "zh": "无（已存储 # 条评分）"}),
    # "из" + genitive: singular after 1/21, plural after 2-4 as after 5.
    ("report_left_out_value", "stored", {"left": 0, "reasons": "x"}, {
        "en": ("0 of # stored rating: x", "0 of # stored ratings: x"),
        "da": ("0 af # gemt bedømmelse: x", "0 af # gemte bedømmelser: x"),
        "ru": ("0 из # сохранённой оценки: x", "0 из # сохранённых оценок: x",
               "0 из # сохранённых оценок: x"),
        "bg": ("0 от # запазена оценка: x", "0 от # запазени оценки: x"),
        "zh": "已存储 # 条评分中的 0 条：x"}),
    ("report_completeness_value", "total",
     {"complete": 0, "draft": 0, "missing": 0, "rated": 0, "candidates": 5}, {
        "en": ("0 of # scorecard handed in", "0 of # scorecards handed in"),
        "da": "bedømmelsesskemaer: 0 af #,", "ru": "оценочных листов: 0 из #,",
        "bg": "оценъчни карти: 0 от #,", "zh": "已提交评分卡 0/#，"}),
    ("report_completeness_value", "candidates",
     {"complete": 0, "total": 0, "draft": 0, "missing": 0, "rated": 0}, {
        "en": ("0 of # candidate rated", "0 of # candidates rated"),
        "da": ("0 af # kandidat bedømt", "0 af # kandidater bedømt"),
        "ru": ("из # кандидата", "из # кандидатов", "из # кандидатов"),
        "bg": ("от # кандидат", "от # кандидати"), "zh": "0/# 名候选人"}),
    # The participle agrees with the first number: "оценён 1 из 5", "оценены 2 из 5".
    ("report_completeness_value", "rated",
     {"complete": 0, "total": 0, "draft": 0, "missing": 0, "candidates": 200}, {
        "en": "# of 200 candidates rated", "da": "# af 200 kandidater bedømt",
        "ru": ("оценён # из 200 кандидатов", "оценены # из 200 кандидатов",
               "оценены # из 200 кандидатов"),
        "bg": ("е оценен # от 200 кандидати", "са оценени # от 200 кандидати"),
        "zh": "#/200 名候选人"}),
    # "по" + dative.
    ("report_verdict_disagree_count", "n", {}, {
        "en": ("on # competency", "on # competencies"),
        "da": ("om # kompetence", "om # kompetencer"),
        "ru": ("по # компетенции", "по # компетенциям", "по # компетенциям"),
        "bg": ("по # компетенция", "по # компетенции"), "zh": "在 # 项能力上"}),
    ("report_small_panel", "n", {"typical": 200}, {
        "en": "seen by # of 200 interviewers", "da": "set af # af 200 interviewere",
        "ru": ("его видел # из 200 интервьюеров", "его видели # из 200 интервьюеров",
               "его видели # из 200 интервьюеров"),
        "bg": "видян от # от 200 интервюиращи", "zh": "仅 #/200 位面试官"}),
    ("report_small_panel", "typical", {"n": 0}, {
        "en": ("of # interviewer", "of # interviewers"),
        "da": ("af # interviewer", "af # interviewere"),
        "ru": ("из # интервьюера", "из # интервьюеров", "из # интервьюеров"),
        "bg": ("от # интервюиращ", "от # интервюиращи"), "zh": "0/# 位面试官"}),
    ("report_ratings_count", "n", {}, {
        "en": ("# rating", "# ratings"), "da": ("# bedømmelse", "# bedømmelser"),
        "ru": ("# оценка", "# оценки", "# оценок"), "bg": ("# оценка", "# оценки"),
        "zh": "# 个评分"}),
    ("written_time_limit", "n", {}, {
        "en": ("# minute to write", "# minutes to write"),
        "da": ("# minut til at skrive", "# minutter til at skrive"),
        "ru": ("на ответ # минута", "на ответ # минуты", "на ответ # минут"),
        "bg": ("# минута за отговора", "# минути за отговора"), "zh": "限时 # 分钟"}),
    ("report_method_detail", "total", {"n": 0}, {
        "en": ("0 of # candidate in", "0 of # candidates in"),
        "da": ("0 af # kandidat i", "0 af # kandidater i"),
        "ru": ("0 из # кандидата —", "0 из # кандидатов —", "0 из # кандидатов —"),
        "bg": ("0 от # кандидат по", "0 от # кандидати по"), "zh": "0/# 名"}),
    ("report_method_detail", "n", {"total": 200}, {
        "en": "the first # of 200", "da": ("for den første # af 200", "for de første # af 200"),
        "ru": ("для # из 200 кандидатов — первого по рейтингу",
               "для # из 200 кандидатов — первых по рейтингу",
               "для # из 200 кандидатов — первых по рейтингу"),
        "bg": ("за първия # от 200", "за първите # от 200"), "zh": "前 #/200"}),
    ("report_disagreements_more", "n", {}, {
        "en": ("# more, with a smaller spread, is marked",
               "# more, with smaller spreads, are marked"),
        "da": "# mere, med mindre spredning, er markeret",
        "ru": ("Ещё # расхождение с меньшим разбросом отмечено",
               "Ещё # расхождения с меньшим разбросом отмечены",
               "Ещё # расхождений с меньшим разбросом отмечены"),
        "bg": ("Още # разминаване с по-малко разсейване е отбелязано",
               "Още # разминавания с по-малко разсейване са отбелязани"),
        "zh": "另有 # 项分歧"}),
    # Past a large pool's heat map (issue 28): Russian "к кандидатам" in every form, as 21
    # disagreements (the "one" form) may belong to several candidates.
    ("report_disagreements_below", "n", {"top": 100}, {
        "en": ("# more is for a candidate below the top 100",
               "# more are for candidates below the top 100"),
        "da": ("# mere gælder en kandidat under de øverste 100",
               "# mere gælder kandidater under de øverste 100"),
        "ru": ("Ещё # расхождение относится к кандидатам ниже первых 100",
               "Ещё # расхождения относятся к кандидатам ниже первых 100",
               "Ещё # расхождений относятся к кандидатам ниже первых 100"),
        "bg": ("Още # разминаване е за кандидат под първите 100",
               "Още # разминавания са за кандидати под първите 100"),
        "zh": "另有 # 项分歧属于热力图前 100 名以外"}),
    ("report_erased_counted", "n", {}, {
        "en": ("plus # erased candidate,", "plus # erased candidates,"),
        "da": ("plus # slettet kandidat,", "plus # slettede kandidater,"),
        "ru": "удалённые кандидаты (#)", "bg": "изтрити кандидати (#)", "zh": "另有 # 名已删除"}),
    # "около" + genitive: "около 21 минуты", "около 22 минут".
    ("kit_opening_how", "minutes", {"n": 5}, {
        "en": ("about # minute.", "about # minutes."),
        "da": ("omkring # minut.", "omkring # minutter."),
        "ru": ("около # минуты.", "около # минут.", "около # минут."),
        "bg": ("около # минута.", "около # минути."), "zh": "约 # 分钟"}),
    ("kit_opening_how", "n", {"minutes": 30}, {
        "en": ("ask # question,", "ask # questions,"), "da": "stiller # spørgsmål,",
        # The apposition agrees with the count: "1 вопрос — тот же", "2 вопроса — те же".
        "ru": ("задам # вопрос — тот же,", "задам # вопроса — те же,",
               "задам # вопросов — те же,"),
        "bg": ("задам # въпрос — същия,", "задам # въпроса — същите,"), "zh": "问 # 个问题"}),
    ("kit_opening_how_written", "minutes", {"n": 5}, {
        "en": ("about # minute.", "about # minutes."),
        "da": ("omkring # minut.", "omkring # minutter."),
        "ru": ("около # минуты.", "около # минут.", "около # минут."),
        "bg": ("около # минута.", "около # минути."), "zh": "约 # 分钟"}),
    ("kit_opening_how_written", "n", {"minutes": 30}, {
        "en": ("get # written exercise,", "get # written exercises,"),
        "da": ("får # skriftlig opgave,", "får # skriftlige opgaver,"),
        "ru": ("получите # письменное задание — то же,", "получите # письменных задания — те же,",
               "получите # письменных заданий — те же,"),
        "bg": ("получите # писмена задача — същата,", "получите # писмени задачи — същите,"),
        "zh": "拿到 # 道书面练习题"}),
    ("report_not_interviewed_value", "n", {}, {
        "en": ("# candidate", "# candidates"), "da": ("# kandidat", "# kandidater"),
        "ru": ("# кандидат", "# кандидата", "# кандидатов"),
        "bg": ("# кандидат", "# кандидати"), "zh": "# 名候选人"}),
    ("report_scheduled_value", "n", {}, {
        "en": ("# interview still to come", "# interviews still to come"),
        "da": "# interview endnu ikke afholdt", "ru": "ещё предстоит интервью: #",
        "bg": ("# интервю предстои", "# интервюта предстоят"), "zh": "另有 # 场面试"}),
    ("enter_header", "n", {"candidate": "A", "round": "r", "done": 0}, {
        "en": ("# competency, 0 already", "# competencies, 0 already"),
        "da": ("# kompetence, 0 allerede", "# kompetencer, 0 allerede"),
        "ru": "компетенций: #, уже", "bg": "компетенции: #, вече", "zh": "共 # 项能力"}),
    ("enter_complete", "n", {}, {
        "en": ("# score and", "# scores and"), "da": ("# score og", "# scorer og"),
        "ru": "оценок: #, и", "bg": "оценки: # и", "zh": "：# 项评分"}),
    ("enter_stopped", "n", {}, {
        "en": ("# new score saved", "# new scores saved"),
        "da": ("# ny score gemt", "# nye scorer gemt"),
        "ru": "новых оценок: #;", "bg": "нови оценки: #;", "zh": "已保存 # 项新评分"}),
    ("mail_reminder_subject", "n", {}, {
        "en": ("# scorecard to hand in", "# scorecards to hand in"),
        "da": ("# bedømmelsesskema mangler", "# bedømmelsesskemaer mangler"),
        "ru": "оценочные листы: #", "bg": "оценъчни карти: #", "zh": "有 # 份评分卡"}),
    ("mail_reminder_schedule", "days", {}, {
        "en": ("at most # day.", "at most # days."), "da": ("højst # dag.", "højst # dage."),
        "ru": "не дольше # дн.", "bg": ("най-много # ден.", "най-много # дни."),
        "zh": "最多 # 天"}),
    ("mail_invite_body", "minutes", {"candidate": "A", "role": "R", "round": "r", "when": "W"}, {
        "en": ("for # minute.", "for # minutes."), "da": ("i # minut.", "i # minutter."),
        "ru": "продолжительность # мин.", "bg": "продължителност # мин.", "zh": "时长 # 分钟"}),
    # "у" + genitive: "у 1 человека", "у 2 человек", "у 5 человек".
    ("report_fairness_attribute_value", "n", {"name": "X"}, {
        "en": ("X (# person with data)", "X (# people with data)"),
        "da": ("X (# person med", "X (# personer med"),
        "ru": ("у # человека)", "у # человек)", "у # человек)"),
        "bg": ("X (# човек с данни)", "X (# души с данни)"), "zh": "X（# 人有数据）"}),
    ("report_fairness_people", "n", {}, {
        "en": ("# person with data", "# people with data"),
        "da": ("# person med oplysninger", "# personer med oplysninger"),
        "ru": ("у # человека", "у # человек", "у # человек"),
        "bg": ("# човек с данни", "# души с данни"), "zh": "# 人有数据"}),
    # "меньше" + genitive, as after "у".
    ("report_fairness_confidential", "n", {}, {
        "en": ("fewer than # person are merged", "fewer than # people are merged"),
        "da": ("færre end # person er lagt", "færre end # personer er lagt"),
        "ru": ("меньше # человека, объединены", "меньше # человек, объединены",
               "меньше # человек, объединены"),
        "bg": ("по-малко от # човек са обединени", "по-малко от # души са обединени"),
        "zh": "少于 # 人"}),
    ("report_fairness_unstable_count", "n", {}, {
        "en": ("# comparison is too small", "# comparisons are too small"),
        "da": ("# sammenligning er for lille til at vurdere: markeret som usikker i",
               "# sammenligninger er for små til at vurdere: markeret som usikre i"),
        "ru": ("# сравнение слишком мало для выводов: в таблицах оно отмечено как неустойчивое,",
               "# сравнения слишком малы для выводов: в таблицах они отмечены как неустойчивые,",
               "# сравнений слишком малы для выводов: в таблицах они отмечены как неустойчивые,"),
        "bg": ("# сравнение е твърде малко за изводи: в таблиците е отбелязано като неустойчиво,",
               "# сравнения са твърде малки за изводи: в таблиците са отбелязани като"
               " неустойчиви,"),
        "zh": "有 # 项比较"}),
    # "не хватает" + genitive.
    ("report_fairness_flag_line", "shortfall",
     {"attribute": "A", "stage": "S", "group": "G", "ratio": "0,5", "p": "0,1"}, {
        "en": ("# more selection would", "# more selections would"),
        "da": ("# udvalgt mere ville", "# udvalgte mere ville"),
        "ru": ("не хватает # отобранного", "не хватает # отобранных", "не хватает # отобранных"),
        "bg": ("не достига # избран", "не достигат # избрани"), "zh": "再录取 # 人"}),
    ("report_fairness_merged", "n", {"other": "O", "groups": "a, b"}, {
        "en": ("fewer than # person)", "fewer than # people)"),
        "da": ("færre end # person)", "færre end # personer)"),
        "ru": ("меньше # человека)", "меньше # человек)", "меньше # человек)"),
        "bg": ("по-малко от # човек)", "по-малко от # души)"), "zh": "少于 # 人"}),
    ("report_fairness_hidden", "n", {}, {
        "en": ("# person in groups", "# people in groups"),
        "da": ("# person i grupper", "# personer i grupper"),
        "ru": ("# человек из групп…: не учтён", "# человека из групп…: не учтены",
               "# человек из групп…: не учтены"),
        "bg": ("# човек от групи…: не е включен", "# души от групи…: не са включени"),
        "zh": "# 人所在群体"}),
    ("report_fairness_unscored", "n", {}, {
        "en": ("# person with group data has no", "# people with group data have no"),
        "da": ("# person med gruppeoplysninger har", "# personer med gruppeoplysninger har"),
        "ru": ("У # человека с данными", "У # человек с данными", "У # человек с данными"),
        "bg": ("# човек с данни за група все още няма резултат",
               "# души с данни за група все още нямат резултат"),
        "zh": "有 # 位"}),
    ("report_fairness_method_small", "applicants", {"selected": 200}, {
        "en": "fewer than # considered",
        "da": ("færre end # vurderet,", "færre end # vurderede,"),
        "ru": ("меньше # человека или", "меньше # человек или", "меньше # человек или"),
        "bg": ("по-малко от # разгледан или", "по-малко от # разгледани или"),
        "zh": "少于 #，"}),
    ("report_fairness_method_small", "selected", {"applicants": 200}, {
        "en": "fewer than # selected;", "da": ("færre end # udvalgt;", "færre end # udvalgte;"),
        "ru": "отобрано меньше #;", "bg": ("по-малко от # избран;", "по-малко от # избрани;"),
        "zh": "少于 # 时"}),
    ("report_fairness_method_merge", "n", {}, {
        "en": ("fewer than # person are merged", "fewer than # people are merged"),
        "da": ("færre end # person sammen", "færre end # personer sammen"),
        "ru": ("меньше # человека, объединяются", "меньше # человек, объединяются",
               "меньше # человек, объединяются"),
        "bg": ("по-малко от # човек се обединяват", "по-малко от # души се обединяват"),
        "zh": "少于 # 的群体"}),
    ("report_validity_no_question", "n", {}, {
        "en": ("# rating has no recorded question and is not",
               "# ratings have no recorded question and are not"),
        "da": ("# bedømmelse har", "# bedømmelser har"),
        "ru": ("# оценка без записанного вопроса не вошла",
               "# оценки без записанного вопроса не вошли",
               "# оценок без записанного вопроса не вошли"),
        "bg": ("# оценка няма записан въпрос и не е включена",
               "# оценки нямат записан въпрос и не са включени"),
        "zh": "有 # 条评分"}),
    ("report_validity_method_sample", "min", {}, {
        "en": ("fewer than # such person no", "fewer than # such people no"),
        "da": ("færre end # sådan person beregnes", "færre end # sådanne personer beregnes"),
        "ru": "меньше #, корреляция",
        "bg": ("по-малко от # такъв човек корелация", "по-малко от # такива души корелация"),
        "zh": "少于 # 时"}),
    # "не меньше" + genitive.
    ("report_validity_method_increment", "df", {}, {
        "en": ("at least # residual degree of freedom", "at least # residual degrees of freedom"),
        "da": ("mindst # residual frihedsgrad.", "mindst # residuale frihedsgrader."),
        "ru": ("не меньше # остаточной степени свободы", "не меньше # остаточных степеней свободы",
               "не меньше # остаточных степеней свободы"),
        "bg": ("Нужна е поне # остатъчна степен на свобода",
               "Нужни са поне # остатъчни степени на свобода"),
        "zh": "至少需要 #"}),
]


@pytest.mark.parametrize("lang", SUPPORTED_LANGUAGES)
@pytest.mark.parametrize(("key", "counted", "others", "forms"), CASES,
                         ids=[f"{c[0]}-{c[1]}" for c in CASES])
def test_every_count_in_every_language(key: str, counted: str, others: dict[str, Any],
                                       forms: dict[str, Forms], lang: str) -> None:
    t = ui_strings(lang)
    wrong = []
    for n in COUNTS:
        text = t[key].format(**others, **{counted: n})
        expected = _expected(lang, forms[lang], n)
        if not _found(expected, text):
            wrong.append(f"{n}: expected {expected!r} in {text!r}")
    assert wrong == []


def test_every_string_with_a_plural_is_in_the_table() -> None:
    # A new string with a count joins CASES (and so gets its forms checked by hand).
    with_plural = {
        (key, name)
        for key, texts in _all_strings().items()
        for text in texts.values() if isinstance(text, str)
        for name in re.findall(r"\{(\w+)\s*,\s*plural\s*,", text)
    }
    assert with_plural - {(key, counted) for key, counted, _, _ in CASES} == set()


def test_named_russian_bugs_of_issue_23() -> None:
    t = ui_strings("ru")
    assert t["report_left_out_value"].format(left=21, stored=21, reasons="черновик") == (
        "21 из 21 сохранённой оценки: черновик")
    assert "около 21 минуты." in t["kit_opening_how"].format(minutes=21, n=6)
    assert "около 21 минуты." in t["kit_opening_how_written"].format(minutes=21, n=2)
    rated = t["report_completeness_value"].format(
        complete=5, total=5, draft=0, missing=0, rated=1, candidates=5)
    assert rated.endswith("по всем компетенциям оценён 1 из 5 кандидатов")
    assert t["report_small_panel"].format(n=1, typical=21) == "его видел 1 из 21 интервьюера"
    assert t["report_small_panel"].format(n=2, typical=5) == "его видели 2 из 5 интервьюеров"


def test_bulgarian_counted_form_after_a_compound_numeral_ending_in_one() -> None:
    # "двадесет и един въпроса": the counted form, as after any numeral but "един" itself
    # (https://ibl.bas.bg/ezikovi_spravki/101-zhelaniya/: "101 желания", not "101 желание").
    t = ui_strings("bg")
    assert "Ще задам 1 въпрос —" in t["kit_opening_how"].format(minutes=30, n=1)
    assert "Ще задам 21 въпроса —" in t["kit_opening_how"].format(minutes=30, n=21)
    assert "Ще задам 101 въпроса —" in t["kit_opening_how"].format(minutes=30, n=101)
    assert plural_category("bg", 21) == plural_category("bg", 101) == "other"
    assert PLURAL_OVERRIDES == {}  # CLDR's bg rule is the grammar's; see the docstring there


def test_an_override_changes_the_category(monkeypatch: pytest.MonkeyPatch) -> None:
    # The override hook is used before CLDR's rule, and None falls back to CLDR's.
    def one_after_21(n: int | float) -> str | None:
        return "one" if n == 21 else None

    monkeypatch.setitem(PLURAL_OVERRIDES, "bg", one_after_21)
    text = "{n, plural, one {# въпрос} other {# въпроса}}"
    assert UIText(text, "bg").format(n=21) == "21 въпрос"
    assert UIText(text, "bg").format(n=22) == "22 въпроса"
    assert UIText(text, "bg").format(n=1) == "1 въпрос"


def test_russian_rule_is_cldr() -> None:
    # CLDR ru: one = n%10=1 and n%100!=11; few = n%10=2..4 and n%100!=12..14; many = the rest.
    one = {1, 21, 31, 101, 121, 1001}
    few = {2, 3, 4, 22, 23, 24, 102, 104, 1022}
    many = {0, 5, 9, 10, 11, 12, 13, 14, 15, 19, 20, 25, 100, 111, 112, 114, 1011}
    assert {n for n in one | few | many if plural_category("ru", n) == "one"} == one
    assert {n for n in one | few | many if plural_category("ru", n) == "few"} == few
    assert {n for n in one | few | many if plural_category("ru", n) == "many"} == many
    assert plural_category("ru", 1.5) == "other"


@pytest.mark.parametrize(("lang", "categories"), [
    ("en", ("one", "other")), ("da", ("one", "other")), ("bg", ("one", "other")),
    ("ru", ("one", "few", "many", "other")), ("zh", ("other",)),
    ("de", ("one", "other")), ("xx", ("other",)),
])
def test_categories_of_each_language(lang: str, categories: tuple[str, ...]) -> None:
    assert plural_categories(lang) == categories
    assert {plural_category(lang, n) for n in range(0, 200)} <= set(categories)
    assert gettext_plural_forms(lang).startswith(f"nplurals={len(categories)};")


def test_every_plural_carries_exactly_its_languages_categories() -> None:
    # ru: one/few/many/other (other: fractions); bg, da, en: one/other; zh: no plural at all.
    problems = []
    for key, texts in _all_strings().items():
        for lang in SUPPORTED_LANGUAGES:
            text = str(texts.get(lang) or texts["en"])
            for block in _plural_blocks(text):
                _, forms = plural_forms(block)
                if tuple(c for c in ("one", "few", "many", "other") if c in forms) != (
                        plural_categories(lang)) or set(forms) - set(plural_categories(lang)):
                    problems.append(f"{key} [{lang}]: {sorted(forms)}")
    assert problems == []


def _plural_blocks(text: str) -> list[str]:
    blocks = []
    for match in re.finditer(r"\{\w+\s*,\s*plural\s*,", text):
        depth = 0
        for index in range(match.start(), len(text)):
            depth += {"{": 1, "}": -1}.get(text[index], 0)
            if depth == 0:
                blocks.append(text[match.start() + 1 : index])
                break
    return blocks


def test_every_string_formats_with_every_count() -> None:
    # Every key (also those other teams add), every placeholder a count: no error, no block left.
    problems = []
    for key, texts in _all_strings().items():
        for lang in SUPPORTED_LANGUAGES:
            text = str(texts.get(lang) or texts["en"])
            names = set(re.findall(r"\{(\w+)[,}]", text))
            for n in COUNTS:
                try:
                    rendered = ui_strings(lang)[key].format(**{name: n for name in names})
                except (KeyError, ValueError, IndexError) as error:
                    problems.append(f"{key} [{lang}]: {error!r}")
                    break
                if "plural" in rendered:
                    problems.append(f"{key} [{lang}]: plural block left in {rendered!r}")
    assert problems == []


def test_the_count_is_written_in_the_language() -> None:
    text = "{n, plural, one {# x} other {# xs}}"
    assert UIText(text, "en").format(n=12345) == "12,345 xs"
    assert UIText(text, "da").format(n=12345) == "12.345 xs"
    assert UIText(text, "ru").format(n=12345) == "12\xa0345 xs"
    assert UIText(text, "de").format(n=1) == "1 x"  # any language CLDR knows


def test_a_plain_string_is_untouched() -> None:
    assert expand_plurals("{n} min", "ru", {"n": 5}) == "{n} min"
    assert ui_strings("ru")["minutes"].format(n=5) == "5 мин"
    assert expand_plurals("{{literal}} {n, plural, one {#} other {#s}}", "en", {"n": 2}) == (
        "{{literal}} 2s"
    )

