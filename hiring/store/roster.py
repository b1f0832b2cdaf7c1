"""Roster changes: add, edit and remove team members, each audited.

Reading the roster, finding who runs a command and what they may do is ``team``.
"""

from __future__ import annotations

from hiring.errors import InputError
from hiring.store.audit import record_audit
from hiring.store.db import Store, now_iso
from hiring.store.team import (
    ROLES,
    Member,
    check_roles,
    current_login,
    current_viewer,
    find_member,
    forget_viewer,
    members,
    require,
    roster_is_empty,
)
from hiring.user_text import MAX_EMAIL_CHARS, check_name, check_text


def _check_login(login: str | None) -> str | None:
    if login is None or not login.strip():
        return None
    login = check_text(login.strip(), "the login", 63)
    if any(char.isspace() for char in login) or '"' in login:
        raise InputError(f"the login '{login}' contains a space or a quote")
    return login


def _check_email(email: str | None) -> str | None:
    if email is None or not email.strip():
        return None
    email = check_text(email.strip(), "the e-mail address", MAX_EMAIL_CHARS)
    if "@" not in email or any(char.isspace() for char in email):
        raise InputError(f"'{email}' is not an e-mail address")
    return email


def _refuse_taken(store: Store, *, name: str | None, login: str | None,
                  except_id: int | None = None) -> None:
    for member in members(store):
        if member.id == except_id:
            continue
        if name is not None and member.name.casefold() == name.casefold():
            raise InputError(f"'{member.name}' is already on the roster (change it with "
                             "'hiring team edit')")
        if login is not None and member.login == login:
            raise InputError(f"the login '{login}' is already {member.name}'s")


def _audit(store: Store, action: str, old: str | None, new: str | None) -> None:
    record_audit(store, action, _actor_name(store), None, old=old, new=new)


def _actor_name(store: Store) -> str:
    viewer = current_viewer(store)
    return viewer.name or viewer.login or "hiring"


def _describe(member: Member) -> str:
    parts = [member.name, "roles=" + ",".join(member.roles)]
    if member.login:
        parts.append(f"login={member.login}")
    if member.email:
        parts.append(f"email={member.email}")
    return " ".join(parts)


def add_member(store: Store, name: str, roles: list[str], *, email: str | None = None,
               login: str | None = None) -> Member:
    """Add a member (audited). The first member must be a recruiter and, without
    ``login``, gets the login of whoever runs the command: otherwise the roster would lock
    its own author out."""
    name = check_name(name, "the member's name")
    checked_roles = check_roles(roles)
    email, login = _check_email(email), _check_login(login)
    with store.write():
        first = roster_is_empty(store)
        if not first:
            require(store, "team.manage")
        else:
            if "recruiter" not in checked_roles:
                raise InputError(
                    "the first member of the roster must hold the recruiter role (the roster "
                    "is managed by recruiters: anyone else would lock the team out)")
            if login is None:
                login = current_login(store)
        _refuse_taken(store, name=name, login=login)
        member_id = store.insert_id(
            "INSERT INTO team_members (name, roles, email, login, created) "
            "VALUES (:name, :roles, :email, :login, :now) RETURNING id",
            {"name": name, "roles": ",".join(checked_roles), "email": email, "login": login,
             "now": now_iso()})
        member = Member(member_id, name, checked_roles, email, login)
        forget_viewer(store)
        _audit(store, "team.add", None, _describe(member))
        _sync_logins(store, login)
    return member


def _sync_logins(store: Store, *logins: str | None) -> None:
    """On PostgreSQL with the team set up: the logins' group roles follow the roster, in
    the same transaction (a refused grant leaves the roster unchanged)."""
    from hiring.store import team_pg

    if not team_pg.is_set_up(store):
        return
    for login in {login for login in logins if login}:
        team_pg.sync_login(store, login)


def edit_member(store: Store, name: str, *, new_name: str | None = None,
                roles: list[str] | None = None, add_roles: list[str] | None = None,
                remove_roles: list[str] | None = None, email: str | None = None,
                login: str | None = None) -> Member:
    """Change a member (audited). ``email=""`` / ``login=""`` clears it."""
    with store.write():
        require(store, "team.manage")
        old = find_member(store, name)
        new_roles = set(old.roles)
        if roles:
            new_roles = set(check_roles(roles))
        if add_roles:
            new_roles |= set(check_roles(add_roles))
        if remove_roles:
            new_roles -= set(check_roles(remove_roles))
        if not new_roles:
            raise InputError(f"{old.name} would hold no role: remove them with "
                             "'hiring team remove' instead")
        ordered = tuple(role for role in ROLES if role in new_roles)
        renamed = check_name(new_name, "the member's name") if new_name else old.name
        new_email = old.email if email is None else _check_email(email)
        new_login = old.login if login is None else _check_login(login)
        _refuse_taken(store, name=renamed if renamed != old.name else None,
                      login=new_login if new_login != old.login else None, except_id=old.id)
        if "recruiter" in old.roles and "recruiter" not in ordered:
            _refuse_last_recruiter(store, old)
        store.execute(
            "UPDATE team_members SET name = :name, roles = :roles, email = :email, "
            "login = :login WHERE id = :id",
            {"name": renamed, "roles": ",".join(ordered), "email": new_email,
             "login": new_login, "id": old.id})
        new = Member(old.id, renamed, ordered, new_email, new_login)
        forget_viewer(store)
        if new != old:
            _audit(store, "team.edit", _describe(old), _describe(new))
        _sync_logins(store, old.login, new_login)
    return new


def _refuse_last_recruiter(store: Store, leaving: Member) -> None:
    others = [m for m in members(store) if "recruiter" in m.roles and m.id != leaving.id]
    if not others:
        raise InputError(
            f"{leaving.name} is the last recruiter: add another recruiter first (the roster "
            "needs one to manage it)")


def remove_member(store: Store, name: str) -> Member:
    """Take a member off the roster (audited). Their past ratings and audit rows stay."""
    with store.write():
        require(store, "team.manage")
        old = find_member(store, name)
        if "recruiter" in old.roles:
            _refuse_last_recruiter(store, old)
        removed = now_iso()
        store.execute("UPDATE team_members SET removed = :now WHERE id = :id",
                      {"now": removed, "id": old.id})
        forget_viewer(store)
        _audit(store, "team.remove", _describe(old), None)
        _sync_logins(store, old.login)
    return Member(old.id, old.name, old.roles, old.email, old.login, removed)
