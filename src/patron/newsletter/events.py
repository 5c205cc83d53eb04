"""Newsletter events (past tense), written to the outbox with the change."""

from __future__ import annotations

from dataclasses import dataclass

from patron.kernel.events import DomainEvent


@dataclass(frozen=True, slots=True)
class SubscriberSubscribed(DomainEvent):
    """Signed up (again): `data.status` is `subscribed`, or `pending` until confirmed (double opt-in)."""

    type = "subscriber.subscribed"


@dataclass(frozen=True, slots=True)
class SubscriberConfirmed(DomainEvent):
    type = "subscriber.confirmed"


@dataclass(frozen=True, slots=True)
class SubscriberUnsubscribed(DomainEvent):
    type = "subscriber.unsubscribed"


@dataclass(frozen=True, slots=True)
class SubscriberTopicsChanged(DomainEvent):
    type = "subscriber.topics_changed"


@dataclass(frozen=True, slots=True)
class SubscriberLinksRevoked(DomainEvent):
    type = "subscriber.links_revoked"
