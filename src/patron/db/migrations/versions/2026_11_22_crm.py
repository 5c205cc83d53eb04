"""crm: customer groups, product restrictions, companies, deals, interactions, memos; customer.group_id and company_id become foreign keys

Revision ID: b8c84e3ecac6
Revises: 7220457ce7f2
Create Date: 2026-11-22 20:00:02.910008
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "b8c84e3ecac6"
down_revision = "7220457ce7f2"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "customer_group",
        sa.Column("org_id", sa.Uuid(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("is_merchant", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["org_id"], ["organization.id"], name=op.f("fk_customer_group_org_id_organization")),
        sa.PrimaryKeyConstraint("org_id", "id", name=op.f("pk_customer_group")),
        sa.UniqueConstraint("org_id", "name", name=op.f("uq_customer_group_org_id_name")),
    )
    op.create_table(
        "pipeline",
        sa.Column("org_id", sa.Uuid(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("is_default", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["org_id"], ["organization.id"], name=op.f("fk_pipeline_org_id_organization")),
        sa.PrimaryKeyConstraint("org_id", "id", name=op.f("pk_pipeline")),
        sa.UniqueConstraint("org_id", "name", name=op.f("uq_pipeline_org_id_name")),
    )
    op.create_table(
        "company",
        sa.Column("org_id", sa.Uuid(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("vat_id", sa.String(length=40), nullable=True),
        sa.Column("account_manager_id", sa.Uuid(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["org_id", "account_manager_id"],
            ["staff_user.org_id", "staff_user.id"],
            name=op.f("fk_company_org_id_account_manager_id_staff_user"),
        ),
        sa.ForeignKeyConstraint(["org_id"], ["organization.id"], name=op.f("fk_company_org_id_organization")),
        sa.PrimaryKeyConstraint("org_id", "id", name=op.f("pk_company")),
        sa.UniqueConstraint("org_id", "vat_id", name=op.f("uq_company_org_id_vat_id")),
    )
    with op.batch_alter_table("company", schema=None) as batch_op:
        batch_op.create_index("ix_company_org_id_name", ["org_id", "name"], unique=False)
    op.create_table(
        "group_product_rule",
        sa.Column("org_id", sa.Uuid(), nullable=False),
        sa.Column("group_id", sa.Uuid(), nullable=False),
        sa.Column("kind", sa.String(length=5), nullable=False),
        sa.Column("product_ref", sa.String(length=100), nullable=False),
        sa.ForeignKeyConstraint(
            ["org_id", "group_id"],
            ["customer_group.org_id", "customer_group.id"],
            name=op.f("fk_group_product_rule_org_id_group_id_customer_group"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["org_id"], ["organization.id"], name=op.f("fk_group_product_rule_org_id_organization")
        ),
        sa.PrimaryKeyConstraint("org_id", "group_id", "kind", "product_ref", name=op.f("pk_group_product_rule")),
    )
    op.create_table(
        "pipeline_stage",
        sa.Column("org_id", sa.Uuid(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("pipeline_id", sa.Uuid(), nullable=False),
        sa.Column("name", sa.String(length=60), nullable=False),
        sa.Column("kind", sa.String(length=10), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["org_id", "pipeline_id"],
            ["pipeline.org_id", "pipeline.id"],
            name=op.f("fk_pipeline_stage_org_id_pipeline_id_pipeline"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(["org_id"], ["organization.id"], name=op.f("fk_pipeline_stage_org_id_organization")),
        sa.PrimaryKeyConstraint("org_id", "id", name=op.f("pk_pipeline_stage")),
        sa.UniqueConstraint("org_id", "pipeline_id", "id", name=op.f("uq_pipeline_stage_org_id_pipeline_id_id")),
        sa.UniqueConstraint("org_id", "pipeline_id", "name", name=op.f("uq_pipeline_stage_org_id_pipeline_id_name")),
    )
    op.create_table(
        "company_join_code",
        sa.Column("org_id", sa.Uuid(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("company_id", sa.Uuid(), nullable=False),
        sa.Column("code_hash", sa.LargeBinary(length=32), nullable=False),
        sa.Column("hint", sa.String(length=8), nullable=False),
        sa.Column("role", sa.String(length=20), nullable=False),
        sa.Column("created_by", sa.Uuid(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("used_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("used_by", sa.Uuid(), nullable=True),
        sa.Column("revoked_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["org_id", "company_id"],
            ["company.org_id", "company.id"],
            name=op.f("fk_company_join_code_org_id_company_id_company"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(["org_id"], ["organization.id"], name=op.f("fk_company_join_code_org_id_organization")),
        sa.PrimaryKeyConstraint("org_id", "id", name=op.f("pk_company_join_code")),
        sa.UniqueConstraint("org_id", "code_hash", name=op.f("uq_company_join_code_org_id_code_hash")),
    )
    with op.batch_alter_table("customer", schema=None) as batch_op:
        batch_op.create_foreign_key(
            batch_op.f("fk_customer_org_id_group_id_customer_group"),
            "customer_group",
            ["org_id", "group_id"],
            ["org_id", "id"],
        )
        batch_op.create_foreign_key(
            batch_op.f("fk_customer_org_id_company_id_company"), "company", ["org_id", "company_id"], ["org_id", "id"]
        )
    op.create_table(
        "company_member",
        sa.Column("org_id", sa.Uuid(), nullable=False),
        sa.Column("company_id", sa.Uuid(), nullable=False),
        sa.Column("customer_id", sa.Uuid(), nullable=False),
        sa.Column("role", sa.String(length=20), nullable=False),
        sa.Column("joined_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("join_code_id", sa.Uuid(), nullable=True),
        sa.ForeignKeyConstraint(
            ["org_id", "company_id"],
            ["company.org_id", "company.id"],
            name=op.f("fk_company_member_org_id_company_id_company"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["org_id", "customer_id"],
            ["customer.org_id", "customer.id"],
            name=op.f("fk_company_member_org_id_customer_id_customer"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(["org_id"], ["organization.id"], name=op.f("fk_company_member_org_id_organization")),
        sa.PrimaryKeyConstraint("org_id", "company_id", "customer_id", name=op.f("pk_company_member")),
        sa.UniqueConstraint("org_id", "customer_id", name=op.f("uq_company_member_org_id_customer_id")),
    )
    op.create_table(
        "customer_product_rule",
        sa.Column("org_id", sa.Uuid(), nullable=False),
        sa.Column("customer_id", sa.Uuid(), nullable=False),
        sa.Column("kind", sa.String(length=5), nullable=False),
        sa.Column("product_ref", sa.String(length=100), nullable=False),
        sa.ForeignKeyConstraint(
            ["org_id", "customer_id"],
            ["customer.org_id", "customer.id"],
            name=op.f("fk_customer_product_rule_org_id_customer_id_customer"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["org_id"], ["organization.id"], name=op.f("fk_customer_product_rule_org_id_organization")
        ),
        sa.PrimaryKeyConstraint("org_id", "customer_id", "kind", "product_ref", name=op.f("pk_customer_product_rule")),
    )
    op.create_table(
        "deal",
        sa.Column("org_id", sa.Uuid(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("pipeline_id", sa.Uuid(), nullable=False),
        sa.Column("stage_id", sa.Uuid(), nullable=False),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("value", sa.BigInteger(), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("owner_id", sa.Uuid(), nullable=False),
        sa.Column("expected_close_on", sa.Date(), nullable=True),
        sa.Column("customer_id", sa.Uuid(), nullable=True),
        sa.Column("company_id", sa.Uuid(), nullable=True),
        sa.Column("closed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["org_id", "company_id"], ["company.org_id", "company.id"], name=op.f("fk_deal_org_id_company_id_company")
        ),
        sa.ForeignKeyConstraint(
            ["org_id", "customer_id"],
            ["customer.org_id", "customer.id"],
            name=op.f("fk_deal_org_id_customer_id_customer"),
        ),
        sa.ForeignKeyConstraint(
            ["org_id", "owner_id"],
            ["staff_user.org_id", "staff_user.id"],
            name=op.f("fk_deal_org_id_owner_id_staff_user"),
        ),
        sa.ForeignKeyConstraint(
            ["org_id", "pipeline_id", "stage_id"],
            ["pipeline_stage.org_id", "pipeline_stage.pipeline_id", "pipeline_stage.id"],
            name=op.f("fk_deal_org_id_pipeline_id_stage_id_pipeline_stage"),
        ),
        sa.ForeignKeyConstraint(["org_id"], ["organization.id"], name=op.f("fk_deal_org_id_organization")),
        sa.PrimaryKeyConstraint("org_id", "id", name=op.f("pk_deal")),
    )
    with op.batch_alter_table("deal", schema=None) as batch_op:
        batch_op.create_index(
            "ix_deal_org_id_pipeline_id_stage_id", ["org_id", "pipeline_id", "stage_id"], unique=False
        )
    op.create_table(
        "interaction",
        sa.Column("org_id", sa.Uuid(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("kind", sa.String(length=10), nullable=False),
        sa.Column("customer_id", sa.Uuid(), nullable=True),
        sa.Column("company_id", sa.Uuid(), nullable=True),
        sa.Column("staff_id", sa.Uuid(), nullable=False),
        sa.Column("occurred_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("summary", sa.Text(), nullable=False),
        sa.Column("outcome", sa.String(length=200), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["org_id", "company_id"],
            ["company.org_id", "company.id"],
            name=op.f("fk_interaction_org_id_company_id_company"),
        ),
        sa.ForeignKeyConstraint(
            ["org_id", "customer_id"],
            ["customer.org_id", "customer.id"],
            name=op.f("fk_interaction_org_id_customer_id_customer"),
        ),
        sa.ForeignKeyConstraint(
            ["org_id", "staff_id"],
            ["staff_user.org_id", "staff_user.id"],
            name=op.f("fk_interaction_org_id_staff_id_staff_user"),
        ),
        sa.ForeignKeyConstraint(["org_id"], ["organization.id"], name=op.f("fk_interaction_org_id_organization")),
        sa.PrimaryKeyConstraint("org_id", "id", name=op.f("pk_interaction")),
    )
    with op.batch_alter_table("interaction", schema=None) as batch_op:
        batch_op.create_index(
            "ix_interaction_org_id_company_id_occurred_at", ["org_id", "company_id", "occurred_at"], unique=False
        )
        batch_op.create_index(
            "ix_interaction_org_id_customer_id_occurred_at", ["org_id", "customer_id", "occurred_at"], unique=False
        )
    op.create_table(
        "memo",
        sa.Column("org_id", sa.Uuid(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("customer_id", sa.Uuid(), nullable=False),
        sa.Column("author_id", sa.Uuid(), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["org_id", "author_id"],
            ["staff_user.org_id", "staff_user.id"],
            name=op.f("fk_memo_org_id_author_id_staff_user"),
        ),
        sa.ForeignKeyConstraint(
            ["org_id", "customer_id"],
            ["customer.org_id", "customer.id"],
            name=op.f("fk_memo_org_id_customer_id_customer"),
        ),
        sa.ForeignKeyConstraint(["org_id"], ["organization.id"], name=op.f("fk_memo_org_id_organization")),
        sa.PrimaryKeyConstraint("org_id", "id", name=op.f("pk_memo")),
    )
    with op.batch_alter_table("memo", schema=None) as batch_op:
        batch_op.create_index(
            "ix_memo_org_id_customer_id_created_at", ["org_id", "customer_id", "created_at"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("memo", schema=None) as batch_op:
        batch_op.drop_index("ix_memo_org_id_customer_id_created_at")
    op.drop_table("memo")
    with op.batch_alter_table("interaction", schema=None) as batch_op:
        batch_op.drop_index("ix_interaction_org_id_customer_id_occurred_at")
        batch_op.drop_index("ix_interaction_org_id_company_id_occurred_at")
    op.drop_table("interaction")
    with op.batch_alter_table("deal", schema=None) as batch_op:
        batch_op.drop_index("ix_deal_org_id_pipeline_id_stage_id")
    op.drop_table("deal")
    op.drop_table("customer_product_rule")
    op.drop_table("company_member")
    with op.batch_alter_table("customer", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("fk_customer_org_id_company_id_company"), type_="foreignkey")
        batch_op.drop_constraint(batch_op.f("fk_customer_org_id_group_id_customer_group"), type_="foreignkey")

    op.drop_table("company_join_code")
    op.drop_table("pipeline_stage")
    op.drop_table("group_product_rule")
    with op.batch_alter_table("company", schema=None) as batch_op:
        batch_op.drop_index("ix_company_org_id_name")
    op.drop_table("company")
    op.drop_table("pipeline")
    op.drop_table("customer_group")
