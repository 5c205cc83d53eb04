"""Newsletter events (past tense), written to the outbox with the change; the subject is the subscriber."""

from __future__ import annotations

from typing import Annotated

from msgspec import Meta

from patron.kernel.events import DomainEvent
from patron.newsletter.schemas import SubscriberStatus


class SubscriberSubscribed(DomainEvent, frozen=True, kw_only=True):
    """Signed up (again): `subscribed`, or `pending` until the confirmation link is opened (double opt-in)."""

    type = "subscriber.subscribed"
    subject = "subscriber"
    status: Annotated[str, Meta(description="`subscribed`, or `pending` until confirmed")]
    topics: list[str]


class SubscriberConfirmed(DomainEvent, frozen=True, kw_only=True):
    """A pending subscriber opened the confirmation link."""

    type = "subscriber.confirmed"
    subject = "subscriber"
    topics: list[str]


class SubscriberUnsubscribed(DomainEvent, frozen=True, kw_only=True):
    """The subscriber unsubscribed by the link in a mail."""

    type = "subscriber.unsubscribed"
    subject = "subscriber"
    previous_status: SubscriberStatus


class SubscriberTopicsChanged(DomainEvent, frozen=True, kw_only=True):
    """Signing up again added topics."""

    type = "subscriber.topics_changed"
    subject = "subscriber"
    topics: Annotated[list[str], Meta(description="every topic now")]


class SubscriberLinksRevoked(DomainEvent, frozen=True, kw_only=True):
    """Every unsubscribe and confirmation link given out before stopped working."""

    type = "subscriber.links_revoked"
    subject = "subscriber"


EVENTS = (
    SubscriberSubscribed,
    SubscriberConfirmed,
    SubscriberUnsubscribed,
    SubscriberTopicsChanged,
    SubscriberLinksRevoked,
)
