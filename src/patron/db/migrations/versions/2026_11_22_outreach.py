"""outreach

Revision ID: c8e0aa84fc8c
Revises: e8c343ba2b23
Create Date: 2026-11-22 20:05:36.562885
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "c8e0aa84fc8c"
down_revision = "e8c343ba2b23"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "inquiry_rate_window",
        sa.Column("org_id", sa.Uuid(), nullable=False),
        sa.Column("key", sa.String(length=400), nullable=False),
        sa.Column("window_start", sa.DateTime(timezone=True), nullable=False),
        sa.Column("hits", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["org_id"], ["organization.id"], name=op.f("fk_inquiry_rate_window_org_id_organization")
        ),
        sa.PrimaryKeyConstraint("org_id", "key", name=op.f("pk_inquiry_rate_window")),
    )
    with op.batch_alter_table("inquiry_rate_window", schema=None) as batch_op:
        batch_op.create_index("ix_inquiry_rate_window_org_id_window_start", ["org_id", "window_start"], unique=False)

    op.create_table(
        "newsletter_subscriber",
        sa.Column("org_id", sa.Uuid(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("email", sa.String(length=320), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column(
            "topics", sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"), nullable=False
        ),
        sa.Column("locale", sa.String(length=35), nullable=True),
        sa.Column("customer_id", sa.Uuid(), nullable=True),
        sa.Column("opt_in_level", sa.String(length=10), nullable=False),
        sa.Column("token_version", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("subscribed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("confirmed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("unsubscribed_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["org_id"], ["organization.id"], name=op.f("fk_newsletter_subscriber_org_id_organization")
        ),
        sa.PrimaryKeyConstraint("org_id", "id", name=op.f("pk_newsletter_subscriber")),
        sa.UniqueConstraint("org_id", "email", name=op.f("uq_newsletter_subscriber_org_id_email")),
    )
    with op.batch_alter_table("newsletter_subscriber", schema=None) as batch_op:
        batch_op.create_index("ix_newsletter_subscriber_org_id_created_at", ["org_id", "created_at"], unique=False)
        batch_op.create_index("ix_newsletter_subscriber_org_id_status", ["org_id", "status"], unique=False)

    op.create_table(
        "outbox_cursor",
        sa.Column("org_id", sa.Uuid(), nullable=False),
        sa.Column("consumer", sa.String(length=40), nullable=False),
        sa.Column("seq", sa.BigInteger(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["org_id"], ["organization.id"], name=op.f("fk_outbox_cursor_org_id_organization")),
        sa.PrimaryKeyConstraint("org_id", "consumer", name=op.f("pk_outbox_cursor")),
    )
    op.create_table(
        "webhook",
        sa.Column("org_id", sa.Uuid(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("url", sa.String(length=2000), nullable=False),
        sa.Column(
            "event_types", sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"), nullable=False
        ),
        sa.Column("description", sa.String(length=200), nullable=True),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("secret_version", sa.Integer(), nullable=False),
        sa.Column("cursor_seq", sa.BigInteger(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["org_id"], ["organization.id"], name=op.f("fk_webhook_org_id_organization")),
        sa.PrimaryKeyConstraint("org_id", "id", name=op.f("pk_webhook")),
    )
    op.create_table(
        "inquiry",
        sa.Column("org_id", sa.Uuid(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("email", sa.String(length=320), nullable=False),
        sa.Column("phone", sa.String(length=20), nullable=True),
        sa.Column("company_name", sa.String(length=200), nullable=True),
        sa.Column("message", sa.Text(), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("assigned_to", sa.Uuid(), nullable=True),
        sa.Column("customer_id", sa.Uuid(), nullable=True),
        sa.Column("lost_reason", sa.String(length=500), nullable=True),
        sa.Column("client_ip", sa.String(length=45), nullable=True),
        sa.Column("user_agent", sa.String(length=500), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("closed_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["org_id", "assigned_to"],
            ["staff_user.org_id", "staff_user.id"],
            name=op.f("fk_inquiry_org_id_assigned_to_staff_user"),
        ),
        sa.ForeignKeyConstraint(["org_id"], ["organization.id"], name=op.f("fk_inquiry_org_id_organization")),
        sa.PrimaryKeyConstraint("org_id", "id", name=op.f("pk_inquiry")),
    )
    with op.batch_alter_table("inquiry", schema=None) as batch_op:
        batch_op.create_index("ix_inquiry_org_id_created_at", ["org_id", "created_at"], unique=False)
        batch_op.create_index("ix_inquiry_org_id_status", ["org_id", "status"], unique=False)

    op.create_table(
        "newsletter_consent",
        sa.Column("org_id", sa.Uuid(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("subscriber_id", sa.Uuid(), nullable=False),
        sa.Column("action", sa.String(length=20), nullable=False),
        sa.Column("occurred_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("source", sa.String(length=50), nullable=False),
        sa.Column("opt_in_level", sa.String(length=10), nullable=False),
        sa.Column(
            "topics", sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"), nullable=False
        ),
        sa.Column("ip_address", sa.String(length=45), nullable=True),
        sa.Column("user_agent", sa.String(length=500), nullable=True),
        sa.Column("consent_text", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["org_id", "subscriber_id"],
            ["newsletter_subscriber.org_id", "newsletter_subscriber.id"],
            name=op.f("fk_newsletter_consent_org_id_subscriber_id_newsletter_subscriber"),
        ),
        sa.ForeignKeyConstraint(
            ["org_id"], ["organization.id"], name=op.f("fk_newsletter_consent_org_id_organization")
        ),
        sa.PrimaryKeyConstraint("org_id", "id", name=op.f("pk_newsletter_consent")),
    )
    with op.batch_alter_table("newsletter_consent", schema=None) as batch_op:
        batch_op.create_index("ix_newsletter_consent_org_id_subscriber_id", ["org_id", "subscriber_id"], unique=False)

    op.create_table(
        "webhook_delivery",
        sa.Column("org_id", sa.Uuid(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("webhook_id", sa.Uuid(), nullable=False),
        sa.Column("event_seq", sa.BigInteger(), nullable=False),
        sa.Column("event_type", sa.String(length=60), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("next_attempt_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["org_id", "webhook_id"],
            ["webhook.org_id", "webhook.id"],
            name=op.f("fk_webhook_delivery_org_id_webhook_id_webhook"),
        ),
        sa.ForeignKeyConstraint(["org_id"], ["organization.id"], name=op.f("fk_webhook_delivery_org_id_organization")),
        sa.PrimaryKeyConstraint("org_id", "id", name=op.f("pk_webhook_delivery")),
        sa.UniqueConstraint(
            "org_id", "webhook_id", "event_seq", name=op.f("uq_webhook_delivery_org_id_webhook_id_event_seq")
        ),
    )
    with op.batch_alter_table("webhook_delivery", schema=None) as batch_op:
        batch_op.create_index("ix_webhook_delivery_status_next_attempt_at", ["status", "next_attempt_at"], unique=False)

    op.create_table(
        "inquiry_reply",
        sa.Column("org_id", sa.Uuid(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("inquiry_id", sa.Uuid(), nullable=False),
        sa.Column("staff_id", sa.Uuid(), nullable=False),
        sa.Column("message", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["org_id", "inquiry_id"],
            ["inquiry.org_id", "inquiry.id"],
            name=op.f("fk_inquiry_reply_org_id_inquiry_id_inquiry"),
        ),
        sa.ForeignKeyConstraint(
            ["org_id", "staff_id"],
            ["staff_user.org_id", "staff_user.id"],
            name=op.f("fk_inquiry_reply_org_id_staff_id_staff_user"),
        ),
        sa.ForeignKeyConstraint(["org_id"], ["organization.id"], name=op.f("fk_inquiry_reply_org_id_organization")),
        sa.PrimaryKeyConstraint("org_id", "id", name=op.f("pk_inquiry_reply")),
    )
    with op.batch_alter_table("inquiry_reply", schema=None) as batch_op:
        batch_op.create_index("ix_inquiry_reply_org_id_inquiry_id", ["org_id", "inquiry_id"], unique=False)

    op.create_table(
        "webhook_attempt",
        sa.Column("org_id", sa.Uuid(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("delivery_id", sa.Uuid(), nullable=False),
        sa.Column("attempted_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("status_code", sa.Integer(), nullable=True),
        sa.Column("error", sa.String(length=500), nullable=True),
        sa.Column("duration_ms", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["org_id", "delivery_id"],
            ["webhook_delivery.org_id", "webhook_delivery.id"],
            name=op.f("fk_webhook_attempt_org_id_delivery_id_webhook_delivery"),
        ),
        sa.ForeignKeyConstraint(["org_id"], ["organization.id"], name=op.f("fk_webhook_attempt_org_id_organization")),
        sa.PrimaryKeyConstraint("org_id", "id", name=op.f("pk_webhook_attempt")),
    )
    with op.batch_alter_table("webhook_attempt", schema=None) as batch_op:
        batch_op.create_index("ix_webhook_attempt_org_id_delivery_id", ["org_id", "delivery_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("webhook_attempt", schema=None) as batch_op:
        batch_op.drop_index("ix_webhook_attempt_org_id_delivery_id")

    op.drop_table("webhook_attempt")
    with op.batch_alter_table("inquiry_reply", schema=None) as batch_op:
        batch_op.drop_index("ix_inquiry_reply_org_id_inquiry_id")

    op.drop_table("inquiry_reply")
    with op.batch_alter_table("webhook_delivery", schema=None) as batch_op:
        batch_op.drop_index("ix_webhook_delivery_status_next_attempt_at")

    op.drop_table("webhook_delivery")
    with op.batch_alter_table("newsletter_consent", schema=None) as batch_op:
        batch_op.drop_index("ix_newsletter_consent_org_id_subscriber_id")

    op.drop_table("newsletter_consent")
    with op.batch_alter_table("inquiry", schema=None) as batch_op:
        batch_op.drop_index("ix_inquiry_org_id_status")
        batch_op.drop_index("ix_inquiry_org_id_created_at")

    op.drop_table("inquiry")
    op.drop_table("webhook")
    op.drop_table("outbox_cursor")
    with op.batch_alter_table("newsletter_subscriber", schema=None) as batch_op:
        batch_op.drop_index("ix_newsletter_subscriber_org_id_status")
        batch_op.drop_index("ix_newsletter_subscriber_org_id_created_at")

    op.drop_table("newsletter_subscriber")
    with op.batch_alter_table("inquiry_rate_window", schema=None) as batch_op:
        batch_op.drop_index("ix_inquiry_rate_window_org_id_window_start")

    op.drop_table("inquiry_rate_window")
