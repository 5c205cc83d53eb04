"""Webhook queries. Staff queries start from the organization; the dispatcher's scans span
organizations on purpose (it is the system's worker) and then act on one row at a time."""

from __future__ import annotations

import uuid
from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Row

from patron.db.base import table
from patron.db.models import OrgCounter, Webhook, WebhookAttempt, WebhookDelivery

webhook = table(Webhook)
delivery = table(WebhookDelivery)
attempt = table(WebhookAttempt)
_counter = table(OrgCounter)


def _of(org_id: uuid.UUID) -> sa.Select[Any]:
    return sa.select(webhook).where(webhook.c.org_id == org_id)


def insert(conn: Connection, values: Mapping[str, Any]) -> Row[Any]:
    return conn.execute(sa.insert(webhook).values(**values).returning(*webhook.c)).one()


def get(conn: Connection, org_id: uuid.UUID, webhook_id: uuid.UUID, *, for_update: bool = False) -> Row[Any] | None:
    stmt = _of(org_id).where(webhook.c.id == webhook_id)
    if for_update:
        stmt = stmt.with_for_update()
    return conn.execute(stmt).one_or_none()


def list_all(conn: Connection, org_id: uuid.UUID) -> list[Row[Any]]:
    return list(conn.execute(_of(org_id).order_by(webhook.c.created_at, webhook.c.id)))


def update(conn: Connection, org_id: uuid.UUID, webhook_id: uuid.UUID, values: Mapping[str, Any]) -> Row[Any]:
    stmt = (
        sa.update(webhook)
        .where(webhook.c.org_id == org_id, webhook.c.id == webhook_id)
        .values(**values)
        .returning(*webhook.c)
    )
    return conn.execute(stmt).one()


def delete(conn: Connection, org_id: uuid.UUID, webhook_id: uuid.UUID) -> None:
    """The webhook with its deliveries and their attempt log."""
    deliveries = sa.select(delivery.c.id).where(delivery.c.org_id == org_id, delivery.c.webhook_id == webhook_id)
    conn.execute(sa.delete(attempt).where(attempt.c.org_id == org_id, attempt.c.delivery_id.in_(deliveries)))
    conn.execute(sa.delete(delivery).where(delivery.c.org_id == org_id, delivery.c.webhook_id == webhook_id))
    conn.execute(sa.delete(webhook).where(webhook.c.org_id == org_id, webhook.c.id == webhook_id))


def deliveries(conn: Connection, org_id: uuid.UUID, webhook_id: uuid.UUID, *, limit: int) -> list[Row[Any]]:
    stmt = (
        sa.select(delivery)
        .where(delivery.c.org_id == org_id, delivery.c.webhook_id == webhook_id)
        .order_by(delivery.c.event_seq.desc())
        .limit(limit)
    )
    return list(conn.execute(stmt))


def attempts_of(conn: Connection, org_id: uuid.UUID, delivery_ids: Sequence[uuid.UUID]) -> list[Row[Any]]:
    if not delivery_ids:
        return []
    stmt = (
        sa.select(attempt)
        .where(attempt.c.org_id == org_id, attempt.c.delivery_id.in_(delivery_ids))
        .order_by(attempt.c.attempted_at, attempt.c.id)
    )
    return list(conn.execute(stmt))


# The dispatcher.


def behind(conn: Connection, *, limit: int) -> list[Row[Any]]:
    """Active webhooks whose organization has events past their cursor (locked, skipping ones another worker holds)."""
    stmt = (
        sa.select(webhook)
        .join(_counter, sa.and_(_counter.c.org_id == webhook.c.org_id, _counter.c.name == "event_seq"))
        .where(webhook.c.active.is_(True), _counter.c.value > webhook.c.cursor_seq)
        .limit(limit)
        .with_for_update(of=webhook, skip_locked=True)
    )
    return list(conn.execute(stmt))


def insert_deliveries(conn: Connection, rows: Sequence[Mapping[str, Any]]) -> None:
    if rows:
        conn.execute(sa.insert(delivery), list(rows))


def claim_due(conn: Connection, *, now: datetime, lease_until: datetime, limit: int) -> list[Row[Any]]:
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
    claimed: list[Row[Any]] = []
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
        claimed.append(row)
    return claimed


def insert_attempt(conn: Connection, values: Mapping[str, Any]) -> None:
    conn.execute(sa.insert(attempt).values(**values))


def update_delivery(conn: Connection, org_id: uuid.UUID, delivery_id: uuid.UUID, values: Mapping[str, Any]) -> None:
    conn.execute(sa.update(delivery).where(delivery.c.org_id == org_id, delivery.c.id == delivery_id).values(**values))
