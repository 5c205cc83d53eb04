from __future__ import annotations

import uuid
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from patron.db.base import Base, org_id_column


class LoyaltyEntry(Base):
    """One append-only line of a customer's points ledger; rows are never updated or deleted.

    `points` moves the balance; `lifetime_points` moves lifetime earnings (the tier basis).
    The partial unique index makes an order's award and its reversal exist at most once,
    whatever the concurrency: the database decides, not a read-then-write check.
    """

    __tablename__ = "loyalty_entry"
    __table_args__ = (
        sa.ForeignKeyConstraint(["org_id", "customer_id"], ["customer.org_id", "customer.id"]),
        sa.ForeignKeyConstraint(["org_id", "order_id"], ["shop_order.org_id", "shop_order.id"]),
        sa.Index(
            "uq_loyalty_entry_org_id_order_id_kind",
            "org_id",
            "order_id",
            "kind",
            unique=True,
            sqlite_where=sa.text("kind IN ('award', 'reversal')"),
            postgresql_where=sa.text("kind IN ('award', 'reversal')"),
        ),
        sa.Index("ix_loyalty_entry_org_id_customer_id", "org_id", "customer_id", "id"),
    )

    org_id: Mapped[uuid.UUID] = org_id_column()
    id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    customer_id: Mapped[uuid.UUID]
    kind: Mapped[str] = mapped_column(sa.String(20))
    points: Mapped[int] = mapped_column(sa.BigInteger)
    lifetime_points: Mapped[int] = mapped_column(sa.BigInteger)
    shortfall: Mapped[int] = mapped_column(sa.BigInteger)
    order_id: Mapped[uuid.UUID | None]
    reason: Mapped[str | None] = mapped_column(sa.String(500))
    created_at: Mapped[datetime]
