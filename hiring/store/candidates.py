"""Candidates: add, import, find (by id or exact name), list, show, erase."""

from __future__ import annotations

import unicodedata
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from hiring.errors import InputError, NotFoundError, StoreError
from hiring.store.db import Store, now_iso
from hiring.tables import RowsError, TableOptions, check_columns, read_table

MAX_NAME_CHARS = 200
MAX_NOTE_CHARS = 4000
MAX_EMAIL_CHARS = 254


def check_text(value: str, what: str, max_chars: int, *, multiline: bool = False) -> str:
    """Refuse control characters (terminal escapes, NULs) and over-long values."""
    allowed = {"\n", "\t"} if multiline else set()
    for char in value:
        if char not in allowed and unicodedata.category(char) in ("Cc", "Cf", "Zl", "Zp"):
            raise InputError(f"{what} contains a control character ({ord(char):#x})")
    if len(value) > max_chars:
        raise InputError(f"{what} is {len(value)} characters long; the limit is {max_chars}")
    return value


def check_name(value: str, what: str) -> str:
    value = value.strip()
    if not value:
        raise InputError(f"{what} is empty")
    return check_text(value, what, MAX_NAME_CHARS)


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


def add_candidate(
    store: Store,
    name: str,
    email: str | None = None,
    role: str | None = None,
    known_roles: set[str] | None = None,
) -> Candidate:
    """Add a candidate; ``known_roles`` (the bank's) checks the role when given."""
    name = check_name(name, "the candidate's name")
    email = _check_email(email)
    role = _check_role(role, known_roles)
    created = now_iso()
    with store.write():
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
) -> list[Candidate]:
    """Add every row of a ``name,email,role`` table (CSV or .xlsx), all or nothing."""
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
                    "role": _check_role(record.get("role"), known_roles),
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
        for row in rows:
            new_id = store.insert_id(
                "INSERT INTO candidates (name, email, role, status, created) "
                "VALUES (:name, :email, :role, 'active', :created) RETURNING id",
                {**row, "created": created},
            )
            added.append(
                Candidate(new_id, row["name"], row["email"], row["role"], "active", created)
            )
    return added


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
    """Like :func:`find_candidate`, but an erased candidate is refused: nothing new about them."""
    found = find_candidate(store, reference)
    if found.status == "erased":
        raise InputError(f"candidate {found.id} was erased; nothing new can be recorded about them")
    return found


def list_candidates(store: Store) -> list[Candidate]:
    return [_candidate(row) for row in store.all(f"SELECT {_COLUMNS} FROM candidates ORDER BY id")]


def candidate_details(store: Store, reference: str | int) -> dict[str, Any]:
    """A candidate with their interviews and rating counts (for ``candidate show``)."""
    with store.read():
        candidate = find_candidate(store, reference)
        interviews = store.all(
            "SELECT i.id, i.interviewer, i.role, i.round, i.language, i.date, "
            "(SELECT COUNT(*) FROM ratings r WHERE r.interview_id = i.id), "
            "(SELECT decision FROM recommendations d WHERE d.interview_id = i.id) "
            "FROM interviews i WHERE i.candidate_id = :id ORDER BY i.date, i.id",
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
            }
            for row in interviews
        ],
    }


def erase_candidate(store: Store, reference: str | int, actor: str = "hiring") -> Candidate:
    """Forget a candidate: name, e-mail and notes go for good; scores stay, anonymised.

    On SQLite the file and WAL are then compacted (``secure_delete`` zeroes freed
    space; checkpoint + VACUUM leave no old page copies behind).
    """
    actor = check_name(actor, "the name of who erases")
    with store.write():
        candidate = find_candidate(store, reference)
        params = {"id": candidate.id}
        store.execute(
            "UPDATE candidates SET name = :name, email = NULL, status = 'erased' WHERE id = :id",
            {**params, "name": f"erased-{candidate.id}"},
        )
        interview_ids = "SELECT id FROM interviews WHERE candidate_id = :id"
        store.execute(
            f"UPDATE ratings SET note = NULL WHERE interview_id IN ({interview_ids})", params
        )
        store.execute("UPDATE consensus SET note = NULL WHERE candidate_id = :id", params)
        store.execute(
            "INSERT INTO audit (at, actor, action, candidate_id) "
            "VALUES (:at, :actor, 'candidate.erase', :id)",
            {**params, "at": now_iso(), "actor": actor},
        )
    try:
        store.compact()
    except StoreError as error:
        # The erase is committed; only the clean-up of old page copies failed.
        raise StoreError(
            f"candidate {candidate.id} was erased, but compacting the database afterwards "
            f"failed ({error}); run the erase again once that is fixed, so no old copy of "
            "the erased data stays in the file"
        ) from None
    return Candidate(
        candidate.id, f"erased-{candidate.id}", None, candidate.role, "erased", candidate.created
    )
