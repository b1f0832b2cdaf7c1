"""Completion of names with spaces, quotes and non-ASCII letters, in each shell's own
protocol and in the real shells: bash, zsh and fish are started on a pseudo-terminal, a
line is typed with <Tab>, the completed line is run, and the candidate it found is read
back. Interviewer names complete from the stored interviews (or the roster)."""

from __future__ import annotations

import os
import pty
import re
import select
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.test_completion import complete_bash

NAMES = ("Camilla Sørensen", "Bo O'Brien", "Анна Петрова")


@pytest.fixture(scope="module")
def people(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from hiring.bank import load_bank
    from hiring.store import open_store, record_interview
    from hiring.store.candidates import add_candidate
    from tests.conftest import SMALL_BANK

    db = tmp_path_factory.mktemp("completion") / "hiring.db"
    bank = load_bank([SMALL_BANK])
    with open_store(db) as store:
        for name in NAMES:
            add_candidate(store, name, role="inbound-agent")
        record_interview(store, bank, 1, "Sofie Nielsen", round_id="panel")
        record_interview(store, bank, 2, "Jörg d'Ávila", round_id="panel")
    return db


def _ask(shell: str, typed: str, db: Path) -> list[str]:
    """The completion lines hiring prints for ``shell``'s protocol."""
    env = {**os.environ, "HIRING_DB": str(db), "_HIRING_COMPLETE": f"complete_{shell}",
           "_TYPER_COMPLETE_ARGS": typed, "_TYPER_COMPLETE_FISH_ACTION": "get-args"}
    result = subprocess.run([sys.executable, "-m", "hiring"], env=env, capture_output=True,
                            text=True, timeout=60, check=False)
    assert result.stderr == ""
    return result.stdout.splitlines()


def test_bash_protocol_escapes_each_special_character(people: Path) -> None:
    """Typer's bash script puts each printed line into COMPREPLY as it is: an unescaped
    'Camilla Sørensen' became two words on the command line."""
    offered = complete_bash("hiring score list --candidate Cam", env={"HIRING_DB": str(people)})
    assert offered == ["Camilla\\ Sørensen"]
    assert complete_bash("hiring score list --candidate Bo", env={"HIRING_DB": str(people)}) \
        == ["Bo\\ O\\'Brien"]
    # What the user typed, escaped, still matches (bash counts 'Анна\\ П' as one word).
    typed = "hiring score list --candidate Анна\\ П"
    env = {**os.environ, "HIRING_DB": str(people), "_HIRING_COMPLETE": "complete_bash",
           "COMP_WORDS": typed, "COMP_CWORD": "4"}
    result = subprocess.run([sys.executable, "-m", "hiring"], env=env, capture_output=True,
                            text=True, timeout=60, check=True)
    assert result.stdout.splitlines() == ["Анна\\ Петрова"]


def test_zsh_and_fish_protocols(people: Path) -> None:
    zsh = "\n".join(_ask("zsh", "hiring score list --candidate ", people))
    assert zsh == (
        "_arguments '*: :((\"Camilla Sørensen\"\n\"Bo O'\\''Brien\"\n\"Анна Петрова\"))'"
    )
    # fish escapes what it inserts: its lines are the names as they are.
    assert _ask("fish", "hiring score list --candidate ", people) == list(NAMES)


def test_interviewer_names_complete_from_the_interviews(people: Path) -> None:
    env = {"HIRING_DB": str(people)}
    assert complete_bash("hiring score enter --interviewer ", env=env) == [
        "Jörg\\ d\\'Ávila", "Sofie\\ Nielsen"]
    assert complete_bash("hiring score list --as S", env=env) == ["Sofie\\ Nielsen"]
    assert _ask("fish", "hiring interview cancel --interviewer J", people) == ["Jörg d'Ávila"]


# -- the real shells ---------------------------------------------------------------------
def _shell_setup(shell: str, script: Path, bin_dir: Path) -> tuple[list[str], str]:
    if shell == "bash":
        return (["bash", "--norc", "--noprofile", "-i"],
                f"PS1='$ '; PATH={bin_dir}:$PATH; source {script}\n")
    if shell == "zsh":
        return (["zsh", "-f", "-i"],
                f"PS1='$ '; PATH={bin_dir}:$PATH; autoload -U compinit; compinit -u; "
                f"source {script}\n")
    return (["fish", "--no-config", "-i"],
            f"set -x PATH {bin_dir} $PATH; source {script}\n")


class Terminal:
    """An interactive shell on a pseudo-terminal; ``expect`` reads until a pattern shows."""

    def __init__(self, argv: list[str], env: dict[str, str]) -> None:
        self.pid, self.fd = pty.fork()
        if self.pid == 0:  # the child: the shell
            os.execvpe(argv[0], argv, env)
        self.seen = ""

    def send(self, text: str) -> None:
        os.write(self.fd, text.encode())

    def expect(self, pattern: str, timeout: float = 60) -> str:
        deadline = time.monotonic() + timeout
        while not re.search(pattern, self.seen):
            left = deadline - time.monotonic()
            assert left > 0, f"no {pattern!r} in {self.seen[-2000:]!r}"
            ready, _, _ = select.select([self.fd], [], [], left)
            if ready:
                try:
                    self.seen += os.read(self.fd, 65536).decode(errors="replace")
                except OSError:
                    break
        return self.seen

    def close(self) -> None:
        try:
            os.kill(self.pid, 9)
        except ProcessLookupError:
            pass
        os.waitpid(self.pid, 0)
        os.close(self.fd)


@pytest.mark.parametrize("shell", ["bash", "zsh", "fish"])
def test_real_shell_inserts_names_as_one_word(shell: str, people: Path, tmp_path: Path) -> None:
    if shutil.which(shell) is None:
        pytest.skip(f"{shell} is not installed (make system-deps installs it)")
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    launcher = bin_dir / "hiring"
    launcher.write_text(f"#!/bin/sh\nexec {sys.executable} -m hiring \"$@\"\n")
    launcher.chmod(0o755)
    script = tmp_path / f"completion.{shell}"
    shown = subprocess.run(
        [sys.executable, "-m", "hiring", "--show-completion", shell], capture_output=True,
        text=True, check=True,
        env={**os.environ, "_TYPER_COMPLETE_TEST_DISABLE_SHELL_DETECTION": "1"})
    script.write_text(shown.stdout + "\n")
    env = {**os.environ, "HIRING_DB": str(people), "TERM": "dumb", "HOME": str(tmp_path),
           "XDG_CONFIG_HOME": str(tmp_path), "XDG_DATA_HOME": str(tmp_path)}
    argv, setup = _shell_setup(shell, script, bin_dir)
    for typed, expected in (("Cam", "Camilla Sørensen"), ("Bo", "Bo O'Brien"),
                            ("Ан", "Анна Петрова")):
        terminal = Terminal(argv, env)
        try:
            terminal.send(setup)
            terminal.send("echo READY\n")
            terminal.expect(r"READY\s")
            terminal.send(f"hiring score list --candidate {typed}\t")
            terminal.expect(re.escape(expected[-4:]))  # the completion was inserted
            terminal.send("\n")
            seen = terminal.expect(r"\(id \d\)|no candidate|Error")
            assert f"{expected} (id" in seen, seen[-1500:]
        finally:
            terminal.close()
