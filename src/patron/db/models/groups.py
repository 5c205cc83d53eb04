from __future__ import annotations

import uuid
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from patron.db.base import Base, org_id_column


class CustomerGroup(Base):
    """A named group of customers; members of a merchant group are always merchants."""

    __tablename__ = "customer_group"
    __table_args__ = (sa.UniqueConstraint("org_id", "name"),)

    org_id: Mapped[uuid.UUID] = org_id_column()
    id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(100))
    is_merchant: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]


class GroupProductRule(Base):
    """One product on a group's allow or deny list (`kind`)."""

    __tablename__ = "group_product_rule"
    __table_args__ = (
        sa.ForeignKeyConstraint(
            ["org_id", "group_id"], ["customer_group.org_id", "customer_group.id"], ondelete="CASCADE"
        ),
    )

    org_id: Mapped[uuid.UUID] = org_id_column()
    group_id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(sa.String(5), primary_key=True)
    product_ref: Mapped[str] = mapped_column(sa.String(100), primary_key=True)


class CustomerProductRule(Base):
    """One product on a customer's own allow or deny list (`kind`)."""

    __tablename__ = "customer_product_rule"
    __table_args__ = (
        sa.ForeignKeyConstraint(["org_id", "customer_id"], ["customer.org_id", "customer.id"], ondelete="CASCADE"),
    )

    org_id: Mapped[uuid.UUID] = org_id_column()
    customer_id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(sa.String(5), primary_key=True)
    product_ref: Mapped[str] = mapped_column(sa.String(100), primary_key=True)
