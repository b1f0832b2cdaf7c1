"""Reminders and invitations by e-mail, against a real SMTP server (aiosmtpd) on
127.0.0.1: what arrives is parsed back; a day of reminders run twice sends one message per
interviewer; a refused recipient, a connection dropped mid-batch and bad settings are one
line each while the others still go, and what went is recorded."""

from __future__ import annotations

import email
import socket
from datetime import UTC, datetime, timedelta
from email.message import EmailMessage
from email.policy import default
from pathlib import Path
from typing import Any

import pytest

from tests.cli_helpers import ok, run

aiosmtpd_controller = pytest.importorskip("aiosmtpd.controller")
SAVED = Path("/tmp/issue-24")  # the closing note shows one of each as received


class Inbox:
    """An aiosmtpd handler keeping each message; it can refuse addresses and drop the
    connection in the middle of the n-th message."""

    def __init__(self) -> None:
        self.messages: list[EmailMessage] = []
        self.refuse: set[str] = set()
        self.drop_at: int | None = None  # the n-th DATA (1-) closes the connection
        self.data_seen = 0

    async def handle_RCPT(self, server: Any, session: Any, envelope: Any, address: str,  # noqa: N802
                          options: Any) -> str:
        if address in self.refuse:
            return "550 5.1.1 no such mailbox here"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802
        self.data_seen += 1
        if self.drop_at == self.data_seen:
            server.transport.close()  # the line goes dead before the server answers
            return "421 closing"
        parsed = email.message_from_bytes(envelope.content, policy=default)
        assert isinstance(parsed, EmailMessage)
        self.messages.append(parsed)
        return "250 Message accepted for delivery"

    def to(self, address: str) -> list[EmailMessage]:
        return [m for m in self.messages if m["To"] == address]


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture
def inbox(monkeypatch: pytest.MonkeyPatch):  # type: ignore[no-untyped-def]
    handler = Inbox()
    port = _free_port()
    controller = aiosmtpd_controller.Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    monkeypatch.setenv("HIRING_SMTP_URL", f"smtp://127.0.0.1:{port}")
    monkeypatch.setenv("HIRING_SMTP_FROM", "recruiting@example.com")
    for name in ("HIRING_SMTP_USER", "HIRING_SMTP_PASSWORD"):
        monkeypatch.delenv(name, raising=False)
    yield handler
    controller.stop()


def _ago(hours: float) -> str:
    return (datetime.now() - timedelta(hours=hours)).strftime("%Y-%m-%dT%H:%M")


PANEL = (  # candidate, interviewer, language, address
    ("Camilla Sørensen", "Sofie Nielsen", "da", "sofie@example.com"),
    ("Bo Li", "Sofie Nielsen", "da", "sofie@example.com"),
    ("Camilla Sørensen", "Anders Berg", "en", "anders@example.com"),
    ("Иван Петров", "Мария Иванова", "ru", "maria@example.com"),
)


def _schedule(db: str, panel: tuple[tuple[str, str, str, str], ...] = PANEL,
              hours_ago: float = 3) -> None:
    names: dict[str, str] = {}
    for candidate, interviewer, lang, address in panel:
        if candidate not in names:
            names[candidate] = ok(db, "candidate", "add", candidate, "--role",
                                  "inbound-agent").strip()
        ok(db, "interview", "add", "--candidate", names[candidate], "--interviewer",
           interviewer, "--round", "panel", "--lang", lang, "--at", _ago(hours_ago),
           "--email", address)


def test_a_day_of_reminders_run_twice_sends_one_per_interviewer(db_url: str, inbox: Inbox) -> None:
    _schedule(db_url)
    first = run(db_url, "score", "remind")
    assert first.exit_code == 0, (first.stdout, first.stderr)
    assert "3 reminder(s) sent, 0 failed" in first.stdout
    again = run(db_url, "score", "remind")
    assert again.exit_code == 0 and "0 reminder(s) sent" in again.stdout
    assert sorted(m["To"] for m in inbox.messages) == [
        "anders@example.com", "maria@example.com", "sofie@example.com"]
    # Sofie's one message lists both her scorecards, in Danish.
    sofie = inbox.to("sofie@example.com")[0]
    assert sofie["Subject"] == "2 bedømmelsesskemaer mangler at blive afleveret"
    body = sofie.get_content()
    assert body.startswith("Hej Sofie Nielsen,")
    assert "Camilla Sørensen, runde panel" in body and "Bo Li, runde panel" in body
    assert "mangler: Samarbejde, Undgår diskussioner med kunder, Anbefaling" in body
    assert "hiring score enter --candidate 1 --interviewer 'Sofie Nielsen' --round panel" in body
    assert "Оценочные" not in body and "missing" not in body
    assert inbox.to("maria@example.com")[0]["Subject"] == "Ждут сдачи оценочные листы: 1"
    SAVED.mkdir(parents=True, exist_ok=True)
    (SAVED / "reminder-received.eml").write_bytes(sofie.as_bytes())
    # Recorded, audited and shown in 'score pending'.
    pending = ok(db_url, "score", "pending")
    today = datetime.now().date().isoformat()
    assert pending.count(f"1x, {today}") == 4, pending
    history = ok(db_url, "score", "history", "--candidate", "1")
    assert "hiring score remind reminded Sofie Nielsen of the scorecard by e-mail " \
           "(to sofie@example.com)" in history


def test_schedule_first_after_the_interview_then_daily_for_n_days(
    db_url: str, small_bank_loaded
) -> None:  # type: ignore[no-untyped-def]
    from hiring.store import open_store
    from hiring.store.reminders import claim_reminders, due_reminders, local_day, mark_reminded

    bank = small_bank_loaded
    _schedule(db_url, PANEL[:1], hours_ago=0)
    with open_store(db_url) as store:
        (starts,) = store.one("SELECT starts FROM interviews")
        end = datetime.fromisoformat(starts) + timedelta(minutes=60)

        def due(at: datetime) -> int:
            return sum(len(r.scorecards) for r in due_reminders(store, bank, at, days=3))

        def send(at: datetime) -> None:
            cards = due_reminders(store, bank, at, days=3)[0].scorecards
            assert claim_reminders(store, [c.interview_id for c in cards], local_day(at),
                                   "sofie@example.com")
            mark_reminded(store, cards, local_day(at), "sofie@example.com")

        assert due(end + timedelta(minutes=59)) == 0  # not before an hour after the end
        first = end + timedelta(hours=1)
        assert due(first) == 1
        send(first)
        assert due(first) == 0  # sent today: never a second one the same day
        # A second run that read the schedule before the first run recorded its send still
        # finds the day claimed (the UNIQUE row), so it sends nothing.
        (iid,) = store.one("SELECT id FROM interviews")
        assert claim_reminders(store, [int(iid)], local_day(first), "sofie@example.com") == []
        day_two = first + timedelta(days=1)
        assert due(day_two) == 1  # the next day: again
        send(day_two)
        send(first + timedelta(days=2))
        assert due(first + timedelta(days=3)) == 0  # three days, three reminders: no more
        assert due(first + timedelta(days=4)) == 0


def test_refused_recipient_and_dropped_connection_one_line_each(db_url: str, inbox: Inbox) -> None:
    panel = (
        ("Ann Dahl", "A One", "en", "a@example.com"),
        ("Ann Dahl", "B Two", "en", "refused@example.com"),
        ("Ann Dahl", "C Three", "en", "c@example.com"),
        ("Ann Dahl", "D Four", "en", "d@example.com"),
    )
    _schedule(db_url, panel)
    inbox.refuse = {"refused@example.com"}
    inbox.drop_at = 3  # A (1), B refused at RCPT (no DATA), C (2), D's DATA (3) dropped
    result = run(db_url, "score", "remind")
    assert result.exit_code == 1
    failed = [line for line in result.stderr.splitlines() if line.startswith("not sent")]
    assert failed == [
        "not sent: B Two: the SMTP server refused refused@example.com: 550 5.1.1 no such "
        "mailbox here",
        f"not sent: D Four: the connection to 127.0.0.1:{_port()} (plain) dropped while "
        "sending to d@example.com (SMTPServerDisconnected); not sent",
    ], result.stderr
    assert sorted(m["To"] for m in inbox.messages) == ["a@example.com", "c@example.com"]
    assert "2 reminder(s) sent, 2 failed" in result.stdout
    from hiring.store import open_store

    with open_store(db_url) as store:
        recorded = store.all("SELECT i.interviewer FROM reminders r JOIN interviews i "
                             "ON i.id = r.interview_id WHERE r.sent IS NOT NULL ORDER BY 1")
        assert recorded == [("A One",), ("C Three",)]
        assert store.one("SELECT COUNT(*) FROM reminders WHERE sent IS NULL") == (0,)
    # The next run sends what failed (the connection is back), and only that.
    inbox.drop_at = None
    again = run(db_url, "score", "remind")
    assert "1 reminder(s) sent, 1 failed" in again.stdout
    assert sorted(m["To"] for m in inbox.messages) == [
        "a@example.com", "c@example.com", "d@example.com"]


def _port() -> str:
    import os

    return os.environ["HIRING_SMTP_URL"].rsplit(":", 1)[1]


@pytest.mark.parametrize(("url", "said"), [
    ("smtp://ann:s3cret@127.0.0.1:25", "holds a user or password"),
    ("ftp://127.0.0.1", "scheme 'ftp' is not one of"),
    ("smtps://", "names no host"),
])
def test_bad_settings_are_one_line_and_never_show_the_password(
    db_url: str, monkeypatch: pytest.MonkeyPatch, url: str, said: str
) -> None:
    _schedule(db_url, PANEL[:1])
    monkeypatch.setenv("HIRING_SMTP_URL", url)
    monkeypatch.setenv("HIRING_SMTP_FROM", "recruiting@example.com")
    result = run(db_url, "score", "remind")
    assert result.exit_code == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and said in lines[0], lines
    assert "s3cret" not in result.output


def test_no_server_is_one_line_and_nothing_recorded(
    db_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    _schedule(db_url, PANEL[:3])
    monkeypatch.setenv("HIRING_SMTP_URL", f"smtp+starttls://127.0.0.1:{_free_port()}")
    monkeypatch.setenv("HIRING_SMTP_FROM", "recruiting@example.com")
    monkeypatch.setenv("HIRING_SMTP_USER", "ann")
    monkeypatch.setenv("HIRING_SMTP_PASSWORD", "s3cret")
    result = run(db_url, "score", "remind")
    assert result.exit_code == 1
    failed = [line for line in result.stderr.splitlines() if line.startswith("not sent")]
    assert len(failed) == 1 and "cannot use the SMTP server 127.0.0.1:" in failed[0]
    assert "2 reminder(s) not sent" in result.stderr
    assert "s3cret" not in result.output
    from hiring.store import open_store

    with open_store(db_url) as store:
        assert store.one("SELECT COUNT(*) FROM reminders") == (0,)


def test_dry_run_writes_eml_files_and_records_nothing(db_url: str, tmp_path: Path,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("HIRING_SMTP_URL", raising=False)
    _schedule(db_url)
    refused = run(db_url, "score", "remind")
    assert refused.exit_code == 1 and "--dry-run" in refused.stderr
    out = ok(db_url, "score", "remind", "--dry-run", "--out-dir", str(tmp_path / "eml"))
    assert "3 reminder(s) written" in out
    written = sorted(p.name for p in (tmp_path / "eml").iterdir())
    today = datetime.now().date().isoformat()
    assert written == [f"anders-berg-{today}.eml", f"sofie-nielsen-{today}.eml",
                       f"мария-иванова-{today}.eml"]
    parsed = email.message_from_bytes((tmp_path / "eml" / written[1]).read_bytes(),
                                      policy=default)
    assert parsed["To"] == "sofie@example.com"
    assert "1x" not in ok(db_url, "score", "pending")  # nothing recorded


def _ics(message: EmailMessage) -> dict[str, str]:
    """The VEVENT's properties of the message's text/calendar part (unfolded)."""
    part = next(p for p in message.walk() if p.get_content_type() == "text/calendar")
    assert part.get_param("method") == "REQUEST"
    text = part.get_content().replace("\r\n ", "").replace("\n ", "")
    props = {}
    for line in text.splitlines():
        key, _, value = line.partition(":")
        props.setdefault(key.split(";")[0], value)
    return props


def test_invitation_then_an_update_with_the_same_uid(
    db_url: str, inbox: Inbox, tmp_path: Path
) -> None:
    ok(db_url, "candidate", "add", "Camilla Sørensen", "--role", "inbound-agent")
    when = (datetime.now() + timedelta(days=2)).replace(hour=10, minute=0, second=0,
                                                        microsecond=0)
    kit = tmp_path / "camilla.pdf"
    ok(db_url, "guide", "build", "--role", "inbound-agent", "--round", "panel", "--candidate",
       "1", "--interviewer", "Sofie Nielsen", "--lang", "da", "--out", str(kit))
    ok(db_url, "interview", "add", "--candidate", "1", "--interviewer", "Sofie Nielsen",
       "--round", "panel", "--at", when.strftime("%Y-%m-%dT%H:%M"), "--minutes", "45",
       "--place", "Lokale 2, 1. sal; Vesterbrogade 3", "--email", "sofie@example.com")
    out_dir = tmp_path / "invites"
    first = ok(db_url, "interview", "invite", "--out-dir", str(out_dir))
    assert "1 invitation(s) written" in first and "1 sent" in first
    (message,) = inbox.messages
    assert message["To"] == "sofie@example.com"
    assert message["Subject"].startswith("Interview: Camilla Sørensen, runde panel, ")
    event = _ics(message)
    assert event["SEQUENCE"] == "0"
    assert event["DTSTART"] == when.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")
    assert event["DTEND"] == (when + timedelta(minutes=45)).astimezone(UTC).strftime(
        "%Y%m%dT%H%M%SZ")
    assert event["LOCATION"] == "Lokale 2\\, 1. sal\\; Vesterbrogade 3"
    assert event["ATTENDEE"] == "mailto:sofie@example.com"
    attachments = {p.get_filename(): p for p in message.iter_attachments()}
    assert set(attachments) == {"invite.ics", "camilla.pdf"}
    assert attachments["camilla.pdf"].get_content() == kit.read_bytes()
    assert (out_dir / "camilla-sørensen-panel-sofie-nielsen.ics").is_file()
    SAVED.mkdir(parents=True, exist_ok=True)
    (SAVED / "invitation-received.eml").write_bytes(message.as_bytes())

    # Nothing changed: nothing is sent again.
    assert "0 sent" in ok(db_url, "interview", "invite", "--out-dir", str(out_dir))
    # A new time: an update of the same event.
    later = when + timedelta(hours=2)
    moved = run(db_url, "interview", "add", "--candidate", "1", "--interviewer",
                "Sofie Nielsen", "--round", "panel", "--at", later.strftime("%Y-%m-%dT%H:%M"))
    assert moved.exit_code == 0 and "sends an update (sequence 1)" in moved.stderr
    assert "1 sent" in ok(db_url, "interview", "invite", "--out-dir", str(out_dir))
    update = inbox.messages[1]
    assert update["Subject"].startswith("Flyttet: interview med Camilla Sørensen")
    moved_event = _ics(update)
    assert moved_event["UID"] == event["UID"] and moved_event["SEQUENCE"] == "1"
    assert moved_event["DTSTART"] == later.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")
    history = ok(db_url, "score", "history", "--candidate", "1")
    assert "sent Sofie Nielsen's calendar invitation (sequence 1 to sofie@example.com)" in history


def test_pending_and_recommend_load_no_mail_or_pdf_module(tmp_path: Path) -> None:
    """'score pending' reads the reminders table, 'score recommend' the five languages'
    words: neither loads smtplib, ssl, the email package or a PDF library."""
    import os
    import subprocess
    import sys

    from tests.conftest import SMALL_BANK

    db = tmp_path / "h.db"
    ok(str(db), "candidate", "add", "Jo", "--role", "inbound-agent")
    env = {**os.environ, "HIRING_CACHE_DIR": str(tmp_path / "cache")}
    for args in (["score", "pending"], ["score", "recommend", "--candidate", "Jo",
                                        "--interviewer", "Ann", "--round", "panel",
                                        "--decision", "Klart ja"]):
        program = (
            "import runpy, sys\n"
            f"sys.argv = ['hiring', '--bank', {str(SMALL_BANK)!r}, '--db', {str(db)!r}, "
            f"*{args!r}]\n"
            "try:\n    runpy.run_module('hiring', run_name='__main__')\n"
            "except SystemExit:\n    pass\n"
            "heavy = ('smtplib', 'ssl', 'email', 'pypdf', 'weasyprint', 'aiosmtpd')\n"
            "print(sorted({m.split('.')[0] for m in sys.modules} & set(heavy)))\n"
        )
        # The second run: the first validates the bank (pydantic loads email) and caches it.
        for _ in range(2):
            result = subprocess.run([sys.executable, "-c", program], capture_output=True,
                                    text=True, check=True, env=env)
        assert result.stdout.strip().splitlines()[-1] == "[]", (args, result.stdout)


def test_roster_address_and_spelling_win(db_url: str, inbox: Inbox,
                                         monkeypatch: pytest.MonkeyPatch) -> None:
    """With a roster, 'interview add' takes the roster's spelling of the interviewer and
    the reminder goes to the roster's address ('team add --email'), not '--email'."""
    if db_url.startswith("postgres"):
        pytest.skip("the roster's logins are PostgreSQL roles there (tests/test_team_postgres)")
    monkeypatch.setenv("HIRING_USER", "lead")
    ok(db_url, "team", "add", "Lea Dahl", "--role", "recruiter", "--login", "lead")
    ok(db_url, "team", "add", "Sofie Nielsen", "--role", "interviewer", "--email",
       "roster@example.com")
    ok(db_url, "candidate", "add", "Bo Li", "--role", "inbound-agent")
    ok(db_url, "interview", "add", "--candidate", "1", "--interviewer", "sofie nielsen",
       "--round", "panel", "--at", _ago(3), "--email", "typed@example.com")
    typo = run(db_url, "interview", "add", "--candidate", "1", "--interviewer", "Sofie Nilsen",
               "--round", "panel", "--at", _ago(3))
    assert typo.exit_code == 1 and "did you mean 'Sofie Nielsen'?" in typo.stderr
    assert "1 reminder(s) sent" in ok(db_url, "score", "remind")
    assert [m["To"] for m in inbox.messages] == ["roster@example.com"]
    assert inbox.messages[0].get_content().startswith("Hello Sofie Nielsen,")
