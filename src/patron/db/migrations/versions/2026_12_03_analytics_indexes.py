"""analytics indexes: a customer's orders by date carry status, currency and total, and the
customers with orders their first order, loyalty tier and id, so analytics read indexes alone

Revision ID: c3f7a2e91b54
Revises: 8b2e5d1c9a47
Create Date: 2026-12-03 14:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "c3f7a2e91b54"
down_revision = "8b2e5d1c9a47"
branch_labels = None
depends_on = None


_BUYERS = "deleted_at IS NULL AND orders_count > 0"


def upgrade() -> None:
    op.drop_index("ix_customer_org_id_last_order_at", table_name="customer")
    op.create_index(
        "ix_customer_org_id_last_order_at",
        "customer",
        ["org_id", "last_order_at", "orders_count", "total_spent", "first_order_at", "loyalty_tier", "id"],
        sqlite_where=sa.text(_BUYERS),
        postgresql_where=sa.text(_BUYERS),
    )
    op.drop_index("ix_shop_order_org_id_customer_id", table_name="shop_order")
    op.create_index(
        "ix_shop_order_org_id_customer_id",
        "shop_order",
        ["org_id", "customer_id", "placed_at", "status", "currency", "total"],
    )


def downgrade() -> None:
    op.drop_index("ix_customer_org_id_last_order_at", table_name="customer")
    op.create_index(
        "ix_customer_org_id_last_order_at",
        "customer",
        ["org_id", "last_order_at", "orders_count", "total_spent"],
        sqlite_where=sa.text(_BUYERS),
        postgresql_where=sa.text(_BUYERS),
    )
    op.drop_index("ix_shop_order_org_id_customer_id", table_name="shop_order")
    op.create_index("ix_shop_order_org_id_customer_id", "shop_order", ["org_id", "customer_id", "placed_at"])
