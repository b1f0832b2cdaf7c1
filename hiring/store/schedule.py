"""When and where an interview happens, and the calendar invitation that says so.

``interview add --at`` gives an interview its start (stored as UTC ISO text), length,
place and the interviewer's e-mail address. Its invitation has a UID fixed at the first
schedule and a SEQUENCE that grows whenever the time, length or place changes, so a
calendar replaces the event instead of adding a second one (RFC 5545, 3.8.7.4).
"""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any

from hiring.errors import InputError
from hiring.store.audit import record_audit
from hiring.store.db import Store
from hiring.user_text import check_name, check_text

if TYPE_CHECKING:
    from hiring.bank.models import Bank

DEFAULT_MINUTES = 60
MAX_MINUTES = 8 * 60
MAX_PLACE_CHARS = 300
# A plain address: no display name, no spaces or control characters, one @, a dot in the
# domain. Anything cleverer is the mail server's job; this catches typos and injection.
_ADDRESS = re.compile(r"[^@\s<>,;\"'()\[\]\\]+@[^@\s<>,;\"'()\[\]\\]+\.[^@\s<>,;\"'()\[\]\\]+")


def check_address(address: str, what: str = "the e-mail address") -> str:
    """A single plain e-mail address (``ann@example.com``), or refused."""
    text = address.strip()
    if len(text) > 254 or not _ADDRESS.fullmatch(text):
        raise InputError(f"{what} '{address}' is not an e-mail address like ann@example.com")
    return text


def parse_start(text: str, now: datetime | None = None) -> datetime:
    """``2026-12-08T10:00`` (this machine's local time) or with an offset -> aware UTC."""
    try:
        moment = datetime.fromisoformat(text.strip())
    except ValueError:
        raise InputError(
            f"'{text}' is not a time like 2026-12-08T10:00 (local time) or "
            "2026-12-08T10:00+01:00"
        ) from None
    if moment.tzinfo is None:
        moment = moment.astimezone()  # the machine's own time zone
    return moment.astimezone(UTC)


def check_minutes(minutes: int) -> int:
    if not 1 <= minutes <= MAX_MINUTES:
        raise InputError(f"--minutes {minutes} is not a length from 1 to {MAX_MINUTES}")
    return minutes


@dataclass(frozen=True)
class Schedule:
    interview_id: int
    starts: datetime
    minutes: int
    place: str | None
    email: str | None
    uid: str
    sequence: int
    changed: bool  # the time, length or place moved (an invitation update is due)


def schedule_interview(
    store: Store,
    interview_id: int,
    starts: datetime,
    minutes: int | None = None,
    place: str | None = None,
    email: str | None = None,
    actor: str = "hiring interview add",
) -> Schedule:
    """Give an interview its time (and length, place, address); a change of time, length
    or place raises the invitation's SEQUENCE. Audited as ``interview.schedule``."""
    if minutes is not None:
        check_minutes(minutes)
    if place is not None:
        place = check_text(check_name(place, "the place"), "the place", MAX_PLACE_CHARS) or None
    if email is not None:
        email = check_address(email)
    with store.write():
        row = store.one(
            "SELECT candidate_id, round, starts, minutes, place, email, invite_uid, "
            "invite_sequence FROM interviews WHERE id = :id" + store.for_update,
            {"id": interview_id},
        )
        assert row is not None
        cid, round_id, old_starts, old_minutes, old_place, old_email, uid, sequence = row
        new_starts = starts.astimezone(UTC).isoformat(timespec="seconds")
        new_minutes = minutes or old_minutes or DEFAULT_MINUTES
        new_place = place if place is not None else old_place
        moved = uid is not None and (old_starts, old_minutes, old_place) != (
            new_starts, new_minutes, new_place
        )
        uid = uid or f"{uuid.uuid4()}@hiring"
        sequence = (int(sequence) + 1) if moved and sequence is not None else int(sequence or 0)
        store.execute(
            "UPDATE interviews SET starts = :starts, minutes = :minutes, place = :place, "
            "email = COALESCE(:email, email), date = :starts, invite_uid = :uid, "
            "invite_sequence = :sequence WHERE id = :id",
            {"starts": new_starts, "minutes": new_minutes, "place": new_place, "email": email,
             "uid": uid, "sequence": sequence, "id": interview_id},
        )
        if (old_starts, old_minutes, old_place) != (new_starts, new_minutes, new_place):
            record_audit(
                store, "interview.schedule", actor, int(cid), interview_id=interview_id,
                round_id=round_id, old=_when(old_starts, old_minutes, old_place),
                new=_when(new_starts, new_minutes, new_place),
            )
    return Schedule(interview_id, datetime.fromisoformat(new_starts), new_minutes, new_place,
                    email or old_email, uid, sequence, moved)


def _when(starts: str | None, minutes: int | None, place: str | None) -> str | None:
    if starts is None:
        return None
    text = f"{starts[:16].replace('T', ' ')} UTC, {minutes} min"
    return f"{text}, {place}" if place else text


def add_interview(
    store: Store,
    bank: Bank,
    candidate: str | int,
    interviewer: str,
    *,
    role: str | None = None,
    round_id: str | None = None,
    language: str | None = None,
    manifest: Any = None,
    date: str | None = None,
    at: str | None = None,
    minutes: int | None = None,
    place: str | None = None,
    email: str | None = None,
) -> tuple[int, Schedule | None]:
    """``hiring interview add``: record the interview (the roster's spelling of the
    interviewer's name) and, with ``at``, its time, length, place and address. Every value
    is checked before anything is written."""
    from hiring.store.interviews import record_interview
    from hiring.store.team import check_interviewer

    if at is not None and date is not None:
        raise InputError("give the interview's time with --at or its day with --date, not both")
    if at is None and (minutes is not None or place is not None):
        raise InputError("--minutes and --place need the interview's time (--at)")
    starts = parse_start(at) if at is not None else None
    if minutes is not None:
        check_minutes(minutes)
    if email is not None:
        email = check_address(email)
    if place is not None:
        check_text(check_name(place, "the place"), "the place", MAX_PLACE_CHARS)
    interviewer = check_interviewer(store, check_name(interviewer, "the interviewer's name"))
    interview = record_interview(
        store, bank, candidate, interviewer, role, round_id, language, manifest,
        starts.isoformat() if starts is not None else date,
    )
    if starts is None:
        if email is not None:
            with store.write():
                store.execute("UPDATE interviews SET email = :email WHERE id = :id",
                              {"email": email, "id": interview})
        return interview, None
    return interview, schedule_interview(store, interview, starts, minutes, place, email)


def interview_end(starts: datetime, minutes: int | None) -> datetime:
    return starts + timedelta(minutes=minutes or DEFAULT_MINUTES)


def as_utc(text: str) -> datetime:
    moment = datetime.fromisoformat(text)
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


@dataclass
class Invitation:
    """One interviewer's calendar entry for one interview."""

    interview_id: int
    candidate_id: int
    candidate: str
    interviewer: str
    role: str | None
    round: str
    language: str
    starts: datetime
    minutes: int
    place: str | None
    address: str | None
    uid: str
    sequence: int
    sent_sequence: int | None  # None: never sent
    kit: Any = None  # Path of the interviewer's kit, when one was built and is still there

    @property
    def ends(self) -> datetime:
        return interview_end(self.starts, self.minutes)


@dataclass
class InvitationPlan:
    invitations: list[Invitation]
    without_time: int  # interviews with no --at: no invitation
    over: int  # interviews already over


def invitations(store: Store, candidate: str | int | None, now: datetime) -> InvitationPlan:
    """The invitations of every upcoming interview (of one candidate) with a time."""
    from hiring.store.candidate_files import guides_by_interview
    from hiring.store.candidates import find_active_candidate
    from hiring.store.team import member_email

    with store.read():
        where, params = "", {}
        if candidate is not None:
            found = find_active_candidate(store, candidate)
            where, params = " AND i.candidate_id = :cid", {"cid": found.id}
        rows = store.all(
            "SELECT i.id, c.id, c.name, i.interviewer, i.role, i.round, i.language, i.starts, "
            "i.minutes, i.place, i.email, i.invite_uid, i.invite_sequence, "
            "i.invite_sent_sequence FROM interviews i JOIN candidates c ON c.id = i.candidate_id "
            f"WHERE c.status <> 'erased' AND i.cancelled IS NULL{where} ORDER BY i.starts, i.id",
            params,
        )
        kits = guides_by_interview(store)
        plan = InvitationPlan([], 0, 0)
        for (iid, cid, name, who, role, round_id, lang, starts, minutes, place, email, uid,
             sequence, sent) in rows:
            if starts is None or uid is None:
                plan.without_time += 1
                continue
            invitation = Invitation(
                int(iid), int(cid), name, who, role, round_id, lang or "en", as_utc(starts),
                int(minutes or DEFAULT_MINUTES), place, member_email(store, who) or email, uid,
                int(sequence or 0), None if sent is None else int(sent),
                kits.get((int(cid), who, round_id)),
            )
            if invitation.ends <= now:
                plan.over += 1
                continue
            plan.invitations.append(invitation)
    return plan


def mark_invited(store: Store, invitation: Invitation, address: str) -> None:
    """The invitation (at its sequence) was sent: recorded and audited."""
    with store.write():
        store.execute(
            "UPDATE interviews SET invite_sent_sequence = :sequence WHERE id = :id",
            {"sequence": invitation.sequence, "id": invitation.interview_id},
        )
        record_audit(store, "invitation.send", "hiring interview invite",
                     invitation.candidate_id, interview_id=invitation.interview_id,
                     round_id=invitation.round,
                     new=f"sequence {invitation.sequence} to {address}")
