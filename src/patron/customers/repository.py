"""Every customer query; each starts from the organization's rows."""

from __future__ import annotations

import uuid
from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Row

from patron.db import counters
from patron.db.base import table
from patron.db.models import Customer, LoyaltyEntry, Order, OrgCounter, StaffUser

customer = table(Customer)
_order = table(Order)
_ledger = table(LoyaltyEntry)
_counter = table(OrgCounter)
_staff = table(StaffUser)


def _of(org_id: uuid.UUID) -> sa.Select[Any]:
    return sa.select(customer).where(customer.c.org_id == org_id)


def _live(org_id: uuid.UUID) -> sa.Select[Any]:
    return _of(org_id).where(customer.c.deleted_at.is_(None))


def get(conn: Connection, org_id: uuid.UUID, customer_id: uuid.UUID, *, for_update: bool = False) -> Row[Any] | None:
    stmt = _of(org_id).where(customer.c.id == customer_id)
    if for_update:
        stmt = stmt.with_for_update()
    return conn.execute(stmt).one_or_none()


def get_by_email(conn: Connection, org_id: uuid.UUID, email: str) -> Row[Any] | None:
    """The registered customer with this email, else the most recent guest."""
    stmt = _live(org_id).where(customer.c.email == email).order_by(customer.c.is_guest, customer.c.created_at.desc())
    return conn.execute(stmt.limit(1)).first()


def find_by_emails(conn: Connection, org_id: uuid.UUID, emails: Sequence[str]) -> list[Row[Any]]:
    """Live customers (guests and registered) holding any of these emails, oldest first."""
    stmt = _live(org_id).where(customer.c.email.in_(emails)).order_by(customer.c.created_at, customer.c.id)
    return list(conn.execute(stmt))


def registered_email_holder(
    conn: Connection, org_id: uuid.UUID, email: str, *, other_than: uuid.UUID | None = None
) -> uuid.UUID | None:
    stmt = (
        _live(org_id).with_only_columns(customer.c.id).where(customer.c.email == email, customer.c.is_guest.is_(False))
    )
    if other_than is not None:
        stmt = stmt.where(customer.c.id != other_than)
    return conn.execute(stmt.limit(1)).scalar_one_or_none()


def numbers_taken(conn: Connection, org_id: uuid.UUID, numbers: Sequence[str]) -> set[str]:
    stmt = sa.select(customer.c.customer_number).where(
        customer.c.org_id == org_id, customer.c.customer_number.in_(numbers)
    )
    return set(conn.execute(stmt).scalars())


def next_numbers(conn: Connection, org_id: uuid.UUID, count: int) -> range:
    """Reserve `count` generated customer numbers (counter values)."""
    last = counters.bump(conn, org_id, "customer_number", count)
    return range(last - count + 1, last + 1)


def reserve_number_value(conn: Connection, org_id: uuid.UUID, value: int) -> None:
    """Move the generator past a number given by hand, so it never generates it again."""
    conn.execute(
        sa.update(_counter)
        .where(_counter.c.org_id == org_id, _counter.c.name == "customer_number", _counter.c.value < value)
        .values(value=value)
    )


def insert_many(conn: Connection, rows: Sequence[Mapping[str, Any]]) -> list[Row[Any]]:
    """Insert rows and return them as stored, in the given order (INSERT ... RETURNING)."""
    if len(rows) == 1:
        return [conn.execute(sa.insert(customer).values(**rows[0]).returning(*customer.c)).one()]
    result = conn.execute(sa.insert(customer).returning(*customer.c, sort_by_parameter_order=True), list(rows))
    return list(result)


def update(
    conn: Connection, org_id: uuid.UUID, customer_id: uuid.UUID, values: Mapping[str, Any], *, version: int
) -> Row[Any] | None:
    """Apply `values` if the row still has `version`; bumps the version. None when it moved on."""
    stmt = (
        sa.update(customer)
        .where(customer.c.org_id == org_id, customer.c.id == customer_id, customer.c.version == version)
        .values(**values, version=customer.c.version + 1)
        .returning(*customer.c)
    )
    return conn.execute(stmt).one_or_none()


def count_live(conn: Connection, org_id: uuid.UUID) -> int:
    stmt = (
        sa.select(sa.func.count())
        .select_from(customer)
        .where(customer.c.org_id == org_id, customer.c.deleted_at.is_(None))
    )
    return int(conn.execute(stmt).scalar_one())


def list_page(conn: Connection, org_id: uuid.UUID, *, limit: int, offset: int) -> list[Row[Any]]:
    stmt = _live(org_id).order_by(customer.c.created_at.desc(), customer.c.id.desc()).limit(limit).offset(offset)
    return list(conn.execute(stmt))


def staff_exists(conn: Connection, org_id: uuid.UUID, staff_id: uuid.UUID) -> bool:
    stmt = sa.select(_staff.c.id).where(
        _staff.c.org_id == org_id, _staff.c.id == staff_id, _staff.c.deactivated_at.is_(None)
    )
    return conn.execute(stmt).first() is not None


def outdated_guests(conn: Connection, org_id: uuid.UUID, *, inactive_since: datetime) -> list[uuid.UUID]:
    """Guests untouched since the cutoff (deleted ones included: they are guests too).

    Guests with orders or points are kept: orders and the ledger must stay attributed.
    """
    has_orders = sa.exists().where(_order.c.org_id == org_id, _order.c.customer_id == customer.c.id)
    has_points = sa.exists().where(_ledger.c.org_id == org_id, _ledger.c.customer_id == customer.c.id)
    stmt = (
        sa.select(customer.c.id)
        .where(customer.c.org_id == org_id, customer.c.is_guest.is_(True), customer.c.updated_at < inactive_since)
        .where(~has_orders, ~has_points)
        .with_for_update()
    )
    return list(conn.execute(stmt).scalars())


def delete_many(conn: Connection, org_id: uuid.UUID, ids: Sequence[uuid.UUID]) -> int:
    total = 0
    for start in range(0, len(ids), 500):
        chunk = ids[start : start + 500]
        result = conn.execute(sa.delete(customer).where(customer.c.org_id == org_id, customer.c.id.in_(chunk)))
        total += result.rowcount
    return total
