from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated, Any, Literal

from msgspec import UNSET, Meta, Struct, UnsetType

from patron.events.webhook_rules import EVENT_PATTERN
from patron.kernel.pagination import Page


class EventActor(Struct):
    type: str
    id: uuid.UUID | None


class EventRead(Struct):
    id: uuid.UUID
    cursor: str
    type: str
    occurred_at: datetime
    actor: EventActor
    subject_id: uuid.UUID
    data: dict[str, Any]


class EventPage(Page):
    """A feed: `next_cursor` is where to read on from (the given cursor again when nothing is new),
    so polling with it sees every event once."""

    items: list[EventRead]
    total_is_capped: Annotated[
        bool, Meta(description="more events match than were counted (1,000): total is a lower bound")
    ] = False


EventTypePattern = Annotated[str, Meta(max_length=61, pattern=EVENT_PATTERN.pattern, examples=["inquiry.*"])]
WebhookUrl = Annotated[str, Meta(min_length=1, max_length=2000, examples=["https://hooks.example.com/patron"])]


class WebhookCreate(Struct, forbid_unknown_fields=True):
    """`event_types`: `*`, a domain's events (`inquiry.*`) or single types (`customer.created`)."""

    url: WebhookUrl
    event_types: Annotated[list[EventTypePattern], Meta(min_length=1, max_length=50)]
    description: Annotated[str, Meta(max_length=200)] | None = None
    active: bool = True


class WebhookUpdate(Struct, forbid_unknown_fields=True):
    url: WebhookUrl | UnsetType = UNSET
    event_types: Annotated[list[EventTypePattern], Meta(min_length=1, max_length=50)] | UnsetType = UNSET
    description: Annotated[str, Meta(max_length=200)] | UnsetType | None = UNSET
    active: bool | UnsetType = UNSET


class WebhookRead(Struct):
    id: uuid.UUID
    url: str
    event_types: list[str]
    description: str | None
    active: bool
    created_at: datetime
    updated_at: datetime


class WebhookCreated(Struct):
    """The only answer that shows the signing secret."""

    webhook: WebhookRead
    secret: str


class WebhookPage(Page):
    items: list[WebhookRead]


DeliveryStatus = Literal["pending", "succeeded", "failed"]


class WebhookAttemptRead(Struct):
    attempted_at: datetime
    status_code: int | None
    error: str | None
    duration_ms: int


class WebhookDeliveryRead(Struct):
    id: uuid.UUID
    event_cursor: str
    event_type: str
    status: DeliveryStatus
    attempts: int
    next_attempt_at: datetime | None
    created_at: datetime
    updated_at: datetime
    attempt_log: list[WebhookAttemptRead]


class WebhookDeliveryPage(Page):
    items: list[WebhookDeliveryRead]
