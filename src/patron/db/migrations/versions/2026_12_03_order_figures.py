"""order figures: each customer's paid orders (count, total, first and last) and lifetime points, kept on the row

Revision ID: 4f1c2a9d7e30
Revises: 6d8cf8401253
Create Date: 2026-12-03 09:45:00
"""

from __future__ import annotations

import json

import sqlalchemy as sa
from alembic import op

revision = "4f1c2a9d7e30"
down_revision = "6d8cf8401253"
branch_labels = None
depends_on = None

_DEFAULT_CURRENCY = "USD"  # patron.identity.schemas.OrganizationSettings.currency as of this revision


def upgrade() -> None:
    # Plain ADD COLUMN (no batch table copy): the FTS index refers to customer's rowids.
    op.add_column("customer", sa.Column("lifetime_points", sa.BigInteger(), server_default="0", nullable=False))
    op.add_column("customer", sa.Column("orders_count", sa.Integer(), server_default="0", nullable=False))
    op.add_column("customer", sa.Column("total_spent", sa.BigInteger(), server_default="0", nullable=False))
    op.add_column("customer", sa.Column("first_order_at", sa.DateTime(timezone=True), nullable=True))
    op.add_column("customer", sa.Column("last_order_at", sa.DateTime(timezone=True), nullable=True))

    conn = op.get_bind()
    customer = sa.table(
        "customer",
        sa.column("org_id"),
        sa.column("id"),
        sa.column("lifetime_points"),
        sa.column("orders_count"),
        sa.column("total_spent"),
        sa.column("first_order_at"),
        sa.column("last_order_at"),
    )
    order = sa.table(
        "shop_order",
        sa.column("org_id"),
        sa.column("customer_id"),
        sa.column("status"),
        sa.column("currency"),
        sa.column("total"),
        sa.column("placed_at"),
    )
    entry = sa.table("loyalty_entry", sa.column("org_id"), sa.column("customer_id"), sa.column("lifetime_points"))
    organization = sa.table("organization", sa.column("id"), sa.column("settings"))
    for org_id, settings in conn.execute(sa.select(organization.c.id, organization.c.settings)).all():
        if isinstance(settings, str):
            settings = json.loads(settings)
        currency = (settings or {}).get("currency") or _DEFAULT_CURRENCY
        paid = (
            sa.select()
            .select_from(order)
            .where(
                order.c.org_id == customer.c.org_id,
                order.c.customer_id == customer.c.id,
                order.c.status == "paid",
                order.c.currency == currency,
            )
        )
        earned = sa.select(sa.func.coalesce(sa.func.sum(entry.c.lifetime_points), 0)).where(
            entry.c.org_id == customer.c.org_id, entry.c.customer_id == customer.c.id
        )
        conn.execute(
            sa.update(customer)
            .where(customer.c.org_id == org_id)
            .values(
                lifetime_points=earned.scalar_subquery(),
                orders_count=paid.add_columns(sa.func.count()).scalar_subquery(),
                total_spent=paid.add_columns(sa.func.coalesce(sa.func.sum(order.c.total), 0)).scalar_subquery(),
                first_order_at=paid.add_columns(sa.func.min(order.c.placed_at)).scalar_subquery(),
                last_order_at=paid.add_columns(sa.func.max(order.c.placed_at)).scalar_subquery(),
            )
        )

    op.create_index(
        "ix_customer_org_id_last_order_at",
        "customer",
        ["org_id", "last_order_at", "orders_count", "total_spent"],
        sqlite_where=sa.text("deleted_at IS NULL AND orders_count > 0"),
        postgresql_where=sa.text("deleted_at IS NULL AND orders_count > 0"),
    )


def downgrade() -> None:
    op.drop_index("ix_customer_org_id_last_order_at", table_name="customer")
    for column in ("last_order_at", "first_order_at", "total_spent", "orders_count", "lifetime_points"):
        op.drop_column("customer", column)
