"""The panel's consensus score of a competency, once every panel member has rated it and
submitted their scorecard; audited."""

from __future__ import annotations

from typing import TYPE_CHECKING

from hiring.errors import InputError
from hiring.store.audit import record_audit
from hiring.store.candidates import find_active_candidate
from hiring.store.db import Store, now_iso
from hiring.store.ratings import ScoreResult, check_note, check_score
from hiring.store.team import require
from hiring.user_text import check_name

if TYPE_CHECKING:
    from hiring.bank.models import Bank


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
    """The panel's agreed score, allowed once every panel member has rated the competency
    and submitted their scorecard: the discussion comes after the independent ratings are
    final, so none of them can still move towards the others unmarked.

    The panel: every interviewer with an interview (not cancelled) for the candidate and round.
    """
    value = check_score(bank, competency, score)
    note_text = check_note(note)
    if not note_text:
        raise InputError("a consensus score needs a note saying why (--note)")
    decided_by = check_name(decided_by, "the name of who decided")
    with store.write():
        member = require(store, "consensus.write")
        if member is not None and decided_by == "panel":
            decided_by = member.name
        found = find_active_candidate(store, candidate)
        store.one("SELECT id FROM candidates WHERE id = :cid" + store.for_update,
                  {"cid": found.id})
        panel = store.all(
            "SELECT i.interviewer, r.score, i.submitted FROM interviews i LEFT JOIN ratings r "
            "ON r.interview_id = i.id AND r.competency = :comp "
            "WHERE i.candidate_id = :cid AND i.round = :round AND i.cancelled IS NULL "
            "ORDER BY i.interviewer",
            {"cid": found.id, "round": round_id, "comp": competency},
        )
        if not panel:
            raise InputError(f"nobody has interviewed this candidate in round '{round_id}'")
        unrated = [row[0] for row in panel if row[1] is None]
        drafts = [row[0] for row in panel if row[1] is not None and row[2] is None]
        if unrated or drafts:
            waiting = [f"{who} (not rated)" for who in unrated]
            waiting += [f"{who} (scorecard not submitted)" for who in drafts]
            raise InputError(
                f"not every panel member has rated '{competency}' and submitted their "
                f"scorecard yet: waiting for {', '.join(waiting)}"
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
        record_audit(
            store,
            "consensus.set",
            decided_by,
            found.id,
            round_id=round_id,
            competency=competency,
            old=None if old is None else str(old[0]),
            new=str(value),
            at=now,
        )
    return ScoreResult(
        "created" if old is None else "updated",
        found.id,
        round_id,
        competency,
        value,
        None if old is None else int(old[0]),
    )
