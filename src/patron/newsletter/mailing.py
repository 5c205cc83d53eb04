"""Confirmation mail for double opt-in, sent after the sign-up committed (an outbox consumer)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from patron.db.uow import Database
from patron.events import consumers
from patron.events.schemas import EventRead
from patron.kernel.tenancy import SYSTEM
from patron.mail.mailer import Mailer, compose
from patron.newsletter import repository as repo
from patron.newsletter.rules import LinkSigner

CONSUMER = "newsletter_confirmation"

_TEXT = {
    "en": (
        "Please confirm your subscription",
        "Hello,\n\nplease confirm that you want our newsletter by opening this link:\n\n{url}\n\n"
        "If you did not ask for it, ignore this message and nothing will be sent to you.\n",
    ),
    "vi": (
        "Vui lòng xác nhận đăng ký nhận bản tin",
        "Xin chào,\n\nvui lòng mở liên kết sau để xác nhận bạn muốn nhận bản tin của chúng tôi:\n\n{url}\n\n"
        "Nếu bạn không yêu cầu, hãy bỏ qua thư này; bạn sẽ không nhận được thư nào khác.\n",
    ),
}


@dataclass(frozen=True, slots=True)
class ConfirmationMail:
    """Sends the confirmation link of each pending sign-up once the sign-up has committed."""

    database: Database
    links: LinkSigner
    mailer: Mailer
    sender: str

    def handle(self, org_id: uuid.UUID, event: EventRead) -> None:
        if event.type != "subscriber.subscribed" or event.data.get("status") != "pending":
            return
        with self.database.unit_of_work(actor=SYSTEM, readonly=True) as uow:
            row = repo.get(uow.conn, org_id, event.subject_id)
        if row is None or row.status != "pending":
            return  # confirmed or gone meanwhile: nothing to ask
        url = self.links.url("confirm", org_id, row.id, row.token_version)
        subject, text = _TEXT["vi" if (row.locale or "").startswith("vi") else "en"]
        self.mailer.send(compose(sender=self.sender, to=row.email, subject=subject, text=text.format(url=url)))

    def run_once(self) -> int:
        """Send what is due; returns how many events were looked at."""
        return consumers.consume(self.database, CONSUMER, self.handle)
