"""Every address query; each starts from the organization's rows.

Addresses come back as their read schema (`AddressRead`, every column but the tenant key).
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from patron.addresses.schemas import AddressRead
from patron.db import paging
from patron.db.base import table
from patron.db.models import Address
from patron.db.records import record, record_or_none
from patron.kernel import pagination

address = table(Address)

DEFAULT_FLAGS = ("is_default_shipping", "is_default_billing")


def _of(org_id: uuid.UUID, customer_id: uuid.UUID) -> sa.Select[Any]:
    return sa.select(address).where(address.c.org_id == org_id, address.c.customer_id == customer_id)


ADDRESSES = pagination.by_id("addresses")


def list_of(
    conn: Connection, org_id: uuid.UUID, customer_id: uuid.UUID, page: pagination.PageRequest
) -> tuple[list[AddressRead], int]:
    """A page of the customer's addresses, oldest first (up to limit + 1), and how many there are."""
    stmt = _of(org_id, customer_id)
    return paging.fetch(conn, stmt, address.c, page, AddressRead)


def get(
    conn: Connection, org_id: uuid.UUID, customer_id: uuid.UUID, address_id: uuid.UUID, *, for_update: bool = False
) -> AddressRead | None:
    stmt = _of(org_id, customer_id).where(address.c.id == address_id)
    if for_update:
        stmt = stmt.with_for_update()
    return record_or_none(conn.execute(stmt).one_or_none(), AddressRead)


def clear_default(conn: Connection, org_id: uuid.UUID, customer_id: uuid.UUID, flag: str, *, now: datetime) -> None:
    """Unset `flag` on the customer's addresses (before another address takes it, same transaction)."""
    assert flag in DEFAULT_FLAGS
    column = address.c[flag]
    stmt = (
        sa.update(address)
        .where(address.c.org_id == org_id, address.c.customer_id == customer_id, column.is_(True))
        .values({flag: False, "updated_at": now})
    )
    conn.execute(stmt)


def insert(conn: Connection, values: Mapping[str, Any]) -> AddressRead:
    return record(conn.execute(sa.insert(address).values(**values).returning(*address.c)).one(), AddressRead)


def update(
    conn: Connection, org_id: uuid.UUID, customer_id: uuid.UUID, address_id: uuid.UUID, values: Mapping[str, Any]
) -> AddressRead:
    stmt = (
        sa.update(address)
        .where(address.c.org_id == org_id, address.c.customer_id == customer_id, address.c.id == address_id)
        .values(**values)
        .returning(*address.c)
    )
    return record(conn.execute(stmt).one(), AddressRead)


def delete(conn: Connection, org_id: uuid.UUID, customer_id: uuid.UUID, address_id: uuid.UUID) -> None:
    conn.execute(
        sa.delete(address).where(
            address.c.org_id == org_id, address.c.customer_id == customer_id, address.c.id == address_id
        )
    )
