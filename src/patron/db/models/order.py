from __future__ import annotations

import uuid
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from patron.db.base import Base, org_id_column


class Order(Base):
    """An order of the commerce system, as far as attribution and loyalty need it.

    The table is `shop_order`: `order` is a reserved word in SQL.
    """

    __tablename__ = "shop_order"
    __table_args__ = (
        sa.UniqueConstraint("org_id", "external_ref"),
        sa.ForeignKeyConstraint(["org_id", "customer_id"], ["customer.org_id", "customer.id"]),
        # A customer's orders by date; with status, currency and total the analytics' reads of
        # paid orders (retention by customer, growth by organization) need no table rows.
        sa.Index(
            "ix_shop_order_org_id_customer_id", "org_id", "customer_id", "placed_at", "status", "currency", "total"
        ),
    )

    org_id: Mapped[uuid.UUID] = org_id_column()
    id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    external_ref: Mapped[str] = mapped_column(sa.String(100))
    customer_id: Mapped[uuid.UUID | None]
    total: Mapped[int] = mapped_column(sa.BigInteger)
    currency: Mapped[str] = mapped_column(sa.String(3))
    status: Mapped[str] = mapped_column(sa.String(20))
    placed_at: Mapped[datetime]
    paid_at: Mapped[datetime | None]
    refunded_at: Mapped[datetime | None]
    cancelled_at: Mapped[datetime | None]
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]
