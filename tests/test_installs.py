"""The venv `make test` builds holds exactly the locked versions, and the locks agree with
pyproject.toml's ranges and with each other."""

from __future__ import annotations

import os
import re
import sys
import tomllib
from importlib import metadata
from pathlib import Path

import pytest
from packaging.markers import Marker
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parent.parent
RUN_LOCK = ROOT / "requirements" / "run.lock"
TEST_LOCK = ROOT / "requirements" / "test.lock"
# What a venv brings by itself, and hiring, installed from the tree.
NOT_LOCKED = {"pip", "setuptools", "hiring"}
PIN = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)==([^\s;\\]+)\s*(?:;\s*([^\\]+?))?\s*\\?$")


def locked(path: Path, *, here_only: bool = True) -> dict[str, str]:
    """``{name: version}`` of a lock; with ``here_only``, the pins whose markers hold here."""
    pins: dict[str, str] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        match = PIN.match(line)
        if match is None:
            continue
        name, version, marker = match.groups()
        if here_only and marker and not Marker(marker).evaluate():
            continue
        pins.setdefault(canonicalize_name(name), version)
    return pins


def test_every_pin_has_a_hash() -> None:
    for lock in (RUN_LOCK, TEST_LOCK):
        text = lock.read_text(encoding="utf-8")
        blocks = re.split(r"\n(?=[A-Za-z0-9])", text)
        pins = [block for block in blocks if PIN.match(block.splitlines()[0])]
        assert len(pins) > 20, lock
        for block in pins:
            assert "--hash=sha256:" in block, block.splitlines()[0]


def test_locks_agree_with_each_other() -> None:
    run = locked(RUN_LOCK, here_only=False)
    test = locked(TEST_LOCK, here_only=False)
    assert {name: test.get(name) for name in run} == run


def test_locks_satisfy_pyproject_ranges() -> None:
    # Catches a pyproject.toml edited without `make lock`: every declared dependency is
    # locked, at a version its range admits.
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    test = locked(TEST_LOCK)
    run = locked(RUN_LOCK)
    extras = project["optional-dependencies"]
    declared = [(run, d) for d in project["dependencies"]] + [
        (test, d) for d in extras["test"] + extras["docs"]  # the test lock holds both extras
    ]
    for pins, text in declared:
        requirement = Requirement(text)
        if requirement.marker and not requirement.marker.evaluate():
            continue
        name = canonicalize_name(requirement.name)
        assert name in pins, f"{name} is not in the lock: run `make lock`"
        assert requirement.specifier.contains(pins[name], prereleases=True), (
            f"{name}=={pins[name]} is outside {requirement.specifier}: run `make lock`"
        )


@pytest.mark.skipif(
    bool(os.environ.get("HIRING_TEST_LATEST")),
    reason="make test-latest installs the newest versions the ranges allow, not the lock",
)
def test_this_venv_holds_exactly_the_test_lock() -> None:
    assert Path(sys.prefix).resolve() == (ROOT / ".venv").resolve(), (
        f"run the tests with `make test` (this is {sys.prefix}, not the project's .venv)"
    )
    installed = {
        canonicalize_name(dist.metadata["Name"]): dist.version for dist in metadata.distributions()
    }
    expected = locked(TEST_LOCK)
    wrong = {
        name: (installed.get(name), version)
        for name, version in expected.items()
        if installed.get(name) != version
    }
    assert wrong == {}, "installed vs locked (run `make clean test`)"
    extra = set(installed) - set(expected) - NOT_LOCKED
    assert extra == set(), "installed but not locked (run `make clean test`)"

