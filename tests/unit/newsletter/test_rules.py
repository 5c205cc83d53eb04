"""Newsletter rules without a database: topics, sign-up statuses, the month, signed public links."""

from __future__ import annotations

import uuid
import zoneinfo
from datetime import UTC, datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from patron.newsletter import rules
from patron.newsletter.rules import LinkSigner

SIGNER = LinkSigner.for_service(b"a-secret-of-the-service-0123456789", "https://crm.example.com/")
ORG, SUBSCRIBER = uuid.uuid4(), uuid.uuid4()
_topics = st.lists(st.sampled_from(["news", " News", "OFFERS ", "events", "offers", "tin tức"]), max_size=8)


def test_topics_are_trimmed_lower_case_and_each_once_in_the_order_given() -> None:
    assert rules.normalise_topics([" News", "offers", "NEWS ", "Events"]) == ["news", "offers", "events"]


@given(_topics)
def test_normalising_topics_twice_changes_nothing(topics: list[str]) -> None:
    once = rules.normalise_topics(topics)
    assert rules.normalise_topics(once) == once
    assert set(once) == {t.strip().lower() for t in topics}


@given(_topics, _topics)
def test_a_sign_up_only_ever_adds_topics(current: list[str], incoming: list[str]) -> None:
    current, incoming = rules.normalise_topics(current), rules.normalise_topics(incoming)
    merged = rules.merge_topics(current, incoming)
    assert merged[: len(current)] == current
    assert set(merged) == set(current) | set(incoming)
    assert len(merged) == len(set(merged))


@pytest.mark.parametrize(
    ("current", "double_opt_in", "expected"),
    [
        (None, False, "subscribed"),
        (None, True, "pending"),
        ("pending", True, "pending"),
        ("pending", False, "subscribed"),
        ("unsubscribed", False, "subscribed"),
        ("unsubscribed", True, "pending"),  # coming back needs confirming again
        ("subscribed", True, "subscribed"),  # a confirmed subscriber is not asked again
        ("subscribed", False, "subscribed"),
    ],
)
def test_status_after_sign_up(current: str | None, double_opt_in: bool, expected: str) -> None:
    assert rules.status_after_sign_up(current, double_opt_in=double_opt_in) == expected


def test_the_month_starts_in_the_organizations_time_zone() -> None:
    # 00:30 on 1 March in Hồ Chí Minh City (UTC+7) is still February in UTC.
    now = datetime(2026, 2, 28, 17, 30, tzinfo=UTC)
    assert rules.month_start(now, "Asia/Ho_Chi_Minh") == datetime(2026, 2, 28, 17, 0, tzinfo=UTC)
    assert rules.month_start(now, "UTC") == datetime(2026, 2, 1, tzinfo=UTC)


@given(
    st.datetimes(min_value=datetime(2000, 1, 1), max_value=datetime(2100, 1, 1), timezones=st.just(UTC)),
    st.sampled_from(["UTC", "Asia/Ho_Chi_Minh", "Europe/Berlin", "America/New_York", "Pacific/Chatham"]),
)
def test_the_month_start_is_the_first_local_midnight_at_or_before_now(now: datetime, timezone: str) -> None:
    start = rules.month_start(now, timezone)
    assert start <= now
    local = start.astimezone(zoneinfo.ZoneInfo(timezone))
    assert (local.day, local.hour, local.minute, local.second) == (1, 0, 0, 0)
    assert (now - start).days < 31


def test_links_live_under_the_public_address() -> None:
    url = SIGNER.url("confirm", ORG, SUBSCRIBER, 0)
    assert url.startswith("https://crm.example.com/api/v1/public/newsletter/confirm/")
    assert url.rsplit("/", 1)[1] == SIGNER.token("confirm", ORG, SUBSCRIBER, 0)


@given(st.uuids(), st.uuids(), st.integers(0, 2**31), st.sampled_from(["confirm", "unsubscribe"]))
def test_a_token_names_its_subscriber_and_verifies_for_its_purpose_and_version_only(
    org_id: uuid.UUID, subscriber_id: uuid.UUID, version: int, purpose: rules.Purpose
) -> None:
    token = SIGNER.token(purpose, org_id, subscriber_id, version)
    claim = LinkSigner.read(token)
    assert claim is not None
    assert (claim.org_id, claim.subscriber_id) == (org_id, subscriber_id)
    assert SIGNER.verifies(purpose, claim, version)
    other: rules.Purpose = "unsubscribe" if purpose == "confirm" else "confirm"
    assert not SIGNER.verifies(other, claim, version)
    assert not SIGNER.verifies(purpose, claim, version + 1)  # bumping the version revokes every link
    assert not LinkSigner(b"another-secret-0123456789", SIGNER.base_url).verifies(purpose, claim, version)


def test_a_token_for_another_subscriber_does_not_verify() -> None:
    claim = LinkSigner.read(SIGNER.token("confirm", ORG, SUBSCRIBER, 0))
    assert claim is not None
    forged = rules.TokenClaim(claim.org_id, uuid.uuid4(), claim.mac)
    assert not SIGNER.verifies("confirm", forged, 0)


@pytest.mark.parametrize("token", ["", "not-a-token", "A" * 101, "!!!!", "QUJD"])
def test_what_is_not_shaped_like_a_token_reads_as_none(token: str) -> None:
    assert LinkSigner.read(token) is None


@given(st.text(max_size=120))
def test_reading_any_text_never_raises(token: str) -> None:
    claim = LinkSigner.read(token)
    assert claim is None or len(claim.mac) == 32
