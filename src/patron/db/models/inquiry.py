from __future__ import annotations

import uuid
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from patron.db.base import Base, org_id_column


class Inquiry(Base):
    """A sales inquiry from the public form, worked through new → assigned → replied → converted | lost."""

    __tablename__ = "inquiry"
    __table_args__ = (
        sa.ForeignKeyConstraint(["org_id", "assigned_to"], ["staff_user.org_id", "staff_user.id"]),
        sa.Index("ix_inquiry_org_id_created_at", "org_id", "created_at"),
        sa.Index("ix_inquiry_org_id_status", "org_id", "status"),
        sa.Index("ix_inquiry_org_id_customer_id", "org_id", "customer_id"),
    )

    org_id: Mapped[uuid.UUID] = org_id_column()
    id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(200))
    email: Mapped[str] = mapped_column(sa.String(320))
    phone: Mapped[str | None] = mapped_column(sa.String(20))
    company_name: Mapped[str | None] = mapped_column(sa.String(200))
    message: Mapped[str] = mapped_column(sa.Text)
    status: Mapped[str] = mapped_column(sa.String(20))
    assigned_to: Mapped[uuid.UUID | None]
    # No foreign key: the customer may later be purged or merged; the inquiry keeps its history.
    customer_id: Mapped[uuid.UUID | None]
    lost_reason: Mapped[str | None] = mapped_column(sa.String(500))
    client_ip: Mapped[str | None] = mapped_column(sa.String(45))
    user_agent: Mapped[str | None] = mapped_column(sa.String(500))
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]
    closed_at: Mapped[datetime | None]


class InquiryReply(Base):
    __tablename__ = "inquiry_reply"
    __table_args__ = (
        sa.ForeignKeyConstraint(["org_id", "inquiry_id"], ["inquiry.org_id", "inquiry.id"]),
        sa.ForeignKeyConstraint(["org_id", "staff_id"], ["staff_user.org_id", "staff_user.id"]),
        sa.Index("ix_inquiry_reply_org_id_inquiry_id", "org_id", "inquiry_id"),
    )

    org_id: Mapped[uuid.UUID] = org_id_column()
    id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    inquiry_id: Mapped[uuid.UUID]
    staff_id: Mapped[uuid.UUID]
    message: Mapped[str] = mapped_column(sa.Text)
    created_at: Mapped[datetime]


class InquiryRateWindow(Base):
    """Fixed-window counters of public inquiries per client address and per email.

    In the database, so every server process counts against the same limit.
    """

    __tablename__ = "inquiry_rate_window"
    __table_args__ = (sa.Index("ix_inquiry_rate_window_org_id_window_start", "org_id", "window_start"),)

    org_id: Mapped[uuid.UUID] = org_id_column()
    key: Mapped[str] = mapped_column(sa.String(400), primary_key=True)
    window_start: Mapped[datetime]
    hits: Mapped[int]
