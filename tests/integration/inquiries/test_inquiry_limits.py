"""The inquiry rate limit counts per email as well as per address, in fixed windows."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from patron.db.uow import Database
from patron.inquiries import service as inquiries
from patron.inquiries.schemas import InquiryCreate
from patron.kernel.errors import TooManyRequests
from patron.kernel.tenancy import Actor, ActorType
from patron.ratelimits import rules
from tests.factories import Api, unique, within_one_rate_window


def test_one_email_from_many_addresses_is_limited_too(api: Api, database: Database) -> None:
    org = api.create_org()
    email = f"{unique('m')}@example.com"

    def send(ip: str) -> None:
        with database.unit_of_work(actor=Actor(ActorType.PUBLIC)) as uow:
            data = InquiryCreate(name="M", email=email, message="hi")
            inquiries.submit_inquiry(
                uow, org_slug=org.slug, data=data, client_ip=ip, user_agent=None, rate_limit=(3, 3600)
            )

    within_one_rate_window()
    for i in range(3):
        send(f"10.0.0.{i}")
    with pytest.raises(TooManyRequests):
        send("10.0.0.99")
    assert org.get("/inquiries").json()["total"] == 3


def test_windows_are_fixed_and_aligned() -> None:
    now = datetime(2026, 11, 22, 19, 59, 30, tzinfo=UTC)
    assert rules.window_start(now, 3600) == datetime(2026, 11, 22, 19, 0, tzinfo=UTC)
    assert rules.retry_after(now, 3600) == 30
    assert rules.window_start(now, 60) == datetime(2026, 11, 22, 19, 59, tzinfo=UTC)
