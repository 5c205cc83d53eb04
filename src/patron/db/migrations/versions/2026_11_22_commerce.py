"""commerce

Revision ID: e8c343ba2b23
Revises: b8c84e3ecac6
Create Date: 2026-11-22 19:29:54.219609
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "e8c343ba2b23"
down_revision = "b8c84e3ecac6"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "shop_order",
        sa.Column("org_id", sa.Uuid(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("external_ref", sa.String(length=100), nullable=False),
        sa.Column("customer_id", sa.Uuid(), nullable=True),
        sa.Column("total", sa.BigInteger(), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("placed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("paid_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("refunded_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("cancelled_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["org_id", "customer_id"],
            ["customer.org_id", "customer.id"],
            name=op.f("fk_shop_order_org_id_customer_id_customer"),
        ),
        sa.ForeignKeyConstraint(["org_id"], ["organization.id"], name=op.f("fk_shop_order_org_id_organization")),
        sa.PrimaryKeyConstraint("org_id", "id", name=op.f("pk_shop_order")),
        sa.UniqueConstraint("org_id", "external_ref", name=op.f("uq_shop_order_org_id_external_ref")),
    )
    with op.batch_alter_table("shop_order", schema=None) as batch_op:
        batch_op.create_index("ix_shop_order_org_id_customer_id", ["org_id", "customer_id", "placed_at"], unique=False)

    op.create_table(
        "loyalty_entry",
        sa.Column("org_id", sa.Uuid(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("customer_id", sa.Uuid(), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("points", sa.BigInteger(), nullable=False),
        sa.Column("lifetime_points", sa.BigInteger(), nullable=False),
        sa.Column("shortfall", sa.BigInteger(), nullable=False),
        sa.Column("order_id", sa.Uuid(), nullable=True),
        sa.Column("reason", sa.String(length=500), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["org_id", "customer_id"],
            ["customer.org_id", "customer.id"],
            name=op.f("fk_loyalty_entry_org_id_customer_id_customer"),
        ),
        sa.ForeignKeyConstraint(
            ["org_id", "order_id"],
            ["shop_order.org_id", "shop_order.id"],
            name=op.f("fk_loyalty_entry_org_id_order_id_shop_order"),
        ),
        sa.ForeignKeyConstraint(["org_id"], ["organization.id"], name=op.f("fk_loyalty_entry_org_id_organization")),
        sa.PrimaryKeyConstraint("org_id", "id", name=op.f("pk_loyalty_entry")),
    )
    with op.batch_alter_table("loyalty_entry", schema=None) as batch_op:
        batch_op.create_index("ix_loyalty_entry_org_id_customer_id", ["org_id", "customer_id", "id"], unique=False)
        batch_op.create_index(
            "uq_loyalty_entry_org_id_order_id_kind",
            ["org_id", "order_id", "kind"],
            unique=True,
            sqlite_where=sa.text("kind IN ('award', 'reversal')"),
            postgresql_where=sa.text("kind IN ('award', 'reversal')"),
        )
    op.create_table(
        "address",
        sa.Column("org_id", sa.Uuid(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("customer_id", sa.Uuid(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=True),
        sa.Column("company", sa.String(length=200), nullable=True),
        sa.Column("street", sa.String(length=200), nullable=False),
        sa.Column("house_number", sa.String(length=20), nullable=True),
        sa.Column("extra_line", sa.String(length=200), nullable=True),
        sa.Column("postcode", sa.String(length=20), nullable=True),
        sa.Column("city", sa.String(length=100), nullable=False),
        sa.Column("state", sa.String(length=100), nullable=True),
        sa.Column("country", sa.String(length=2), nullable=False),
        sa.Column("phone", sa.String(length=20), nullable=True),
        sa.Column("is_default_shipping", sa.Boolean(), nullable=False),
        sa.Column("is_default_billing", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["org_id", "customer_id"],
            ["customer.org_id", "customer.id"],
            name=op.f("fk_address_org_id_customer_id_customer"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(["org_id"], ["organization.id"], name=op.f("fk_address_org_id_organization")),
        sa.PrimaryKeyConstraint("org_id", "id", name=op.f("pk_address")),
    )
    with op.batch_alter_table("address", schema=None) as batch_op:
        batch_op.create_index("ix_address_org_id_customer_id", ["org_id", "customer_id"], unique=False)
        batch_op.create_index(
            "uq_address_org_id_customer_id_default_billing",
            ["org_id", "customer_id"],
            unique=True,
            sqlite_where=sa.text("is_default_billing"),
            postgresql_where=sa.text("is_default_billing"),
        )
        batch_op.create_index(
            "uq_address_org_id_customer_id_default_shipping",
            ["org_id", "customer_id"],
            unique=True,
            sqlite_where=sa.text("is_default_shipping"),
            postgresql_where=sa.text("is_default_shipping"),
        )
    op.create_table(
        "customer_list",
        sa.Column("org_id", sa.Uuid(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("customer_id", sa.Uuid(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("share_token_hash", sa.LargeBinary(length=32), nullable=True),
        sa.Column("shared_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["org_id", "customer_id"],
            ["customer.org_id", "customer.id"],
            name=op.f("fk_customer_list_org_id_customer_id_customer"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(["org_id"], ["organization.id"], name=op.f("fk_customer_list_org_id_organization")),
        sa.PrimaryKeyConstraint("org_id", "id", name=op.f("pk_customer_list")),
    )
    with op.batch_alter_table("customer_list", schema=None) as batch_op:
        batch_op.create_index("ix_customer_list_org_id_customer_id", ["org_id", "customer_id"], unique=False)
        batch_op.create_index("ix_customer_list_share_token_hash", ["share_token_hash"], unique=False)

    op.create_table(
        "customer_list_item",
        sa.Column("org_id", sa.Uuid(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("list_id", sa.Uuid(), nullable=False),
        sa.Column("product_ref", sa.String(length=200), nullable=False),
        sa.Column("quantity", sa.Integer(), nullable=False),
        sa.Column("note", sa.String(length=1000), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["org_id", "list_id"],
            ["customer_list.org_id", "customer_list.id"],
            name=op.f("fk_customer_list_item_org_id_list_id_customer_list"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["org_id"], ["organization.id"], name=op.f("fk_customer_list_item_org_id_organization")
        ),
        sa.PrimaryKeyConstraint("org_id", "id", name=op.f("pk_customer_list_item")),
        sa.UniqueConstraint(
            "org_id", "list_id", "product_ref", name=op.f("uq_customer_list_item_org_id_list_id_product_ref")
        ),
    )


def downgrade() -> None:
    op.drop_table("customer_list_item")
    with op.batch_alter_table("customer_list", schema=None) as batch_op:
        batch_op.drop_index("ix_customer_list_share_token_hash")
        batch_op.drop_index("ix_customer_list_org_id_customer_id")

    op.drop_table("customer_list")
    with op.batch_alter_table("address", schema=None) as batch_op:
        batch_op.drop_index(
            "uq_address_org_id_customer_id_default_shipping",
            sqlite_where=sa.text("is_default_shipping"),
            postgresql_where=sa.text("is_default_shipping"),
        )
        batch_op.drop_index(
            "uq_address_org_id_customer_id_default_billing",
            sqlite_where=sa.text("is_default_billing"),
            postgresql_where=sa.text("is_default_billing"),
        )
        batch_op.drop_index("ix_address_org_id_customer_id")

    op.drop_table("address")
    with op.batch_alter_table("loyalty_entry", schema=None) as batch_op:
        batch_op.drop_index(
            "uq_loyalty_entry_org_id_order_id_kind",
            sqlite_where=sa.text("kind IN ('award', 'reversal')"),
            postgresql_where=sa.text("kind IN ('award', 'reversal')"),
        )
        batch_op.drop_index("ix_loyalty_entry_org_id_customer_id")

    op.drop_table("loyalty_entry")
    with op.batch_alter_table("shop_order", schema=None) as batch_op:
        batch_op.drop_index("ix_shop_order_org_id_customer_id")

    op.drop_table("shop_order")
