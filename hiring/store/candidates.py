"""Candidates: add, import, find (by id or exact name), list, show (erase: ``erasure``)."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from hiring.errors import InputError, NotFoundError
from hiring.store.db import Store, now_iso
from hiring.tables import RowsError, TableOptions, check_columns, read_table
from hiring.user_text import MAX_EMAIL_CHARS, check_name, check_text


@dataclass(frozen=True)
class Candidate:
    id: int
    name: str
    email: str | None
    role: str | None
    status: str
    created: str

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


_COLUMNS = "id, name, email, role, status, created"


def _candidate(row: tuple[Any, ...]) -> Candidate:
    return Candidate(int(row[0]), row[1], row[2], row[3], row[4], row[5])


def _check_email(email: str | None) -> str | None:
    if email is None or not email.strip():
        return None
    email = check_text(email.strip(), "the e-mail address", MAX_EMAIL_CHARS)
    if "@" not in email or " " in email:
        raise InputError(f"'{email}' is not an e-mail address")
    return email


def _check_role(role: str | None, known_roles: set[str] | None) -> str | None:
    if role is None or not role.strip():
        return None
    role = role.strip()
    if known_roles is not None and role not in known_roles:
        known = ", ".join(sorted(known_roles)) or "none"
        raise NotFoundError(f"no role '{role}' in the bank (roles: {known})")
    return role


def same_name_ids(store: Store) -> dict[str, list[int]]:
    """Active candidates' ids by name (to refuse an accidental duplicate)."""
    names: dict[str, list[int]] = {}
    for cid, name in store.all(
        "SELECT id, name FROM candidates WHERE status <> 'erased' ORDER BY id"
    ):
        names.setdefault(name, []).append(int(cid))
    return names


def same_name_refusal(name: str, ids: list[int]) -> str:
    listed = ", ".join(str(i) for i in ids)
    return (
        f"an active candidate is already called '{name}' (id {listed}): if this is another "
        "person, add --allow-same-name (then use ids)"
    )


def add_candidate(
    store: Store,
    name: str,
    email: str | None = None,
    role: str | None = None,
    known_roles: set[str] | None = None,
    allow_same_name: bool = False,
) -> Candidate:
    """Add a candidate; ``known_roles`` (the bank's) checks the role when given. A name an
    active candidate already has is refused unless ``allow_same_name``."""
    name = check_name(name, "the candidate's name")
    email = _check_email(email)
    role = _check_role(role, known_roles)
    created = now_iso()
    with store.write():
        if not allow_same_name:
            ids = same_name_ids(store).get(name)
            if ids:
                raise InputError(same_name_refusal(name, ids))
        new_id = store.insert_id(
            "INSERT INTO candidates (name, email, role, status, created) "
            "VALUES (:name, :email, :role, 'active', :created) RETURNING id",
            {"name": name, "email": email, "role": role, "created": created},
        )
    return Candidate(new_id, name, email, role, "active", created)


def import_candidates(
    store: Store,
    csv_path: Path,
    known_roles: set[str] | None = None,
    reading: TableOptions | None = None,
    default_role: str | None = None,
    allow_same_name: bool = False,
) -> list[Candidate]:
    """Add every row of a ``name,email,role`` table (CSV or .xlsx), all or nothing. A row
    without a role gets ``default_role``; a name an active candidate (or an earlier row)
    already has is refused unless ``allow_same_name``."""
    table = read_table(csv_path, reading)
    check_columns(table, ("name", "email", "role"), ("name",))
    rows: list[dict[str, Any]] = []
    problems: list[str] = []
    for record in table.rows:
        try:
            rows.append(
                {
                    "name": check_name(record.get("name"), "name"),
                    "email": _check_email(record.get("email")),
                    "role": _check_role(
                        (record.get("role") or "").strip() or default_role, known_roles
                    ),
                    "line": record.line,
                }
            )
        except (InputError, NotFoundError) as error:
            problems.append(f"line {record.line}: {error}")
    if problems:
        raise RowsError(
            f"{len(problems)} invalid row(s) in {csv_path}; nothing was added", problems, csv_path
        )
    created = now_iso()
    added: list[Candidate] = []
    with store.write():
        if not allow_same_name:
            taken = same_name_ids(store)
            earlier: dict[str, int] = {}
            for row in rows:
                if row["name"] in taken:
                    problems.append(
                        f"line {row['line']}: {same_name_refusal(row['name'], taken[row['name']])}"
                    )
                elif row["name"] in earlier:
                    problems.append(
                        f"line {row['line']}: the same name as line {earlier[row['name']]} (if "
                        "these are two people, add --allow-same-name)"
                    )
                earlier.setdefault(row["name"], row["line"])
            if problems:
                raise RowsError(
                    f"{len(problems)} invalid row(s) in {csv_path}; nothing was added",
                    problems,
                    csv_path,
                )
        for row in rows:
            new_id = store.insert_id(
                "INSERT INTO candidates (name, email, role, status, created) "
                "VALUES (:name, :email, :role, 'active', :created) RETURNING id",
                {"name": row["name"], "email": row["email"], "role": row["role"],
                 "created": created},
            )
            added.append(
                Candidate(new_id, row["name"], row["email"], row["role"], "active", created)
            )
    return added


@dataclass(frozen=True)
class CandidateEdit:
    candidate: Candidate
    changed: list[str]  # the fields that changed: name, email, role
    interviews_placed: int  # interviews without a role that took the new one


def edit_candidate(
    store: Store,
    reference: str | int,
    name: str | None = None,
    email: str | None = None,
    role: str | None = None,
    known_roles: set[str] | None = None,
    allow_same_name: bool = False,
    actor: str = "hiring",
) -> CandidateEdit:
    """Change a candidate's name, e-mail (``""`` clears it) or role, audited (the role with
    its old and new value; name and e-mail without, so the log holds no personal data).
    A new role is also given to the candidate's interviews that have none, so ratings
    stored before the candidate had a role reach the role's reports."""
    from hiring.store.audit import record_audit

    new_name = check_name(name, "the candidate's name") if name is not None else None
    new_email = _check_email(email) if email is not None else None
    new_role = _check_role(role, known_roles) if role is not None else None
    if role is not None and new_role is None:
        raise InputError("the role is empty")
    actor = check_name(actor, "the name of who edits")
    with store.write():
        found = find_active_candidate(store, reference)
        store.one("SELECT id FROM candidates WHERE id = :id" + store.for_update, {"id": found.id})
        changed: list[str] = []
        if new_name is not None and new_name != found.name:
            others = [i for i in same_name_ids(store).get(new_name, []) if i != found.id]
            if others and not allow_same_name:
                raise InputError(same_name_refusal(new_name, others))
            changed.append("name")
        if email is not None and new_email != found.email:
            changed.append("email")
        if new_role is not None and new_role != found.role:
            changed.append("role")
        placed = 0
        if not changed:
            return CandidateEdit(found, [], 0)
        store.execute(
            "UPDATE candidates SET name = :name, email = :email, role = :role WHERE id = :id",
            {
                "id": found.id,
                "name": new_name if "name" in changed else found.name,
                "email": new_email if "email" in changed else found.email,
                "role": new_role if "role" in changed else found.role,
            },
        )
        now = now_iso()
        for field_name in changed:
            values = (found.role, new_role) if field_name == "role" else (None, None)
            record_audit(store, f"candidate.{field_name}", actor, found.id, old=values[0],
                         new=values[1], at=now)
        if "role" in changed:
            placed = int(store.execute(
                "UPDATE interviews SET role = :role WHERE candidate_id = :id AND role IS NULL",
                {"role": new_role, "id": found.id},
            ).rowcount)
        row = store.one(f"SELECT {_COLUMNS} FROM candidates WHERE id = :id", {"id": found.id})
        assert row is not None
    return CandidateEdit(_candidate(row), changed, placed)


def find_candidate(store: Store, reference: str | int) -> Candidate:
    """The candidate with this id or exact name; an ambiguous name lists the ids."""
    text = str(reference).strip()
    if text.isdecimal():
        row = store.one(f"SELECT {_COLUMNS} FROM candidates WHERE id = :id", {"id": int(text)})
        if row is not None:
            return _candidate(row)
    rows = store.all(
        f"SELECT {_COLUMNS} FROM candidates WHERE name = :name ORDER BY id", {"name": text}
    )
    if not rows:
        raise NotFoundError(f"no candidate '{text}' (see 'hiring candidate list')")
    if len(rows) > 1:
        ids = ", ".join(str(row[0]) for row in rows)
        raise InputError(f"{len(rows)} candidates are called '{text}' (ids {ids}): use the id")
    return _candidate(rows[0])


def find_active_candidate(store: Store, reference: str | int) -> Candidate:
    """Like :func:`find_candidate`, but an erased candidate is refused: nothing new about them.

    Called inside a write transaction, it locks the candidate's row until the transaction
    ends, and reads the status under that lock: an erase that commits first is seen, and an
    erase that comes later waits for this write (and then removes what it wrote). On SQLite
    the write transaction (``BEGIN IMMEDIATE``) already holds the database's write lock.
    """
    found = find_candidate(store, reference)
    lock_active_candidates(store, [found.id])
    return found


def lock_active_candidates(store: Store, ids: list[int]) -> None:
    """Lock these candidates' rows (PostgreSQL, in id order) and refuse if one was erased.

    Every writer of ratings, notes, interviews or consensus calls this inside its write
    transaction before writing, so nothing is written for a candidate after their erase.
    """
    from hiring.store.db import placeholders

    ordered = sorted(set(ids))
    for start in range(0, len(ordered), 500):
        marks, params = placeholders("c", ordered[start : start + 500])
        rows = store.all(
            f"SELECT id, status FROM candidates WHERE id IN ({marks}) ORDER BY id"
            + store.for_update,
            params,
        )
        erased = [int(row[0]) for row in rows if row[1] == "erased"]
        if erased:
            raise InputError(
                f"candidate {erased[0]} was erased; nothing new can be recorded about them"
                if len(erased) == 1
                else f"candidates {', '.join(map(str, erased))} were erased; nothing new can be "
                "recorded about them"
            )


def list_candidates(store: Store) -> list[Candidate]:
    return [_candidate(row) for row in store.all(f"SELECT {_COLUMNS} FROM candidates ORDER BY id")]


def candidate_details(store: Store, reference: str | int) -> dict[str, Any]:
    """A candidate with their interviews and rating counts (for ``candidate show``)."""
    with store.read():
        candidate = find_candidate(store, reference)
        interviews = store.all(
            "SELECT i.id, i.interviewer, i.role, i.round, i.language, i.date, "
            "(SELECT COUNT(*) FROM ratings r WHERE r.interview_id = i.id), "
            "(SELECT decision FROM recommendations d WHERE d.interview_id = i.id), i.cancelled "
            "FROM interviews i WHERE i.candidate_id = :id ORDER BY i.date, i.id",
            {"id": candidate.id},
        )
        decisions = store.all(
            "SELECT round, decision, reason, reason_note, decided_by, updated "
            "FROM stage_decisions WHERE candidate_id = :id ORDER BY updated, id",
            {"id": candidate.id},
        )
    return {
        **candidate.to_json(),
        "interviews": [
            {
                "id": int(row[0]),
                "interviewer": row[1],
                "role": row[2],
                "round": row[3],
                "language": row[4],
                "date": row[5],
                "ratings": int(row[6]),
                "recommendation": row[7],
                "cancelled": row[8],
            }
            for row in interviews
        ],
        "decisions": [
            dict(zip(("round", "decision", "reason", "reason_note", "decided_by", "updated"),
                     row, strict=True))
            for row in decisions
        ],
    }
