"""Webhook queries. Staff queries start from the organization; the dispatcher's scans span
organizations on purpose (it is the system's worker) and then act on one row at a time.

Webhooks come back as `WebhookRecord`, deliveries as `DeliveryRecord` (the dispatcher's as
`ClaimedDeliveryRecord`), attempts as their read schema `WebhookAttemptRead`."""

from __future__ import annotations

import uuid
from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from patron.db import paging
from patron.db.base import table
from patron.db.models import OrgCounter, Webhook, WebhookAttempt, WebhookDelivery
from patron.db.records import record, record_or_none, records
from patron.events.records import ClaimedDeliveryRecord, DeliveryRecord, WebhookRecord
from patron.events.schemas import WebhookAttemptRead
from patron.kernel import pagination

webhook = table(Webhook)
delivery = table(WebhookDelivery)
attempt = table(WebhookAttempt)
_counter = table(OrgCounter)


def _of(org_id: uuid.UUID) -> sa.Select[Any]:
    return sa.select(webhook).where(webhook.c.org_id == org_id)


def insert(conn: Connection, values: Mapping[str, Any]) -> WebhookRecord:
    return record(conn.execute(sa.insert(webhook).values(**values).returning(*webhook.c)).one(), WebhookRecord)


def get(
    conn: Connection, org_id: uuid.UUID, webhook_id: uuid.UUID, *, for_update: bool = False
) -> WebhookRecord | None:
    stmt = _of(org_id).where(webhook.c.id == webhook_id)
    if for_update:
        stmt = stmt.with_for_update()
    return record_or_none(conn.execute(stmt).one_or_none(), WebhookRecord)


WEBHOOKS = pagination.oldest_first("webhooks")
DELIVERIES = pagination.Keyset(
    "webhook deliveries",
    (pagination.Key("event_seq", pagination.BigInt, descending=True), pagination.Key("id", uuid.UUID, descending=True)),
)


def list_page(conn: Connection, org_id: uuid.UUID, page: pagination.PageRequest) -> tuple[list[WebhookRecord], int]:
    """A page of webhooks, oldest first (up to limit + 1), and how many there are."""
    stmt = _of(org_id)
    return paging.fetch(conn, stmt, webhook.c, page, WebhookRecord)


def update(conn: Connection, org_id: uuid.UUID, webhook_id: uuid.UUID, values: Mapping[str, Any]) -> WebhookRecord:
    stmt = (
        sa.update(webhook)
        .where(webhook.c.org_id == org_id, webhook.c.id == webhook_id)
        .values(**values)
        .returning(*webhook.c)
    )
    return record(conn.execute(stmt).one(), WebhookRecord)


def delete(conn: Connection, org_id: uuid.UUID, webhook_id: uuid.UUID) -> None:
    """The webhook with its deliveries and their attempt log."""
    deliveries = sa.select(delivery.c.id).where(delivery.c.org_id == org_id, delivery.c.webhook_id == webhook_id)
    conn.execute(sa.delete(attempt).where(attempt.c.org_id == org_id, attempt.c.delivery_id.in_(deliveries)))
    conn.execute(sa.delete(delivery).where(delivery.c.org_id == org_id, delivery.c.webhook_id == webhook_id))
    conn.execute(sa.delete(webhook).where(webhook.c.org_id == org_id, webhook.c.id == webhook_id))


def deliveries(
    conn: Connection, org_id: uuid.UUID, webhook_id: uuid.UUID, page: pagination.PageRequest
) -> tuple[list[DeliveryRecord], int]:
    """A page of the webhook's deliveries, newest event first, and how many there are."""
    stmt = sa.select(delivery).where(delivery.c.org_id == org_id, delivery.c.webhook_id == webhook_id)
    return paging.fetch(conn, stmt, delivery.c, page, DeliveryRecord)


def attempts_of(
    conn: Connection, org_id: uuid.UUID, delivery_ids: Sequence[uuid.UUID]
) -> dict[uuid.UUID, list[WebhookAttemptRead]]:
    """The log of each of these deliveries (every one of them a key), oldest try first."""
    log: dict[uuid.UUID, list[WebhookAttemptRead]] = {delivery_id: [] for delivery_id in delivery_ids}
    if not delivery_ids:
        return log
    stmt = (
        sa.select(attempt)
        .where(attempt.c.org_id == org_id, attempt.c.delivery_id.in_(delivery_ids))
        .order_by(attempt.c.attempted_at, attempt.c.id)
    )
    for row in conn.execute(stmt):
        log[row.delivery_id].append(record(row, WebhookAttemptRead))
    return log


# The dispatcher.


def behind(conn: Connection, *, limit: int) -> list[WebhookRecord]:
    """Active webhooks whose organization has events past their cursor (locked, skipping ones another worker holds)."""
    stmt = (
        sa.select(webhook)
        .join(_counter, sa.and_(_counter.c.org_id == webhook.c.org_id, _counter.c.name == "event_seq"))
        .where(webhook.c.active.is_(True), _counter.c.value > webhook.c.cursor_seq)
        .limit(limit)
        .with_for_update(of=webhook, skip_locked=True)
    )
    return records(conn.execute(stmt), WebhookRecord)


def insert_deliveries(conn: Connection, rows: Sequence[Mapping[str, Any]]) -> None:
    if rows:
        conn.execute(sa.insert(delivery), list(rows))


def claim_due(conn: Connection, *, now: datetime, lease_until: datetime, limit: int) -> list[ClaimedDeliveryRecord]:
    """Due pending deliveries with their webhook, leased until `lease_until` so no other worker takes them.

    A worker that dies mid-delivery lets the lease run out and another one retries: at least once.
    """
    stmt = (
        sa.select(delivery.c.org_id, delivery.c.id)
        .where(delivery.c.status == "pending", delivery.c.next_attempt_at <= now)
        .order_by(delivery.c.next_attempt_at)
        .limit(limit)
        .with_for_update(skip_locked=True)
    )
    keys = list(conn.execute(stmt))
    claimed: list[ClaimedDeliveryRecord] = []
    for org_id, delivery_id in keys:
        conn.execute(
            sa.update(delivery)
            .where(delivery.c.org_id == org_id, delivery.c.id == delivery_id)
            .values(next_attempt_at=lease_until)
        )
        row = conn.execute(
            sa.select(
                delivery,
                webhook.c.url,
                webhook.c.secret_version,
                webhook.c.active,
            )
            .join(webhook, sa.and_(webhook.c.org_id == delivery.c.org_id, webhook.c.id == delivery.c.webhook_id))
            .where(delivery.c.org_id == org_id, delivery.c.id == delivery_id)
        ).one()
        claimed.append(record(row, ClaimedDeliveryRecord))
    return claimed


def insert_attempt(conn: Connection, values: Mapping[str, Any]) -> None:
    conn.execute(sa.insert(attempt).values(**values))


def update_delivery(conn: Connection, org_id: uuid.UUID, delivery_id: uuid.UUID, values: Mapping[str, Any]) -> None:
    conn.execute(sa.update(delivery).where(delivery.c.org_id == org_id, delivery.c.id == delivery_id).values(**values))
