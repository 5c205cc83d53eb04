"""Wire shapes for the newsletter (msgspec, unknown fields rejected)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Annotated, Literal

import msgspec
from msgspec import Meta, Struct

from patron.kernel import validators
from patron.kernel.pagination import Page

SubscriberStatus = Literal["pending", "subscribed", "unsubscribed"]
OptInLevel = Literal["single", "double"]
Topic = Annotated[str, Meta(min_length=1, max_length=50, pattern=r"^[A-Za-z0-9][A-Za-z0-9_-]*$", examples=["offers"])]


class SubscriptionCreate(Struct, forbid_unknown_fields=True):
    """A public sign-up. `consent_text` is the wording the form showed, kept as evidence."""

    email: Annotated[str, Meta(max_length=320, examples=["lan.nguyen@example.com"]), validators.EMAIL]
    topics: Annotated[list[Topic], Meta(max_length=20)] = msgspec.field(default_factory=list)
    locale: Annotated[str, Meta(max_length=35, examples=["vi"]), validators.LOCALE] | None = None
    consent_text: Annotated[str, Meta(max_length=2000)] | None = None
    source: Annotated[str, Meta(min_length=1, max_length=50, examples=["website-footer"])] = "website"


class SubscriptionStatus(Struct):
    """All the public learns: the state of the subscription after the call."""

    status: SubscriberStatus


class SubscriberRead(Struct):
    id: uuid.UUID
    email: str
    status: SubscriberStatus
    topics: list[str]
    locale: str | None
    customer_id: uuid.UUID | None
    opt_in_level: OptInLevel
    subscribed_at: datetime | None
    confirmed_at: datetime | None
    unsubscribed_at: datetime | None
    created_at: datetime
    updated_at: datetime
    unsubscribe_url: str


class ConsentRead(Struct):
    action: Literal["subscribe", "confirm", "unsubscribe"]
    occurred_at: datetime
    source: str
    opt_in_level: OptInLevel
    topics: list[str]
    ip_address: str | None
    user_agent: str | None
    consent_text: str | None


class SubscriberDetail(Struct):
    subscriber: SubscriberRead
    consents: list[ConsentRead]


class SubscriberPage(Page):
    items: list[SubscriberRead]


class NewsletterStats(Struct):
    """Counts over all subscribers; `by_topic` counts subscribed ones per topic; `new_this_month`
    counts sign-ups since the first of the month in the organization's time zone."""

    total: int
    subscribed: int
    pending: int
    unsubscribed: int
    new_this_month: int
    by_status: dict[str, int]
    by_topic: dict[str, int]


@dataclass(frozen=True, slots=True)
class ClientInfo:
    """Who clicked or submitted, kept as consent evidence."""

    ip_address: str | None
    user_agent: str | None
