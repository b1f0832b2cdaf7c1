"""E-mail reminders about scorecards not yet submitted: which are due, and what was sent.

The schedule (``hiring score remind``): the first reminder once the interview has ended
and ``first_after`` has passed (default 1 hour), then at most one a day while the
scorecard is not submitted, for ``days`` days after the first was due (default 10, as
Greenhouse chases for up to 10 business days). A day is this machine's calendar day.

Never two reminders for one scorecard on one day, even when two runs overlap: a reminder
is claimed first (a row, UNIQUE per interview and day), then sent, then marked sent
(audited as ``reminder.send``); a claim whose message failed is released, so the next run
tries again. A claim left behind by a run that died is released after an hour.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

from hiring.store.audit import record_audit
from hiring.store.db import Store, now_iso
from hiring.store.schedule import as_utc, interview_end

if TYPE_CHECKING:
    from hiring.bank.models import Bank

FIRST_AFTER = timedelta(hours=1)
DAYS = 10
STALE_CLAIM = timedelta(hours=1)
ACTOR = "hiring score remind"


@dataclass
class DueScorecard:
    interview_id: int
    candidate_id: int
    candidate: str
    interviewer: str
    role: str | None
    round: str
    language: str
    starts: datetime
    missing_scores: list[str]
    missing_recommendation: bool
    reminders_sent: int  # before this one
    kit: Path | None = None


@dataclass
class InterviewerReminder:
    """One e-mail: an interviewer's scorecards due a reminder today."""

    interviewer: str
    address: str | None
    language: str
    scorecards: list[DueScorecard] = field(default_factory=list)


def local_day(moment: datetime) -> date:
    return moment.astimezone().date()


def due_reminders(
    store: Store,
    bank: Bank,
    now: datetime,
    first_after: timedelta = FIRST_AFTER,
    days: int = DAYS,
) -> list[InterviewerReminder]:
    """Per interviewer (by name), the scorecards a reminder is due for at ``now``."""
    from hiring.store.candidate_files import guides_by_interview
    from hiring.store.scorecards import pending_scorecards
    from hiring.store.team import member_email

    pending = {item["interview_id"]: item for item in pending_scorecards(store, bank)}
    today = local_day(now).isoformat()
    with store.read():
        rows = store.all(
            "SELECT i.id, i.starts, i.date, i.minutes, i.language, i.email FROM interviews i "
            "WHERE i.submitted IS NULL AND i.cancelled IS NULL"
        )
        sent: dict[int, list[str]] = {}
        for iid, day in store.all("SELECT interview_id, day FROM reminders ORDER BY day"):
            sent.setdefault(int(iid), []).append(str(day))
        addresses: dict[str, str] = {}
        for who, email in store.all(
            "SELECT interviewer, email FROM interviews WHERE email IS NOT NULL ORDER BY id"
        ):
            addresses[str(who)] = str(email)  # the latest given for that interviewer
        kits = guides_by_interview(store)
        by_interviewer: dict[str, InterviewerReminder] = {}
        for iid, starts, day_only, minutes, language, email in rows:
            item = pending.get(int(iid))
            if item is None:
                continue  # an erased candidate's
            moment = as_utc(starts or day_only)
            first_due = interview_end(moment, minutes) + first_after
            if now < first_due or now > first_due + timedelta(days=days):
                continue
            days_sent = sent.get(int(iid), [])
            if today in days_sent or len(days_sent) >= days:
                continue
            who = item["interviewer"]
            reminder = by_interviewer.get(who)
            if reminder is None:
                address = member_email(store, who) or email or addresses.get(who)
                reminder = by_interviewer[who] = InterviewerReminder(who, address, "en")
            elif reminder.address is None:
                reminder.address = email
            reminder.scorecards.append(DueScorecard(
                int(iid), item["candidate_id"], item["candidate"], who, item["role"],
                item["round"], language or "en", moment, list(item["missing_scores"]),
                bool(item["missing_recommendation"]), len(days_sent),
                kits.get((item["candidate_id"], who, item["round"])),
            ))
    for reminder in by_interviewer.values():
        languages = [card.language for card in reminder.scorecards]
        reminder.language = max(languages, key=languages.count)  # their usual language
    return sorted(by_interviewer.values(), key=lambda r: r.interviewer)


def claim_reminders(store: Store, interview_ids: list[int], day: date, address: str) -> list[int]:
    """Claim today's reminder for each scorecard; returns the interview ids claimed (one
    another run claimed first is left out: it is that run's to send)."""
    claimed = []
    now = now_iso()
    stale = (datetime.fromisoformat(now) - STALE_CLAIM).isoformat(timespec="microseconds")
    with store.write():
        store.execute("DELETE FROM reminders WHERE sent IS NULL AND created < :stale",
                      {"stale": stale})
        for iid in interview_ids:
            row = store.one(
                "INSERT INTO reminders (interview_id, day, address, created) "
                "VALUES (:iid, :day, :address, :now) "
                "ON CONFLICT (interview_id, day) DO NOTHING RETURNING id",
                {"iid": iid, "day": day.isoformat(), "address": address, "now": now},
            )
            if row is not None:
                claimed.append(iid)
    return claimed


def mark_reminded(store: Store, cards: list[DueScorecard], day: date, address: str) -> None:
    """The claimed reminders were sent: mark them and audit each."""
    now = now_iso()
    with store.write():
        for card in cards:
            store.execute(
                "UPDATE reminders SET sent = :now WHERE interview_id = :iid AND day = :day",
                {"now": now, "iid": card.interview_id, "day": day.isoformat()},
            )
            record_audit(store, "reminder.send", ACTOR, card.candidate_id,
                         interview_id=card.interview_id, round_id=card.round,
                         new=f"to {address}", at=now)


def release_reminders(store: Store, interview_ids: list[int], day: date) -> None:
    """The message failed: the claims go, so the next run tries again."""
    with store.write():
        for iid in interview_ids:
            store.execute(
                "DELETE FROM reminders WHERE interview_id = :iid AND day = :day AND sent IS NULL",
                {"iid": iid, "day": day.isoformat()},
            )
