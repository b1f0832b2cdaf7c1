"""Running the real CLI in tests against one database: ``run`` (the result), ``ok`` (its
stdout, after exit 0) and ``refused`` / ``one_error_line`` (a refusal: exit 1, one line
on stderr, no traceback). The small test bank unless ``bank`` says otherwise (``None``:
the bundled bank).

    >>> ok(db_url, "candidate", "add", "Jo", "--role", "inbound-agent")  # doctest: +SKIP
"""

from __future__ import annotations

from pathlib import Path

from click.testing import Result
from typer.testing import CliRunner

from hiring.cli import app
from tests.conftest import SMALL_BANK
from tests.json_schemas import check_json_output


def run(db: str, *args: str, bank: Path | None = SMALL_BANK, input: str | None = None
        ) -> Result:
    base = ["--bank", str(bank)] if bank is not None else []
    result = CliRunner().invoke(app, [*base, "--db", db, *args], input=input)
    # Every --json output is checked against its schema in hiring/schemas/.
    check_json_output(list(args), result.stdout)
    return result


def ok(db: str, *args: str, bank: Path | None = SMALL_BANK, input: str | None = None) -> str:
    result = run(db, *args, bank=bank, input=input)
    assert result.exit_code == 0, (result.stdout, result.stderr)
    return result.stdout


def one_error_line(result: Result) -> str:
    """The one line a refusal prints ("Error: ..."), after checking it is one."""
    assert result.exit_code == 1, (result.stdout, result.stderr)
    assert "Traceback" not in result.output
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("Error: "), lines
    return lines[0]


def refused(db: str, *args: str, match: str = "", bank: Path | None = SMALL_BANK) -> str:
    """A refusal of the command whose line contains ``match``."""
    line = one_error_line(run(db, *args, bank=bank))
    assert match in line, line
    return line
