"""The team roster and who runs a command (interface; filled in by the team issue).

The functions below are the interface other parts call. With an empty roster every
check passes and names are taken as typed (a single recruiter's first run stays simple).

- ``require(store, "decision.record")``: refuses (``PermissionError_``, one line naming the
  role needed) when the user running the command may not do that action. Actions are named
  (``ACTIONS`` below, as datasette names them) so one table answers "may this member do it".
- ``check_interviewer(store, name)``: the roster's spelling of an interviewer's name, or a
  refusal naming the closest members; with an empty roster the name as typed.
- ``member_email(store, name)``: the roster's e-mail address of a member, else None.
- ``roster_names(store)``: the active members' names (for completion and suggestions).
"""

from __future__ import annotations

from dataclasses import dataclass

from hiring.errors import HiringError
from hiring.store.db import Store

ROLES = ("recruiter", "interviewer", "manager")

# action -> the roles allowed to do it. Interviewers write their own scorecards; reading
# colleagues' ratings also needs one's own scorecard submitted (checked where it is read).
ACTIONS: dict[str, tuple[str, ...]] = {
    "candidate.write": ("recruiter",),  # add, edit, import candidates
    "candidate.erase": ("recruiter",),
    "backup.restore": ("recruiter",),  # db import, db copy into this database
    "team.manage": ("recruiter",),
    "interview.write": ("recruiter",),  # schedule, cancel, invite
    "score.write": ("interviewer", "recruiter"),
    "consensus.write": ("interviewer", "manager", "recruiter"),
    "decision.record": ("manager", "recruiter"),
    "report.read": ("manager", "recruiter"),
    "reminder.send": ("recruiter",),
    "group_data.write": ("recruiter",),
    "group_data.read": ("manager", "recruiter"),
    "outcome.write": ("manager", "recruiter"),
}


class PermissionError_(HiringError):  # noqa: N801 - not the builtin PermissionError
    """The user running the command lacks the role the command needs."""


@dataclass(frozen=True)
class Member:
    id: int
    name: str
    roles: tuple[str, ...]
    email: str | None
    login: str | None


def current_member(store: Store) -> Member | None:
    """The roster member running this command (None while the roster is empty)."""
    return None


def require(store: Store, action: str) -> Member | None:
    """Refuse unless the user may do ``action`` (any user while the roster is empty)."""
    if action not in ACTIONS:
        raise KeyError(action)
    return None


def check_interviewer(store: Store, name: str) -> str:
    """The roster's spelling of ``name``; an unknown name is refused with suggestions."""
    return name


def member_email(store: Store, name: str) -> str | None:
    return None


def roster_names(store: Store) -> list[str]:
    return []
