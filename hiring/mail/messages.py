"""The e-mails hiring sends, in the interviewer's language (templates/strings.yaml):
a reminder listing their scorecards, and a calendar invitation with the kit attached."""

from __future__ import annotations

import shlex
from datetime import datetime
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid
from pathlib import Path
from typing import TYPE_CHECKING, Any

from hiring.mail.ical import Event, calendar

if TYPE_CHECKING:
    from hiring.store.reminders import InterviewerReminder
    from hiring.store.schedule import Invitation

MAX_ATTACHMENT_BYTES = 15 * 1024 * 1024  # a kit above this goes as its path, not attached


def _strings(lang: str) -> dict[str, str]:
    from hiring.render.catalogs import speaks
    from hiring.render.strings import ui_strings

    return ui_strings(lang if speaks(lang) else "en")


def local_time(moment: datetime, lang: str = "en") -> str:
    """``Dec 8, 2026 10:00 AM (UTC+01:00)``, ``8. dec. 2026 10.00 (UTC+01:00)``: this
    machine's time zone, said, in the reader's language (CLDR)."""
    from hiring.render.formats import format_date_time

    local = moment.astimezone()
    offset = local.strftime("%z")
    return f"{format_date_time(local, lang)} (UTC{offset[:3]}:{offset[3:]})"


def _header_safe(text: str) -> str:
    """Names go into Subject: one line, whatever they hold."""
    return " ".join(text.split())


def _base(sender: str, to: str, subject: str, now: datetime | None) -> EmailMessage:
    message = EmailMessage()
    message["From"] = sender
    message["To"] = to
    message["Subject"] = _header_safe(subject)
    message["Date"] = format_datetime((now or datetime.now()).astimezone())
    message["Message-ID"] = make_msgid(domain=sender.partition("@")[2] or "hiring")
    return message


def _competency_name(bank: Any, competency_id: str, lang: str) -> str:
    from hiring.bank.models import localise
    from hiring.errors import NotFoundError

    try:
        return str(localise(bank.competency(competency_id).name, lang))
    except NotFoundError:
        return competency_id


def reminder_text(bank: Any, reminder: InterviewerReminder, days: int) -> str:
    """The reminder's body: each scorecard with what it lacks and how to finish it."""
    lang = reminder.language
    t = _strings(lang)
    lines = [t["mail_greeting"].format(name=reminder.interviewer), "", t["mail_reminder_intro"]]
    for card in reminder.scorecards:
        missing = [_competency_name(bank, c, lang) for c in card.missing_scores]
        if card.missing_recommendation:
            missing.append(t["enter_recommendation"])
        who = shlex.quote(card.interviewer)
        lines += ["", "- " + t["mail_reminder_item"].format(
            candidate=card.candidate, round=card.round, date=local_time(card.starts, lang)
        )]
        if missing:
            lines.append("  " + t["mail_reminder_missing"].format(missing=", ".join(missing)))
            lines.append(
                f"  {t['mail_reminder_command']} hiring score enter --candidate "
                f"{card.candidate_id} --interviewer {who} --round {shlex.quote(card.round)}"
            )
            if card.kit is not None:
                lines.append(f"  {t['mail_reminder_kit']} {card.kit}")
        else:
            lines.append("  " + t["mail_reminder_nothing_missing"])
            lines.append(
                f"  {t['mail_reminder_submit']} hiring score submit --candidate "
                f"{card.candidate_id} --interviewer {who} --round {shlex.quote(card.round)}"
            )
    lines += ["", t["mail_reminder_schedule"].format(days=days), ""]
    return "\n".join(lines)


def reminder_message(
    bank: Any, reminder: InterviewerReminder, sender: str, days: int,
    now: datetime | None = None,
) -> EmailMessage:
    t = _strings(reminder.language)
    message = _base(sender, reminder.address or "", t["mail_reminder_subject"].format(
        n=len(reminder.scorecards)), now)
    message.set_content(reminder_text(bank, reminder, days))
    return message


def invitation_event(invitation: Invitation, sender: str, summary: str, body: str) -> Event:
    return Event(
        uid=invitation.uid, sequence=invitation.sequence, starts=invitation.starts,
        ends=invitation.ends, summary=summary, description=body, location=invitation.place,
        organizer=sender, attendee=invitation.address, attendee_name=invitation.interviewer,
    )


def invitation_parts(bank: Any, invitation: Invitation) -> tuple[str, str, bool]:
    """(subject, body, kit attached) of one invitation, in the interviewer's language."""
    from hiring.bank.models import localise
    from hiring.errors import NotFoundError

    lang = invitation.language
    t = _strings(lang)
    when = local_time(invitation.starts, lang)
    update = invitation.sent_sequence is not None and invitation.sequence > 0
    subject = t["mail_invite_update_subject" if update else "mail_invite_subject"].format(
        candidate=invitation.candidate, round=invitation.round, when=when
    )
    try:
        role = str(localise(bank.role(invitation.role).name, lang)) if invitation.role else "-"
    except NotFoundError:
        role = str(invitation.role)
    lines = [t["mail_greeting"].format(name=invitation.interviewer), "",
             t["mail_invite_body"].format(candidate=invitation.candidate, role=role,
                                          round=invitation.round, when=when,
                                          minutes=invitation.minutes)]
    if invitation.place:
        lines.append(t["mail_invite_place"].format(place=invitation.place))
    kit: Path | None = invitation.kit
    attached = kit is not None and kit.is_file() and kit.stat().st_size <= MAX_ATTACHMENT_BYTES
    if kit is None:
        lines.append(t["mail_invite_no_kit"])
    elif attached:
        lines.append(t["mail_invite_kit_attached"].format(file=kit.name))
    else:
        lines.append(t["mail_invite_kit_path"].format(file=kit))
    lines += ["", t["mail_invite_method"], ""]
    return subject, "\n".join(lines), attached


def invitation_message(
    bank: Any, invitation: Invitation, sender: str, now: datetime | None = None
) -> tuple[EmailMessage, str]:
    """The invitation e-mail (text, the calendar entry as text/calendar METHOD:REQUEST and
    as an .ics attachment, the kit attached when it is there) and the .ics text."""
    subject, body, attached = invitation_parts(bank, invitation)
    ics = calendar(invitation_event(invitation, sender, subject, body), stamp=now)
    message = _base(sender, invitation.address or "", subject, now)
    message.set_content(body)
    message.add_alternative(ics, subtype="calendar", params={"method": "REQUEST"})
    message.add_attachment(ics.encode("utf-8"), maintype="application", subtype="ics",
                           filename="invite.ics")
    if attached and invitation.kit is not None:
        message.add_attachment(Path(invitation.kit).read_bytes(), maintype="application",
                               subtype="pdf", filename=Path(invitation.kit).name)
    return message, ics
