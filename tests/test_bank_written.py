"""Written work samples (question type written): schema, validation, selection, guide, show."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from typer.testing import CliRunner

from hiring.bank import load_bank
from hiring.bank.load import check_bank
from hiring.guides.build import render_guide_html, render_guide_markdown, write_guide
from hiring.guides.context import GuideRequest, build_guide
from hiring.guides.selection import select_questions
from tests.conftest import invoke
from tests.test_bank_validate import ROLE, TEAMWORK, edit, line_of

WRITTEN_IDS = {
    "complaint-resolution-07",
    "clear-communication-07",
    "avoiding-over-favouring-07",
    "documentation-07",
}

# A complete written exercise for the small bank (en + da, five-point scale).
WRITTEN = """    - id: teamwork-09
      type: written
      channel: chat
      minutes: 8
      text: {en: Reply to the customer in writing., da: Svar kunden skriftligt.}
      message: {en: my colleague said you would call me, da: din kollega sagde I ville ringe}
      reply_anchors:
        1: {en: Blames the colleague., da: Giver kollegaen skylden.}
        2: {en: Apologises only., da: Undskylder kun.}
        3: {en: Says when someone will call., da: Siger hvornaar nogen ringer.}
        4: {en: Says when and why., da: Siger hvornaar og hvorfor.}
        5: {en: Calls back at the time promised., da: Ringer tilbage som lovet.}
"""


def add_written(bank: Path, text: str = WRITTEN) -> Path:
    path = bank / TEAMWORK
    path.write_text(path.read_text(encoding="utf-8") + text, encoding="utf-8")
    return path


def problems_of(bank: Path) -> list[str]:
    loaded, problems = check_bank([bank])
    assert loaded is None, "expected the bank to be invalid"
    return [str(p) for p in problems]


@pytest.fixture(scope="module")
def bundled():
    return load_bank()


def test_bundled_bank_has_four_written_exercises_in_five_languages(bundled) -> None:
    found = {}
    for competency in bundled.competencies.values():
        for question in competency.questions:
            if question.type == "written":
                found[question.id] = question
    assert set(found) == WRITTEN_IDS
    channels = {q.id: q.channel for q in found.values()}
    assert channels["clear-communication-07"] == "chat"
    assert channels["documentation-07"] == "email"
    for question in found.values():
        assert question.minutes and 5 <= question.minutes <= 20
        for text in (question.text, question.message, *question.reply_anchors.values()):
            assert set(text) == {"en", "da", "ru", "bg", "zh"}, question.id
        assert sorted(question.reply_anchors) == [1, 2, 3, 4, 5]


def test_only_the_written_round_gives_written_exercises(bundled) -> None:
    for role_id in bundled.roles:
        role = bundled.role(role_id)
        for round_ in role.rounds:
            for question_set in ("default", "spring", "autumn"):
                chosen = select_questions(bundled, role_id, round_.id, question_set)
                types = {q.type for qs in chosen.values() for q in qs}
                if round_.id == "written":
                    assert role_id == "chat-email-agent"
                    assert types == {"written"}
                    assert {q.id for qs in chosen.values() for q in qs} == WRITTEN_IDS
                else:
                    assert "written" not in types, (role_id, round_.id, question_set)


def test_written_exercise_validates(small_bank: Path) -> None:
    add_written(small_bank)
    bank, problems = check_bank([small_bank])
    assert problems == []
    _, question = bank.question("teamwork-09")
    assert question.channel == "chat" and question.minutes == 8
    assert question.reply_anchors[5]["da"] == "Ringer tilbage som lovet."


def test_written_exercise_needs_message_and_reply_anchors(small_bank: Path) -> None:
    broken = "\n".join(
        line
        for line in WRITTEN.splitlines()
        if "message:" not in line and "reply_anchors" not in line and "        " not in line[:8]
    )
    path = add_written(small_bank, broken + "\n")
    problems = problems_of(small_bank)
    line = line_of(path, "id: teamwork-09")
    assert problems == [
        f"{path}:{line}:7: written question teamwork-09 needs 'message' (competency.questions[3]; "
        "a written work sample has channel, minutes, message and reply_anchors)",
        f"{path}:{line}:7: written question teamwork-09 needs 'reply_anchors' "
        "(competency.questions[3]; a written work sample has channel, minutes, message and "
        "reply_anchors)",
    ]


def test_other_types_may_not_carry_written_fields(small_bank: Path) -> None:
    path = edit(
        small_bank,
        TEAMWORK,
        "    - id: teamwork-02\n      type: situational\n",
        "    - id: teamwork-02\n      type: situational\n      minutes: 5\n",
    )
    problems = problems_of(small_bank)
    assert len(problems) == 1, problems
    assert problems[0] == (
        f"{path}:{line_of(path, 'minutes: 5')}:7: 'minutes' belongs to written work samples, "
        "not a situational question (competency.questions[1].minutes; set type: written or "
        "remove it)"
    )


def test_reply_anchor_outside_the_scale_and_missing_point(small_bank: Path) -> None:
    path = add_written(small_bank, WRITTEN.replace("        5: {", "        6: {"))
    problems = problems_of(small_bank)
    assert any(
        "reply anchor for point 6, outside the scale 'five-point' 1-5 "
        "(competency.questions[3].reply_anchors.6)" in p
        for p in problems
    ), problems
    assert any("missing reply anchor for point 5" in p for p in problems), problems
    assert all(p.startswith(f"{path}:") for p in problems)


def test_written_message_needs_every_language_of_the_role(small_bank: Path) -> None:
    add_written(
        small_bank,
        WRITTEN.replace(
            ", da: din kollega sagde I ville ringe}",
            "}",
        ),
    )
    problems = problems_of(small_bank)
    assert len(problems) == 1, problems
    assert (
        "missing language da (competency.questions[3].message; role 'inbound-agent'"
        in (problems[0])
    )


def test_a_round_of_written_type_needs_a_written_question(small_bank: Path) -> None:
    path = edit(
        small_bank,
        ROLE,
        "      competencies: [avoiding-arguments]\n",
        "      competencies: [avoiding-arguments]\n      types: [written]\n",
    )
    problems = problems_of(small_bank)
    assert len(problems) == 1, problems
    assert problems[0].startswith(f"{path}:")
    assert "round 'screen' has no question it may ask for 'avoiding-arguments'" in problems[0]
    assert "the round asks written questions" in problems[0]


def test_guide_prints_message_time_limit_space_and_reply_anchors(bundled) -> None:
    guide = build_guide(bundled, GuideRequest(role="chat-email-agent", round="written"))
    html = render_guide_html(guide)
    assert html.count('class="written-sample"') == 4
    assert "15 minutes to write the reply" in html
    assert "8 minutes to write the reply" in html
    assert "Chat message" in html and "E-mail" in html
    assert "THIRD time asking" in html  # the complaint e-mail
    assert "anna.k.home@freemail.com" in html  # the data-protection request
    assert "What a reply at each level looks like" in html
    _, question = bundled.question("avoiding-over-favouring-07")
    assert question.reply_anchors[4]["en"][:40] in html
    markdown = render_guide_markdown(guide)
    assert "> hi my thing stopped working again" in markdown
    assert "- [ ] 5 Outstanding: All of 4" in markdown


def test_interview_rounds_print_no_written_part(bundled) -> None:
    guide = build_guide(bundled, GuideRequest(role="chat-email-agent", round="panel"))
    assert 'class="written-sample"' not in render_guide_html(guide)


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="needs poppler-utils")
@pytest.mark.parametrize("lang", ["bg", "zh"])
def test_written_round_pdf_reads_back(bundled, tmp_path: Path, lang: str) -> None:
    out = tmp_path / f"written-{lang}.pdf"
    result = write_guide(
        bundled, GuideRequest(role="chat-email-agent", round="written", lang=lang), out
    )
    assert result.warnings == []
    text = subprocess.run(
        ["pdftotext", str(out), "-"], capture_output=True, text=True, check=True
    ).stdout
    flat = "".join(text.split())
    _, question = bundled.question("documentation-07")
    first_line = question.message[lang].splitlines()[2]
    assert "".join(first_line.split())[:20] in flat
    assert "".join(question.reply_anchors[3][lang].split())[:20] in flat
    # Blank pages before a tall work sample were the first layout: every page has text.
    pages = text.split("\f")[:-1]
    assert all(page.strip() for page in pages), [i for i, p in enumerate(pages) if not p.strip()]


def test_bank_show_prints_the_written_exercise(runner: CliRunner) -> None:
    result = invoke(runner, "bank", "show", "documentation", "--lang", "ru")
    assert result.exit_code == 0, result.output
    assert "[documentation-07, written]" in result.stdout
    assert "email, 12 min; the customer writes:" in result.stdout
    assert "    | Анна Ковальская, номер клиента 55 01 873" in result.stdout
    assert "      3 Соответствует ожиданиям: Подтверждает, что запрос получен" in result.stdout


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="needs poppler-utils")
@pytest.mark.parametrize("lang", ["en", "zh"])
def test_written_round_writes_the_candidates_handout(bundled, tmp_path: Path, lang: str) -> None:
    """The kit prints the rating anchors beside each message, so the candidate gets a
    hand-out instead: one page per exercise with the task, the message and reply space,
    and nothing the interviewer rates on, nor any candidate's name."""
    out = tmp_path / "anna.pdf"
    result = write_guide(
        bundled, GuideRequest(role="chat-email-agent", round="written", lang=lang,
                              candidate="Quentin Zorbas", interviewer="Xavier Yuen"), out)
    assert result.handout_path == tmp_path / "anna.handout.pdf"
    text = subprocess.run(["pdftotext", str(result.handout_path), "-"], capture_output=True,
                          text=True, check=True).stdout
    pages = ["".join(page.split()) for page in text.split("\f")[:-1]]
    questions = [q for c in result.guide.competencies() for q in c.questions]
    assert len(pages) == len(questions) == 4
    flat = "".join(text.split())
    for page, question in zip(pages, questions, strict=True):
        assert "".join(question.text.split())[:30] in page
        message_line = next(line for line in question.message.splitlines() if line.strip())
        assert "".join(message_line.split())[:20] in page
    for competency in result.guide.competencies():
        hidden = [p.anchor for p in competency.rating_scale if p.anchor]
        hidden += competency.listen_for + competency.red_flags
        assert not any("".join(h.split())[:20] in flat for h in hidden), competency.id
    assert "Quentin" not in text and "Zorbas" not in text and "Xavier" not in text
    # An interview round has no hand-out.
    panel = write_guide(bundled, GuideRequest(role="chat-email-agent", round="panel"),
                        tmp_path / "panel.md")
    assert panel.handout_path is None and not (tmp_path / "panel.handout.md").exists()


def test_handout_in_markdown_and_html_and_refused_with_the_guide(bundled, tmp_path: Path) -> None:
    from hiring.errors import InputError

    request = GuideRequest(role="chat-email-agent", round="written")
    for fmt in ("md", "html"):
        result = write_guide(bundled, request, tmp_path / f"kit.{fmt}")
        assert result.handout_path is not None
        body = result.handout_path.read_text(encoding="utf-8")
        assert "hi my thing stopped working again" in body
        assert "What a reply at each level looks like" not in body
    # Check first: a hand-out path that cannot be written stops the guide too.
    (tmp_path / "blocked.handout.pdf").mkdir()
    with pytest.raises(InputError):
        write_guide(bundled, request, tmp_path / "blocked.pdf")
    assert not (tmp_path / "blocked.pdf").exists()
    assert not (tmp_path / "blocked.pdf.manifest.json").exists()
