"""``hiring.toml`` (found upwards or named by HIRING_CONFIG; options and environment win),
``hiring --info`` (versions, fonts, database, bank, where each setting came from) and the
exit-status table of ``hiring --help``."""

from __future__ import annotations

import platform
import re
import sqlite3
import subprocess
from pathlib import Path

import pytest
from typer.testing import CliRunner

from hiring.cli import app
from hiring.errors import ExitStatus
from tests.conftest import SMALL_BANK


def _run(*args: str, cwd: Path, monkeypatch: pytest.MonkeyPatch, env: dict[str, str] | None = None
         ):  # type: ignore[no-untyped-def]
    monkeypatch.chdir(cwd)
    monkeypatch.delenv("HIRING_CONFIG", raising=False)  # conftest's empty one
    return CliRunner().invoke(app, list(args), env=env)


def _team(tmp_path: Path, text: str) -> Path:
    """A team folder with hiring.toml, and a sub-folder to work in."""
    (tmp_path / "team" / "work").mkdir(parents=True)
    (tmp_path / "team" / "hiring.toml").write_text(text, encoding="utf-8")
    return tmp_path / "team" / "work"


def _info(output: str) -> dict[str, str]:
    return {line[:24].strip(): line[24:].strip() for line in output.splitlines()}


CONFIG = f"""
bank = "{SMALL_BANK}"
db = "team.db"
lang = "da"
[defaults.guide.build]
paper = "letter"
"""


def test_config_in_a_parent_folder_sets_defaults(tmp_path: Path,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    work = _team(tmp_path, CONFIG)
    result = _run("guide", "build", "--role", "inbound-agent", "--candidate", "Ann",
                  "--format", "html", "--out", "ann.html", cwd=work, monkeypatch=monkeypatch)
    assert result.exit_code == 0, result.output
    html = (work / "ann.html").read_text(encoding="utf-8")
    assert '<html lang="da"' in html
    assert "size: letter" in html
    # The relative db is the team folder's, whatever folder the command runs in.
    result = _run("candidate", "add", "Bo", "--role", "inbound-agent", cwd=work,
                  monkeypatch=monkeypatch)
    assert result.exit_code == 0, result.output
    assert (tmp_path / "team" / "team.db").is_file()
    assert not (work / "team.db").exists()


def test_options_and_environment_override_the_config(tmp_path: Path,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    work = _team(tmp_path, CONFIG)
    result = _run("guide", "build", "--role", "inbound-agent", "--candidate", "Ann", "--lang",
                  "en", "--paper", "a4", "--format", "html", "--out", "ann.html", cwd=work,
                  monkeypatch=monkeypatch)
    assert result.exit_code == 0, result.output
    html = (work / "ann.html").read_text(encoding="utf-8")
    assert '<html lang="en"' in html and "size: A4" in html

    config = str(tmp_path / "team" / "hiring.toml")
    lines = _info(_run("--info", cwd=work, monkeypatch=monkeypatch).stdout)
    assert lines["Database"].startswith(str(tmp_path / "team" / "team.db"))
    assert lines["Database"].endswith(f"[from: {config}]")
    assert lines["Bank"].startswith(str(SMALL_BANK)) and lines["Bank"].endswith(config + "]")
    assert lines["Language"] == f"da  [from: {config}]"
    assert lines["hiring guide build"] == f"--paper 'letter'  [from: {config}]"
    assert lines["Config"] == config

    other = tmp_path / "env.db"
    lines = _info(_run("--info", cwd=work, monkeypatch=monkeypatch,
                       env={"HIRING_DB": str(other), "HIRING_BANK": str(SMALL_BANK)}).stdout)
    assert lines["Database"].startswith(str(other))
    assert lines["Database"].endswith("[from: environment HIRING_DB]")
    assert lines["Bank"].endswith("[from: environment HIRING_BANK]")
    lines = _info(_run("--db", str(other), "--info", cwd=work, monkeypatch=monkeypatch,
                       env={"HIRING_DB": str(tmp_path / "x.db")}).stdout)
    assert lines["Database"].endswith("[from: option --db]")
    assert not other.exists()  # --info reads; it creates nothing


def test_hiring_config_names_a_file_anywhere(tmp_path: Path,
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    _team(tmp_path, CONFIG)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    config = str(tmp_path / "team" / "hiring.toml")
    result = _run("--info", cwd=elsewhere, monkeypatch=monkeypatch,
                  env={"HIRING_CONFIG": config})
    assert _info(result.stdout)["Config"] == config
    result = _run("bank", "list", cwd=elsewhere, monkeypatch=monkeypatch,
                  env={"HIRING_CONFIG": str(tmp_path / "missing.toml")})
    assert result.exit_code == 1
    missing = tmp_path / "missing.toml"
    assert result.stderr.strip() == f"Error: HIRING_CONFIG={missing}: no such file"


def test_a_broken_config_lists_every_problem_and_runs_nothing(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    work = _team(tmp_path, """
colour = "red"
lang = 3
[defaults.guide.build]
papr = "a4"
[defaults.gide.build]
x = 1
[defaults.report]
lang = "en"
""")
    result = _run("guide", "build", "--role", "inbound-agent", "--candidate", "Ann",
                  "--out", "ann.html", cwd=work, monkeypatch=monkeypatch)
    assert result.exit_code == 1
    assert "Traceback" not in result.output
    lines = result.stderr.strip().splitlines()
    assert lines[-1] == (f"Error: {tmp_path / 'team' / 'hiring.toml'}: 5 problems; fix the file "
                         "or set HIRING_CONFIG to another")
    problems = "\n".join(lines[:-1])
    assert "colour: unknown setting (known: bank, db, lang, defaults)" in problems
    assert 'lang: must be a language id such as "da", not a number' in problems
    assert "defaults.guide.build.papr: 'hiring guide build' has no option --papr" in problems
    assert "defaults.gide: no command 'hiring gide'" in problems
    assert "defaults.report.lang: 'hiring report' is a group" in problems
    assert list(work.iterdir()) == []
    # The top-level help and version still answer.
    assert _run("--help", cwd=work, monkeypatch=monkeypatch).exit_code == 0
    assert _run("--version", cwd=work, monkeypatch=monkeypatch).exit_code == 0

    config = tmp_path / "team" / "hiring.toml"
    config.write_text("lang = 'da'\npaper = = 1\n", encoding="utf-8")
    result = _run("bank", "list", cwd=work, monkeypatch=monkeypatch)
    assert result.exit_code == 1
    assert "not valid TOML" in result.stderr and "line 2" in result.stderr


def test_a_bad_value_in_the_config_is_refused_like_the_option(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    work = _team(tmp_path, 'lang = "xx"\n')
    result = _run("bank", "list", cwd=work, monkeypatch=monkeypatch)
    assert result.exit_code == 1
    assert "--lang 'xx' is not a language hiring knows" in result.stderr


def test_info_reports_versions_fonts_database_and_bank(tmp_path: Path,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    import weasyprint

    database = tmp_path / "h.db"
    assert _run("--db", str(database), "candidate", "list", cwd=tmp_path,
                monkeypatch=monkeypatch).exit_code == 0
    result = _run("--db", str(database), "--bank", str(SMALL_BANK), "--info", cwd=tmp_path,
                  monkeypatch=monkeypatch)
    assert result.exit_code == 0, result.output
    lines = _info(result.stdout)
    assert lines["hiring"].startswith(__import__("hiring").__version__ + " (")
    assert lines["Python"].startswith(platform.python_version() + " (CPython")
    assert lines["WeasyPrint"] == weasyprint.__version__
    # Pango as the system's package manager knows it (Debian: 1.50.12+ds-1).
    dpkg = subprocess.run(["dpkg-query", "-W", "-f=${Version}", "libpango-1.0-0"],
                          capture_output=True, text=True, check=False)
    if dpkg.returncode == 0:
        assert dpkg.stdout.startswith(lines["Pango"] + "+") or dpkg.stdout.startswith(
            lines["Pango"] + "-")
    # Fonts: the Noto CJK font the Makefile installs covers Chinese; Latin and Cyrillic too.
    assert lines["Fonts, Han (simplified)"].startswith("Noto Sans CJK SC")
    assert lines["Fonts, Han (simplified)"].endswith("[zh]")
    assert lines["Fonts, Latin"].endswith("[en, da]")
    assert lines["Fonts, Cyrillic"].endswith("[ru, bg]")
    # The schema version as the file itself records it.
    with sqlite3.connect(database) as connection:
        (version,) = connection.execute("SELECT MAX(version) FROM schema_version").fetchone()
    assert lines["Database"] == (f"{database} (schema version {version}, this hiring's schema "
                                 f"version: {version}: up to date)  [from: option --db]")
    assert re.fullmatch(rf"{re.escape(str(SMALL_BANK))} \(version [0-9a-f]{{12}}; \d+ roles, "
                        r"\d+ competencies\)  \[from: option --bank\]", lines["Bank"])
    assert lines["Language"] == "en (each command's --lang)  [from: built-in default]"
    assert lines["Config"].startswith("none (no hiring.toml in ")


def test_help_ends_with_the_exit_status_table(monkeypatch: pytest.MonkeyPatch,
                                              tmp_path: Path) -> None:
    result = _run("--help", cwd=tmp_path, monkeypatch=monkeypatch)
    table = result.stdout[result.stdout.index("Exit status:"):].splitlines()[1:]
    assert [line.split()[0] for line in table if line.strip()] == [
        str(int(status)) for status in ExitStatus]
    assert "candidate erase" in table[3]


def test_a_missing_command_is_still_a_usage_error(monkeypatch: pytest.MonkeyPatch,
                                                  tmp_path: Path) -> None:
    result = _run("--db", str(tmp_path / "h.db"), cwd=tmp_path, monkeypatch=monkeypatch)
    assert result.exit_code == 2
    assert "Missing command" in result.stderr
    assert not (tmp_path / "h.db").exists()
