"""Shared fixtures: bank folders, the CLI runner."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

FIXTURES = Path(__file__).parent / "fixtures"
SMALL_BANK = FIXTURES / "small_bank"


@pytest.fixture
def small_bank(tmp_path: Path) -> Path:
    """A writable copy of the small test bank (five-point and 0-3 scales, en + da)."""
    target = tmp_path / "bank"
    shutil.copytree(SMALL_BANK, target)
    return target


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


def invoke(runner: CliRunner, *args: str, **kwargs: object):  # type: ignore[no-untyped-def]
    """Run the CLI in-process; ``--traceback`` is not passed so user errors stay one line."""
    from hiring.cli import app

    return runner.invoke(app, list(args), **kwargs)  # type: ignore[arg-type]


@pytest.fixture(autouse=True)
def _private_cache(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Keep the bank cache out of the user's cache folder during tests."""
    monkeypatch.setenv("HIRING_CACHE_DIR", str(tmp_path_factory.getbasetemp() / "cache"))
