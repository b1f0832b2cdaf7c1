"""Interviews: who interviews a candidate in which round, recorded from a guide manifest.

The round a score belongs to, when not given: the one open interview this interviewer
has with the candidate; else the role's only round; otherwise the command refuses and
lists the rounds (see ``choose_round``).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from hiring.errors import InputError, NotFoundError
from hiring.store.audit import record_audit
from hiring.store.candidates import Candidate, find_active_candidate
from hiring.store.db import Store, now_iso
from hiring.store.team import require_scorecard_writer, scorecard_writer
from hiring.user_text import check_name

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
    """The interview row for (candidate, round, interviewer), created if missing; a
    cancelled one is refused (``hiring interview add`` re-opens it)."""
    now = now_iso()
    store.execute(
        "INSERT INTO interviews (candidate_id, interviewer, role, round, date, created) "
        "VALUES (:cid, :who, :role, :round, :now, :now) "
        "ON CONFLICT (candidate_id, round, interviewer) DO NOTHING",
        {"cid": candidate.id, "who": interviewer, "role": role, "round": round_id, "now": now},
    )
    found = find_interview(store, candidate, interviewer, round_id)
    assert found is not None
    return found


def find_interview(
    store: Store, candidate: Candidate, interviewer: str, round_id: str
) -> int | None:
    """The id of the interview (candidate, round, interviewer), None if there is none; a
    cancelled one is refused (``hiring interview add`` re-opens it)."""
    row = store.one(
        "SELECT id, cancelled, cancel_reason FROM interviews WHERE candidate_id = :cid "
        "AND round = :round AND interviewer = :who",
        {"cid": candidate.id, "who": interviewer, "round": round_id},
    )
    if row is None:
        return None
    if row[1] is not None:
        raise InputError(
            f"{interviewer}'s interview with {candidate.name} ({candidate.id}) in round "
            f"{round_id} was cancelled ({row[2]}): 'hiring interview add' re-opens it"
        )
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
        interviewer = scorecard_writer(store, interviewer)
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
        _reopen(store, found, interviewer, round_id)
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
            "SELECT round FROM interviews WHERE candidate_id = :cid AND interviewer = :who "
            "AND cancelled IS NULL",
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


def _reopen(store: Store, candidate: Candidate, interviewer: str, round_id: str) -> None:
    """Recording a cancelled interview again re-opens it (audited)."""
    row = store.one(
        "SELECT id FROM interviews WHERE candidate_id = :cid AND round = :round "
        "AND interviewer = :who AND cancelled IS NOT NULL" + store.for_update,
        {"cid": candidate.id, "who": interviewer, "round": round_id},
    )
    if row is None:
        return
    store.execute(
        "UPDATE interviews SET cancelled = NULL, cancel_reason = NULL WHERE id = :id",
        {"id": row[0]},
    )
    record_audit(store, "interview.reopen", interviewer, candidate.id, interview_id=row[0],
                 round_id=round_id)


@dataclass(frozen=True)
class Cancellation:
    interview_id: int
    candidate: Candidate
    interviewer: str
    round: str
    ratings_deleted: int
    recommendation_deleted: bool


def cancel_interview(
    store: Store,
    candidate: str | int,
    interviewer: str,
    round_id: str,
    reason: str,
    delete_ratings: bool = False,
    actor: str | None = None,
) -> Cancellation:
    """Cancel an interview that did not happen (a typo'd interviewer, a wrong manifest...):
    it is no longer chased, does not block consensus and is not a missing scorecard.
    Refused while it has ratings or a recommendation, unless ``delete_ratings`` (each
    deletion audited with its old value). Audited with the reason."""
    from hiring.user_text import MAX_NOTE_CHARS, check_text

    interviewer = check_name(interviewer, "the interviewer's name")
    round_id = check_name(round_id, "the round")
    reason = check_text(check_name(reason, "the reason"), "the reason", MAX_NOTE_CHARS)
    actor = check_name(actor, "the name of who cancels") if actor else interviewer
    with store.write():
        # Not checked against the roster: a typo'd name from before it must be cancellable.
        require_scorecard_writer(store, interviewer)
        found = find_active_candidate(store, candidate)
        row = store.one(
            "SELECT id, cancelled FROM interviews WHERE candidate_id = :cid AND round = :round "
            "AND interviewer = :who" + store.for_update,
            {"cid": found.id, "who": interviewer, "round": round_id},
        )
        if row is None:
            raise NotFoundError(
                f"{interviewer} has no interview with {found.name} ({found.id}) in round "
                f"{round_id} (see 'hiring interview list --candidate {found.id}')"
            )
        if row[1] is not None:
            raise InputError(f"that interview was already cancelled ({row[1][:10]})")
        iid = int(row[0])
        ratings = store.all(
            "SELECT id, competency, score FROM ratings WHERE interview_id = :iid "
            "ORDER BY competency" + store.for_update,
            {"iid": iid},
        )
        decision = store.one(
            "SELECT decision FROM recommendations WHERE interview_id = :iid", {"iid": iid}
        )
        if (ratings or decision) and not delete_ratings:
            what = [f"{len(ratings)} rating(s)"] if ratings else []
            what += ["a recommendation"] if decision else []
            raise InputError(
                f"{interviewer}'s interview with {found.name} ({found.id}) in round {round_id} "
                f"has {' and '.join(what)}: delete them first, or add --delete-ratings"
            )
        now = now_iso()
        for _, competency, score in ratings:
            record_audit(store, "rating.delete", actor, found.id, interview_id=iid,
                         round_id=round_id, competency=competency, old=str(score), at=now)
        store.execute("DELETE FROM ratings WHERE interview_id = :iid", {"iid": iid})
        if decision:
            record_audit(store, "recommendation.delete", actor, found.id, interview_id=iid,
                         round_id=round_id, old=decision[0], at=now)
            store.execute("DELETE FROM recommendations WHERE interview_id = :iid", {"iid": iid})
        store.execute(
            "UPDATE interviews SET cancelled = :now, cancel_reason = :reason, submitted = NULL "
            "WHERE id = :iid",
            {"now": now, "reason": reason, "iid": iid},
        )
        record_audit(store, "interview.cancel", actor, found.id, interview_id=iid,
                     round_id=round_id, new=reason, at=now)
    return Cancellation(iid, found, interviewer, round_id, len(ratings), decision is not None)


def list_interviews(store: Store, candidate: str | int | None = None) -> list[dict[str, Any]]:
    """Interviews (of one candidate, or all), oldest first, with their scorecard's state:
    "cancelled", "submitted", "draft" (something entered) or "missing" (nothing yet)."""
    from hiring.store.candidates import find_candidate

    with store.read():
        where, params = "", {}
        if candidate is not None:
            found = find_candidate(store, candidate)
            where, params = "WHERE i.candidate_id = :cid", {"cid": found.id}
        rows = store.all(
            "SELECT i.id, c.id, c.name, i.interviewer, i.role, i.round, i.language, i.date, "
            "i.submitted, i.cancelled, i.cancel_reason, "
            "(SELECT COUNT(*) FROM ratings r WHERE r.interview_id = i.id), "
            "(SELECT decision FROM recommendations d WHERE d.interview_id = i.id) "
            f"FROM interviews i JOIN candidates c ON c.id = i.candidate_id {where} "
            "ORDER BY i.date, i.id",
            params,
        )
    listed = []
    for (iid, cid, name, who, role, round_id, lang, date, submitted, cancelled, reason,
         ratings, decision) in rows:
        if cancelled:
            state = "cancelled"
        elif submitted:
            state = "submitted"
        else:
            state = "draft" if int(ratings) or decision else "missing"
        listed.append({
            "id": int(iid), "candidate_id": int(cid), "candidate": name, "interviewer": who,
            "role": role, "round": round_id, "language": lang, "date": date, "state": state,
            "ratings": int(ratings), "recommendation": decision, "submitted": submitted,
            "cancelled": cancelled, "cancel_reason": reason,
        })
    return listed


def _as_utc(text: str) -> datetime:
    moment = datetime.fromisoformat(text)
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)

