"""customer search: normalised search text, FTS5 on SQLite, trigram GIN on PostgreSQL, list order index

Revision ID: 3c9d1e7a5b42
Revises: c8e0aa84fc8c
Create Date: 2026-11-22 19:45:00
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping
from typing import Any

import phonenumbers
import sqlalchemy as sa
from alembic import op

revision = "3c9d1e7a5b42"
down_revision = "c8e0aa84fc8c"
branch_labels = None
depends_on = None

SEARCH_COLUMNS = (
    "id",
    "org_id",
    "first_name",
    "last_name",
    "company_name",
    "customer_number",
    "email",
    "other_emails",
    "phone",
    "other_phones",
)

# External-content FTS5 index over customer.search_text and org_id, kept by triggers in the
# same transaction as every customer write. The text is folded already, so the tokenizer
# only splits it. org_id (stored as 32 hex digits, one token) lets a search intersect with
# its organization inside the index: 4-6x faster than filtering every organization's matches
# afterwards (10 organizations x 20,000 customers). prefix='2 3' makes short prefixes cheap.
SQLITE_FTS = [
    "CREATE VIRTUAL TABLE customer_fts USING fts5(search_text, org_id, content='customer', content_rowid='rowid', "
    "tokenize='unicode61 remove_diacritics 0', prefix='2 3', detail='column')",
    "CREATE TRIGGER customer_fts_insert AFTER INSERT ON customer WHEN new.search_text IS NOT NULL BEGIN "
    "INSERT INTO customer_fts(rowid, search_text, org_id) VALUES (new.rowid, new.search_text, new.org_id); END",
    "CREATE TRIGGER customer_fts_delete AFTER DELETE ON customer WHEN old.search_text IS NOT NULL BEGIN "
    "INSERT INTO customer_fts(customer_fts, rowid, search_text, org_id) "
    "VALUES ('delete', old.rowid, old.search_text, old.org_id); END",
    "CREATE TRIGGER customer_fts_update AFTER UPDATE OF search_text ON customer "
    "WHEN old.search_text IS NOT new.search_text BEGIN "
    "INSERT INTO customer_fts(customer_fts, rowid, search_text, org_id) "
    "SELECT 'delete', old.rowid, old.search_text, old.org_id WHERE old.search_text IS NOT NULL; "
    "INSERT INTO customer_fts(rowid, search_text, org_id) SELECT new.rowid, new.search_text, new.org_id "
    "WHERE new.search_text IS NOT NULL; END",
]


# The search text as patron.customers.search built it when this revision was written, copied
# so that the backfill stays what it was when the application's folding changes later.
_SPECIAL = str.maketrans({"đ": "d", "Đ": "d", "ø": "o", "Ø": "o", "ł": "l", "Ł": "l", "æ": "ae", "Æ": "ae"})
_TOKEN = re.compile(r"[^\W_]+")


def _fold(text: str) -> str:
    if text.isascii():
        return text.lower()
    decomposed = unicodedata.normalize("NFKD", text.translate(_SPECIAL))
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
    return unicodedata.normalize("NFC", stripped).casefold()


def _tokens(text: str) -> list[str]:
    return _TOKEN.findall(_fold(text))


def _phone_forms(e164: str) -> list[str]:
    forms = ["".join(c for c in e164 if c.isdigit())]
    try:
        number = phonenumbers.parse(e164, None)
    except phonenumbers.NumberParseException:
        return forms
    national = "".join(
        c for c in phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.NATIONAL) if c.isdigit()
    )
    if national and national not in forms:
        forms.append(national)
    return forms


def _document(customer: Mapping[Any, Any]) -> str:
    parts: list[str] = []
    for name in ("first_name", "last_name", "company_name", "customer_number", "email"):
        if value := customer.get(name):
            parts.extend(_tokens(value))
    for email in customer.get("other_emails") or ():
        parts.extend(_tokens(email))
    phones: Iterable[str] = [customer["phone"]] if customer.get("phone") else []
    for phone in [*phones, *(customer.get("other_phones") or ())]:
        parts.extend(_phone_forms(phone))
    return " " + " ".join(dict.fromkeys(parts))


def upgrade() -> None:
    conn = op.get_bind()
    sqlite = conn.dialect.name == "sqlite"
    # A plain ADD COLUMN (no batch table copy): the FTS index refers to customer's rowids.
    op.add_column("customer", sa.Column("search_text", sa.Text(), nullable=True))
    customer = sa.table(
        "customer",
        *(sa.column(name, sa.JSON()) if name.startswith("other_") else sa.column(name) for name in SEARCH_COLUMNS),
        sa.column("search_text"),
    )
    # Backfill in keyset chunks, so a large table is never held in memory at once.
    select = sa.select(*(customer.c[name] for name in SEARCH_COLUMNS)).order_by(customer.c.org_id, customer.c.id)
    update = (
        sa.update(customer)
        .where(customer.c.org_id == sa.bindparam("b_org_id"), customer.c.id == sa.bindparam("b_id"))
        .values(search_text=sa.bindparam("b_text"))
    )
    last: tuple[object, object] | None = None
    while True:
        chunk = select if last is None else select.where(sa.tuple_(customer.c.org_id, customer.c.id) > sa.tuple_(*last))
        rows = [dict(r._mapping) for r in conn.execute(chunk.limit(5000))]
        if not rows:
            break
        conn.execute(update, [{"b_org_id": r["org_id"], "b_id": r["id"], "b_text": _document(r)} for r in rows])
        last = (rows[-1]["org_id"], rows[-1]["id"])
    # id completes the list order, so pages need no sort step (EXPLAIN showed a temp B-tree),
    # and only live rows are indexed, so a capped count reads the index alone.
    op.drop_index("ix_customer_org_id_created_at", table_name="customer")
    op.create_index(
        "ix_customer_org_id_created_at_id",
        "customer",
        ["org_id", "created_at", "id"],
        sqlite_where=sa.text("deleted_at IS NULL"),
        postgresql_where=sa.text("deleted_at IS NULL"),
    )
    if sqlite:
        for statement in SQLITE_FTS:
            op.execute(statement)
        op.execute("INSERT INTO customer_fts(customer_fts) VALUES ('rebuild')")
    else:
        # One GIN over (org_id, trigrams of the live rows' search text): a search reads only its
        # organization's matches (EXPLAIN ANALYZE, 5 x 40,000 customers: 0.7 ms instead of 2.7 ms
        # with trigrams alone, which read every organization's matches and filtered after).
        op.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
        op.execute("CREATE EXTENSION IF NOT EXISTS btree_gin")
        op.execute(
            "CREATE INDEX ix_customer_search_text ON customer "
            "USING gin (org_id, search_text gin_trgm_ops) WHERE deleted_at IS NULL"
        )


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        for name in ("customer_fts_update", "customer_fts_delete", "customer_fts_insert"):
            op.execute(f"DROP TRIGGER {name}")
        op.execute("DROP TABLE customer_fts")
    else:
        op.execute("DROP INDEX ix_customer_search_text")
    op.drop_index("ix_customer_org_id_created_at_id", table_name="customer")
    op.create_index("ix_customer_org_id_created_at", "customer", ["org_id", "created_at"])
    with op.batch_alter_table("customer") as batch_op:
        batch_op.drop_column("search_text")
