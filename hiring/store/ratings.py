"""Ratings: set, delete, list, every change audited (the panel's consensus scores:
``hiring.store.consensus``)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from hiring.errors import InputError, NotFoundError
from hiring.store.audit import record_audit
from hiring.store.candidates import (
    Candidate,
    find_active_candidate,
    find_candidate,
)
from hiring.store.db import Store, now_iso
from hiring.store.interviews import check_round, default_round, interview_id
from hiring.store.team import (
    PermissionDenied,
    current_viewer,
    rating_groups,
    require_scorecard_writer,
    scorecard_writer,
    visible_interviews_sql,
)
from hiring.user_text import MAX_NOTE_CHARS, check_name, check_text

if TYPE_CHECKING:
    from hiring.bank.models import Bank


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


def check_competency_in_round(
    bank: Bank, role_id: str | None, round_id: str, competency_id: str
) -> None:
    """Refuse a competency the role does not assess, or the round does not rate (naming the
    round's competencies). A round the bank no longer has, or a candidate without a role in
    the bank, cannot be checked beyond the competency existing."""
    bank.competency(competency_id)
    if not role_id or role_id not in bank.roles:
        return
    role = bank.role(role_id)
    if competency_id not in {item.id for item in role.competencies}:
        raise InputError(f"competency '{competency_id}' is not assessed for role '{role_id}'")
    if role.has_round(round_id):
        rated = role.competencies_of(round_id)
        if competency_id not in rated:
            raise InputError(
                f"round '{round_id}' of {role_id} does not rate '{competency_id}' "
                f"(it rates: {', '.join(rated)})"
            )


@dataclass(frozen=True)
class ScoreResult:
    action: str  # "created", "updated" or "unchanged"
    candidate_id: int
    round: str
    competency: str
    score: int
    old_score: int | None = None
    note_kept: bool = False  # an update without a note kept the stored one
    note_changed: bool = False


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
    """Create or update one rating (candidate, interviewer, round, competency), audited.

    Evidence is kept: ``note=None`` (no ``--note``) keeps the stored note and
    ``question=None`` the stored question; ``note=""`` clears the note. Every change of
    score, note or question is audited with its old and new value.
    """
    interviewer = check_name(interviewer, "the interviewer's name")
    value = check_score(bank, competency, score)
    keep_question, keep_note = question is None, note is None
    question = check_question(bank, competency, question)
    note = check_note(note)
    with store.write():
        interviewer = scorecard_writer(store, interviewer)
        found = find_active_candidate(store, candidate)
        round_ = check_round(
            bank, found.role, round_id or default_round(store, bank, found, interviewer)
        )
        check_competency_in_round(bank, found.role, round_, competency)
        return _write_rating(
            store, found, interviewer, round_, competency, value,
            RatingText(question, note, keep_question, keep_note),
        )


@dataclass(frozen=True)
class RatingText:
    """The question and evidence note a write brings; ``keep_*``: not given, keep stored."""

    question: str | None
    note: str | None
    keep_question: bool = False
    keep_note: bool = False

    def resolve(self, stored_question: str | None, stored_note: str | None) -> tuple[
        str | None, str | None
    ]:
        return (
            stored_question if self.keep_question else self.question,
            stored_note if self.keep_note else self.note,
        )


def rating_changes(
    old: tuple[int, str | None, str | None] | None, new: tuple[int, str | None, str | None]
) -> list[tuple[str, str | None, str | None]]:
    """The audit entries (action, old value, new value) for writing ``new`` (score, note,
    question) over ``old`` (None: a new rating). A new rating is one ``rating.create``;
    an update audits each of score, note and question that changed."""
    if old is None:
        return [("rating.create", None, str(new[0]))]
    changes: list[tuple[str, str | None, str | None]] = []
    if old[0] != new[0]:
        changes.append(("rating.update", str(old[0]), str(new[0])))
    if old[1] != new[1]:
        changes.append(("rating.note", old[1], new[1]))
    if old[2] != new[2]:
        changes.append(("rating.question", old[2], new[2]))
    return changes


def _write_rating(
    store: Store,
    candidate: Candidate,
    interviewer: str,
    round_id: str,
    competency: str,
    score: int,
    text: RatingText,
) -> ScoreResult:
    interview = interview_id(store, candidate, interviewer, round_id, candidate.role)
    # PostgreSQL: lock the interview row so two writers of the same rating queue up instead
    # of both inserting (SQLite's BEGIN IMMEDIATE already serialises writers).
    store.one("SELECT id FROM interviews WHERE id = :iid" + store.for_update, {"iid": interview})
    existing = store.one(
        "SELECT id, score, note, question FROM ratings WHERE interview_id = :iid "
        "AND competency = :comp" + store.for_update,
        {"iid": interview, "comp": competency},
    )
    now = now_iso()
    if existing is None:
        question, note = text.question, text.note
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
        changes = rating_changes(None, (score, note, question))
        old = None
    else:
        old = int(existing[1])
        question, note = text.resolve(existing[3], existing[2])
        changes = rating_changes((old, existing[2], existing[3]), (score, note, question))
        if not changes:
            return ScoreResult("unchanged", candidate.id, round_id, competency, score, old)
        store.execute(
            "UPDATE ratings SET score = :score, note = :note, question = :question, "
            "updated = :now WHERE id = :id",
            {"id": existing[0], "score": score, "note": note, "question": question, "now": now},
        )
    for action, old_value, new_value in changes:
        record_audit(
            store,
            action,
            interviewer,
            candidate.id,
            interview_id=interview,
            round_id=round_id,
            competency=competency,
            old=old_value,
            new=new_value,
            at=now,
        )
    mark_change_after_submission(
        store, candidate.id, interviewer, interview, round_id, competency, now
    )
    return ScoreResult(
        "created" if existing is None else "updated",
        candidate.id,
        round_id,
        competency,
        score,
        old,
        note_kept=existing is not None and text.keep_note and existing[2] is not None,
        note_changed=any(action == "rating.note" for action, _, _ in changes),
    )


LATE_CHANGES = ("after-submission", "after-seeing-others")


def mark_change_after_submission(
    store: Store,
    candidate_id: int,
    interviewer: str,
    interview: int,
    round_id: str,
    competency: str | None,
    now: str,
) -> str | None:
    """After a change to a scorecard: if it was already submitted, mark the rating (the
    recommendation when ``competency`` is None) and audit ``scorecard.change``, saying
    whether others had rated the candidate in the round by then (so the interviewer could
    have seen them). Returns the mark, or None for a draft."""
    row = store.one("SELECT submitted FROM interviews WHERE id = :id", {"id": interview})
    if row is None or row[0] is None:
        return None
    others = store.one(
        "SELECT COUNT(*) FROM ratings r JOIN interviews i ON i.id = r.interview_id "
        "WHERE i.candidate_id = :cid AND i.round = :round AND i.id <> :iid",
        {"cid": candidate_id, "round": round_id, "iid": interview},
    )
    mark = LATE_CHANGES[1] if others and int(others[0]) else LATE_CHANGES[0]
    if competency is not None:
        # 'after-seeing-others' is never downgraded by a later change.
        store.execute(
            "UPDATE ratings SET changed_after_submission = :mark WHERE interview_id = :iid "
            "AND competency = :comp AND (changed_after_submission IS NULL "
            "OR changed_after_submission <> :seen)",
            {"mark": mark, "iid": interview, "comp": competency, "seen": LATE_CHANGES[1]},
        )
    record_audit(
        store, "scorecard.change", interviewer, candidate_id, interview_id=interview,
        round_id=round_id, competency=competency, new=mark, at=now,
    )
    return mark


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
        require_scorecard_writer(store, interviewer)
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
        record_audit(
            store,
            "rating.delete",
            actor or interviewer,
            found.id,
            interview_id=row[2],
            round_id=round_id,
            competency=competency,
            old=str(row[1]),
        )
        # A deletion from a submitted scorecard is a change after submission too.
        mark_change_after_submission(
            store, found.id, actor or interviewer, row[2], round_id, competency, now_iso()
        )
    return int(row[1])


@dataclass
class ScoreListing:
    candidate: Candidate
    rows: list[dict[str, Any]]
    hidden: dict[str, int] = field(default_factory=dict)  # round -> scores withheld
    recommendations: list[dict[str, Any]] = field(default_factory=list)
    consensus: list[dict[str, Any]] = field(default_factory=list)
    hidden_recommendations: dict[str, int] = field(default_factory=dict)


def list_scores(
    store: Store, candidate: str | int, as_interviewer: str | None = None
) -> ScoreListing:
    """A candidate's scores. ``as_interviewer`` sees other interviewers' scores and notes
    of a round only once their own scorecard of that round is submitted (rate before you
    hear others).

    With a team roster the user running the command is the viewer, whatever ``as``
    says: only what they may read is listed (``visible_interviews_sql``), and the rest is
    counted in ``hidden`` per round."""
    with store.read():
        viewer = current_viewer(store)
        if not viewer.admin:
            if as_interviewer is not None and (
                    viewer.name is None or as_interviewer.casefold() != viewer.name.casefold()):
                raise PermissionDenied(
                    f"--as '{as_interviewer}': you are {viewer.name or viewer.login} on the "
                    "team roster, and the list shows what you may see (leave out --as)")
            as_interviewer = None  # the SQL condition applies the rule
        found = find_candidate(store, candidate)
        visible, visible_params = visible_interviews_sql(store, "i")
        rows = store.all(
            "SELECT i.round, i.interviewer, r.competency, r.question, r.score, r.note, r.updated, "
            "i.submitted, r.changed_after_submission "
            "FROM ratings r JOIN interviews i ON i.id = r.interview_id "
            f"WHERE i.candidate_id = :cid AND {visible} "
            "ORDER BY i.round, r.competency, i.interviewer",
            {"cid": found.id, **visible_params},
        )
        hidden_by_round: dict[str, int] = {}
        if not viewer.admin:
            for _, _, round_name, _, cid, seen, n in rating_groups(store):
                if int(cid) == found.id and not int(seen):
                    hidden_by_round[round_name] = hidden_by_round.get(round_name, 0) + int(n)
        open_rounds_of_viewer = {
            row[0] for row in store.all(
                "SELECT round FROM interviews WHERE candidate_id = :cid AND interviewer = :who "
                "AND submitted IS NULL AND cancelled IS NULL",
                {"cid": found.id, "who": viewer.name})
        } if not viewer.admin else set()
        submitted_rounds = {
            row[0]
            for row in store.all(
                "SELECT round FROM interviews WHERE candidate_id = :cid AND interviewer = :who "
                "AND submitted IS NOT NULL",
                {"cid": found.id, "who": as_interviewer},
            )
        } if as_interviewer is not None else set()
        decisions = store.all(
            "SELECT i.round, i.interviewer, d.decision, d.updated, i.submitted "
            "FROM recommendations d JOIN interviews i ON i.id = d.interview_id "
            f"WHERE i.candidate_id = :cid AND {visible} ORDER BY i.round, i.interviewer",
            {"cid": found.id, **visible_params},
        )
        agreed = store.all(
            "SELECT round, competency, score, note, decided_by, updated FROM consensus "
            "WHERE candidate_id = :cid ORDER BY round, competency",
            {"cid": found.id},
        )
    listing = ScoreListing(found, [], hidden=dict(hidden_by_round))
    for round_name, who, decision, updated, submitted in decisions:
        if as_interviewer is not None and who != as_interviewer and (
            round_name not in submitted_rounds
        ):
            listing.hidden_recommendations[round_name] = (
                listing.hidden_recommendations.get(round_name, 0) + 1
            )
            continue
        listing.recommendations.append({
            "round": round_name, "interviewer": who, "decision": decision, "updated": updated,
            "state": "submitted" if submitted else "draft",
        })
    for round_name, competency, score, note, by, updated in agreed:
        # The panel's agreed score is others' view too: shown once one's own is submitted.
        if (as_interviewer is not None and round_name not in submitted_rounds) or (
                round_name in open_rounds_of_viewer):
            listing.hidden[round_name] = listing.hidden.get(round_name, 0) + 1
            continue
        listing.consensus.append({
            "round": round_name, "competency": competency, "score": int(score), "note": note,
            "decided_by": by, "updated": updated,
        })
    for row in rows:
        if as_interviewer is not None and row[1] != as_interviewer and (
            row[0] not in submitted_rounds
        ):
            listing.hidden[row[0]] = listing.hidden.get(row[0], 0) + 1
            continue
        listing.rows.append(
            {
                **dict(
                    zip(
                        ("round", "interviewer", "competency", "question", "score", "note",
                         "updated"),
                        row[:7],
                        strict=True,
                    )
                ),
                "state": "submitted" if row[7] else "draft",
                "changed_after_submission": row[8],
            }
        )
    return listing
