"""segments: saved queries of the segment language, named uniquely per organization

Revision ID: 8b2e5d1c9a47
Revises: 4f1c2a9d7e30
Create Date: 2026-12-03 10:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "8b2e5d1c9a47"
down_revision = "4f1c2a9d7e30"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "segment",
        sa.Column("org_id", sa.Uuid(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("query", sa.Text(), nullable=False),
        sa.Column("description", sa.String(length=2000), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["org_id"], ["organization.id"], name=op.f("fk_segment_org_id_organization")),
        sa.PrimaryKeyConstraint("org_id", "id", name=op.f("pk_segment")),
        sa.UniqueConstraint("org_id", "name", name=op.f("uq_segment_org_id_name")),
    )


def downgrade() -> None:
    op.drop_table("segment")
