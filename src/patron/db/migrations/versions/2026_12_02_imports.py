"""imports: import jobs (their files, rejected rows and committed chunks); customer indexes on phone and VAT id for matching

Revision ID: 1637018e280e
Revises: 9a41c7e2d5b0
Create Date: 2026-12-02 14:47:31.987340
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "1637018e280e"
down_revision = "9a41c7e2d5b0"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "import_job",
        sa.Column("org_id", sa.Uuid(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("dry_run", sa.Boolean(), nullable=False),
        sa.Column("file_name", sa.String(length=255), nullable=True),
        sa.Column("file_format", sa.String(length=10), nullable=False),
        sa.Column("file_bytes", sa.BigInteger(), nullable=False),
        sa.Column(
            "header", sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"), nullable=False
        ),
        sa.Column(
            "match_on", sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"), nullable=False
        ),
        sa.Column("on_match", sa.String(length=10), nullable=False),
        sa.Column(
            "mapping", sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"), nullable=False
        ),
        sa.Column("created_by", sa.Uuid(), nullable=True),
        sa.Column("created_by_role", sa.String(length=20), nullable=False),
        sa.Column("rows", sa.Integer(), nullable=True),
        sa.Column("processed", sa.Integer(), nullable=False),
        sa.Column("created", sa.Integer(), nullable=False),
        sa.Column("updated", sa.Integer(), nullable=False),
        sa.Column("unchanged", sa.Integer(), nullable=False),
        sa.Column("merged", sa.Integer(), nullable=False),
        sa.Column("rejected", sa.Integer(), nullable=False),
        sa.Column("next_item", sa.Integer(), nullable=False),
        sa.Column("chunks", sa.Integer(), nullable=False),
        sa.Column(
            "warnings", sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"), nullable=False
        ),
        sa.Column(
            "failure", sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"), nullable=True
        ),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("lease_owner", sa.Uuid(), nullable=True),
        sa.Column("lease_expires_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("finished_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["org_id", "created_by"],
            ["staff_user.org_id", "staff_user.id"],
            name=op.f("fk_import_job_org_id_created_by_staff_user"),
        ),
        sa.ForeignKeyConstraint(["org_id"], ["organization.id"], name=op.f("fk_import_job_org_id_organization")),
        sa.PrimaryKeyConstraint("org_id", "id", name=op.f("pk_import_job")),
    )
    with op.batch_alter_table("import_job", schema=None) as batch_op:
        batch_op.create_index("ix_import_job_org_id_created_at_id", ["org_id", "created_at", "id"], unique=False)
        batch_op.create_index("ix_import_job_status_lease_expires_at", ["status", "lease_expires_at"], unique=False)

    op.create_table(
        "import_chunk",
        sa.Column("org_id", sa.Uuid(), nullable=False),
        sa.Column("job_id", sa.Uuid(), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("first_row", sa.Integer(), nullable=False),
        sa.Column(
            "outcomes", sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"), nullable=False
        ),
        sa.ForeignKeyConstraint(
            ["org_id", "job_id"],
            ["import_job.org_id", "import_job.id"],
            name=op.f("fk_import_chunk_org_id_job_id_import_job"),
        ),
        sa.ForeignKeyConstraint(["org_id"], ["organization.id"], name=op.f("fk_import_chunk_org_id_organization")),
        sa.PrimaryKeyConstraint("org_id", "job_id", "seq", name=op.f("pk_import_chunk")),
    )
    op.create_table(
        "import_file",
        sa.Column("org_id", sa.Uuid(), nullable=False),
        sa.Column("job_id", sa.Uuid(), nullable=False),
        sa.Column("content", sa.LargeBinary(), nullable=False),
        sa.ForeignKeyConstraint(
            ["org_id", "job_id"],
            ["import_job.org_id", "import_job.id"],
            name=op.f("fk_import_file_org_id_job_id_import_job"),
        ),
        sa.ForeignKeyConstraint(["org_id"], ["organization.id"], name=op.f("fk_import_file_org_id_organization")),
        sa.PrimaryKeyConstraint("org_id", "job_id", name=op.f("pk_import_file")),
    )
    op.create_table(
        "import_row_error",
        sa.Column("org_id", sa.Uuid(), nullable=False),
        sa.Column("job_id", sa.Uuid(), nullable=False),
        sa.Column("row", sa.Integer(), nullable=False),
        sa.Column("n", sa.Integer(), nullable=False),
        sa.Column("column", sa.String(length=200), nullable=True),
        sa.Column("field", sa.String(length=200), nullable=True),
        sa.Column("code", sa.String(length=100), nullable=False),
        sa.Column("message_id", sa.String(length=100), nullable=False),
        sa.Column(
            "message_params",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            nullable=False,
        ),
        sa.Column(
            "cells", sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"), nullable=True
        ),
        sa.ForeignKeyConstraint(
            ["org_id", "job_id"],
            ["import_job.org_id", "import_job.id"],
            name=op.f("fk_import_row_error_org_id_job_id_import_job"),
        ),
        sa.ForeignKeyConstraint(["org_id"], ["organization.id"], name=op.f("fk_import_row_error_org_id_organization")),
        sa.PrimaryKeyConstraint("org_id", "job_id", "row", "n", name=op.f("pk_import_row_error")),
    )
    with op.batch_alter_table("customer", schema=None) as batch_op:
        batch_op.create_index("ix_customer_org_id_phone", ["org_id", "phone"], unique=False)
        batch_op.create_index("ix_customer_org_id_vat_id", ["org_id", "vat_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("customer", schema=None) as batch_op:
        batch_op.drop_index("ix_customer_org_id_vat_id")
        batch_op.drop_index("ix_customer_org_id_phone")

    op.drop_table("import_row_error")
    op.drop_table("import_file")
    op.drop_table("import_chunk")
    with op.batch_alter_table("import_job", schema=None) as batch_op:
        batch_op.drop_index("ix_import_job_status_lease_expires_at")
        batch_op.drop_index("ix_import_job_org_id_created_at_id")

    op.drop_table("import_job")
