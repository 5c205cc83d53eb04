from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from patron.db.base import Base, org_id_column


class Customer(Base):
    __tablename__ = "customer"
    __table_args__ = (
        sa.UniqueConstraint("org_id", "customer_number"),
        # One registered, non-deleted customer per email; guests and deleted rows may repeat it.
        sa.Index(
            "uq_customer_org_id_registered_email",
            "org_id",
            "email",
            unique=True,
            sqlite_where=sa.text("NOT is_guest AND deleted_at IS NULL"),
            postgresql_where=sa.text("NOT is_guest AND deleted_at IS NULL"),
        ),
        sa.Index("ix_customer_org_id_email", "org_id", "email"),
        # Imports match rows on phone and VAT id (SPEC §13.1), and duplicates are found by them.
        sa.Index("ix_customer_org_id_phone", "org_id", "phone"),
        sa.Index("ix_customer_org_id_vat_id", "org_id", "vat_id"),
        # Live customers in the default list order (created_at, id): pages and keyset pages
        # without a sort step; with the columns lists are most often filtered by, so those
        # filters and capped counts read the index alone.
        sa.Index(
            "ix_customer_org_id_created_at_id",
            "org_id",
            "created_at",
            "id",
            "tier",
            "status",
            "is_guest",
            "is_merchant",
            "is_favorite",
            "gender",
            "source",
            sqlite_where=sa.text("deleted_at IS NULL"),
            postgresql_where=sa.text("deleted_at IS NULL"),
        ),
        # Duplicate candidates (patron.privacy.duplicates) come from blocks of live customers
        # sharing a folded name or a birthday, each read through its own index.
        sa.Index(
            "ix_customer_org_id_name_key",
            "org_id",
            "name_key",
            sqlite_where=sa.text("deleted_at IS NULL AND name_key IS NOT NULL"),
            postgresql_where=sa.text("deleted_at IS NULL AND name_key IS NOT NULL"),
        ),
        # It holds the name key, so a birthday's names are read from the index alone.
        sa.Index(
            "ix_customer_org_id_birthday",
            "org_id",
            "birthday",
            "name_key",
            sqlite_where=sa.text("deleted_at IS NULL AND birthday IS NOT NULL"),
            postgresql_where=sa.text("deleted_at IS NULL AND birthday IS NOT NULL"),
        ),
        # The few live customers with other emails or phones: their values are duplicate keys too.
        sa.Index(
            "ix_customer_org_id_other_contacts",
            "org_id",
            sqlite_where=sa.text("deleted_at IS NULL AND (other_emails <> '[]' OR other_phones <> '[]')"),
            postgresql_where=sa.text(
                "deleted_at IS NULL AND (other_emails <> '[]'::jsonb OR other_phones <> '[]'::jsonb)"
            ),
        ),
        # A merge's sources, found from the survivor (undo, the access export).
        sa.Index(
            "ix_customer_org_id_merged_into",
            "org_id",
            "merged_into",
            sqlite_where=sa.text("merged_into IS NOT NULL"),
            postgresql_where=sa.text("merged_into IS NOT NULL"),
        ),
        # Customers with paid orders and their order figures (patron.orders.figures): recency,
        # frequency and value read from the index alone (RFM, CLV, churn, cohorts, segments on order figures).
        sa.Index(
            "ix_customer_org_id_last_order_at",
            "org_id",
            "last_order_at",
            "orders_count",
            "total_spent",
            "first_order_at",
            "loyalty_tier",
            "id",
            sqlite_where=sa.text("deleted_at IS NULL AND orders_count > 0"),
            postgresql_where=sa.text("deleted_at IS NULL AND orders_count > 0"),
        ),
        sa.ForeignKeyConstraint(["org_id", "assigned_to"], ["staff_user.org_id", "staff_user.id"]),
        sa.ForeignKeyConstraint(["org_id", "group_id"], ["customer_group.org_id", "customer_group.id"]),
        sa.ForeignKeyConstraint(["org_id", "company_id"], ["company.org_id", "company.id"]),
    )

    org_id: Mapped[uuid.UUID] = org_id_column()
    id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    customer_number: Mapped[str] = mapped_column(sa.String(40))
    is_guest: Mapped[bool] = mapped_column(default=False)
    gender: Mapped[str | None] = mapped_column(sa.String(10))
    first_name: Mapped[str | None] = mapped_column(sa.String(100))
    last_name: Mapped[str | None] = mapped_column(sa.String(100))
    birthday: Mapped[date | None]
    locale: Mapped[str] = mapped_column(sa.String(35))
    email: Mapped[str] = mapped_column(sa.String(320))
    other_emails: Mapped[list[str]]
    phone: Mapped[str | None] = mapped_column(sa.String(20))
    other_phones: Mapped[list[str]]
    fax: Mapped[str | None] = mapped_column(sa.String(20))
    company_name: Mapped[str | None] = mapped_column(sa.String(200))
    vat_id: Mapped[str | None] = mapped_column(sa.String(40))
    is_merchant: Mapped[bool] = mapped_column(default=False)
    company_id: Mapped[uuid.UUID | None]
    user_id: Mapped[uuid.UUID | None]
    credit: Mapped[int] = mapped_column(sa.BigInteger, default=0)
    is_favorite: Mapped[bool] = mapped_column(default=False)
    group_id: Mapped[uuid.UUID | None]
    status: Mapped[str] = mapped_column(sa.String(20))
    tier: Mapped[str] = mapped_column(sa.String(20))
    source: Mapped[str | None] = mapped_column(sa.String(20))
    assigned_to: Mapped[uuid.UUID | None]
    tags: Mapped[list[str]]
    custom_fields: Mapped[dict[str, Any]]
    points_balance: Mapped[int] = mapped_column(sa.BigInteger, default=0)
    loyalty_tier: Mapped[str | None] = mapped_column(sa.String(40))
    # Lifetime points earned (the ledger's sum of `lifetime_points`, kept by patron.loyalty).
    lifetime_points: Mapped[int] = mapped_column(sa.BigInteger, default=0, server_default="0")
    # Order figures over the customer's paid, not refunded orders in the organization's currency,
    # kept in the same transaction as each payment, refund, attachment and merge
    # (patron.orders.figures): segments and analytics read them instead of aggregating orders.
    orders_count: Mapped[int] = mapped_column(default=0, server_default="0")
    total_spent: Mapped[int] = mapped_column(sa.BigInteger, default=0, server_default="0")
    first_order_at: Mapped[datetime | None]
    last_order_at: Mapped[datetime | None]
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]
    churned_at: Mapped[datetime | None]
    deleted_at: Mapped[datetime | None]
    # Set by an erasure (SPEC §13.3): the row stays, soft-deleted, with its personal data gone.
    erased_at: Mapped[datetime | None]
    # Set on a merge's sources (SPEC §13.4): the survivor it was merged into; cleared by an undo.
    merged_into: Mapped[uuid.UUID | None]
    version: Mapped[int] = mapped_column(default=1)
    # Folded tokens of names, emails, phone digits and number (patron.customers.search.document).
    # Its search indexes live outside the models (see patron.db.migrate.UNMODELLED):
    # FTS5 table `customer_fts` on SQLite (live rows' tokens keyed by organization, content from
    # the view `customer_fts_content`); on PostgreSQL `ix_customer_search_text`, a GIN over
    # (org_id, trigrams of search_text) of live rows (btree_gin + pg_trgm).
    search_text: Mapped[str | None] = mapped_column(sa.Text)
    # The folded-name blocking key duplicates are found by (patron.customers.search.name_key).
    name_key: Mapped[str | None] = mapped_column(sa.String(200))

    __mapper_args__ = {"eager_defaults": False}
