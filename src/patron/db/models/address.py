from __future__ import annotations

import uuid
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from patron.db.base import Base, org_id_column


class Address(Base):
    """A customer's address; at most one default shipping and one default billing per customer."""

    __tablename__ = "address"
    __table_args__ = (
        sa.ForeignKeyConstraint(["org_id", "customer_id"], ["customer.org_id", "customer.id"], ondelete="CASCADE"),
        sa.Index("ix_address_org_id_customer_id", "org_id", "customer_id"),
        sa.Index(
            "uq_address_org_id_customer_id_default_shipping",
            "org_id",
            "customer_id",
            unique=True,
            sqlite_where=sa.text("is_default_shipping"),
            postgresql_where=sa.text("is_default_shipping"),
        ),
        sa.Index(
            "uq_address_org_id_customer_id_default_billing",
            "org_id",
            "customer_id",
            unique=True,
            sqlite_where=sa.text("is_default_billing"),
            postgresql_where=sa.text("is_default_billing"),
        ),
    )

    org_id: Mapped[uuid.UUID] = org_id_column()
    id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    customer_id: Mapped[uuid.UUID]
    name: Mapped[str | None] = mapped_column(sa.String(200))
    company: Mapped[str | None] = mapped_column(sa.String(200))
    street: Mapped[str] = mapped_column(sa.String(200))
    house_number: Mapped[str | None] = mapped_column(sa.String(20))
    extra_line: Mapped[str | None] = mapped_column(sa.String(200))
    postcode: Mapped[str | None] = mapped_column(sa.String(20))
    city: Mapped[str] = mapped_column(sa.String(100))
    state: Mapped[str | None] = mapped_column(sa.String(100))
    country: Mapped[str] = mapped_column(sa.String(2))
    phone: Mapped[str | None] = mapped_column(sa.String(20))
    is_default_shipping: Mapped[bool] = mapped_column(default=False)
    is_default_billing: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]
