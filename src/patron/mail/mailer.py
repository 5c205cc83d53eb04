"""Mailers. `send` blocks (SMTP waits on the network): call it off the event loop."""

from __future__ import annotations

import os
import smtplib
import ssl
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid
from pathlib import Path
from typing import Protocol
from urllib.parse import parse_qs, unquote, urlsplit


class Mailer(Protocol):
    def send(self, message: EmailMessage) -> None: ...


def compose(*, sender: str, to: str, subject: str, text: str) -> EmailMessage:
    message = EmailMessage()
    message["From"] = sender
    message["To"] = to
    message["Subject"] = subject
    message["Date"] = format_datetime(datetime.now(UTC))
    message["Message-ID"] = make_msgid(domain=sender.rsplit("@", 1)[-1].strip(">") or None)
    message.set_content(text)
    return message


@dataclass(frozen=True, slots=True)
class FileMailer:
    """Writes each message as `<directory>/<time>-<id>.eml`, for a developer to open (the default)."""

    directory: Path

    def send(self, message: EmailMessage) -> None:
        self.directory.mkdir(parents=True, exist_ok=True)
        name = f"{datetime.now(UTC):%Y%m%dT%H%M%S%f}-{uuid.uuid4().hex[:8]}.eml"
        partial = self.directory / f".{name}.part"
        partial.write_bytes(message.as_bytes())
        os.replace(partial, self.directory / name)  # readers never see half a message


@dataclass(frozen=True, slots=True)
class SmtpMailer:
    """`smtp://user:password@host:587` (STARTTLS unless `?starttls=false`), or `smtps://` for TLS from the start."""

    url: str
    timeout: float = 30.0

    def send(self, message: EmailMessage) -> None:
        parts = urlsplit(self.url)
        if parts.scheme not in ("smtp", "smtps") or not parts.hostname:
            raise ValueError("PATRON_SMTP_URL must look like smtp://user:password@host:587")
        options = parse_qs(parts.query)
        context = ssl.create_default_context()
        if parts.scheme == "smtps":
            client: smtplib.SMTP = smtplib.SMTP_SSL(
                parts.hostname, parts.port or 465, timeout=self.timeout, context=context
            )
        else:
            client = smtplib.SMTP(parts.hostname, parts.port or 587, timeout=self.timeout)
        with client:
            starttls = options.get("starttls", ["true"])[0].lower() not in ("false", "0", "no")
            if parts.scheme == "smtp" and starttls:
                client.starttls(context=context)
            if parts.username:
                client.login(unquote(parts.username), unquote(parts.password or ""))
            client.send_message(message)


def from_config(*, smtp_url: str | None, mail_dir: str) -> Mailer:
    """SMTP when PATRON_SMTP_URL is set, else .eml files in PATRON_MAIL_DIR."""
    if smtp_url:
        return SmtpMailer(smtp_url)
    return FileMailer(Path(mail_dir))
