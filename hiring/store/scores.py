"""Interviews, ratings, recommendations and consensus scores, every change audited.

The round a score belongs to, when not given: the one round this interviewer already
has an interview in for the candidate; else the first round of the candidate's role
in the bank; else ``"interview"`` (candidates without a known role).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

from hiring.decisions import DECISIONS
from hiring.errors import InputError, NotFoundError
from hiring.store.candidates import (
    MAX_NOTE_CHARS,
    Candidate,
    check_name,
    check_text,
    find_active_candidate,
    find_candidate,
)
from hiring.store.db import Store, now_iso

if TYPE_CHECKING:
    from hiring.bank.models import Bank

DEFAULT_ROUND = "interview"
MANIFEST_KIND = "hiring-guide-manifest"


# -- validation shared by set, import and enter ------------------------------------------
def check_score(bank: Bank, competency_id: str, score: int | str) -> int:
    """The score as an int within the competency's own scale (not assumed 1-5)."""
    competency = bank.competency(competency_id)
    scale = bank.scale(competency.scale)
    try:
        value = int(str(score).strip())
    except ValueError:
        raise InputError(f"score '{score}' is not a whole number") from None
    if not scale.min <= value <= scale.max:
        raise InputError(
            f"score {value} is outside the scale of '{competency_id}' ({scale.min}-{scale.max})"
        )
    return value


def check_question(bank: Bank, competency_id: str, question_id: str | None) -> str | None:
    if not question_id:
        return None
    owner, _ = bank.question(question_id)
    if owner.id != competency_id:
        raise InputError(f"question '{question_id}' belongs to '{owner.id}', not '{competency_id}'")
    return question_id


def check_note(note: str | None) -> str | None:
    if note is None or not note.strip():
        return None
    return check_text(note.strip(), "the note", MAX_NOTE_CHARS, multiline=True)


def check_round(bank: Bank, role_id: str | None, round_id: str) -> str:
    round_id = check_name(round_id, "the round")
    if role_id and role_id in bank.roles:
        bank.role(role_id).round(round_id)  # raises NotFoundError listing the rounds
    return round_id


def check_competency_in_role(bank: Bank, role_id: str | None, competency_id: str) -> None:
    bank.competency(competency_id)
    if role_id and role_id in bank.roles:
        role = bank.role(role_id)
        if competency_id not in {item.id for item in role.competencies}:
            raise InputError(f"competency '{competency_id}' is not assessed for role '{role_id}'")


def parse_duration(text: str) -> timedelta:
    """``2d``, ``12h``, ``30m``, ``1w`` -> a timedelta."""
    match = re.fullmatch(r"\s*(\d+)\s*([mhdw])\s*", text)
    if not match:
        raise InputError(f"'{text}' is not a duration (e.g. 2d, 12h, 30m, 1w)")
    amount, unit = int(match[1]), match[2]
    return {
        "m": timedelta(minutes=amount),
        "h": timedelta(hours=amount),
        "d": timedelta(days=amount),
        "w": timedelta(weeks=amount),
    }[unit]


# -- manifests and interviews ------------------------------------------------------------
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


def _interview_id(
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
            round_id = bank.role(role).rounds[0].id if role else DEFAULT_ROUND
        round_id = check_round(bank, role, round_id)
        competencies = data.get("competencies")
        questions = [q["question"] for q in data.get("questions") or []]
        interview = _interview_id(store, found, interviewer, round_id, role)
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


def choose_round(bank: Bank, role: str | None, interviewer: str, rounds: list[str]) -> str:
    """The round a rating without one goes to: the one round this interviewer already has
    with the candidate (``rounds``), else the role's first round, else "interview"."""
    if len(rounds) == 1:
        return str(rounds[0])
    if len(rounds) > 1:
        raise InputError(
            f"{interviewer} has interviews with this candidate in rounds {', '.join(rounds)}: "
            "give the round"
        )
    if role and role in bank.roles:
        return bank.role(role).rounds[0].id
    return DEFAULT_ROUND


def default_round(store: Store, bank: Bank, candidate: Candidate, interviewer: str) -> str:
    rounds = [
        row[0]
        for row in store.all(
            "SELECT round FROM interviews WHERE candidate_id = :cid AND interviewer = :who",
            {"cid": candidate.id, "who": interviewer},
        )
    ]
    return choose_round(bank, candidate.role, interviewer, rounds)


# -- ratings -----------------------------------------------------------------------------
@dataclass(frozen=True)
class ScoreResult:
    action: str  # "created", "updated" or "unchanged"
    candidate_id: int
    round: str
    competency: str
    score: int
    old_score: int | None = None


def set_score(
    store: Store,
    bank: Bank,
    candidate: str | int,
    interviewer: str,
    competency: str,
    score: int | str,
    question: str | None = None,
    note: str | None = None,
    round_id: str | None = None,
) -> ScoreResult:
    """Create or update one rating (candidate, interviewer, round, competency), audited."""
    interviewer = check_name(interviewer, "the interviewer's name")
    value = check_score(bank, competency, score)
    question = check_question(bank, competency, question)
    note = check_note(note)
    with store.write():
        found = find_active_candidate(store, candidate)
        round_ = check_round(
            bank, found.role, round_id or default_round(store, bank, found, interviewer)
        )
        check_competency_in_role(bank, found.role, competency)
        return _write_rating(store, found, interviewer, round_, competency, value, question, note)


def _write_rating(
    store: Store,
    candidate: Candidate,
    interviewer: str,
    round_id: str,
    competency: str,
    score: int,
    question: str | None,
    note: str | None,
) -> ScoreResult:
    interview = _interview_id(store, candidate, interviewer, round_id, candidate.role)
    # PostgreSQL: lock the interview row so two writers of the same rating queue up instead
    # of both inserting (SQLite's BEGIN IMMEDIATE already serialises writers).
    store.one("SELECT id FROM interviews WHERE id = :iid" + store.for_update, {"iid": interview})
    existing = store.one(
        "SELECT id, score, note, question FROM ratings WHERE interview_id = :iid "
        "AND competency = :comp" + store.for_update,
        {"iid": interview, "comp": competency},
    )
    now = now_iso()
    audit = {
        "at": now,
        "actor": interviewer,
        "cid": candidate.id,
        "iid": interview,
        "round": round_id,
        "comp": competency,
        "new": str(score),
    }
    if existing is None:
        store.execute(
            "INSERT INTO ratings (interview_id, competency, question, score, note, created, "
            "updated) VALUES (:iid, :comp, :question, :score, :note, :now, :now)",
            {
                "iid": interview,
                "comp": competency,
                "question": question,
                "score": score,
                "note": note,
                "now": now,
            },
        )
        action, old = "created", None
    else:
        old = int(existing[1])
        if (old, existing[2], existing[3]) == (score, note, question):
            return ScoreResult("unchanged", candidate.id, round_id, competency, score, old)
        store.execute(
            "UPDATE ratings SET score = :score, note = :note, question = :question, "
            "updated = :now WHERE id = :id",
            {"id": existing[0], "score": score, "note": note, "question": question, "now": now},
        )
        action = "updated"
    store.execute(
        "INSERT INTO audit (at, actor, action, candidate_id, interview_id, round, competency, "
        "old_value, new_value) VALUES (:at, :actor, :action, :cid, :iid, :round, :comp, "
        ":old, :new)",
        {
            **audit,
            "action": {"created": "rating.create", "updated": "rating.update"}[action],
            "old": None if old is None else str(old),
        },
    )
    return ScoreResult(action, candidate.id, round_id, competency, score, old)


def delete_score(
    store: Store,
    candidate: str | int,
    interviewer: str,
    competency: str,
    round_id: str,
    actor: str | None = None,
) -> int:
    """Delete one rating (audited with its old score); returns the old score."""
    with store.write():
        found = find_candidate(store, candidate)
        row = store.one(
            "SELECT r.id, r.score, i.id FROM ratings r JOIN interviews i ON i.id = r.interview_id "
            "WHERE i.candidate_id = :cid AND i.interviewer = :who AND i.round = :round "
            "AND r.competency = :comp" + store.for_update,
            {"cid": found.id, "who": interviewer, "round": round_id, "comp": competency},
        )
        if row is None:
            raise NotFoundError(
                f"{interviewer} has no '{competency}' score for this candidate in round {round_id}"
            )
        store.execute("DELETE FROM ratings WHERE id = :id", {"id": row[0]})
        store.execute(
            "INSERT INTO audit (at, actor, action, candidate_id, interview_id, round, competency, "
            "old_value) VALUES (:at, :actor, 'rating.delete', :cid, :iid, :round, :comp, :old)",
            {
                "at": now_iso(),
                "actor": actor or interviewer,
                "cid": found.id,
                "iid": row[2],
                "round": round_id,
                "comp": competency,
                "old": str(row[1]),
            },
        )
    return int(row[1])


def set_recommendation(
    store: Store, bank: Bank, candidate: str | int, interviewer: str, round_id: str, decision: str
) -> str:
    """Record the interviewer's overall recommendation for the round, audited."""
    interviewer = check_name(interviewer, "the interviewer's name")
    if decision not in DECISIONS:
        raise InputError(f"decision '{decision}' is not one of {', '.join(DECISIONS)}")
    with store.write():
        found = find_active_candidate(store, candidate)
        round_ = check_round(bank, found.role, round_id)
        interview = _interview_id(store, found, interviewer, round_, found.role)
        old = store.one(
            "SELECT decision FROM recommendations WHERE interview_id = :iid" + store.for_update,
            {"iid": interview},
        )
        if old is not None and old[0] == decision:
            return decision
        now = now_iso()
        store.execute(
            "INSERT INTO recommendations (interview_id, decision, created, updated) "
            "VALUES (:iid, :decision, :now, :now) ON CONFLICT (interview_id) DO UPDATE "
            "SET decision = :decision, updated = :now",
            {"iid": interview, "decision": decision, "now": now},
        )
        store.execute(
            "INSERT INTO audit (at, actor, action, candidate_id, interview_id, round, old_value, "
            "new_value) VALUES (:at, :actor, 'recommendation.set', :cid, :iid, :round, :old, :new)",
            {
                "at": now,
                "actor": interviewer,
                "cid": found.id,
                "iid": interview,
                "round": round_,
                "old": old[0] if old else None,
                "new": decision,
            },
        )
    return decision


def set_consensus(
    store: Store,
    bank: Bank,
    candidate: str | int,
    round_id: str,
    competency: str,
    score: int | str,
    note: str,
    decided_by: str = "panel",
) -> ScoreResult:
    """The panel's agreed score, allowed once every panel member has rated the competency.

    The panel: every interviewer with an interview or rating for the candidate and round.
    """
    value = check_score(bank, competency, score)
    note_text = check_note(note)
    if not note_text:
        raise InputError("a consensus score needs a note saying why (--note)")
    decided_by = check_name(decided_by, "the name of who decided")
    with store.write():
        found = find_active_candidate(store, candidate)
        store.one("SELECT id FROM candidates WHERE id = :cid" + store.for_update,
                  {"cid": found.id})
        panel = store.all(
            "SELECT i.interviewer, r.score FROM interviews i LEFT JOIN ratings r "
            "ON r.interview_id = i.id AND r.competency = :comp "
            "WHERE i.candidate_id = :cid AND i.round = :round ORDER BY i.interviewer",
            {"cid": found.id, "round": round_id, "comp": competency},
        )
        if not panel:
            raise InputError(f"nobody has interviewed this candidate in round '{round_id}'")
        waiting = [row[0] for row in panel if row[1] is None]
        if waiting:
            raise InputError(
                f"not every panel member has rated '{competency}' yet: waiting for "
                + ", ".join(waiting)
            )
        old = store.one(
            "SELECT score FROM consensus WHERE candidate_id = :cid AND round = :round "
            "AND competency = :comp" + store.for_update,
            {"cid": found.id, "round": round_id, "comp": competency},
        )
        now = now_iso()
        store.execute(
            "INSERT INTO consensus (candidate_id, round, competency, score, note, decided_by, "
            "created, updated) VALUES (:cid, :round, :comp, :score, :note, :by, :now, :now) "
            "ON CONFLICT (candidate_id, round, competency) DO UPDATE SET score = :score, "
            "note = :note, decided_by = :by, updated = :now",
            {
                "cid": found.id,
                "round": round_id,
                "comp": competency,
                "score": value,
                "note": note_text,
                "by": decided_by,
                "now": now,
            },
        )
        store.execute(
            "INSERT INTO audit (at, actor, action, candidate_id, round, competency, old_value, "
            "new_value) VALUES (:at, :actor, 'consensus.set', :cid, :round, :comp, :old, :new)",
            {
                "at": now,
                "actor": decided_by,
                "cid": found.id,
                "round": round_id,
                "comp": competency,
                "old": None if old is None else str(old[0]),
                "new": str(value),
            },
        )
    return ScoreResult(
        "created" if old is None else "updated",
        found.id,
        round_id,
        competency,
        value,
        None if old is None else int(old[0]),
    )


# -- reading -----------------------------------------------------------------------------
@dataclass
class ScoreListing:
    candidate: Candidate
    rows: list[dict[str, Any]]
    hidden: dict[str, int] = field(default_factory=dict)  # round -> scores withheld


def list_scores(
    store: Store, candidate: str | int, as_interviewer: str | None = None
) -> ScoreListing:
    """A candidate's scores. ``as_interviewer`` sees other interviewers' scores of a round
    only once they have entered their own for that round (rate before you hear others)."""
    with store.read():
        found = find_candidate(store, candidate)
        rows = store.all(
            "SELECT i.round, i.interviewer, r.competency, r.question, r.score, r.note, r.updated "
            "FROM ratings r JOIN interviews i ON i.id = r.interview_id "
            "WHERE i.candidate_id = :cid ORDER BY i.round, r.competency, i.interviewer",
            {"cid": found.id},
        )
    listing = ScoreListing(found, [])
    rated_rounds = {row[0] for row in rows if row[1] == as_interviewer}
    for row in rows:
        if as_interviewer is not None and row[1] != as_interviewer and row[0] not in rated_rounds:
            listing.hidden[row[0]] = listing.hidden.get(row[0], 0) + 1
            continue
        listing.rows.append(
            dict(
                zip(
                    ("round", "interviewer", "competency", "question", "score", "note", "updated"),
                    row,
                    strict=True,
                )
            )
        )
    return listing


def expected_competencies(
    bank: Bank, role: str | None, round_id: str, manifest_competencies: str | None
) -> list[str] | None:
    """What a complete scorecard rates (``Role.scorecard_competencies``), from the stored
    manifest list (JSON) when the interview has one."""
    listed = list(json.loads(manifest_competencies)) if manifest_competencies else None
    if role and role in bank.roles:
        return bank.role(role).scorecard_competencies(round_id, listed)
    return listed


def pending_scorecards(
    store: Store, bank: Bank, older_than: timedelta | None = None, now: datetime | None = None
) -> list[dict[str, Any]]:
    """Interviews whose scorecard is missing or partial, oldest first."""
    with store.read():
        interviews = store.all(
            "SELECT i.id, c.id, c.name, i.interviewer, i.role, i.round, i.date, i.competencies, "
            "(SELECT decision FROM recommendations d WHERE d.interview_id = i.id) "
            "FROM interviews i JOIN candidates c ON c.id = i.candidate_id "
            "WHERE c.status <> 'erased' ORDER BY i.date, i.id"
        )
        rated: dict[int, set[str]] = {}
        for interview_id, competency in store.all("SELECT interview_id, competency FROM ratings"):
            rated.setdefault(int(interview_id), set()).add(competency)
    cutoff = None
    if older_than is not None:
        cutoff = (now or datetime.now(UTC)) - older_than
    pending: list[dict[str, Any]] = []
    for iid, cid, name, who, role, round_id, date, comps, decision in interviews:
        if cutoff is not None and _as_utc(date) > cutoff:
            continue
        done = rated.get(int(iid), set())
        expected = expected_competencies(bank, role, round_id, comps)
        missing = [c for c in expected if c not in done] if expected is not None else []
        if expected is None and not done:
            missing = ["(no scores yet)"]
        if not missing and decision is not None:
            continue
        pending.append(
            {
                "interview_id": int(iid),
                "candidate_id": int(cid),
                "candidate": name,
                "interviewer": who,
                "role": role,
                "round": round_id,
                "date": date,
                "missing_scores": missing,
                "missing_recommendation": decision is None,
            }
        )
    return pending


def _as_utc(text: str) -> datetime:
    moment = datetime.fromisoformat(text)
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


@dataclass
class ScorecardPlan:
    """What ``score enter`` walks: the round's competencies and what is already entered."""

    candidate: Candidate
    interviewer: str
    round: str
    language: str
    competencies: list[str]
    entered: dict[str, int]
    recommendation: str | None


def scorecard_plan(
    store: Store,
    bank: Bank,
    candidate: str | int,
    interviewer: str,
    round_id: str | None = None,
    manifest: Path | None = None,
    language: str | None = None,
) -> ScorecardPlan:
    """The competencies to rate (the manifest's, else the round's) and those already rated.

    With a manifest the interview is recorded from it first, so ``score pending`` knows
    exactly what this scorecard needs.
    """
    interviewer = check_name(interviewer, "the interviewer's name")
    data = read_manifest(manifest) if manifest is not None else None
    if data is not None:
        record_interview(store, bank, candidate, interviewer, round_id=round_id, manifest=data)
        round_id = round_id or data["round"]
    with store.write():
        found = find_active_candidate(store, candidate)
        round_ = check_round(
            bank, found.role, round_id or default_round(store, bank, found, interviewer)
        )
        interview = _interview_id(store, found, interviewer, round_, found.role)
        stored = store.one(
            "SELECT competencies, language FROM interviews WHERE id = :id", {"id": interview}
        )
        assert stored is not None
        expected = expected_competencies(bank, found.role, round_, stored[0])
        entered = {
            row[0]: int(row[1])
            for row in store.all(
                "SELECT competency, score FROM ratings WHERE interview_id = :id", {"id": interview}
            )
        }
        decision = store.one(
            "SELECT decision FROM recommendations WHERE interview_id = :id", {"id": interview}
        )
        if expected is None:  # raised inside the transaction, so the interview is not kept
            raise InputError(
                f"cannot tell which competencies round '{round_}' rates (candidate has no role "
                "in the bank): give --manifest, or use 'hiring score set'"
            )
    for competency in expected:
        bank.competency(competency)
    return ScorecardPlan(
        found,
        interviewer,
        round_,
        language or stored[1] or "en",
        expected,
        entered,
        decision[0] if decision else None,
    )
