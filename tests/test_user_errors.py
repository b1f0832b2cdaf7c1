"""Bad input ends in one clear line on stderr and exit 1: no traceback, nothing half-written."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from hiring.bank import check_bank
from tests.conftest import SMALL_BANK, invoke
from tests.test_bank_validate import TEAMWORK


def one_line_error(result) -> str:  # type: ignore[no-untyped-def]
    assert result.exit_code == 1, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, lines
    assert lines[0].startswith("Error: ")
    return lines[0]


def test_guide_out_is_a_folder(runner: CliRunner, tmp_path: Path) -> None:
    folder = tmp_path / "kits"
    folder.mkdir()
    result = invoke(
        runner,
        "--bank",
        str(SMALL_BANK),
        "guide",
        "build",
        "--role",
        "inbound-agent",
        "--format",
        "html",
        "--out",
        str(folder),
    )
    assert one_line_error(result) == f"Error: cannot write {folder}: it is a folder"
    assert list(folder.iterdir()) == []


def test_guide_out_below_a_file(runner: CliRunner, tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x", encoding="utf-8")
    result = invoke(
        runner,
        "--bank",
        str(SMALL_BANK),
        "guide",
        "build",
        "--role",
        "inbound-agent",
        "--out",
        str(blocker / "kit.md"),
    )
    assert one_line_error(result).startswith(f"Error: cannot write {blocker / 'kit.md'}: ")


def test_bank_init_onto_a_file(runner: CliRunner, tmp_path: Path) -> None:
    target = tmp_path / "bank.txt"
    target.write_text("keep me", encoding="utf-8")
    message = one_line_error(invoke(runner, "bank", "init", str(target)))
    assert "exists and is not an empty folder" in message
    assert target.read_text(encoding="utf-8") == "keep me"


def test_round_with_no_askable_question_is_a_validation_error(small_bank: Path) -> None:
    # teamwork-03 is the only question left and it is senior: an agent role cannot ask it.
    path = small_bank / TEAMWORK
    text = path.read_text(encoding="utf-8")
    start, end = text.index("    - id: teamwork-01"), text.index("    - id: teamwork-03")
    path.write_text(text[:start] + text[end:], encoding="utf-8")
    _, problems = check_bank([small_bank])
    messages = [str(p) for p in problems]
    assert len(messages) == 1, messages
    assert "round 'panel' has no question it may ask for 'teamwork'" in messages[0]
    assert messages[0].startswith(str(small_bank / "roles" / "inbound-agent.yaml"))


@pytest.mark.parametrize("depth", [60, 5000])
def test_deeply_nested_yaml_is_refused_not_recursed(
    runner: CliRunner, small_bank: Path, depth: int
) -> None:
    # At 60 levels our reader refuses first; at 5000 the parser may refuse itself (PyYAML
    # 6.0.4 does, "exceeded maximum nesting depth"). Whose sentence it is does not matter:
    # one problem naming the file and line 1, one line on stderr, exit 1, no traceback.
    path = small_bank / "deep.yaml"
    path.write_text("glossary: " + "[" * depth + "]" * depth + "\n", encoding="utf-8")
    _, problems = check_bank([small_bank])
    messages = [str(p) for p in problems]
    assert len(messages) == 1, messages
    assert messages[0].startswith(f"{path}:1:")
    assert re.search(r"\bnest(ed|ing)\b", messages[0]), messages[0]
    line = one_line_error(invoke(runner, "--bank", str(small_bank), "bank", "list"))
    assert line.startswith(f"Error: invalid question bank: {path}:1:")
    assert "nest" in line


def test_batch_with_unknown_role_fails_before_starting_workers(
    runner: CliRunner, tmp_path: Path
) -> None:
    csv_file = tmp_path / "people.csv"
    csv_file.write_text("name\nAna\nBo\n", encoding="utf-8")
    result = invoke(
        runner,
        "--bank",
        str(SMALL_BANK),
        "guide",
        "batch",
        "--role",
        "nope",
        "--candidates",
        str(csv_file),
        "--out-dir",
        str(tmp_path / "out"),
    )
    assert one_line_error(result).startswith("Error: no role 'nope' in the bank")
    assert not (tmp_path / "out").exists()
