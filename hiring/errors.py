"""User-facing failures.

Every failure a user can cause (bad input, unknown id, invalid bank, missing font)
is a ``HiringError``. The CLI turns it into one line on stderr and exit status 1,
in one place (``hiring.cli``). Library code raises these and never prints or exits.
"""

from __future__ import annotations

from enum import IntEnum


class ExitStatus(IntEnum):
    SUCCESS = 0
    ERROR = 1  # a user-level error: bad input, not found, invalid data
    USAGE = 2  # a usage error, reported by Typer/click
    PENDING = 3  # done in the records, but not all of it yet (stderr says what is left)


# What each exit status means, for `hiring --help` and the documentation.
EXIT_STATUS_MEANINGS = {
    ExitStatus.SUCCESS: "done",
    ExitStatus.ERROR: "an error in the input, bank or database: one line on stderr, "
                      "nothing changed",
    ExitStatus.USAGE: "a usage error: unknown command or option, bad option value",
    ExitStatus.PENDING: "recorded, but not all done yet (candidate erase): stderr says "
                        "what is left",
}


def exit_status_epilog() -> str:
    """The exit-status table of ``hiring --help`` (``\\b``: click keeps the lines as they are)."""
    lines = [f"  {int(status)}  {meaning}" for status, meaning in EXIT_STATUS_MEANINGS.items()]
    return "\b\nExit status:\n" + "\n".join(lines)


class HiringError(Exception):
    """Base of every user-facing error. ``str(error)`` is the one line shown."""

    exit_status: ExitStatus = ExitStatus.ERROR

    def details(self) -> list[str]:
        """Lines shown before the message, e.g. one per bad row of a file (usually none)."""
        return []


class NotFoundError(HiringError):
    """An id or name that does not exist (competency, role, candidate...)."""


class InputError(HiringError):
    """Invalid user input: a bad value, file or CSV row."""


class BankError(HiringError):
    """A question bank that cannot be used. ``problems`` holds every problem found."""

    def __init__(self, message: str, problems: list[object] | None = None) -> None:
        super().__init__(message)
        self.problems = problems or []


class StoreError(HiringError):
    """A database that cannot be used (unreachable, newer schema...)."""


class RenderError(HiringError):
    """A document that cannot be rendered (missing font, template error...)."""
