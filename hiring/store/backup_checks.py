"""The rules a restored value must meet: the same ones the commands that write it apply.

``db import`` and ``db copy`` write rows no command checked: a name with a terminal escape,
a note of a megabyte, a date that is not one, JSON that does not parse, a transaction id
PostgreSQL cannot cast, a file path that erase would delete. Each column is checked here by
the function its command uses (``check_name``, ``check_note``, the e-mail check ...), so a
restored database holds only what hiring itself could have written; every other text column
is at least valid Unicode of bounded length, and every whole number fits a 64-bit column.

>>> list(value_problems("candidates", "name", "Ann\\x1b]0;x\\x07"))
['contains a control character (0x1b)']
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator
from datetime import datetime
from typing import Any

from hiring.errors import HiringError, InputError
from hiring.user_text import MAX_NAME_CHARS, MAX_NOTE_CHARS, check_name, check_text

MAX_TEXT_CHARS = 100_000  # any other text column (audit values hold notes: 4,000)
_INT64 = (-(2**63), 2**63 - 1)
_ACTION = re.compile(r"^[a-z_]+(\.[a-z_]+)+$")
_XID = re.compile(r"^[0-9]{1,20}$")
_SHA256 = re.compile(r"^[0-9a-f]{64}$")

Check = Callable[[Any], None]


def _name(value: str) -> None:
    if check_name(value, "it") != value:
        raise InputError("has spaces around it")


def _line(value: str) -> None:
    check_text(value, "it", MAX_NAME_CHARS)


def _note(value: str) -> None:
    check_text(value, "it", MAX_NOTE_CHARS, multiline=True)


def _long_text(value: str) -> None:
    check_text(value, "it", MAX_TEXT_CHARS, multiline=True)


def _email(value: str) -> None:
    from hiring.store.candidates import _check_email

    if _check_email(value) != value:
        raise InputError("has spaces around it")


def _instant(value: str) -> None:
    try:
        datetime.fromisoformat(value)
    except ValueError:
        raise InputError(f"'{value[:40]}' is not an ISO-8601 date and time") from None


def _json_ids(value: str) -> None:
    try:
        items = json.loads(value)
    except (ValueError, RecursionError):
        raise InputError("is not JSON") from None
    if not isinstance(items, list) or not all(isinstance(item, str) for item in items):
        raise InputError("is not a JSON list of ids")
    for item in items:
        check_text(item, "an id in it", MAX_NAME_CHARS)


def _one_of(*allowed: str) -> Check:
    def check(value: str) -> None:
        if value not in allowed:
            raise InputError(f"'{value[:40]}' is not one of {', '.join(allowed)}")

    return check


def _matches(pattern: re.Pattern[str], what: str) -> Check:
    def check(value: str) -> None:
        if not pattern.match(value):
            raise InputError(f"'{value[:40]}' is not {what}")

    return check


def _positive(value: int) -> None:
    if value < 1:
        raise InputError(f"{value} is not a positive id")


def _size(value: int) -> None:
    if value < 0:
        raise InputError(f"{value} is not a file size")


def _decision(value: str) -> None:
    from hiring.decisions import DECISIONS

    _one_of(*DECISIONS)(value)


def _roles(value: str) -> None:
    roles = value.split(",")
    if not value or not all(role in ("recruiter", "interviewer", "manager") for role in roles):
        raise InputError(f"'{value[:40]}' is not a comma-separated list of recruiter, "
                         "interviewer, manager")


def _file_path_row(row: dict[str, Any]) -> str | None:
    from hiring.store.candidate_files import path_problem

    path, kind = row.get("path"), row.get("kind")
    if isinstance(path, str) and isinstance(kind, str):
        return path_problem(path, kind)
    return None


# (table, column) -> the check of the command that writes it. Columns not named here get
# the general checks only (valid Unicode, bounded length, 64-bit whole numbers).
COLUMN_CHECKS: dict[tuple[str, str], Check] = {
    ("candidates", "id"): _positive,
    ("candidates", "name"): _name,
    ("candidates", "email"): _email,
    ("candidates", "role"): _line,
    ("candidates", "status"): _one_of("active", "erased"),
    ("candidates", "created"): _instant,
    ("interviews", "id"): _positive,
    ("interviews", "interviewer"): _name,
    ("interviews", "role"): _line,
    ("interviews", "round"): _name,
    ("interviews", "language"): _line,
    ("interviews", "bank_version"): _line,
    ("interviews", "competencies"): _json_ids,
    ("interviews", "questions"): _json_ids,
    ("interviews", "date"): _instant,
    ("interviews", "created"): _instant,
    ("interviews", "submitted"): _instant,
    ("interviews", "cancelled"): _instant,
    ("interviews", "cancel_reason"): _note,
    ("ratings", "id"): _positive,
    ("ratings", "competency"): _line,
    ("ratings", "question"): _line,
    ("ratings", "note"): _note,
    ("ratings", "created"): _instant,
    ("ratings", "updated"): _instant,
    ("ratings", "changed_after_submission"): _one_of("after-submission", "after-seeing-others"),
    ("recommendations", "decision"): _decision,
    ("recommendations", "created"): _instant,
    ("recommendations", "updated"): _instant,
    ("consensus", "id"): _positive,
    ("consensus", "round"): _name,
    ("consensus", "competency"): _line,
    ("consensus", "note"): _note,
    ("consensus", "decided_by"): _name,
    ("consensus", "created"): _instant,
    ("consensus", "updated"): _instant,
    ("audit", "id"): _positive,
    ("audit", "at"): _instant,
    ("audit", "actor"): _name,
    ("audit", "action"): _matches(_ACTION, "an audit action such as 'rating.score'"),
    ("audit", "round"): _line,
    ("audit", "competency"): _line,
    ("audit", "old_value"): _long_text,
    ("audit", "new_value"): _long_text,
    ("candidate_files", "id"): _positive,
    ("candidate_files", "kind"): _one_of("guide", "manifest"),
    ("candidate_files", "created"): _instant,
    ("candidate_files", "size"): _size,
    ("candidate_files", "sha256"): _matches(_SHA256, "a SHA-256 in hexadecimal"),
    ("audit", "member"): _line,
    ("audit", "login"): _line,
    ("team_members", "id"): _positive,
    ("team_members", "name"): _name,
    ("team_members", "roles"): _roles,
    ("team_members", "email"): _email,
    ("team_members", "login"): _line,
    ("team_members", "created"): _instant,
    ("team_members", "removed"): _instant,
    ("stage_decisions", "id"): _positive,
    ("stage_decisions", "round"): _name,
    ("stage_decisions", "reason"): _line,
    ("stage_decisions", "reason_note"): _note,
    ("stage_decisions", "decided_by"): _name,
    ("stage_decisions", "created"): _instant,
    ("stage_decisions", "updated"): _instant,
    ("erasures_pending", "since"): _instant,
    ("erasures_pending", "xid"): _matches(_XID, "a PostgreSQL transaction id (digits)"),
}

# Checks of a whole row (values that must agree with each other).
ROW_CHECKS: dict[str, Callable[[dict[str, Any]], str | None]] = {
    "candidate_files": _file_path_row,
}


def _general(value: Any) -> str | None:
    if isinstance(value, str):
        if len(value) > MAX_TEXT_CHARS:
            return f"is {len(value):,} characters long; the limit is {MAX_TEXT_CHARS:,}"
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            return "is not valid Unicode text (a lone surrogate such as \\ud800)"
    elif isinstance(value, int) and not _INT64[0] <= value <= _INT64[1]:
        return "is too large for a whole-number column"
    return None


def value_problems(table: str, column: str, value: Any) -> Iterator[str]:
    """Why ``value`` cannot be restored into ``table.column`` (nothing when it can);
    ``value`` already has the column's type (checked before)."""
    if value is None:
        return
    general = _general(value)
    if general is not None:
        yield general
        return
    check = COLUMN_CHECKS.get((table, column))
    if check is None:
        return
    try:
        check(value)
    except HiringError as error:
        yield str(error).removeprefix("it ")


def row_problems(table: str, columns: list[str], row: tuple[Any, ...]) -> Iterator[str]:
    """Every value problem of one row, as "'column' reason"."""
    for column, value in zip(columns, row, strict=True):
        for problem in value_problems(table, column, value):
            yield f"'{column}' {problem}"
    whole = ROW_CHECKS.get(table)
    if whole is not None:
        disagreement = whole(dict(zip(columns, row, strict=True)))
        if disagreement is not None:
            yield disagreement
