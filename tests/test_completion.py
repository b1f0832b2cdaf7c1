"""Shell completion through the real entry point (`python -m hiring`, as bash calls it), and
the one-suggestion rule for a mistyped command."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from typer.testing import CliRunner

from tests.conftest import SMALL_BANK, invoke


def complete_bash(words: str, *, env: dict[str, str] | None = None) -> list[str]:
    """What bash would offer for the last word of ``words`` (an empty last word: ``"... "``)."""
    parts = words.split(" ")
    environment = {
        **os.environ,
        **(env or {}),
        "_HIRING_COMPLETE": "complete_bash",
        "COMP_WORDS": words,
        "COMP_CWORD": str(len(parts) - 1),
    }
    result = subprocess.run(
        [sys.executable, "-m", "hiring"],
        env=environment,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    return [line for line in result.stdout.splitlines() if line]


def test_completes_a_command() -> None:
    assert complete_bash("hiring sc") == ["score"]
    offered = complete_bash("hiring score s")
    assert "set" in offered
    assert all(name.startswith("s") for name in offered)


def test_completes_an_option() -> None:
    assert complete_bash("hiring guide build --ro") == ["--role", "--round"]


def test_completes_role_ids_of_the_bank_in_use() -> None:
    assert complete_bash("hiring guide build --role ") == [
        "chat-email-agent",
        "inbound-agent",
        "senior-agent",
    ]
    # --bank on the command line chooses the bank whose ids are offered.
    small = complete_bash(f"hiring --bank {SMALL_BANK} guide build --role ")
    assert small == ["inbound-agent"]


def test_completes_rounds_of_the_chosen_role_and_competency_ids() -> None:
    assert complete_bash("hiring guide build --role inbound-agent --round ") == [
        "screen",
        "panel",
    ]
    assert "staying-calm" in complete_bash("hiring score set --competency st")
    assert complete_bash("hiring bank list --lang ") == ["en", "da", "ru", "bg", "zh"]


def test_completes_candidate_names_from_the_database(tmp_path: Path) -> None:
    from hiring.store import open_store
    from hiring.store.candidates import add_candidate

    db = tmp_path / "hiring.db"
    with open_store(db) as store:
        add_candidate(store, "Anna Jensen")
        add_candidate(store, "Anders Berg")
        add_candidate(store, "Bo Li")
    # Escaped for bash, which inserts a completion as given (see test_completion_shells).
    assert complete_bash(f"hiring --db {db} candidate show An") == [
        "Anna\\ Jensen", "Anders\\ Berg"]
    assert complete_bash("hiring candidate show ", env={"HIRING_DB": str(db)})[-1] == "Bo\\ Li"


def test_completion_never_creates_a_database(tmp_path: Path) -> None:
    db = tmp_path / "none.db"
    assert complete_bash(f"hiring --db {db} candidate show ") == []
    assert not db.exists()


def test_show_completion_prints_a_script_for_each_shell() -> None:
    scripts = (
        ("bash", "complete -o default -F"),
        ("zsh", "compdef"),
        ("fish", "complete --command hiring"),
    )
    for shell, marker in scripts:
        result = subprocess.run(
            [sys.executable, "-m", "hiring", "--show-completion", shell],
            env={**os.environ, "_TYPER_COMPLETE_TEST_DISABLE_SHELL_DETECTION": "1"},
            capture_output=True,
            text=True,
            check=True,
        )
        assert marker in result.stdout, (shell, result.stdout)
        assert "_HIRING_COMPLETE" in result.stdout


def test_mistyped_command_suggests_once(runner: CliRunner) -> None:
    for args, expected in ((["scor"], "'score'"), (["score", "sett"], "'set'")):
        result = invoke(runner, *args)
        assert result.exit_code == 2
        assert result.stderr.count("Did you mean") == 1, result.stderr
        assert f"Did you mean {expected}?" in result.stderr
