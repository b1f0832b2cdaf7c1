"""Interviews: who interviews a candidate in which round, recorded from a guide manifest.

The round a score belongs to, when not given: the one open interview this interviewer
has with the candidate; else the role's only round; otherwise the command refuses and
lists the rounds (see ``choose_round``).
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from hiring.errors import InputError
from hiring.store.candidates import Candidate, check_name, find_active_candidate
from hiring.store.db import Store, now_iso

if TYPE_CHECKING:
    from hiring.bank.models import Bank

MANIFEST_KIND = "hiring-guide-manifest"


def check_round(bank: Bank, role_id: str | None, round_id: str) -> str:
    round_id = check_name(round_id, "the round")
    if role_id and role_id in bank.roles:
        bank.role(role_id).round(round_id)  # raises NotFoundError listing the rounds
    return round_id



def read_manifest(path: Path) -> dict[str, Any]:
    """A guide manifest (JSON written beside each guide), checked for what we use."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except OSError as error:
        raise InputError(f"cannot read the manifest {path}: {error.strerror}") from None
    except (ValueError, UnicodeDecodeError) as error:
        raise InputError(f"{path} is not a JSON guide manifest: {error}") from None
    if not isinstance(data, dict) or data.get("kind") != MANIFEST_KIND:
        raise InputError(f"{path} is not a guide manifest (kind '{MANIFEST_KIND}')")
    if data.get("version") != 1:
        raise InputError(f"{path}: manifest version {data.get('version')!r} is not supported")
    for key in ("role", "round"):
        if not isinstance(data.get(key), str):
            raise InputError(f"{path}: manifest has no '{key}'")
    competencies = data.get("competencies")
    if not isinstance(competencies, list) or not all(isinstance(c, str) for c in competencies):
        raise InputError(f"{path}: manifest 'competencies' must be a list of ids")
    questions = data.get("questions") or []
    if not isinstance(questions, list) or not all(
        isinstance(q, dict) and isinstance(q.get("question"), str) for q in questions
    ):
        raise InputError(f"{path}: manifest 'questions' must be a list of {{competency, question}}")
    return data



def interview_id(
    store: Store, candidate: Candidate, interviewer: str, round_id: str, role: str | None
) -> int:
    """The interview row for (candidate, round, interviewer), created if missing."""
    now = now_iso()
    store.execute(
        "INSERT INTO interviews (candidate_id, interviewer, role, round, date, created) "
        "VALUES (:cid, :who, :role, :round, :now, :now) "
        "ON CONFLICT (candidate_id, round, interviewer) DO NOTHING",
        {"cid": candidate.id, "who": interviewer, "role": role, "round": round_id, "now": now},
    )
    row = store.one(
        "SELECT id FROM interviews WHERE candidate_id = :cid AND round = :round "
        "AND interviewer = :who",
        {"cid": candidate.id, "who": interviewer, "round": round_id},
    )
    assert row is not None
    return int(row[0])



def record_interview(
    store: Store,
    bank: Bank,
    candidate: str | int,
    interviewer: str,
    role: str | None = None,
    round_id: str | None = None,
    language: str | None = None,
    manifest: Path | dict[str, Any] | None = None,
    date: str | None = None,
) -> int:
    """Record (or update) that ``interviewer`` interviews ``candidate`` in a round.

    A guide manifest supplies the role, round, language, bank version, competencies
    and question ids; explicit arguments win over it. Returns the interview id.
    """
    data = read_manifest(manifest) if isinstance(manifest, Path) else (manifest or {})
    interviewer = check_name(interviewer, "the interviewer's name")
    role = role or data.get("role")
    round_id = round_id or data.get("round")
    language = language or data.get("language")
    when = now_iso()
    if date:
        try:
            # Stored as UTC ISO text so dates sort correctly as text on both databases.
            when = _as_utc(date).astimezone(UTC).isoformat(timespec="microseconds")
        except ValueError:
            raise InputError(f"'{date}' is not a date (YYYY-MM-DD or ISO-8601)") from None
    with store.write():
        found = find_active_candidate(store, candidate)
        role = role or found.role
        if role is not None:
            bank.role(role)
        if round_id is None:
            choices = [r.id for r in bank.role(role).rounds] if role else []
            if len(choices) != 1:
                listed = f" (rounds of {role}: {', '.join(choices)})" if role else ""
                raise InputError(f"give the round of the interview (--round){listed}")
            round_id = choices[0]
        round_id = check_round(bank, role, round_id)
        competencies = data.get("competencies")
        questions = [q["question"] for q in data.get("questions") or []]
        interview = interview_id(store, found, interviewer, round_id, role)
        store.execute(
            "UPDATE interviews SET role = :role, language = :lang, date = :date, "
            "bank_version = COALESCE(:bank, bank_version), "
            "competencies = COALESCE(:comps, competencies), "
            "questions = COALESCE(:questions, questions) WHERE id = :id",
            {
                "id": interview,
                "role": role,
                "lang": language,
                "date": when,
                "bank": data.get("bank_version"),
                "comps": json.dumps(competencies) if competencies else None,
                "questions": json.dumps(questions) if questions else None,
            },
        )
    return interview


def choose_round(
    bank: Bank, role: str | None, interviewer: str, rounds: list[str], candidate: str = ""
) -> str:
    """The round a rating without one goes to: the one open interview this interviewer has
    with the candidate (``rounds``: its rounds), else the role's round when it has only one.
    Anything else is refused with the rounds to choose from: never a silent first round."""
    who = f" with {candidate}" if candidate else " with this candidate"
    if len(rounds) == 1:
        return str(rounds[0])
    if len(rounds) > 1:
        raise InputError(
            f"{interviewer} has open interviews{who} in rounds {', '.join(sorted(rounds))}: "
            "give the round (--round)"
        )
    if role and role in bank.roles:
        choices = [r.id for r in bank.role(role).rounds]
        if len(choices) == 1:
            return choices[0]
        raise InputError(
            f"{interviewer} has no interview{who} yet: give the round (--round; rounds of "
            f"{role}: {', '.join(choices)})"
        )
    raise InputError(
        f"{interviewer} has no interview{who} yet and the candidate has no role in the bank: "
        "give the round (--round)"
    )


def open_rounds(store: Store, candidate_id: int, interviewer: str) -> list[str]:
    """The rounds of this interviewer's open interviews with the candidate."""
    return [
        str(row[0])
        for row in store.all(
            "SELECT round FROM interviews WHERE candidate_id = :cid AND interviewer = :who",
            {"cid": candidate_id, "who": interviewer},
        )
    ]


def default_round(store: Store, bank: Bank, candidate: Candidate, interviewer: str) -> str:
    return choose_round(
        bank,
        candidate.role,
        interviewer,
        open_rounds(store, candidate.id, interviewer),
        f"{candidate.name} ({candidate.id})",
    )


def _as_utc(text: str) -> datetime:
    moment = datetime.fromisoformat(text)
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)

