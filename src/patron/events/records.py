"""Outbox and webhook rows as their repositories hand them to the services and the workers."""

from __future__ import annotations

import uuid
from datetime import datetime

import msgspec

from patron.events.schemas import DeliveryStatus
from patron.kernel.events import JSON
from patron.kernel.tenancy import ActorType


class EventRecord(msgspec.Struct, frozen=True, array_like=True):
    """An outbox event, its organization aside (every read names it).

    Array-like: the outbox is read without pause (feed, stream, webhooks, NATS), so its
    statements select these columns in this order and each row converts as a tuple
    (see `events.repository`).
    """

    seq: int
    id: uuid.UUID
    type: str
    occurred_at: datetime
    actor_type: ActorType
    actor_id: uuid.UUID | None
    subject_id: uuid.UUID
    # The event's payload as the outbox holds it: a JSON object (its fields by wire name).
    data: dict[str, JSON]


class CursorRecord(msgspec.Struct, frozen=True):
    """An organization with events past a consumer's cursor, and that cursor (0 when it has none)."""

    org_id: uuid.UUID
    seq: int


class WebhookRecord(msgspec.Struct, frozen=True):
    """A stored webhook: what `WebhookRead` shows, and what the dispatcher and the secret need."""

    org_id: uuid.UUID
    id: uuid.UUID
    url: str
    event_types: list[str]
    description: str | None
    active: bool
    secret_version: int
    cursor_seq: int
    created_at: datetime
    updated_at: datetime


class DeliveryRecord(msgspec.Struct, frozen=True):
    """One event's delivery to a webhook, as its log shows it."""

    id: uuid.UUID
    event_seq: int
    event_type: str
    status: DeliveryStatus
    attempts: int
    next_attempt_at: datetime
    created_at: datetime
    updated_at: datetime


class ClaimedDeliveryRecord(msgspec.Struct, frozen=True):
    """A due delivery leased by the dispatcher, with what of its webhook the try needs."""

    org_id: uuid.UUID
    id: uuid.UUID
    webhook_id: uuid.UUID
    event_seq: int
    event_type: str
    attempts: int
    url: str
    secret_version: int
    active: bool
