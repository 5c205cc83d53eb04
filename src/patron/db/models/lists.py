from __future__ import annotations

import uuid
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from patron.db.base import Base, org_id_column


class CustomerList(Base):
    """A named list of product references (a wishlist or any other list) of one customer.

    A shared list is found by the SHA-256 of its link token; the token itself is never stored.
    """

    __tablename__ = "customer_list"
    __table_args__ = (
        sa.ForeignKeyConstraint(["org_id", "customer_id"], ["customer.org_id", "customer.id"], ondelete="CASCADE"),
        sa.Index("ix_customer_list_org_id_customer_id", "org_id", "customer_id"),
        # Public links carry no organization: they are looked up by the hash alone.
        sa.Index("ix_customer_list_share_token_hash", "share_token_hash"),
    )

    org_id: Mapped[uuid.UUID] = org_id_column()
    id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    customer_id: Mapped[uuid.UUID]
    name: Mapped[str] = mapped_column(sa.String(200))
    kind: Mapped[str] = mapped_column(sa.String(20))
    share_token_hash: Mapped[bytes | None] = mapped_column(sa.LargeBinary(32))
    shared_at: Mapped[datetime | None]
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]


class CustomerListItem(Base):
    __tablename__ = "customer_list_item"
    __table_args__ = (
        sa.UniqueConstraint("org_id", "list_id", "product_ref"),
        sa.ForeignKeyConstraint(
            ["org_id", "list_id"], ["customer_list.org_id", "customer_list.id"], ondelete="CASCADE"
        ),
    )

    org_id: Mapped[uuid.UUID] = org_id_column()
    id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    list_id: Mapped[uuid.UUID]
    product_ref: Mapped[str] = mapped_column(sa.String(200))
    quantity: Mapped[int]
    note: Mapped[str | None] = mapped_column(sa.String(1000))
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]
