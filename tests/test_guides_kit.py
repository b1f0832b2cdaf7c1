"""The printed interview kit: one page per competency, nothing of a question split across
pages, opening and closing scripts, and a one-page scorecard at the end.

Every role and round of the bundled bank, in every language, on A4 and Letter, is rendered
and read back page by page with pdftotext.
"""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest

from hiring.bank import load_bank
from hiring.guides.build import write_guide
from hiring.guides.context import Guide, GuideRequest
from hiring.render.strings import ui_strings

BANK = load_bank()
# Every round, the written work sample (chat-email-agent 'written') included: each exercise
# is one page too (the customer's message, the reply's anchors as its rating scale).
CASES = [
    (role_id, round_.id, lang)
    for role_id, role in sorted(BANK.roles.items())
    for round_ in role.rounds
    for lang in role.languages
]


def _squash(text: str) -> str:
    """Text without whitespace, hyphens and case: line breaks fall anywhere (pdftotext drops
    the hyphen of "что-то" broken at it), labels print in capitals."""
    return re.sub(r"[\s\-\u00ad\u2010]+", "", text).casefold()


def pages_text(pdf: Path) -> list[str]:
    out = subprocess.run(["pdftotext", "-enc", "UTF-8", str(pdf), "-"], capture_output=True,
                         text=True, check=True).stdout
    return [_squash(page) for page in out.split("\f")[:-1]]


def _pages_of(pages: list[str], text: str, length: int = 28) -> list[int]:
    needle = _squash(text)[:length]
    return [n for n, page in enumerate(pages) if needle in page]


def question_blocks(guide: Guide, lang: str) -> dict[str, list[str]]:
    """Every text of one competency's page that must stay on that one page."""
    t = ui_strings(lang)
    blocks = {}
    for competency in guide.competencies():
        texts = [competency.definition]
        for question in competency.questions:
            texts += [line.words for line in question.script] or [question.text]
            texts += [line for line in (question.message or "").splitlines() if line.strip()]
            texts += question.probes
        texts += competency.listen_for + competency.red_flags
        texts += [p.anchor for p in competency.rating_scale if p.anchor]
        written = competency.written_question is not None
        texts.append(t["written_rating_hint"] if written else t["rating_hint"])
        blocks[competency.id] = texts
    return blocks


def check_kit(pdf: Path, guide: Guide, lang: str) -> list[str]:
    """Problems of the kit's layout, one line each (empty when it is right)."""
    t = ui_strings(lang)
    pages = pages_text(pdf)
    problems = []
    limit = len(guide.competencies()) + 3
    if len(pages) > limit:
        problems.append(f"{len(pages)} pages, more than {limit}")
    used: dict[int, str] = {}
    for competency_id, texts in question_blocks(guide, lang).items():
        home = _pages_of(pages, texts[0])  # the definition: on exactly one page
        if len(home) != 1:
            problems.append(f"{competency_id}: definition on pages {home}")
            continue
        away = [text[:20] for text in texts[1:] if home[0] not in _pages_of(pages, text)]
        if away:
            problems.append(f"{competency_id}: split or missing from page {home[0] + 1}: {away}")
        if home[0] in used:
            problems.append(f"{competency_id} shares page {home[0] + 1} with {used[home[0]]}")
        used[home[0]] = competency_id
    # Brief, time plan and opening script together; closing script and scorecard together.
    written = guide.work_sample
    brief = _pages_of(pages, t["brief_intro"])
    opening = _pages_of(pages, t["kit_opening_notes_written" if written else "kit_opening_notes"])
    if not brief or brief != opening:
        problems.append(f"brief on {brief}, opening script on {opening}")
    last = len(pages) - 1
    closing = t["kit_closing_questions_written" if written else "kit_closing_questions"]
    for text in (closing, t["kit_closing_thanks"], t["kit_scorecard_hint"],
                 t["signature"], *(c.name for c in guide.competencies())):
        if last not in _pages_of(pages, text, 20):
            problems.append(f"'{text[:20]}' not on the last page")
    return problems


@pytest.mark.slow
@pytest.mark.parametrize("paper", ["a4", "letter"])
@pytest.mark.parametrize(("role", "round_id", "lang"), CASES)
def test_kit_pages(tmp_path: Path, role: str, round_id: str, lang: str, paper: str) -> None:
    out = tmp_path / "kit.pdf"
    result = write_guide(BANK, GuideRequest(role=role, round=round_id, candidate="Anna Berg",
                                            interviewer="Ole Holm", lang=lang, paper=paper), out)
    assert result.warnings == []
    assert check_kit(out, result.guide, lang) == []


def test_the_page_checker_catches_a_split_question(tmp_path: Path) -> None:
    # The old layout (question page, rating page) fails the checker: it is not vacuous.
    templates = tmp_path / "templates" / "partials"
    templates.mkdir(parents=True)
    (templates / "rating_scale.html.j2").write_text(
        '<div style="break-before: page">{{ t.rating_hint }}'
        "{% for p in competency.scale %}<p>{{ p.anchor or '' }}</p>{% endfor %}</div>"
    )
    out = tmp_path / "kit.pdf"
    result = write_guide(BANK, GuideRequest(role="inbound-agent", round="screen"), out,
                         templates_dir=tmp_path / "templates")
    problems = check_kit(out, result.guide, "en")
    assert any("split or missing" in p for p in problems)
    assert any("pages, more than" in p for p in problems)


def test_question_number_only_when_several(tmp_path: Path) -> None:
    from hiring.guides.build import render_guide_html

    label = ui_strings("en")["question"]
    one = render_guide_html(write_guide(BANK, GuideRequest(role="inbound-agent"),
                                        tmp_path / "a.md").guide)
    assert f"{label} · " in one and f"{label} 1" not in one
    five = load_bank([Path(__file__).parent / "fixtures" / "five_lang_bank"])
    two = render_guide_html(write_guide(five, GuideRequest(role="inbound-agent", round="panel"),
                                        tmp_path / "b.md").guide)
    assert f"{label} 1 · " in two and f"{label} 2 · " in two


def test_opening_script_is_timed_by_the_time_plan(tmp_path: Path) -> None:
    from hiring.guides.build import render_guide_html

    guide = write_guide(BANK, GuideRequest(role="inbound-agent", round="panel", lang="da"),
                        tmp_path / "a.md").guide
    html = render_guide_html(guide)
    t = ui_strings("da")
    opening, closing = guide.time_plan[0].minutes, guide.time_plan[-1].minutes
    assert (opening, closing) == (6, 6)  # a tenth of 60 minutes each
    assert f"{t['kit_opening_title']} <span class=\"muted minutes\">· 6 min." in html
    assert f"{t['kit_closing_title']} <span class=\"muted minutes\">· 6 min." in html
    assert t["kit_opening_how"].format(minutes=60, n=10) in html


@pytest.mark.parametrize(("lang", "expected"), [
    ("ru", "Я задам 4 вопроса"),  # 4 takes the "few" form; "4 вопросов" was printed
    ("bg", "Ще задам 4 въпроса"),
    ("en", "I will ask 4 questions"),
])
def test_opening_counts_the_questions_in_each_language(lang: str, expected: str) -> None:
    from hiring.guides.build import render_guide_html
    from hiring.guides.context import build_guide

    guide = build_guide(BANK, GuideRequest(role="inbound-agent", round="screen", lang=lang))
    assert len(guide.questions()) == 4
    assert expected in render_guide_html(guide)


def test_a_written_work_sample_is_not_run_as_an_interview() -> None:
    """Its brief, scripts and ratings speak of exercises and replies, and the rating table of
    each exercise holds the reply's own anchors (the exercise's), once."""
    from hiring.guides.build import render_guide_html
    from hiring.guides.context import build_guide

    guide = build_guide(BANK, GuideRequest(role="chat-email-agent", round="written", lang="ru"))
    assert guide.work_sample
    html = render_guide_html(guide)
    t = ui_strings("ru")
    assert "Вы получите 4 письменных задания" in html  # "few" form, checked by hand
    for interview_only in ("kit_opening_notes", "kit_closing_questions", "brief_probe",
                           "brief_same_questions"):
        assert t[interview_only] not in html, interview_only
    for written in ("kit_opening_notes_written", "kit_closing_questions_written",
                    "written_brief_help", "written_rating_hint", "written_evidence"):
        assert t[written] in html, written
    for competency in guide.competencies():
        question = competency.written_question
        assert question is not None
        assert competency.rating_scale == question.reply_scale
        for point in question.reply_scale:
            assert html.count(f"<td>{point.anchor}</td>") == 1
        # The competency's interview anchors are not the scale this exercise is rated on.
        assert all(f"<td>{p.anchor}</td>" not in html for p in competency.scale if p.anchor)
    # An interview round keeps the competency's anchors and its interview scripts.
    panel = build_guide(BANK, GuideRequest(role="chat-email-agent", round="panel"))
    assert not panel.work_sample
    assert ui_strings("en")["kit_closing_questions"] in render_guide_html(panel)
