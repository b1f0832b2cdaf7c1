"""The team roster, who runs a command, and what they may do.

A roster member has a name, one or more roles (recruiter, interviewer, manager), an
optional e-mail address and an optional login. The user running a command is found by
login: on PostgreSQL the database login (``current_user``), on SQLite ``HIRING_USER`` or
else the operating-system login. While the roster is empty every check passes and names
are taken as typed, so a single recruiter's first run stays as simple as before.

One table answers "may this user do this": ``ACTIONS`` (named actions, as datasette names
them). On PostgreSQL the server answers the same question itself (group roles, grants and
row-level security, ``hiring.store.team_pg``), so a script with the URL gets the same answer.

>>> # require(store, "decision.record")  -> the member, or PermissionDenied naming the role
"""

from __future__ import annotations

import getpass
import os
from dataclasses import dataclass
from difflib import get_close_matches
from typing import Any

from hiring.errors import HiringError, InputError, NotFoundError
from hiring.store.db import Store
from hiring.user_text import check_name

ROLES = ("recruiter", "interviewer", "manager")

# action -> the roles allowed to do it. Interviewers write their own scorecards (recruiters
# anyone's, e.g. from paper); reading colleagues' ratings also needs one's own scorecard of
# that candidate and round submitted (``visible_interviews_sql``).
ACTIONS: dict[str, tuple[str, ...]] = {
    "candidate.write": ("recruiter",),  # add, edit, import candidates
    "candidate.erase": ("recruiter",),
    "backup.export": ("recruiter",),  # db export, db copy from this database
    "backup.restore": ("recruiter",),  # db import, db copy into this database
    "team.manage": ("recruiter",),
    "interview.write": ("recruiter",),  # schedule, cancel, invite, guides for others
    "score.write": ("interviewer", "recruiter"),
    "consensus.write": ("interviewer", "manager", "recruiter"),
    "decision.record": ("manager", "recruiter"),
    "report.read": ("manager", "recruiter"),
    "reminder.send": ("recruiter",),
    "group_data.write": ("recruiter",),
    "group_data.read": ("manager", "recruiter"),
    "outcome.write": ("manager", "recruiter"),
}


class PermissionDenied(HiringError):
    """The user running the command lacks the role the command needs."""


PermissionError_ = PermissionDenied  # the name the interface first had


@dataclass(frozen=True)
class Member:
    id: int
    name: str
    roles: tuple[str, ...]
    email: str | None
    login: str | None
    removed: str | None = None

    def to_json(self) -> dict[str, Any]:
        return {"id": self.id, "name": self.name, "roles": list(self.roles),
                "email": self.email, "login": self.login, "removed": self.removed}


@dataclass(frozen=True)
class Viewer:
    """Who runs the command, as the rules see them.

    ``admin``: every action and every row: the roster is empty (nobody to tell apart), or
    the user is the PostgreSQL owner of the tables (who bypasses row-level security anyway).
    """

    login: str
    member: Member | None
    admin: bool

    @property
    def name(self) -> str | None:
        return self.member.name if self.member else None

    def holds(self, role: str) -> bool:
        return self.admin or (self.member is not None and role in self.member.roles)

    def may(self, action: str) -> bool:
        return self.admin or any(self.holds(role) for role in ACTIONS[action])


_MEMBER_COLUMNS = "id, name, roles, email, login, removed"


def _member(row: tuple[Any, ...]) -> Member:
    roles = tuple(role for role in str(row[2] or "").split(",") if role)
    return Member(int(row[0]), row[1], roles, row[3], row[4], row[5])


def members(store: Store, *, include_removed: bool = False) -> list[Member]:
    where = "" if include_removed else " WHERE removed IS NULL"
    return [_member(row) for row in store.all(
        f"SELECT {_MEMBER_COLUMNS} FROM team_members{where} ORDER BY name, id")]


def roster_is_empty(store: Store) -> bool:
    return store.one("SELECT 1 FROM team_members WHERE removed IS NULL LIMIT 1") is None


def roster_names(store: Store) -> list[str]:
    """The active members' names (for completion and suggestions)."""
    return [member.name for member in members(store)]


# -- who runs the command ------------------------------------------------------------------
def current_login(store: Store) -> str:
    """The login the rules apply to: PostgreSQL's ``session_user``; on SQLite
    ``HIRING_USER``, else the operating-system login."""
    if store.dialect == "postgresql":
        if store.session_user is None:  # not read with the schema version when opened
            row = store.one("SELECT session_user")
            store.session_user = str(row[0]) if row else ""
        return store.session_user
    explicit = os.environ.get("HIRING_USER", "").strip()
    if explicit:
        return explicit
    try:
        return getpass.getuser()
    except (KeyError, OSError):  # no name for this uid (containers)
        return str(os.getuid()) if hasattr(os, "getuid") else "unknown"


def _owns_tables(store: Store) -> bool:
    if store.dialect != "postgresql":
        return False
    row = store.one(
        "SELECT pg_has_role(session_user, c.relowner, 'MEMBER') FROM pg_class c "
        "WHERE c.oid = to_regclass('ratings')")
    return bool(row and row[0])


def current_viewer(store: Store) -> Viewer:
    """Who runs this command (cached on the store for the life of the connection)."""
    cached = getattr(store, "_viewer", None)
    if isinstance(cached, Viewer):
        return cached
    login = current_login(store)
    active = members(store)
    mapped = [m for m in active if m.login is not None and m.login == login]
    if len(mapped) > 1:
        names = ", ".join(m.name for m in mapped)
        raise InputError(
            f"the login '{login}' maps to {len(mapped)} roster members ({names}): give one "
            "of them another login with 'hiring team edit NAME --login LOGIN'")
    member = mapped[0] if mapped else None
    admin = not active or (member is None and _owns_tables(store))  # empty roster: admin
    viewer = Viewer(login, member, admin)
    store._viewer = viewer  # type: ignore[attr-defined]
    return viewer


def forget_viewer(store: Store) -> None:
    """Drop the cached viewer (after the roster changed in this connection)."""
    if hasattr(store, "_viewer"):
        del store._viewer  # type: ignore[attr-defined]


def current_member(store: Store) -> Member | None:
    """The roster member running this command (None: empty roster or an unmapped login)."""
    return current_viewer(store).member


def _who(viewer: Viewer) -> str:
    if viewer.member is not None:
        roles = ", ".join(viewer.member.roles) or "no role"
        return f"you ({viewer.member.name}, {roles})"
    return (f"you (login '{viewer.login}', not on the team roster: a recruiter adds you "
            "with 'hiring team add NAME --role ROLE --login LOGIN')")


def require(store: Store, action: str) -> Member | None:
    """Refuse unless the user may do ``action`` (any user while the roster is empty)."""
    viewer = current_viewer(store)
    if viewer.may(action):
        return viewer.member
    roles = " or ".join(ACTIONS[action])
    raise PermissionDenied(f"{_who(viewer)} may not {_DOING.get(action, action)}: that needs "
                           f"the {roles} role")


_DOING = {
    "candidate.write": "add, edit or import candidates",
    "candidate.erase": "erase candidates",
    "backup.export": "export or copy the whole database",
    "backup.restore": "restore a backup into this database",
    "team.manage": "change the team roster",
    "interview.write": "schedule or cancel interviews for others",
    "score.write": "write scorecards",
    "consensus.write": "record consensus scores",
    "decision.record": "record stage decisions",
    "report.read": "read reports on candidates",
    "reminder.send": "send reminders",
    "group_data.write": "import group data",
    "group_data.read": "read group data",
    "outcome.write": "import outcomes",
}


def require_scorecard_writer(store: Store, interviewer: str) -> None:
    """An interviewer writes their own scorecard; a recruiter may write anyone's (from paper).

    ``interviewer`` is the roster's spelling (``check_interviewer``)."""
    viewer = current_viewer(store)
    if viewer.admin or viewer.holds("recruiter"):
        return
    if viewer.member is not None and viewer.member.name == interviewer and viewer.holds(
            "interviewer"):
        return
    if viewer.member is not None and viewer.holds("interviewer"):
        raise PermissionDenied(
            f"{_who(viewer)} may write only your own scorecards, not {interviewer}'s: "
            "entering a colleague's needs the recruiter role")
    require(store, "score.write")


class InterviewerNeeded(InputError):
    """No ``--interviewer`` given and the user running the command is not a roster
    interviewer, so there is no "you" to default to."""


def interviewer_or_self(store: Store, interviewer: str | None) -> str:
    """``interviewer`` as given (checked later as before), else the roster member running the
    command when they hold the interviewer role: whose scorecard a command writes when no
    name is given. Otherwise refused in one line saying why a name is needed."""
    if interviewer is not None:
        return interviewer
    viewer = current_viewer(store)
    if roster_is_empty(store):
        raise InterviewerNeeded(
            "give --interviewer NAME: the team roster is empty, so the tool cannot tell whose "
            "scorecard this is")
    if viewer.member is None:
        raise InterviewerNeeded(
            f"give --interviewer NAME: you (login '{viewer.login}') are not on the team roster "
            "(a recruiter adds you with 'hiring team add NAME --role interviewer --login LOGIN')")
    if "interviewer" not in viewer.member.roles:
        roles = ", ".join(viewer.member.roles) or "no role"
        raise InterviewerNeeded(
            f"give --interviewer NAME: you ({viewer.member.name}, {roles}) are not on the team "
            "roster as an interviewer, so there is no scorecard of yours to default to")
    return viewer.member.name


def scorecard_writer(store: Store, interviewer: str) -> str:
    """The roster's spelling of ``interviewer``, once the user may write their scorecard
    (``check_interviewer`` then ``require_scorecard_writer``)."""
    name = check_interviewer(store, interviewer)
    require_scorecard_writer(store, name)
    return name


def audit_identity(store: Store) -> tuple[str | None, str | None]:
    """(member name, login) for an audit row; (None, None) while the roster is empty."""
    viewer = current_viewer(store)
    if roster_is_empty(store):
        return None, None
    return viewer.name, viewer.login


# -- interviewer names -----------------------------------------------------------------------
def check_interviewer(store: Store, name: str) -> str:
    """The roster's spelling of ``name``; an unknown name is refused with the closest
    members' names. With an empty roster the name is taken as typed."""
    name = check_name(name, "the interviewer's name")
    active = members(store)
    if not active:
        return name
    by_name = {m.name: m for m in active}
    found = by_name.get(name) or next(
        (m for m in active if m.name.casefold() == name.casefold()), None)
    if found is None:
        raise NotFoundError(unknown_member_message(name, list(by_name)))
    if "interviewer" not in found.roles:
        raise InputError(
            f"{found.name} is on the roster without the interviewer role: add it with "
            f"'hiring team edit \"{found.name}\" --add-role interviewer'")
    return found.name


def unknown_member_message(name: str, known: list[str]) -> str:
    close = get_close_matches(name, known, n=3, cutoff=0.6) or get_close_matches(
        name.casefold(), [k.casefold() for k in known], n=3, cutoff=0.6)
    if close:
        folded = {k.casefold(): k for k in known}
        names = " or ".join(repr(folded.get(c, c)) for c in close)
        hint = f"did you mean {names}?"
    else:
        hint = "'hiring team list' shows the roster"
    return f"'{name}' is not on the team roster: {hint}"


@dataclass(frozen=True)
class RosterCheck:
    """Interviewer names of a whole file checked against the roster at once (imports)."""

    active: dict[str, Member]  # casefolded name -> member with the interviewer role
    everyone: tuple[str, ...]

    @classmethod
    def of(cls, store: Store) -> RosterCheck:
        found = members(store)
        return cls({m.name.casefold(): m for m in found if "interviewer" in m.roles},
                   tuple(m.name for m in found))

    def spelling(self, name: str) -> str:
        member = self.active.get(name.casefold())
        return member.name if member else name

    def known(self, name: str) -> bool:
        return not self.everyone or name.casefold() in self.active

    def refusal(self, unknown: dict[str, list[int]]) -> str:
        """One line for every unknown interviewer: names, lines, suggestions."""
        parts = []
        for name, lines in sorted(unknown.items()):
            shown = ", ".join(str(n) for n in lines[:10]) + (
                f" and {len(lines) - 10} more" if len(lines) > 10 else "")
            close = get_close_matches(name, list(self.everyone), n=1, cutoff=0.6)
            hint = f"; did you mean '{close[0]}'?" if close else ""
            label = "line" if len(lines) == 1 else "lines"
            parts.append(f"'{name}' ({label} {shown}{hint})")
        return ("interviewers not on the team roster (or without the interviewer role): "
                + ", ".join(parts))


def member_email(store: Store, name: str) -> str | None:
    """The roster's e-mail address of a member, else None."""
    row = store.one(
        "SELECT email FROM team_members WHERE name = :name AND removed IS NULL", {"name": name})
    return row[0] if row and row[0] else None


def find_member(store: Store, name: str, *, include_removed: bool = False) -> Member:
    everyone = members(store, include_removed=include_removed)
    for member in everyone:
        if member.name == name:
            return member
    for member in everyone:
        if member.name.casefold() == name.casefold():
            return member
    raise NotFoundError(unknown_member_message(name, [m.name for m in everyone]))


def check_roles(roles: list[str]) -> tuple[str, ...]:
    """Roles as given (repeatable, or comma-separated), checked and in canonical order."""
    wanted: set[str] = set()
    for item in roles:
        for role in item.split(","):
            role = role.strip().lower()
            if not role:
                continue
            if role not in ROLES:
                close = get_close_matches(role, ROLES, n=1)
                hint = f" (did you mean '{close[0]}'?)" if close else ""
                raise InputError(f"'{role}' is not a role{hint}: roles are {', '.join(ROLES)}")
            wanted.add(role)
    if not wanted:
        raise InputError(f"give at least one role (--role {'|'.join(ROLES)})")
    return tuple(role for role in ROLES if role in wanted)


# -- what a viewer may read -----------------------------------------------------------------------
def visible_interviews_sql(store: Store, alias: str = "i") -> tuple[str, dict[str, Any]]:
    """A condition on interviews (``alias``) true for those whose ratings, notes and
    recommendation the user may read (rate before you see others):

    - their own interviews;
    - nothing else of a candidate and round while their own scorecard there is open;
    - recruiters: everything else (they hold the data: backups, erasure, paper entry);
    - others' drafts: never;
    - managers: submitted scorecards; interviewers: submitted scorecards of a candidate and
      round once their own scorecard there is submitted.

    The same rule as the PostgreSQL row-level security policy (``team_pg``).
    """
    viewer = current_viewer(store)
    if viewer.admin:
        return "1 = 1", {}
    params = {
        "v_me": viewer.name or "",
        "v_recruiter": 1 if viewer.holds("recruiter") else 0,
        "v_manager": 1 if viewer.holds("manager") else 0,
    }
    a = alias
    mine = (f"SELECT 1 FROM interviews v_o WHERE v_o.candidate_id = {a}.candidate_id "
            f"AND v_o.round = {a}.round AND v_o.interviewer = :v_me AND v_o.cancelled IS NULL")
    condition = (
        f"({a}.interviewer = :v_me OR (NOT EXISTS ({mine} AND v_o.submitted IS NULL) AND "
        f"(:v_recruiter = 1 OR ({a}.submitted IS NOT NULL AND (:v_manager = 1 OR "
        f"EXISTS ({mine} AND v_o.submitted IS NOT NULL))))))"
    )
    return condition, params


def rating_groups(store: Store) -> list[tuple[Any, ...]]:
    """Every stored rating counted by (candidate status, interview role, round, competency,
    candidate id, visible to the user: 1 or 0): what a command needs to say how many it used
    and why it left the others out, those the user may not read included.

    On PostgreSQL with the team set up, row-level security hides unreadable rows from the
    user's own queries, so the counts come from the owner's ``hiring_rating_groups()``."""
    from hiring.store import team_pg

    if team_pg.is_set_up(store) and not current_viewer(store).admin:
        return store.all("SELECT status, role, round, competency, candidate_id, visible, n "
                         "FROM hiring_rating_groups()")
    condition, params = visible_interviews_sql(store, "i")
    return store.all(
        f"SELECT c.status, i.role, i.round, r.competency, i.candidate_id, "
        f"CASE WHEN {condition} THEN 1 ELSE 0 END AS visible, COUNT(*) "
        "FROM ratings r JOIN interviews i ON i.id = r.interview_id "
        "JOIN candidates c ON c.id = i.candidate_id "
        "GROUP BY c.status, i.role, i.round, r.competency, i.candidate_id, visible", params)
