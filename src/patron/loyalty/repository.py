"""Every ledger query; each starts from the organization's rows.

The balance and tier live on the customer row (`points_balance`, `loyalty_tier`): this
module is the only writer of those two columns, always in the transaction that appends
the ledger entry they summarise. Entries come back as their read schema
(`LedgerEntryRead`, every column but the tenant key).
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Connection

from patron.db import paging
from patron.db.base import table
from patron.db.models import Customer, LoyaltyEntry
from patron.db.records import record, record_or_none, records
from patron.kernel import pagination
from patron.loyalty.schemas import EntryKind, LedgerEntryRead

entry = table(LoyaltyEntry)
_customer = table(Customer)

# The kinds that exist at most once per order: the predicate of the partial unique
# index, spelled the same (with literals) so PostgreSQL can infer that index.
ONCE_PER_ORDER = sa.text("kind IN ('award', 'reversal')")


def _entries(org_id: uuid.UUID) -> sa.Select[Any]:
    return sa.select(entry).where(entry.c.org_id == org_id)


def _customer_row(org_id: uuid.UUID, customer_id: uuid.UUID) -> tuple[sa.ColumnElement[bool], ...]:
    return (_customer.c.org_id == org_id, _customer.c.id == customer_id)


def insert(conn: Connection, values: Mapping[str, Any]) -> LedgerEntryRead:
    return record(conn.execute(sa.insert(entry).values(**values).returning(*entry.c)).one(), LedgerEntryRead)


def insert_once_per_order(conn: Connection, values: Mapping[str, Any]) -> LedgerEntryRead | None:
    """Insert an award or reversal; None when the order already has one (INSERT ... ON CONFLICT DO NOTHING).

    Under concurrency the unique index decides: a second inserter waits for the first
    and then inserts nothing.
    """
    dialect = postgresql if conn.dialect.name == "postgresql" else sqlite
    stmt = (
        dialect.insert(entry)
        .values(**values)
        .on_conflict_do_nothing(index_elements=["org_id", "order_id", "kind"], index_where=ONCE_PER_ORDER)
        .returning(*entry.c)
    )
    return record_or_none(conn.execute(stmt).one_or_none(), LedgerEntryRead)


def of_order(conn: Connection, org_id: uuid.UUID, order_id: uuid.UUID, kind: EntryKind) -> LedgerEntryRead | None:
    stmt = _entries(org_id).where(entry.c.order_id == order_id, entry.c.kind == kind)
    return record_or_none(conn.execute(stmt).one_or_none(), LedgerEntryRead)


def add_to_balance(conn: Connection, org_id: uuid.UUID, customer_id: uuid.UUID, points: int) -> int:
    """Add (or, negative, subtract) points; returns the new balance. Holds the row lock until commit."""
    stmt = (
        sa.update(_customer)
        .where(*_customer_row(org_id, customer_id))
        .values(points_balance=_customer.c.points_balance + points)
        .returning(_customer.c.points_balance)
    )
    return int(conn.execute(stmt).scalar_one())


def spend(conn: Connection, org_id: uuid.UUID, customer_id: uuid.UUID, points: int) -> int | None:
    """Subtract points only if the balance covers them; the new balance, or None when it does not.

    One conditional UPDATE: concurrent spenders queue on the row lock and each re-checks
    the balance it finally sees, so the balance never goes negative.
    """
    stmt = (
        sa.update(_customer)
        .where(*_customer_row(org_id, customer_id), _customer.c.points_balance >= points)
        .values(points_balance=_customer.c.points_balance - points)
        .returning(_customer.c.points_balance)
    )
    value = conn.execute(stmt).scalar_one_or_none()
    return None if value is None else int(value)


def lock_balance(conn: Connection, org_id: uuid.UUID, customer_id: uuid.UUID) -> int:
    """The balance, with the customer row locked until commit (SQLite: the write lock is held already)."""
    stmt = sa.select(_customer.c.points_balance).where(*_customer_row(org_id, customer_id)).with_for_update()
    return int(conn.execute(stmt).scalar_one())


def lifetime_points(conn: Connection, org_id: uuid.UUID, customer_id: uuid.UUID) -> int:
    stmt = sa.select(sa.func.coalesce(sa.func.sum(entry.c.lifetime_points), 0)).where(
        entry.c.org_id == org_id, entry.c.customer_id == customer_id
    )
    return int(conn.execute(stmt).scalar_one())


def set_tier(conn: Connection, org_id: uuid.UUID, customer_id: uuid.UUID, tier: str | None) -> None:
    stmt = (
        sa.update(_customer)
        .where(*_customer_row(org_id, customer_id), _customer.c.loyalty_tier.is_distinct_from(tier))
        .values(loyalty_tier=tier)
    )
    conn.execute(stmt)


# Newest entries first (ids are time-ordered UUIDv7).
ENTRIES = pagination.Keyset("points entries", (pagination.Key("id", uuid.UUID, descending=True),))


def page(
    conn: Connection, org_id: uuid.UUID, customer_id: uuid.UUID, page: pagination.PageRequest
) -> tuple[list[LedgerEntryRead], int]:
    """A page of the customer's entries, newest first (up to limit + 1), and how many there are."""
    stmt = _entries(org_id).where(entry.c.customer_id == customer_id)
    return records(conn.execute(paging.page(stmt, entry.c, page)), LedgerEntryRead), paging.count(conn, stmt)
