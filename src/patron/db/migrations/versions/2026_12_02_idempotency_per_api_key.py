"""idempotency records per API key: a key's stored answers are replayed to that key only

Revision ID: 9a41c0d7e2b5
Revises: 5d2f8b1c9e63
Create Date: 2026-12-02 05:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "9a41c0d7e2b5"
down_revision = "5d2f8b1c9e63"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Records kept so far belong to no key; they are answers for at most the retention period
    # (48 hours by default), so they are dropped rather than guessed at.
    op.execute("DELETE FROM idempotency_record")
    with op.batch_alter_table("idempotency_record", schema=None) as batch_op:
        batch_op.add_column(sa.Column("api_key_id", sa.Uuid(), nullable=False))
        batch_op.drop_constraint("pk_idempotency_record", type_="primary")
        batch_op.create_primary_key("pk_idempotency_record", ["org_id", "api_key_id", "key"])
        batch_op.create_foreign_key(
            batch_op.f("fk_idempotency_record_org_id_api_key_id_api_key"),
            "api_key",
            ["org_id", "api_key_id"],
            ["org_id", "id"],
        )


def downgrade() -> None:
    op.execute("DELETE FROM idempotency_record")
    with op.batch_alter_table("idempotency_record", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("fk_idempotency_record_org_id_api_key_id_api_key"), type_="foreignkey")
        batch_op.drop_constraint("pk_idempotency_record", type_="primary")
        batch_op.create_primary_key("pk_idempotency_record", ["org_id", "key"])
        batch_op.drop_column("api_key_id")
