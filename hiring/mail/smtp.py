"""Sending e-mail through the team's SMTP server (the standard library's smtplib).

Settings come from the environment only, so no password is ever stored or written to a
log:

- ``HIRING_SMTP_URL``: ``smtp://host[:port]`` (plain, for a relay on the local network;
  port 25), ``smtp+starttls://host[:port]`` (STARTTLS, refused if the server does not
  offer it; port 587) or ``smtps://host[:port]`` (TLS from the start; port 465). A user
  or password inside the URL is refused: URLs end up in shell histories and logs.
- ``HIRING_SMTP_USER`` and ``HIRING_SMTP_PASSWORD``: the login, when the server needs one.
- ``HIRING_SMTP_FROM``: the sender's address (required to send).

A message that cannot be sent (a refused recipient, a connection dropped mid-batch) is one
line in the result and the next message still goes out (on a new connection when the old
one dropped); settings that cannot work (a bad URL, a refused login, no server) stop the
batch with one line, since no message could be sent.
"""

from __future__ import annotations

import os
import smtplib
import ssl
from collections.abc import Mapping
from dataclasses import dataclass, field
from email.message import EmailMessage
from urllib.parse import urlsplit

from hiring.errors import HiringError

SCHEMES = {"smtp": ("plain", 25), "smtp+starttls": ("starttls", 587), "smtps": ("tls", 465)}
DEFAULT_SENDER = "hiring@localhost"


class MailSettingsError(HiringError):
    """The SMTP settings cannot work (bad URL, refused login, no server): nothing is sent."""


@dataclass(frozen=True)
class SmtpSettings:
    host: str
    port: int
    security: str  # "plain", "starttls" or "tls"
    sender: str
    user: str | None = None
    password: str | None = field(default=None, repr=False)  # never printed

    def describe(self) -> str:
        """Where mail goes, for messages (no password, ever)."""
        login = f" as {self.user}" if self.user else ""
        return f"{self.host}:{self.port} ({self.security}){login}"


def smtp_settings(environ: Mapping[str, str] | None = None) -> SmtpSettings | None:
    """The settings from the environment; None when ``HIRING_SMTP_URL`` is not set."""
    from hiring.store.schedule import check_address

    env = os.environ if environ is None else environ
    url = env.get("HIRING_SMTP_URL", "").strip()
    if not url:
        return None
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError as error:
        raise MailSettingsError(f"HIRING_SMTP_URL is not a URL: {error}") from None
    scheme = parts.scheme.lower()
    if scheme not in SCHEMES:
        raise MailSettingsError(
            f"HIRING_SMTP_URL: scheme '{parts.scheme}' is not one of "
            f"{', '.join(s + '://' for s in SCHEMES)}"
        )
    if parts.username is not None or parts.password is not None:
        raise MailSettingsError(
            "HIRING_SMTP_URL holds a user or password: give them in HIRING_SMTP_USER and "
            "HIRING_SMTP_PASSWORD instead (a URL ends up in histories and logs)"
        )
    if not parts.hostname:
        raise MailSettingsError("HIRING_SMTP_URL names no host (e.g. smtps://mail.example.com)")
    user = env.get("HIRING_SMTP_USER") or None
    password = env.get("HIRING_SMTP_PASSWORD") or None
    if password and not user:
        raise MailSettingsError("HIRING_SMTP_PASSWORD is set but HIRING_SMTP_USER is not")
    if user and scheme == "smtp":
        raise MailSettingsError(
            "HIRING_SMTP_USER is set for a plain smtp:// server: the password would travel "
            "unencrypted (use smtp+starttls:// or smtps://)"
        )
    sender = env.get("HIRING_SMTP_FROM", "").strip()
    if not sender:
        raise MailSettingsError("HIRING_SMTP_FROM is not set: the address mail is sent from")
    try:
        sender = check_address(sender, "HIRING_SMTP_FROM")
    except HiringError as error:
        raise MailSettingsError(str(error)) from None
    security, default_port = SCHEMES[scheme]
    return SmtpSettings(parts.hostname, port or default_port, security, sender, user, password)


class Mailer:
    """One SMTP connection, opened when the first message goes and again after a drop.

    ``send`` returns None when the server took the message, else one line saying why not;
    ``MailSettingsError`` when no message can go (connect, TLS or login refused).
    """

    def __init__(self, settings: SmtpSettings, timeout: float = 30) -> None:
        self.settings = settings
        self.timeout = timeout
        self._smtp: smtplib.SMTP | None = None

    def __enter__(self) -> Mailer:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        if self._smtp is not None:
            try:
                self._smtp.quit()
            except (smtplib.SMTPException, OSError):
                self._smtp.close()
            self._smtp = None

    def _connect(self) -> smtplib.SMTP:
        s = self.settings
        where = s.describe()
        context = ssl.create_default_context()
        try:
            if s.security == "tls":
                smtp: smtplib.SMTP = smtplib.SMTP_SSL(
                    s.host, s.port, timeout=self.timeout, context=context
                )
            else:
                smtp = smtplib.SMTP(s.host, s.port, timeout=self.timeout)
            smtp.ehlo()
            if s.security == "starttls":
                if not smtp.has_extn("starttls"):
                    smtp.close()
                    raise MailSettingsError(
                        f"the SMTP server {where} does not offer STARTTLS; nothing was sent"
                    )
                smtp.starttls(context=context)
                smtp.ehlo()
            if s.user:
                smtp.login(s.user, s.password or "")
        except smtplib.SMTPAuthenticationError as error:
            raise MailSettingsError(
                f"the SMTP server {where} refused the login ({error.smtp_code}): check "
                "HIRING_SMTP_USER and HIRING_SMTP_PASSWORD; nothing was sent"
            ) from None
        except (smtplib.SMTPException, OSError, ssl.SSLError) as error:
            reason = getattr(error, "strerror", None) or str(error) or type(error).__name__
            raise MailSettingsError(
                f"cannot use the SMTP server {where}: {reason}; nothing was sent"
            ) from None
        return smtp

    def send(self, message: EmailMessage) -> str | None:
        to = str(message["To"])
        if self._smtp is None:
            self._smtp = self._connect()
        try:
            refused = self._smtp.send_message(message)
        except smtplib.SMTPRecipientsRefused as error:
            code, text = next(iter(error.recipients.values()))
            return f"the SMTP server refused {to}: {code} {_said(text)}"
        except smtplib.SMTPSenderRefused as error:
            return f"the SMTP server refused the sender for {to}: {error.smtp_code} " + _said(
                error.smtp_error
            )
        except smtplib.SMTPDataError as error:
            return f"the SMTP server refused the message to {to}: {error.smtp_code} " + _said(
                error.smtp_error
            )
        except (smtplib.SMTPServerDisconnected, smtplib.SMTPResponseException, OSError) as error:
            # OSError covers a reset or timed-out socket
            self._drop()
            return (
                f"the connection to {self.settings.describe()} dropped while sending to {to} "
                f"({type(error).__name__}); not sent"
            )
        except smtplib.SMTPException as error:  # e.g. a non-ASCII address without SMTPUTF8
            return f"the message to {to} was not sent: {_said(str(error))}"
        if refused:
            address, (code, text) = next(iter(refused.items()))
            return f"the SMTP server refused {address}: {code} {_said(text)}"
        return None

    def _drop(self) -> None:
        if self._smtp is not None:
            try:
                self._smtp.close()
            finally:
                self._smtp = None


def _said(text: bytes | str) -> str:
    value = text.decode("utf-8", "replace") if isinstance(text, bytes) else str(text)
    return " ".join(value.split())
