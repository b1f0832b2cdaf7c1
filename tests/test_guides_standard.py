"""Standardised questions: a round asks the same questions of every candidate.

The questions depend on (role, round, question set), never on the candidate; later rounds of
one set avoid the earlier rounds' questions; ``--candidate`` takes an id or a name.
"""

from __future__ import annotations

import json
from pathlib import Path

from tests.conftest import invoke


def _build(runner, tmp_path: Path, name: str, *extra: str) -> dict:  # type: ignore[no-untyped-def]
    out = tmp_path / f"{name or 'nobody'}.md"
    args = ["guide", "build", "--role", "inbound-agent", "--round", "panel", "--out", str(out)]
    if name:
        args += ["--candidate", name]
    result = invoke(runner, *args, *extra)
    assert result.exit_code == 0, result.output
    return json.loads((tmp_path / f"{out.name}.manifest.json").read_text())


def _asked(manifest: dict) -> list[tuple[str, str]]:
    return [(q["competency"], q["question"]) for q in manifest["questions"]]


def test_anna_bo_and_no_candidate_hear_the_same_questions(runner, tmp_path: Path) -> None:
    # On the old code the selection was seeded by the name: 7-9 of 10 competencies differed.
    anna = _build(runner, tmp_path, "Anna")
    bo = _build(runner, tmp_path, "Bo")
    nobody = _build(runner, tmp_path, "")
    assert len(_asked(anna)) == 10
    assert _asked(anna) == _asked(bo) == _asked(nobody)
    assert (anna["candidate"], bo["candidate"], nobody["candidate"]) == ("Anna", "Bo", None)


def test_question_set_rotates_questions_and_is_recorded(runner, tmp_path: Path) -> None:
    for folder in ("a", "b", "c"):
        (tmp_path / folder).mkdir()
    default = _build(runner, tmp_path / "a", "Anna")
    spring = _build(runner, tmp_path / "b", "Anna", "--question-set", "spring-2027")
    assert default["question_set"] == "default" and spring["question_set"] == "spring-2027"
    differ = [a for a, b in zip(_asked(default), _asked(spring), strict=True) if a != b]
    assert differ, "a new question set asks at least one other question"
    # Every candidate of the new set hears that set's questions.
    bo = _build(runner, tmp_path / "c", "Bo", "--question-set", "spring-2027")
    assert _asked(bo) == _asked(spring)


def test_guide_questions_lists_what_the_guides_ask(runner, tmp_path: Path) -> None:
    manifest = _build(runner, tmp_path, "Anna", "--question-set", "autumn")
    result = invoke(
        runner, "guide", "questions", "--role", "inbound-agent", "--round", "panel",
        "--question-set", "autumn", "--json",
    )
    assert result.exit_code == 0, result.output
    listing = json.loads(result.output)
    assert [(q["competency"], q["question"]) for q in listing["questions"]] == _asked(manifest)
    assert listing["question_set"] == "autumn" and listing["round"] == "panel"
    text = invoke(runner, "guide", "questions", "--role", "inbound-agent", "--round", "panel",
                  "--question-set", "autumn")
    assert text.exit_code == 0
    for _, question in _asked(manifest):
        assert question in text.output


def test_later_rounds_of_a_set_avoid_earlier_questions() -> None:
    from hiring.bank import load_bank
    from hiring.guides.selection import select_questions

    bank = load_bank()
    for question_set in ("default", "spring", "autumn"):
        screen = select_questions(bank, "inbound-agent", "screen", question_set)
        panel = select_questions(bank, "inbound-agent", "panel", question_set)
        for competency, questions in screen.items():
            pool = bank.competency(competency).questions
            if len(pool) >= 2:
                assert {q.id for q in questions}.isdisjoint(q.id for q in panel[competency])


def test_invalid_question_set_is_refused_before_writing(runner, tmp_path: Path) -> None:
    out = tmp_path / "g.md"
    result = invoke(runner, "guide", "build", "--role", "inbound-agent", "--question-set",
                    "../x", "--out", str(out))
    assert result.exit_code == 1
    assert "question set '../x' is not a valid name" in result.output
    assert not out.exists()


def test_candidate_id_prints_the_stored_name(runner, tmp_path: Path) -> None:
    db = tmp_path / "h.db"
    added = invoke(runner, "--db", str(db), "candidate", "add", "Anna Berg")
    assert added.exit_code == 0, added.output
    invoke(runner, "--db", str(db), "candidate", "add", "Bo Ek")
    out = tmp_path / "g.md"
    result = invoke(runner, "--db", str(db), "guide", "build", "--role", "inbound-agent",
                    "--candidate", "2", "--interviewer", "Ole", "--out", str(out))
    assert result.exit_code == 0, result.output
    text = out.read_text()
    assert "Bo Ek" in text and "Candidate 2" not in text
    manifest = json.loads((tmp_path / "g.md.manifest.json").read_text())
    assert (manifest["candidate"], manifest["candidate_id"]) == ("Bo Ek", 2)
    assert "with Bo Ek" in result.output
    # The interview went to candidate 2, not to a new candidate called "2".
    listed = invoke(runner, "--db", str(db), "candidate", "list", "--json")
    assert [c["name"] for c in json.loads(listed.output)] == ["Anna Berg", "Bo Ek"]


def test_candidate_unknown_to_the_store_is_a_name(runner, tmp_path: Path) -> None:
    db = tmp_path / "h.db"
    invoke(runner, "--db", str(db), "candidate", "add", "Anna Berg")
    out = tmp_path / "g.md"
    result = invoke(runner, "--db", str(db), "guide", "build", "--role", "inbound-agent",
                    "--candidate", "Chen Li", "--out", str(out))
    assert result.exit_code == 0, result.output
    assert "Chen Li" in out.read_text()
    manifest = json.loads((tmp_path / "g.md.manifest.json").read_text())
    assert manifest["candidate_id"] is None


def test_ambiguous_candidate_name_is_refused(runner, tmp_path: Path) -> None:
    db = tmp_path / "h.db"
    invoke(runner, "--db", str(db), "candidate", "add", "Anna Berg")
    invoke(runner, "--db", str(db), "candidate", "add", "Anna Berg", "--allow-same-name")
    out = tmp_path / "g.md"
    result = invoke(runner, "--db", str(db), "guide", "build", "--role", "inbound-agent",
                    "--candidate", "Anna Berg", "--out", str(out))
    assert result.exit_code == 1
    assert "2 candidates are called 'Anna Berg' (ids 1, 2): use the id" in result.output
    assert not out.exists()


def test_guide_questions_loads_no_pdf_library() -> None:
    import subprocess
    import sys

    code = (
        "import sys; from hiring.cli import app; from typer.testing import CliRunner;"
        "r = CliRunner().invoke(app, ['guide', 'questions', '--role', 'inbound-agent']);"
        "assert r.exit_code == 0, r.output;"
        "print(*(m in sys.modules for m in ('weasyprint', 'pypdf', 'fontTools')))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         cwd=Path(__file__).parent.parent)
    assert out.returncode == 0, out.stderr
    assert out.stdout.split() == ["False", "False", "False"]
