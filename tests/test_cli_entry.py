"""The console entry point runs a command through an app holding only its group (issue 28's
start-up target): same results, help, errors and suggestions as the whole app, and the
whole app wherever the root has work or a hiring.toml is in force."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
import typer.main

from hiring.cli import _command_name, app, app_for

SMALL_BANK = Path(__file__).parent / "fixtures" / "small_bank"


@pytest.mark.parametrize(("args", "name"), [
    (["score", "set", "--score", "3"], "score"),
    (["--db", "x.db", "--bank", "b", "score", "list"], "score"),
    (["--db=x.db", "--traceback", "report", "compare"], "report"),
    (["--bank", "score", "candidate", "list"], "candidate"),  # a bank folder named score
    (["demo"], "demo"),
    (["--help"], None), (["--version"], None), (["--info"], None), ([], None),
    (["--db", "x.db"], None), (["--install-completion"], None),
])
def test_the_command_is_found_past_the_roots_options(args: list[str], name: str | None) -> None:
    assert _command_name(args) == name


def test_a_group_runs_alone_and_the_root_runs_whole() -> None:
    only = typer.main.get_command(app_for(["--db", "x.db", "score", "set"]))
    assert list(only.commands) == ["score"]  # type: ignore[attr-defined]
    whole = typer.main.get_command(app)
    assert only.commands["score"].commands.keys() == whole.commands["score"].commands.keys()  # type: ignore[attr-defined]
    assert [p.name for p in only.params] == [p.name for p in whole.params]
    for args in (["--help"], ["scor", "list"], []):
        assert app_for(args) is app


def _run(args: list[str], cwd: Path, config: Path | None = None
         ) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k != "HIRING_CONFIG"}
    if config is not None:
        env["HIRING_CONFIG"] = str(config)
    return subprocess.run([sys.executable, "-m", "hiring", *args], cwd=cwd, text=True,
                          capture_output=True, env=env)


WHOLE = "import sys; from hiring.cli import app; app(sys.argv[1:], prog_name='hiring')"


def test_help_errors_and_suggestions_are_the_whole_apps(tmp_path: Path) -> None:
    db = str(tmp_path / "h.db")
    for args in (["score", "--help"], ["score", "set", "--help"], ["score", "sett"],
                 ["scor", "list"], ["candidate", "add"], ["--help"]):
        entry = _run(["--db", db, *args], tmp_path)
        whole = subprocess.run([sys.executable, "-c", WHOLE, "--db", db, *args], cwd=tmp_path,
                               text=True, capture_output=True)
        assert (entry.returncode, entry.stdout, entry.stderr) == (
            whole.returncode, whole.stdout, whole.stderr), args


def test_a_config_is_checked_against_every_command_and_applies_to_this_one(
        tmp_path: Path) -> None:
    # Run with only the bank group, the config's table for report compare is still known,
    # its top-level lang still reaches bank show, and an unknown setting is still refused.
    config = tmp_path / "hiring.toml"
    config.write_text('lang = "da"\n[defaults.report.compare]\ndetail = 5\n',
                      encoding="utf-8")
    done = _run(["--bank", str(SMALL_BANK), "bank", "list"], tmp_path)
    assert done.returncode == 0, done.stderr
    assert "Samarbejde" in done.stdout  # lang = "da" from the config
    config.write_text('[defaults.report.compare]\nnot-an-option = 5\n', encoding="utf-8")
    done = _run(["--bank", str(SMALL_BANK), "bank", "list"], tmp_path)
    assert done.returncode == 1 and "not-an-option" in done.stderr, done.stderr
    # In the folder or named by HIRING_CONFIG alike.
    done = _run(["--bank", str(SMALL_BANK), "bank", "list"], tmp_path.parent, config)
    assert done.returncode == 1 and "not-an-option" in done.stderr, done.stderr
