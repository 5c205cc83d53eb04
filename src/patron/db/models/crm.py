from __future__ import annotations

import uuid
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from patron.db.base import Base, org_id_column


class Interaction(Base):
    """A call, email, meeting or note with a customer or company: who, when, what, how it went."""

    __tablename__ = "interaction"
    __table_args__ = (
        sa.ForeignKeyConstraint(["org_id", "customer_id"], ["customer.org_id", "customer.id"]),
        sa.ForeignKeyConstraint(["org_id", "company_id"], ["company.org_id", "company.id"]),
        sa.ForeignKeyConstraint(["org_id", "staff_id"], ["staff_user.org_id", "staff_user.id"]),
        sa.Index("ix_interaction_org_id_customer_id_occurred_at", "org_id", "customer_id", "occurred_at"),
        sa.Index("ix_interaction_org_id_company_id_occurred_at", "org_id", "company_id", "occurred_at"),
    )

    org_id: Mapped[uuid.UUID] = org_id_column()
    id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(sa.String(10))
    customer_id: Mapped[uuid.UUID | None]
    company_id: Mapped[uuid.UUID | None]
    staff_id: Mapped[uuid.UUID]
    occurred_at: Mapped[datetime]
    summary: Mapped[str] = mapped_column(sa.Text())
    outcome: Mapped[str | None] = mapped_column(sa.String(200))
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]


class Memo(Base):
    """A free-text staff note on a customer."""

    __tablename__ = "memo"
    __table_args__ = (
        sa.ForeignKeyConstraint(["org_id", "customer_id"], ["customer.org_id", "customer.id"]),
        sa.ForeignKeyConstraint(["org_id", "author_id"], ["staff_user.org_id", "staff_user.id"]),
        sa.Index("ix_memo_org_id_customer_id_created_at", "org_id", "customer_id", "created_at"),
    )

    org_id: Mapped[uuid.UUID] = org_id_column()
    id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    customer_id: Mapped[uuid.UUID]
    author_id: Mapped[uuid.UUID]
    body: Mapped[str] = mapped_column(sa.Text())
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]
