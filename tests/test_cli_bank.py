"""The bank commands, global options and exit codes, run in-process."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from typer.testing import CliRunner

from tests.conftest import SMALL_BANK, invoke


def test_version(runner: CliRunner) -> None:
    from hiring import __version__

    result = invoke(runner, "--version")
    assert result.exit_code == 0
    assert result.stdout.strip() == f"hiring {__version__}"


def test_list_with_bank_option(runner: CliRunner) -> None:
    result = invoke(runner, "--bank", str(SMALL_BANK), "bank", "list", "--json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    by_id = {c["id"]: c for c in data["competencies"]}
    assert by_id["teamwork"]["kind"] == "strength"
    assert by_id["teamwork"]["questions"] == 3
    assert by_id["teamwork"]["languages"] == ["en", "da"]
    assert by_id["avoiding-arguments"]["kind"] == "weakness"
    assert by_id["avoiding-arguments"]["question_types"] == {"behavioural": 1, "role_play": 1}
    assert [r["id"] for r in data["roles"]] == ["inbound-agent"]


def test_list_in_danish(runner: CliRunner) -> None:
    result = invoke(runner, "--bank", str(SMALL_BANK), "bank", "list", "--lang", "da")
    assert result.exit_code == 0
    assert "Samarbejde" in result.stdout
    assert "Kundeservicemedarbejder" in result.stdout


def test_bank_env_variable_with_path_separator(runner: CliRunner, tmp_path: Path) -> None:
    extra = tmp_path / "extra"
    extra.mkdir()
    (extra / "glossary.yaml").write_text(
        "glossary:\n  - id: queue\n    text: {en: queue, da: kø}\n", encoding="utf-8"
    )
    env = {"HIRING_BANK": f"{SMALL_BANK}{os.pathsep}{extra}"}
    result = invoke(runner, "bank", "list", "--json", env=env)
    assert result.exit_code == 0, result.output
    assert len(json.loads(result.stdout)["competencies"]) == 2


def test_show_competency_and_role(runner: CliRunner) -> None:
    shown = invoke(runner, "--bank", str(SMALL_BANK), "bank", "show", "avoiding-arguments")
    assert shown.exit_code == 0
    assert "scale zero-to-three 0-3" in shown.stdout
    assert "  2 Shown: Explains the rule calmly" in shown.stdout
    role = invoke(runner, "--bank", str(SMALL_BANK), "bank", "show", "inbound-agent", "--json")
    assert json.loads(role.stdout)["role"]["rounds"][0]["id"] == "screen"


def test_unknown_id_is_one_line_exit_1(runner: CliRunner) -> None:
    result = invoke(runner, "--bank", str(SMALL_BANK), "bank", "show", "nope")
    assert result.exit_code == 1
    assert result.stderr == (
        "Error: no competency or role 'nope' in the bank (see 'hiring bank list' for the ids)\n"
    )
    assert result.stdout == ""


def test_invalid_bank_is_one_line_exit_1(runner: CliRunner, tmp_path: Path) -> None:
    (tmp_path / "x.yaml").write_text("role: [\n", encoding="utf-8")
    result = invoke(runner, "--bank", str(tmp_path), "bank", "list")
    assert result.exit_code == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1
    assert lines[0].startswith(f"Error: invalid question bank: {tmp_path / 'x.yaml'}:2:1: ")


def test_usage_error_is_exit_2(runner: CliRunner) -> None:
    result = invoke(runner, "bank", "list", "--no-such-option")
    assert result.exit_code == 2


def test_traceback_option_reraises(runner: CliRunner) -> None:
    from hiring.errors import NotFoundError

    result = invoke(runner, "--traceback", "--bank", str(SMALL_BANK), "bank", "show", "nope")
    assert isinstance(result.exception, NotFoundError)


def test_init_copies_the_bundled_bank(runner: CliRunner, tmp_path: Path) -> None:
    target = tmp_path / "our-bank"
    result = invoke(runner, "bank", "init", str(target))
    assert result.exit_code == 0, result.output
    assert (target / "scales.yaml").is_file()
    again = invoke(runner, "bank", "init", str(target))
    assert again.exit_code == 1
    assert "exists and is not an empty folder" in again.stderr
    valid = invoke(runner, "bank", "validate", str(target))
    assert valid.exit_code == 0, valid.output


def test_every_command_has_help_with_an_example() -> None:
    import typer

    from hiring.cli import app

    root = typer.main.get_command(app)
    missing: list[str] = []

    def walk(command, path: str) -> None:  # type: ignore[no-untyped-def]
        subcommands = getattr(command, "commands", None)
        if subcommands:
            for name, sub in subcommands.items():
                walk(sub, f"{path} {name}")
            return
        if "Example:" not in (command.help or ""):
            missing.append(path)

    walk(root, "hiring")
    assert missing == []


def _run_python(code: str, cwd: Path | None = None, cache: Path | None = None) -> str:
    env = dict(os.environ)
    if cache is not None:
        env["HIRING_CACHE_DIR"] = str(cache)
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=cwd, check=True,
        env=env,
    )
    return result.stdout.strip()


def test_non_pdf_commands_do_not_import_heavy_modules(tmp_path: Path) -> None:
    code = (
        "import sys\n"
        "from typer.testing import CliRunner\n"
        "from hiring.cli import app\n"
        f"r = CliRunner().invoke(app, ['--bank', {str(SMALL_BANK)!r}, 'bank', 'list'])\n"
        "assert r.exit_code == 0, r.output\n"
        "assert 'teamwork' in r.output, r.output\n"
        "r = CliRunner().invoke(app, ['--help'])\n"
        "heavy = ('weasyprint', 'jinja2', 'sqlalchemy', 'numpy', 'pydantic', 'yaml', 'babel')\n"
        "print(','.join(m for m in heavy if m in sys.modules) or 'none')\n"
    )
    root = Path(__file__).parent.parent
    # The first run validates the bank (pydantic, PyYAML) and caches it; later runs load the
    # cached bank and need neither.
    assert _run_python(code, cwd=root, cache=tmp_path) == "pydantic,yaml"
    assert _run_python(code, cwd=root, cache=tmp_path) == "none"
