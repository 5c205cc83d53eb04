"""Subscribers as their repository hands them to the service (consents come as `ConsentRead`)."""

from __future__ import annotations

import uuid
from datetime import datetime

import msgspec

from patron.newsletter.schemas import OptInLevel, SubscriberStatus


class SubscriberRecord(msgspec.Struct, frozen=True):
    """A stored subscriber: `SubscriberRead` but for its link, with the tenant key and the
    version its links are signed with (neither is shown)."""

    org_id: uuid.UUID
    id: uuid.UUID
    email: str
    status: SubscriberStatus
    topics: list[str]
    locale: str | None
    customer_id: uuid.UUID | None
    opt_in_level: OptInLevel
    token_version: int
    created_at: datetime
    updated_at: datetime
    subscribed_at: datetime | None
    confirmed_at: datetime | None
    unsubscribed_at: datetime | None


class SubscriberLink(msgspec.Struct, frozen=True):
    """A subscriber's email and the customer it links to, as linking reads them."""

    id: uuid.UUID
    email: str
    customer_id: uuid.UUID | None


class LinkOutcome(msgspec.Struct, frozen=True):
    """What a public link (confirm, unsubscribe) left the subscription as, and the subscriber's
    language, for a page that says so to the person who opened it."""

    status: SubscriberStatus
    locale: str | None
