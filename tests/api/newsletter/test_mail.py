"""Mail: double opt-in sends the confirmation link after commit, through the file sink or SMTP."""

from __future__ import annotations

import email
import email.policy
import socketserver
import threading
from collections.abc import Iterator
from email.message import EmailMessage
from pathlib import Path

import httpx
import pytest

from patron.config import Settings
from patron.db.uow import Database
from patron.mail.mailer import FileMailer, SmtpMailer, compose
from patron.newsletter.mailing import ConfirmationMail
from patron.worker import Worker
from tests.factories import Api, Org


def _mails_to(directory: Path, address: str) -> list[EmailMessage]:
    found = []
    for path in sorted(directory.glob("*.eml")):
        message = email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
        assert isinstance(message, EmailMessage)
        if message["To"] == address:
            found.append(message)
    return found


def _send_until(mail: ConfirmationMail, done: object) -> None:
    for _ in range(50):  # the consumer walks every organization's backlog of the shared test database
        mail.run_once()
        if callable(done) and done():
            return
    raise AssertionError("the confirmation mail was not sent")


def _double_opt_in_org(api: Api) -> Org:
    org = api.create_org()
    assert org.patch("/organization", json={"double_opt_in": True}).status_code == 200
    return org


def test_double_opt_in_mails_a_link_that_confirms(api: Api, database: Database, settings: Settings) -> None:
    mail = Worker.from_settings(database, settings).confirmation_mail
    directory = Path(settings.mail_dir)
    org = _double_opt_in_org(api)
    sign_up = api.client.post(
        f"/api/v1/public/{org.slug}/newsletter/subscriptions", json={"email": "optin@example.com", "locale": "vi"}
    )
    assert sign_up.json() == {"status": "pending"}
    address = "optin@example.com"
    _send_until(mail, lambda: _mails_to(directory, address))
    mail.run_once()
    [message] = _mails_to(directory, address)  # once, not again on the next round
    assert message["Subject"] == "Vui lòng xác nhận đăng ký nhận bản tin"
    assert message["From"] == settings.mail_from
    body = message.get_content()
    [link] = [word for word in body.split() if "/confirm/" in word]
    confirmed = api.client.get(httpx.URL(link).path)
    assert confirmed.json() == {"status": "subscribed"}
    assert org.get("/newsletter/subscribers").json()["items"][0]["status"] == "subscribed"


def test_a_failed_send_is_retried_and_single_opt_in_sends_nothing(
    api: Api, database: Database, settings: Settings, tmp_path: Path
) -> None:
    base = Worker.from_settings(database, settings).confirmation_mail
    sent: list[EmailMessage] = []
    failures = [RuntimeError("smtp down")]

    class Flaky:
        def send(self, message: EmailMessage) -> None:
            if failures:
                raise failures.pop()
            sent.append(message)

    mail = ConfirmationMail(database, base.links, Flaky(), base.sender)
    single = api.create_org()
    api.client.post(f"/api/v1/public/{single.slug}/newsletter/subscriptions", json={"email": "single@example.com"})
    org = _double_opt_in_org(api)
    api.client.post(f"/api/v1/public/{org.slug}/newsletter/subscriptions", json={"email": "retry@example.com"})
    _send_until(mail, lambda: any(m["To"] == "retry@example.com" for m in sent))
    assert failures == []
    assert [m["To"] for m in sent].count("retry@example.com") == 1
    assert "single@example.com" not in [m["To"] for m in sent]


@pytest.fixture
def smtp_server() -> Iterator[tuple[str, list[bytes], list[bytes]]]:
    received: list[bytes] = []
    logins: list[bytes] = []

    class Handler(socketserver.StreamRequestHandler):
        def handle(self) -> None:
            self.wfile.write(b"220 test ESMTP\r\n")
            lines: list[bytes] | None = None
            while line := self.rfile.readline():
                if lines is not None:
                    if line == b".\r\n":
                        received.append(b"".join(lines))
                        lines = None
                        self.wfile.write(b"250 queued\r\n")
                    else:
                        lines.append(line[1:] if line.startswith(b"..") else line)
                    continue
                command = line.strip().upper()
                if command.startswith(b"EHLO"):
                    self.wfile.write(b"250-test\r\n250 AUTH PLAIN\r\n")
                elif command.startswith(b"AUTH"):
                    logins.append(line.strip())
                    self.wfile.write(b"235 ok\r\n")
                elif command == b"DATA":
                    lines = []
                    self.wfile.write(b"354 go on\r\n")
                elif command == b"QUIT":
                    self.wfile.write(b"221 bye\r\n")
                    return
                else:
                    self.wfile.write(b"250 ok\r\n")

    server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"smtp://mailer:s%40cret@127.0.0.1:{server.server_address[1]}?starttls=false", received, logins
    server.shutdown()
    server.server_close()


def test_the_smtp_mailer_delivers_and_the_file_mailer_writes_eml(
    smtp_server: tuple[str, list[bytes], list[bytes]], tmp_path: Path
) -> None:
    url, received, logins = smtp_server
    message = compose(sender="Patron <no-reply@shop.example>", to="lan@example.com", subject="Hi", text="Xin chào")
    SmtpMailer(url, timeout=5).send(message)
    [raw] = received
    parsed = email.message_from_bytes(raw, policy=email.policy.default)
    assert (parsed["To"], parsed["Subject"]) == ("lan@example.com", "Hi")
    assert isinstance(parsed, EmailMessage)
    assert parsed.get_content().strip() == "Xin chào"
    [login] = logins
    assert login.startswith(b"AUTH PLAIN")
    FileMailer(tmp_path / "out").send(message)
    [written] = list((tmp_path / "out").iterdir())
    assert written.suffix == ".eml"
    assert email.message_from_bytes(written.read_bytes())["To"] == "lan@example.com"
