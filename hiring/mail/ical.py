"""iCalendar (RFC 5545) invitations, written by hand.

Why not the ``icalendar`` package: one event with a dozen properties needs three rules
(escape TEXT values, fold lines at 75 octets, end lines with CRLF), each tested here in
tests/test_mail_ical.py; a dependency would add more code than it saves, and time to the
import of the one command that needs it.

- TEXT values escape ``\\``, ``;``, ``,`` and line breaks (RFC 5545 3.3.11);
- a content line longer than 75 octets is folded: CRLF and one space, never inside a UTF-8
  character (3.1);
- DTSTART/DTEND/DTSTAMP are UTC (``...Z``), so no VTIMEZONE is needed;
- METHOD:REQUEST with the same UID and a higher SEQUENCE updates an event already in the
  calendar (RFC 5546 2.1.4).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

PRODUCT_ID = "-//hiring//interview invitation//EN"


def escape_text(value: str) -> str:
    """A TEXT value: ``a;b,c\\nd`` -> ``a\\;b\\,c\\nd`` (backslash first)."""
    text = value.replace("\r\n", "\n").replace("\r", "\n")
    return (
        text.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\n", "\\n")
    )


def fold(line: str) -> str:
    """One content line folded at 75 octets (continuations start with a space, which counts
    towards their 75), split only between characters."""
    encoded = line.encode("utf-8")
    if len(encoded) <= 75:
        return line
    parts: list[str] = []
    current: list[str] = []
    size, limit = 0, 75
    for char in line:
        width = len(char.encode("utf-8"))
        if size + width > limit:
            parts.append("".join(current))
            current, size, limit = [], 0, 74  # the leading space takes one octet
        current.append(char)
        size += width
    parts.append("".join(current))
    return "\r\n ".join(parts)


def _utc(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def _mailto(address: str) -> str:
    return "mailto:" + address


@dataclass(frozen=True)
class Event:
    uid: str
    sequence: int
    starts: datetime
    ends: datetime
    summary: str
    description: str
    location: str | None = None
    organizer: str | None = None  # an e-mail address
    attendee: str | None = None  # an e-mail address
    attendee_name: str | None = None


def _param(value: str) -> str:
    """A parameter value (CN=...): quoted; DQUOTE is not allowed inside, so dropped."""
    return '"' + value.replace('"', "") + '"'


def calendar(event: Event, stamp: datetime | None = None) -> str:
    """The VCALENDAR text (CRLF line ends) of one METHOD:REQUEST event."""
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        f"PRODID:{PRODUCT_ID}",
        "CALSCALE:GREGORIAN",
        "METHOD:REQUEST",
        "BEGIN:VEVENT",
        f"UID:{escape_text(event.uid)}",
        f"SEQUENCE:{event.sequence}",
        f"DTSTAMP:{_utc(stamp or datetime.now(UTC))}",
        f"DTSTART:{_utc(event.starts)}",
        f"DTEND:{_utc(event.ends)}",
        f"SUMMARY:{escape_text(event.summary)}",
        f"DESCRIPTION:{escape_text(event.description)}",
    ]
    if event.location:
        lines.append(f"LOCATION:{escape_text(event.location)}")
    if event.organizer:
        lines.append(f"ORGANIZER:{_mailto(event.organizer)}")
    if event.attendee:
        name = f";CN={_param(event.attendee_name)}" if event.attendee_name else ""
        lines.append(
            f"ATTENDEE{name};ROLE=REQ-PARTICIPANT;PARTSTAT=NEEDS-ACTION;RSVP=TRUE:"
            f"{_mailto(event.attendee)}"
        )
    lines += [
        "STATUS:CONFIRMED",
        "TRANSP:OPAQUE",
        "END:VEVENT",
        "END:VCALENDAR",
    ]
    return "".join(fold(line) + "\r\n" for line in lines)
