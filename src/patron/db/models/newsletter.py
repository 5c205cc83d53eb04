from __future__ import annotations

import uuid
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from patron.db.base import Base, org_id_column


class NewsletterSubscriber(Base):
    """One email on an organization's newsletter; `token_version` signs its public links.

    The links' tokens are HMACs over (org, id, token_version): nothing secret is stored,
    and bumping the version revokes every link given out before.
    """

    __tablename__ = "newsletter_subscriber"
    __table_args__ = (
        sa.UniqueConstraint("org_id", "email"),
        sa.Index("ix_newsletter_subscriber_org_id_status", "org_id", "status"),
        sa.Index("ix_newsletter_subscriber_org_id_created_at", "org_id", "created_at"),
        # a customer's subscriptions, for the access export, erasure and merge
        sa.Index("ix_newsletter_subscriber_org_id_customer_id", "org_id", "customer_id"),
    )

    org_id: Mapped[uuid.UUID] = org_id_column()
    id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(sa.String(320))
    status: Mapped[str] = mapped_column(sa.String(20))
    topics: Mapped[list[str]]
    locale: Mapped[str | None] = mapped_column(sa.String(35))
    # No foreign key: the customer may be purged or merged; the subscription outlives that.
    customer_id: Mapped[uuid.UUID | None]
    opt_in_level: Mapped[str] = mapped_column(sa.String(10))
    token_version: Mapped[int] = mapped_column(default=1)
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]
    subscribed_at: Mapped[datetime | None]
    confirmed_at: Mapped[datetime | None]
    unsubscribed_at: Mapped[datetime | None]


class NewsletterConsent(Base):
    """Consent evidence: every subscribe, confirmation and unsubscribe, as it happened."""

    __tablename__ = "newsletter_consent"
    __table_args__ = (
        sa.ForeignKeyConstraint(
            ["org_id", "subscriber_id"], ["newsletter_subscriber.org_id", "newsletter_subscriber.id"]
        ),
        sa.Index("ix_newsletter_consent_org_id_subscriber_id", "org_id", "subscriber_id"),
    )

    org_id: Mapped[uuid.UUID] = org_id_column()
    id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    subscriber_id: Mapped[uuid.UUID]
    action: Mapped[str] = mapped_column(sa.String(20))
    occurred_at: Mapped[datetime]
    source: Mapped[str] = mapped_column(sa.String(50))
    opt_in_level: Mapped[str] = mapped_column(sa.String(10))
    topics: Mapped[list[str]]
    ip_address: Mapped[str | None] = mapped_column(sa.String(45))
    user_agent: Mapped[str | None] = mapped_column(sa.String(500))
    consent_text: Mapped[str | None] = mapped_column(sa.Text)
