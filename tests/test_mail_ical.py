"""The hand-written iCalendar (RFC 5545): TEXT escaping, folding at 75 octets without
splitting a UTF-8 character, CRLF line ends; unfolded and unescaped it reads back."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from hiring.mail.ical import Event, calendar, escape_text, fold


def _unfold(text: str) -> list[str]:
    assert "\n" not in text.replace("\r\n", "")  # every line ends with CRLF
    return text.replace("\r\n ", "").split("\r\n")


def _unescape(value: str) -> str:
    out, index = [], 0
    while index < len(value):
        if value[index] == "\\":
            out.append({"n": "\n", "N": "\n"}.get(value[index + 1], value[index + 1]))
            index += 2
        else:
            out.append(value[index])
            index += 1
    return "".join(out)


def test_escaping_by_hand() -> None:
    # RFC 5545 3.3.11: backslash, semicolon, comma and newline; a colon stays.
    assert escape_text("a\\b;c,d\ne:f") == "a\\\\b\\;c\\,d\\ne:f"
    assert escape_text("x\r\ny") == "x\\ny"


def test_folding_counts_octets_and_keeps_characters_whole() -> None:
    assert fold("SUMMARY:" + "a" * 67) == "SUMMARY:" + "a" * 67  # exactly 75 octets
    line = "DESCRIPTION:" + "ø" * 100  # 2 octets each
    folded = fold(line)
    parts = folded.split("\r\n")
    assert all(len(part.encode("utf-8")) <= 75 for part in parts)
    assert all(part.startswith(" ") for part in parts[1:])
    assert folded.replace("\r\n ", "") == line
    chinese = fold("SUMMARY:" + "面试" * 40)  # 3 octets each: never split inside one
    for part in chinese.split("\r\n"):
        part.encode("utf-8").decode("utf-8")
        assert len(part.encode("utf-8")) <= 75


def test_an_event_reads_back() -> None:
    starts = datetime(2026, 12, 8, 9, 0, tzinfo=UTC)
    description = "Kandidat: Camilla Sørensen; runde panel, 45 min\nGuide: /kits/c.pdf " * 3
    text = calendar(Event(
        uid="abc@hiring", sequence=2, starts=starts, ends=starts + timedelta(minutes=45),
        summary="Interview: Camilla Sørensen, runde panel", description=description,
        location="Lokale 2, 1. sal", organizer="hr@example.com", attendee="sofie@example.com",
        attendee_name='Sofie "S" Nielsen',
    ), stamp=starts)
    assert all(len(line.encode()) <= 75 for line in text.split("\r\n"))
    lines = _unfold(text)
    props = {line.split(":", 1)[0].split(";")[0]: line.split(":", 1)[1] for line in lines if line}
    assert lines[0] == "BEGIN:VCALENDAR" and lines[-2] == "END:VCALENDAR" and lines[-1] == ""
    assert props["METHOD"] == "REQUEST" and props["SEQUENCE"] == "2"
    assert props["DTSTART"] == "20261208T090000Z" and props["DTEND"] == "20261208T094500Z"
    assert _unescape(props["DESCRIPTION"]) == description
    assert _unescape(props["LOCATION"]) == "Lokale 2, 1. sal"
    attendee = next(line for line in lines if line.startswith("ATTENDEE"))
    assert attendee.startswith('ATTENDEE;CN="Sofie S Nielsen";')
    assert attendee.endswith(":mailto:sofie@example.com")
