"""Send (or, dry, write as .eml files) the reminders and invitations that are due, and
record what went: ``hiring score remind`` and ``hiring interview invite`` call these.

Everything is checked before the first message: the SMTP settings, the output folder.
Each message's failure is one line and the others still go; what went is recorded at
once (a run that dies half-way keeps the record of what it sent).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

from hiring.errors import InputError

if TYPE_CHECKING:
    from hiring.mail.smtp import SmtpSettings
    from hiring.store.db import Store


@dataclass
class Outcome:
    sent: list[str] = field(default_factory=list)  # one line per message that went
    written: list[Path] = field(default_factory=list)  # .eml / .ics files
    failures: list[str] = field(default_factory=list)  # one line each
    not_sent: int = 0  # messages not tried after the settings failed


def _eml_name(*parts: str) -> str:
    from hiring.guides.batch_rows import file_stem

    return "-".join(file_stem(part) for part in parts if part)


def _write(path: Path, data: bytes | str, outcome: Outcome) -> None:
    from hiring.files import write_atomic

    write_atomic(path, data)
    outcome.written.append(path)


def _unique(folder: Path, stem: str, suffix: str, used: set[str]) -> Path:
    name, number = f"{stem}{suffix}", 2
    while name in used:
        name, number = f"{stem}-{number}{suffix}", number + 1
    used.add(name)
    return folder / name


def send_reminders(
    store: Store,
    bank: Any,
    settings: SmtpSettings | None,
    *,
    now: datetime,
    dry_run: bool = False,
    out_dir: Path | None = None,
    first_after: timedelta | None = None,
    days: int | None = None,
) -> Outcome:
    """One e-mail per interviewer with scorecards due a reminder. ``dry_run`` writes each
    as ``<interviewer>-<day>.eml`` into ``out_dir`` and records nothing; otherwise each is
    sent through ``settings`` (a copy written to ``out_dir`` when given) and recorded."""
    from hiring.files import check_output
    from hiring.mail.messages import reminder_message
    from hiring.mail.smtp import DEFAULT_SENDER, Mailer, MailSettingsError
    from hiring.store.reminders import (
        DAYS,
        FIRST_AFTER,
        claim_reminders,
        due_reminders,
        local_day,
        mark_reminded,
        release_reminders,
    )

    days = DAYS if days is None else days
    if days < 1:
        raise InputError(f"--days {days}: at least 1")
    if not dry_run and settings is None:
        raise InputError(
            "HIRING_SMTP_URL is not set: set it (and HIRING_SMTP_FROM) to send, or use "
            "--dry-run to write the messages as .eml files"
        )
    if dry_run and out_dir is None:
        out_dir = Path("reminders")
    day = local_day(now)
    due = due_reminders(store, bank, now, FIRST_AFTER if first_after is None else first_after,
                        days)
    sender = settings.sender if settings is not None else DEFAULT_SENDER
    used: set[str] = set()
    planned = []
    for reminder in due:
        path = None
        if out_dir is not None:
            path = _unique(Path(out_dir), _eml_name(reminder.interviewer, day.isoformat()),
                           ".eml", used)
            check_output(path, "--out-dir")
        planned.append((reminder, path))
    outcome = Outcome()
    mailer = Mailer(settings) if settings is not None and not dry_run else None
    try:
        for index, (reminder, path) in enumerate(planned):
            count = len(reminder.scorecards)
            if reminder.address is None:
                outcome.failures.append(
                    f"{reminder.interviewer}: no e-mail address ('hiring team add --email' or "
                    f"'hiring interview add --email'); {count} scorecard(s) not reminded"
                )
                if not dry_run:
                    continue
            message = reminder_message(bank, reminder, sender, days, now)
            if dry_run:
                assert path is not None
                _write(path, message.as_bytes(), outcome)
                continue
            assert mailer is not None and reminder.address is not None
            ids = claim_reminders(store, [c.interview_id for c in reminder.scorecards], day,
                                  reminder.address)
            cards = [c for c in reminder.scorecards if c.interview_id in ids]
            if not cards:
                continue  # another run claimed them today
            if len(cards) < count:
                reminder.scorecards = cards
                message = reminder_message(bank, reminder, sender, days, now)
            try:
                failure = mailer.send(message)
            except MailSettingsError as error:  # no message can go: stop, say so
                release_reminders(store, ids, day)
                outcome.failures.append(str(error))
                outcome.not_sent = len(planned) - index
                break
            except BaseException:  # Ctrl-C: this one is not recorded as sent
                release_reminders(store, ids, day)
                raise
            if failure is not None:
                release_reminders(store, ids, day)
                outcome.failures.append(f"{reminder.interviewer}: {failure}")
                continue
            mark_reminded(store, cards, day, reminder.address)
            outcome.sent.append(
                f"{reminder.interviewer} <{reminder.address}>: {len(cards)} scorecard(s)"
            )
            if path is not None:
                _write(path, message.as_bytes(), outcome)
    finally:
        if mailer is not None:
            mailer.close()
    return outcome


def send_invitations(
    store: Store,
    bank: Any,
    settings: SmtpSettings | None,
    *,
    now: datetime,
    candidate: str | None = None,
    out_dir: Path = Path("invitations"),
) -> tuple[Outcome, Any]:
    """Write ``<candidate>-<round>-<interviewer>.ics`` for every upcoming interview with a
    time, and with ``settings`` send each one not yet sent at its current sequence (a new
    invitation, or an update after its time moved). Returns the outcome and the plan."""
    from hiring.files import check_output
    from hiring.mail.messages import invitation_message
    from hiring.mail.smtp import DEFAULT_SENDER, Mailer, MailSettingsError
    from hiring.store.candidate_files import record_candidate_files
    from hiring.store.schedule import invitations, mark_invited

    plan = invitations(store, candidate, now)
    sender = settings.sender if settings is not None else DEFAULT_SENDER
    used: set[str] = set()
    paths = []
    for invitation in plan.invitations:
        stem = _eml_name(invitation.candidate, invitation.round, invitation.interviewer)
        path = _unique(Path(out_dir), stem, ".ics", used)
        check_output(path, "--out-dir")
        paths.append(path)
    outcome = Outcome()
    mailer = Mailer(settings) if settings is not None else None
    try:
        for index, (invitation, path) in enumerate(zip(plan.invitations, paths, strict=True)):
            message, ics = invitation_message(bank, invitation, sender, now)
            _write(path, ics, outcome)
            record_candidate_files(store, invitation.candidate_id, [(path, "invitation")])
            if mailer is None or invitation.sent_sequence == invitation.sequence:
                continue
            if invitation.address is None:
                outcome.failures.append(
                    f"{invitation.interviewer}: no e-mail address ('hiring team add --email' "
                    f"or 'hiring interview add --email'); invitation for "
                    f"{invitation.candidate}, round {invitation.round} written, not sent"
                )
                continue
            try:
                failure = mailer.send(message)
            except MailSettingsError as error:  # no message can go: stop, say so
                outcome.failures.append(str(error))
                outcome.not_sent = sum(
                    1 for later in plan.invitations[index:]
                    if later.sent_sequence != later.sequence and later.address
                )
                break
            if failure is not None:
                outcome.failures.append(f"{invitation.interviewer}: {failure}")
                continue
            mark_invited(store, invitation, invitation.address)
            kind = "update" if invitation.sent_sequence is not None else "invitation"
            outcome.sent.append(
                f"{invitation.interviewer} <{invitation.address}>: {kind} for "
                f"{invitation.candidate}, round {invitation.round} (sequence "
                f"{invitation.sequence})"
            )
    finally:
        if mailer is not None:
            mailer.close()
    return outcome, plan
