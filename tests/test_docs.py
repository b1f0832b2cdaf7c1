"""The README's command reference is the commands' own --help, so it cannot drift."""

from __future__ import annotations

from pathlib import Path

from hiring.cli.reference import BEGIN, END, command_reference

ROOT = Path(__file__).resolve().parent.parent


def test_readme_command_reference_is_up_to_date() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    block = readme[readme.index(BEGIN) + len(BEGIN) : readme.index(END)].strip()
    assert block == command_reference().strip(), "run `make docs` to regenerate the README"


def test_readme_names_the_two_commands() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "make demo" in readme
    assert "make test" in readme
