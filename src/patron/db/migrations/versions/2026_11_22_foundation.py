"""foundation

Revision ID: 7220457ce7f2
Revises:
Create Date: 2026-11-22 19:11:38.245268
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "7220457ce7f2"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:

    op.create_table(
        "organization",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("slug", sa.String(length=63), nullable=False),
        sa.Column(
            "settings", sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"), nullable=False
        ),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_organization")),
        sa.UniqueConstraint("slug", name=op.f("uq_organization_slug")),
    )
    op.create_table(
        "idempotency_record",
        sa.Column("org_id", sa.Uuid(), nullable=False),
        sa.Column("key", sa.String(length=255), nullable=False),
        sa.Column("request_hash", sa.LargeBinary(length=32), nullable=False),
        sa.Column("status_code", sa.Integer(), nullable=False),
        sa.Column("response_body", sa.LargeBinary(), nullable=False),
        sa.Column(
            "response_headers",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            nullable=False,
        ),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["org_id"], ["organization.id"], name=op.f("fk_idempotency_record_org_id_organization")
        ),
        sa.PrimaryKeyConstraint("org_id", "key", name=op.f("pk_idempotency_record")),
    )
    with op.batch_alter_table("idempotency_record", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_idempotency_record_created_at"), ["created_at"], unique=False)

    op.create_table(
        "org_counter",
        sa.Column("org_id", sa.Uuid(), nullable=False),
        sa.Column("name", sa.String(length=40), nullable=False),
        sa.Column("value", sa.BigInteger(), nullable=False),
        sa.ForeignKeyConstraint(["org_id"], ["organization.id"], name=op.f("fk_org_counter_org_id_organization")),
        sa.PrimaryKeyConstraint("org_id", "name", name=op.f("pk_org_counter")),
    )
    op.create_table(
        "outbox_event",
        sa.Column("org_id", sa.Uuid(), nullable=False),
        sa.Column("seq", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("type", sa.String(length=60), nullable=False),
        sa.Column("occurred_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("actor_type", sa.String(length=20), nullable=False),
        sa.Column("actor_id", sa.Uuid(), nullable=True),
        sa.Column("subject_id", sa.Uuid(), nullable=False),
        sa.Column(
            "data", sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"), nullable=False
        ),
        sa.ForeignKeyConstraint(["org_id"], ["organization.id"], name=op.f("fk_outbox_event_org_id_organization")),
        sa.PrimaryKeyConstraint("org_id", "seq", name=op.f("pk_outbox_event")),
    )
    op.create_table(
        "staff_user",
        sa.Column("org_id", sa.Uuid(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("email", sa.String(length=320), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("role", sa.String(length=20), nullable=False),
        sa.Column("password_hash", sa.String(length=200), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("deactivated_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(["org_id"], ["organization.id"], name=op.f("fk_staff_user_org_id_organization")),
        sa.PrimaryKeyConstraint("org_id", "id", name=op.f("pk_staff_user")),
        sa.UniqueConstraint("org_id", "email", name=op.f("uq_staff_user_org_id_email")),
    )
    op.create_table(
        "api_key",
        sa.Column("org_id", sa.Uuid(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("staff_id", sa.Uuid(), nullable=False),
        sa.Column("key_hash", sa.LargeBinary(length=32), nullable=False),
        sa.Column("prefix", sa.String(length=16), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("revoked_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["org_id", "staff_id"],
            ["staff_user.org_id", "staff_user.id"],
            name=op.f("fk_api_key_org_id_staff_id_staff_user"),
        ),
        sa.ForeignKeyConstraint(["org_id"], ["organization.id"], name=op.f("fk_api_key_org_id_organization")),
        sa.PrimaryKeyConstraint("org_id", "id", name=op.f("pk_api_key")),
        sa.UniqueConstraint("org_id", "key_hash", name=op.f("uq_api_key_org_id_key_hash")),
    )
    op.create_table(
        "customer",
        sa.Column("org_id", sa.Uuid(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("customer_number", sa.String(length=40), nullable=False),
        sa.Column("is_guest", sa.Boolean(), nullable=False),
        sa.Column("gender", sa.String(length=10), nullable=True),
        sa.Column("first_name", sa.String(length=100), nullable=True),
        sa.Column("last_name", sa.String(length=100), nullable=True),
        sa.Column("birthday", sa.Date(), nullable=True),
        sa.Column("locale", sa.String(length=35), nullable=False),
        sa.Column("email", sa.String(length=320), nullable=False),
        sa.Column(
            "other_emails",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            nullable=False,
        ),
        sa.Column("phone", sa.String(length=20), nullable=True),
        sa.Column(
            "other_phones",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            nullable=False,
        ),
        sa.Column("fax", sa.String(length=20), nullable=True),
        sa.Column("company_name", sa.String(length=200), nullable=True),
        sa.Column("vat_id", sa.String(length=40), nullable=True),
        sa.Column("is_merchant", sa.Boolean(), nullable=False),
        sa.Column("company_id", sa.Uuid(), nullable=True),
        sa.Column("user_id", sa.Uuid(), nullable=True),
        sa.Column("credit", sa.BigInteger(), nullable=False),
        sa.Column("is_favorite", sa.Boolean(), nullable=False),
        sa.Column("group_id", sa.Uuid(), nullable=True),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("tier", sa.String(length=20), nullable=False),
        sa.Column("source", sa.String(length=20), nullable=True),
        sa.Column("assigned_to", sa.Uuid(), nullable=True),
        sa.Column(
            "tags", sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"), nullable=False
        ),
        sa.Column(
            "custom_fields",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            nullable=False,
        ),
        sa.Column("points_balance", sa.BigInteger(), nullable=False),
        sa.Column("loyalty_tier", sa.String(length=40), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("churned_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("deleted_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["org_id", "assigned_to"],
            ["staff_user.org_id", "staff_user.id"],
            name=op.f("fk_customer_org_id_assigned_to_staff_user"),
        ),
        sa.ForeignKeyConstraint(["org_id"], ["organization.id"], name=op.f("fk_customer_org_id_organization")),
        sa.PrimaryKeyConstraint("org_id", "id", name=op.f("pk_customer")),
        sa.UniqueConstraint("org_id", "customer_number", name=op.f("uq_customer_org_id_customer_number")),
    )
    with op.batch_alter_table("customer", schema=None) as batch_op:
        batch_op.create_index("ix_customer_org_id_created_at", ["org_id", "created_at"], unique=False)
        batch_op.create_index("ix_customer_org_id_email", ["org_id", "email"], unique=False)
        batch_op.create_index(
            "uq_customer_org_id_registered_email",
            ["org_id", "email"],
            unique=True,
            sqlite_where=sa.text("NOT is_guest AND deleted_at IS NULL"),
            postgresql_where=sa.text("NOT is_guest AND deleted_at IS NULL"),
        )


def downgrade() -> None:

    with op.batch_alter_table("customer", schema=None) as batch_op:
        batch_op.drop_index(
            "uq_customer_org_id_registered_email",
            sqlite_where=sa.text("NOT is_guest AND deleted_at IS NULL"),
            postgresql_where=sa.text("NOT is_guest AND deleted_at IS NULL"),
        )
        batch_op.drop_index("ix_customer_org_id_email")
        batch_op.drop_index("ix_customer_org_id_created_at")

    op.drop_table("customer")
    op.drop_table("api_key")
    op.drop_table("staff_user")
    op.drop_table("outbox_event")
    op.drop_table("org_counter")
    with op.batch_alter_table("idempotency_record", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_idempotency_record_created_at"))

    op.drop_table("idempotency_record")
    op.drop_table("organization")
