from __future__ import annotations

import uuid
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from patron.db.base import Base, org_id_column


class Webhook(Base):
    """A URL that receives the organization's events.

    Its signing secret is derived from the server secret and (org, id, secret_version), so the
    database never holds it. `cursor_seq` is the last outbox event turned into deliveries.
    """

    __tablename__ = "webhook"

    org_id: Mapped[uuid.UUID] = org_id_column()
    id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    url: Mapped[str] = mapped_column(sa.String(2000))
    event_types: Mapped[list[str]]
    description: Mapped[str | None] = mapped_column(sa.String(200))
    active: Mapped[bool] = mapped_column(default=True)
    secret_version: Mapped[int] = mapped_column(default=1)
    cursor_seq: Mapped[int] = mapped_column(sa.BigInteger)
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]


class WebhookDelivery(Base):
    """One event to deliver to one webhook, retried until it succeeds or attempts run out."""

    __tablename__ = "webhook_delivery"
    __table_args__ = (
        sa.ForeignKeyConstraint(["org_id", "webhook_id"], ["webhook.org_id", "webhook.id"]),
        sa.UniqueConstraint("org_id", "webhook_id", "event_seq"),
        # The dispatcher's scan: due deliveries of every organization.
        sa.Index("ix_webhook_delivery_status_next_attempt_at", "status", "next_attempt_at"),
    )

    org_id: Mapped[uuid.UUID] = org_id_column()
    id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    webhook_id: Mapped[uuid.UUID]
    event_seq: Mapped[int] = mapped_column(sa.BigInteger)
    event_type: Mapped[str] = mapped_column(sa.String(60))
    status: Mapped[str] = mapped_column(sa.String(20))
    attempts: Mapped[int] = mapped_column(default=0)
    next_attempt_at: Mapped[datetime]
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]


class WebhookAttempt(Base):
    """The log of one try: what the receiver answered, or why nothing was sent."""

    __tablename__ = "webhook_attempt"
    __table_args__ = (
        sa.ForeignKeyConstraint(["org_id", "delivery_id"], ["webhook_delivery.org_id", "webhook_delivery.id"]),
        sa.Index("ix_webhook_attempt_org_id_delivery_id", "org_id", "delivery_id"),
    )

    org_id: Mapped[uuid.UUID] = org_id_column()
    id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    delivery_id: Mapped[uuid.UUID]
    attempted_at: Mapped[datetime]
    status_code: Mapped[int | None]
    error: Mapped[str | None] = mapped_column(sa.String(500))
    duration_ms: Mapped[int]
