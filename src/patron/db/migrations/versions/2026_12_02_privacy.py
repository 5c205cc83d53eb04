"""privacy: erasure and merge marks on customers, a folded-name blocking key, duplicate dismissals, the merge journal, events by subject

Revision ID: 6d8cf8401253
Revises: 1637018e280e
Create Date: 2026-12-02 18:42:34.396125
"""

from __future__ import annotations

import re
import unicodedata
from typing import Any

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "6d8cf8401253"
down_revision = "1637018e280e"
branch_labels = None
depends_on = None

JSON = sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql")

# patron.customers.search.name_key as of this revision (a migration keeps its own copy).
_SPECIAL = str.maketrans({"đ": "d", "Đ": "d", "ø": "o", "Ø": "o", "ł": "l", "Ł": "l", "æ": "ae", "Æ": "ae"})
_TOKEN = re.compile(r"[^\W_]+")


def _fold(text: str) -> str:
    if text.isascii():
        return text.lower()
    decomposed = unicodedata.normalize("NFKD", text.translate(_SPECIAL))
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
    return unicodedata.normalize("NFC", stripped).casefold()


def _name_key(first_name: str | None, last_name: str | None) -> str | None:
    tokens = sorted(_TOKEN.findall(_fold(f"{first_name or ''} {last_name or ''}")))
    return " ".join(tokens)[:200] or None


_BY_CUSTOMER = ("deal", "inquiry", "newsletter_subscriber")


def _live(where: str) -> dict[str, Any]:
    return {"sqlite_where": sa.text(where), "postgresql_where": sa.text(where)}


def upgrade() -> None:
    op.create_table(
        "duplicate_dismissal",
        sa.Column("org_id", sa.Uuid(), nullable=False),
        sa.Column("low_id", sa.Uuid(), nullable=False),
        sa.Column("high_id", sa.Uuid(), nullable=False),
        sa.Column("actor_type", sa.String(length=20), nullable=False),
        sa.Column("actor_id", sa.Uuid(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["org_id"], ["organization.id"], name=op.f("fk_duplicate_dismissal_org_id_organization")
        ),
        sa.PrimaryKeyConstraint("org_id", "low_id", "high_id", name=op.f("pk_duplicate_dismissal")),
    )
    op.create_table(
        "merge_journal",
        sa.Column("org_id", sa.Uuid(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("survivor_id", sa.Uuid(), nullable=False),
        sa.Column("source_ids", JSON, nullable=False),
        sa.Column("moved", JSON, nullable=False),
        sa.Column("changed_fields", JSON, nullable=False),
        sa.Column("record", JSON, nullable=False),
        sa.Column("actor_type", sa.String(length=20), nullable=False),
        sa.Column("actor_id", sa.Uuid(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("undone_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["org_id", "survivor_id"],
            ["customer.org_id", "customer.id"],
            name=op.f("fk_merge_journal_org_id_survivor_id_customer"),
        ),
        sa.ForeignKeyConstraint(["org_id"], ["organization.id"], name=op.f("fk_merge_journal_org_id_organization")),
        sa.PrimaryKeyConstraint("org_id", "id", name=op.f("pk_merge_journal")),
    )
    op.create_index("ix_merge_journal_org_id_survivor_id", "merge_journal", ["org_id", "survivor_id"])

    # Plain ADD COLUMN (no batch table copy): the FTS index refers to customer's rowids.
    op.add_column("customer", sa.Column("erased_at", sa.DateTime(timezone=True), nullable=True))
    op.add_column("customer", sa.Column("merged_into", sa.Uuid(), nullable=True))
    op.add_column("customer", sa.Column("name_key", sa.String(length=200), nullable=True))
    customer = sa.table(
        "customer",
        sa.column("org_id"),
        sa.column("id"),
        sa.column("first_name"),
        sa.column("last_name"),
        sa.column("name_key"),
    )
    select = sa.select(customer.c.org_id, customer.c.id, customer.c.first_name, customer.c.last_name).order_by(
        customer.c.org_id, customer.c.id
    )
    update = (
        sa.update(customer)
        .where(customer.c.org_id == sa.bindparam("b_org_id"), customer.c.id == sa.bindparam("b_id"))
        .values(name_key=sa.bindparam("b_key"))
    )
    conn = op.get_bind()
    last: tuple[object, object] | None = None
    while True:
        chunk = select if last is None else select.where(sa.tuple_(customer.c.org_id, customer.c.id) > sa.tuple_(*last))
        rows = conn.execute(chunk.limit(5000)).all()
        if not rows:
            break
        keys = [{"b_org_id": r.org_id, "b_id": r.id, "b_key": _name_key(r.first_name, r.last_name)} for r in rows]
        if named := [key for key in keys if key["b_key"] is not None]:
            conn.execute(update, named)
        last = (rows[-1].org_id, rows[-1].id)

    op.create_index(
        "ix_customer_org_id_birthday",
        "customer",
        ["org_id", "birthday", "name_key"],
        **_live("deleted_at IS NULL AND birthday IS NOT NULL"),
    )
    op.create_index(
        "ix_customer_org_id_merged_into", "customer", ["org_id", "merged_into"], **_live("merged_into IS NOT NULL")
    )
    op.create_index(
        "ix_customer_org_id_name_key",
        "customer",
        ["org_id", "name_key"],
        **_live("deleted_at IS NULL AND name_key IS NOT NULL"),
    )
    op.create_index(
        "ix_customer_org_id_other_contacts",
        "customer",
        ["org_id"],
        sqlite_where=sa.text("deleted_at IS NULL AND (other_emails <> '[]' OR other_phones <> '[]')"),
        postgresql_where=sa.text("deleted_at IS NULL AND (other_emails <> '[]'::jsonb OR other_phones <> '[]'::jsonb)"),
    )
    op.create_index("ix_outbox_event_org_id_subject_id", "outbox_event", ["org_id", "subject_id", "seq"])
    # a customer's rows in the tables that had no index on it (access export, erasure, merge)
    for table in _BY_CUSTOMER:
        op.create_index(f"ix_{table}_org_id_customer_id", table, ["org_id", "customer_id"])


def downgrade() -> None:
    for table in _BY_CUSTOMER:
        op.drop_index(f"ix_{table}_org_id_customer_id", table_name=table)
    op.drop_index("ix_outbox_event_org_id_subject_id", table_name="outbox_event")
    for name in (
        "ix_customer_org_id_other_contacts",
        "ix_customer_org_id_name_key",
        "ix_customer_org_id_merged_into",
        "ix_customer_org_id_birthday",
    ):
        op.drop_index(name, table_name="customer")
    for column in ("name_key", "merged_into", "erased_at"):
        op.drop_column("customer", column)
    op.drop_index("ix_merge_journal_org_id_survivor_id", table_name="merge_journal")
    op.drop_table("merge_journal")
    op.drop_table("duplicate_dismissal")
