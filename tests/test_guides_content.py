"""Guide content without PDF: selection, manifest, HTML and Markdown output, escaping."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from hiring.bank import load_bank
from hiring.guides.build import render_guide_html, render_guide_markdown, write_guide
from hiring.guides.context import GuideRequest, build_guide, split_minutes
from hiring.guides.selection import select_questions
from hiring.render.strings import ui_strings

FIXTURES = Path(__file__).parent / "fixtures"
FIVE = FIXTURES / "five_lang_bank"
HOSTILE = '<img src="file:///etc/hostname">{{7*7}}'


@pytest.fixture(scope="module")
def bank():
    return load_bank([FIVE])


def _ids(chosen: dict) -> dict[str, list[str]]:
    return {c: [q.id for q in qs] for c, qs in chosen.items()}


def test_selection_is_deterministic_and_depends_on_the_question_set(bank) -> None:
    first = _ids(select_questions(bank, "inbound-agent", "panel", "default"))
    # Same inputs in a fresh process (hash() is salted per process; ours must not be).
    code = (
        "import json; from pathlib import Path; from hiring.bank import load_bank;"
        "from hiring.guides.selection import select_questions as s;"
        f"b = load_bank([Path({str(FIVE)!r})]);"
        "print(json.dumps({c: [q.id for q in v] for c, v in "
        "s(b, 'inbound-agent', 'panel', 'default').items()}))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        check=True,
        cwd=Path(__file__).parent.parent,
    )
    assert json.loads(out.stdout) == first
    variants = {
        json.dumps(_ids(select_questions(bank, "inbound-agent", "panel", name)))
        for name in ("default", "spring", "autumn", "2027-a", "2027-b")
    }
    assert len(variants) > 1  # a new question set does rotate the questions


def test_agent_role_skips_senior_questions_and_counts_match_round(bank) -> None:
    for question_set in ("default", *(f"set-{n}" for n in range(20))):
        chosen = select_questions(bank, "inbound-agent", "panel", question_set)
        assert [len(v) for v in chosen.values()] == [2, 2, 2]
        assert "active-listening-03" not in {q.id for v in chosen.values() for q in v}


def test_later_round_avoids_questions_of_earlier_round(bank) -> None:
    for question_set in ("default", "spring", "autumn", "x1"):
        screen = select_questions(bank, "inbound-agent", "screen", question_set)
        panel = select_questions(bank, "inbound-agent", "panel", question_set)
        for competency, questions in screen.items():
            asked = {q.id for q in questions}
            assert asked.isdisjoint({q.id for q in panel[competency]}), (question_set, competency)


def test_split_minutes_sums_to_total() -> None:
    assert split_minutes(16, [1, 1, 1]) == [6, 5, 5]
    assert sum(split_minutes(47, [2, 1, 3])) == 47


def test_guide_parts_time_plan_and_in_between_steps(bank) -> None:
    guide = build_guide(bank, GuideRequest(role="inbound-agent", round="screen", lang="da"))
    assert [p.kind for p in guide.parts] == ["strength", "weakness"]
    assert sum(slot.minutes for slot in guide.time_plan) == 20
    weakness = guide.parts[1].competencies[0]
    assert weakness.name == "At haste kunder igennem"
    # 0-3 scale anchored at 0, 2, 3: point 1 is an in-between step.
    assert [(p.value, p.anchor is None) for p in weakness.scale] == [
        (0, False),
        (1, True),
        (2, False),
        (3, False),
    ]


def test_small_bank_zero_to_three_scale_renders(tmp_path: Path) -> None:
    small = load_bank([FIXTURES / "small_bank"])
    out = write_guide(
        small, GuideRequest(role="inbound-agent", round="screen"), tmp_path / "g.html"
    )
    html = out.path.read_text()
    assert "Describes arguing back until the customer gave in." in html
    assert ui_strings("en")["in_between"] in html  # point 1 has no anchor


def test_manifest_lists_what_was_asked(bank, tmp_path: Path) -> None:
    request = GuideRequest(
        role="inbound-agent", round="panel", candidate="Anna", interviewer="Ole", lang="ru",
        question_set="spring",
    )
    result = write_guide(bank, request, tmp_path / "anna.md")
    manifest = json.loads((tmp_path / "anna.md.manifest.json").read_text())
    chosen = select_questions(bank, "inbound-agent", "panel", "spring")
    assert manifest["kind"] == "hiring-guide-manifest" and manifest["version"] == 1
    assert (manifest["role"], manifest["round"], manifest["language"]) == (
        "inbound-agent",
        "panel",
        "ru",
    )
    assert manifest["bank_version"] == bank.version and len(bank.version) == 12
    assert manifest["question_set"] == "spring"
    assert manifest["competencies"] == [
        "active-listening",
        "resolving-complaints",
        "rushing-customers",
    ]
    assert sorted(q["question"] for q in manifest["questions"]) == sorted(
        q.id for qs in chosen.values() for q in qs
    )
    text = result.path.read_text()
    from hiring.guides.context import script_lines

    for item in manifest["questions"]:
        _, question = bank.question(item["question"])
        if question.type == "role_play":  # printed one turn per line, speaker in bold
            for line in script_lines(question.text["ru"]):
                assert f"**{line.speaker}:** {line.words}" in text
        else:
            assert question.text["ru"] in text


def test_hostile_name_printed_literally_in_html_and_markdown(bank, tmp_path: Path) -> None:
    guide = build_guide(
        bank,
        GuideRequest(role="inbound-agent", candidate=HOSTILE, interviewer="<script>x</script>"),
    )
    html = render_guide_html(guide)
    assert "&lt;img src=&#34;file:///etc/hostname&#34;&gt;{{7*7}}" in html
    assert "<img" not in html and "<script>" not in html and "49" not in html
    markdown = render_guide_markdown(guide)
    # Escaped for Markdown too (hiring.render.markdown): every punctuation mark backslashed.
    assert r'&lt;img src\=\"file\:\/\/\/etc\/hostname\"&gt;\{\{7\*7\}\}' in markdown
    assert "<img" not in markdown


def test_html_output_is_self_contained(bank, tmp_path: Path) -> None:
    out = write_guide(
        bank, GuideRequest(role="inbound-agent", lang="zh", candidate="王小明"), tmp_path / "g.html"
    )
    html = out.path.read_text()
    assert '<html lang="zh">' in html and "<style>" in html and "@page" in html
    for needle in ("http", "file:", "<link", "src=", "@import", "url("):
        assert needle not in html, needle
    assert "王小明" in html and "积极倾听" in html


def test_html_and_markdown_do_not_import_weasyprint(tmp_path: Path) -> None:
    code = (
        "import sys; from pathlib import Path; from hiring.cli import app;"
        "from typer.testing import CliRunner; r = CliRunner();"
        f"base = ['--bank', {str(FIVE)!r}, 'guide', 'build', '--role', 'inbound-agent'];"
        f"a = r.invoke(app, base + ['--out', {str(tmp_path / 'g.html')!r}]);"
        f"b = r.invoke(app, base + ['--out', {str(tmp_path / 'g.md')!r}]);"
        "assert a.exit_code == 0 and b.exit_code == 0, (a.output, b.output);"
        "print('weasyprint' in sys.modules)"
    )
    out = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        cwd=Path(__file__).parent.parent,
    )
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "False"
    assert (tmp_path / "g.html").stat().st_size > 1000 and (tmp_path / "g.md").is_file()


def test_ui_strings_in_every_language() -> None:
    english = ui_strings("en")
    for lang in ("da", "ru", "bg", "zh"):
        strings = ui_strings(lang)
        assert set(strings) == set(english)
        assert strings["signature"] != english["signature"]


def test_templates_folder_overrides_one_partial_by_name(bank, tmp_path: Path) -> None:
    templates = tmp_path / "templates"  # outputs may not land inside the templates folder
    (templates / "partials").mkdir(parents=True)
    (templates / "partials" / "guide_closing.html.j2").write_text(
        "<section class='closing'>Our own closing for {{ guide.candidate }}</section>"
    )
    out = write_guide(
        bank,
        GuideRequest(role="inbound-agent", candidate="<b>Bo</b>"),
        tmp_path / "g.html",
        templates_dir=templates,
    )
    html = out.path.read_text()
    assert "Our own closing for &lt;b&gt;Bo&lt;/b&gt;" in html
    assert ui_strings("en")["kit_strength"] in html  # the rest is still the bundled guide


def test_cli_reports_a_language_the_role_lacks_in_one_line(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from hiring.cli import app

    result = CliRunner().invoke(
        app,
        [
            "--bank",
            str(FIXTURES / "small_bank"),
            "guide",
            "build",
            "--role",
            "inbound-agent",
            "--lang",
            "zh",
            "--out",
            str(tmp_path / "g.pdf"),
        ],
    )
    assert result.exit_code == 1
    assert result.output.strip() == (
        "Error: role 'inbound-agent' is not offered in 'zh' (languages: en, da)"
    )
    assert not (tmp_path / "g.pdf").exists()


def test_role_play_script_is_split_into_turns() -> None:
    from hiring.guides.context import ScriptLine, script_lines

    assert script_lines(
        "Customer (irritated): I cancelled.\nCustomer: Why?\n\nno speaker here"
    ) == [
        ScriptLine("Customer (irritated)", "I cancelled."),
        ScriptLine("Customer", "Why?"),
        ScriptLine(None, "no speaker here"),
    ]
    assert script_lines("客户（生气）：我三月就取消了！") == [
        ScriptLine("客户（生气）", "我三月就取消了！")
    ]


def test_bundled_role_play_renders_one_line_per_turn() -> None:
    from markupsafe import escape

    from hiring.bank import load_bank
    from hiring.guides.build import render_guide_html
    from hiring.guides.context import GuideRequest, build_guide

    bank = load_bank()
    # Selection varies by question set: find a set whose panel asks a role-play.
    for number in range(200):
        request = GuideRequest(
            role="inbound-agent", round="panel", candidate="X", question_set=f"set-{number}"
        )
        guide = build_guide(bank, request)
        questions = [q for part in guide.parts for c in part.competencies for q in c.questions]
        role_plays = [q for q in questions if q.type == "role_play"]
        if role_plays:
            break
    assert role_plays, "no question set in 200 asked a role-play"
    html = render_guide_html(guide, None)
    for question in role_plays:
        assert len(question.script) == len(question.text.splitlines())
        for line in question.script:
            assert (
                f'<span class="speaker">{escape(line.speaker)}:</span> {escape(line.words)}</p>'
                in html
            )
