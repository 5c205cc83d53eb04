"""outreach

Revision ID: c8e0aa84fc8c
Revises: 7220457ce7f2
Create Date: 2026-11-22 19:37:37.290801
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

import patron.db.base

revision = "c8e0aa84fc8c"
down_revision = "7220457ce7f2"
branch_labels = None
depends_on = None


def upgrade() -> None:
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
        sa.Column("created_at", patron.db.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", patron.db.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("subscribed_at", patron.db.base.UTCDateTime(timezone=True), nullable=True),
        sa.Column("confirmed_at", patron.db.base.UTCDateTime(timezone=True), nullable=True),
        sa.Column("unsubscribed_at", patron.db.base.UTCDateTime(timezone=True), nullable=True),
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
        "newsletter_consent",
        sa.Column("org_id", sa.Uuid(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("subscriber_id", sa.Uuid(), nullable=False),
        sa.Column("action", sa.String(length=20), nullable=False),
        sa.Column("occurred_at", patron.db.base.UTCDateTime(timezone=True), nullable=False),
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


def downgrade() -> None:
    with op.batch_alter_table("newsletter_consent", schema=None) as batch_op:
        batch_op.drop_index("ix_newsletter_consent_org_id_subscriber_id")

    op.drop_table("newsletter_consent")
    with op.batch_alter_table("newsletter_subscriber", schema=None) as batch_op:
        batch_op.drop_index("ix_newsletter_subscriber_org_id_status")
        batch_op.drop_index("ix_newsletter_subscriber_org_id_created_at")

    op.drop_table("newsletter_subscriber")
