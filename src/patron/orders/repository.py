"""Every order query; each starts from the organization's rows.

Orders come back as their read schema (`OrderRead`: every column but the tenant key; its
`customer` is not a column and stays unset, the service embeds it where the answer has it).
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from patron.db import paging
from patron.db.base import table
from patron.db.models import Order
from patron.db.records import record, record_or_none
from patron.kernel import pagination
from patron.orders.rules import OrderStatus
from patron.orders.schemas import OrderRead

order = table(Order)


def _of(org_id: uuid.UUID) -> sa.Select[Any]:
    return sa.select(order).where(order.c.org_id == org_id)


def get(conn: Connection, org_id: uuid.UUID, order_id: uuid.UUID, *, for_update: bool = False) -> OrderRead | None:
    stmt = _of(org_id).where(order.c.id == order_id)
    if for_update:
        stmt = stmt.with_for_update()
    return record_or_none(conn.execute(stmt).one_or_none(), OrderRead)


def ref_taken(conn: Connection, org_id: uuid.UUID, external_ref: str) -> bool:
    stmt = _of(org_id).with_only_columns(order.c.id).where(order.c.external_ref == external_ref)
    return conn.execute(stmt).first() is not None


def insert(conn: Connection, values: Mapping[str, Any]) -> OrderRead:
    return record(conn.execute(sa.insert(order).values(**values).returning(*order.c)).one(), OrderRead)


def move(
    conn: Connection, org_id: uuid.UUID, order_id: uuid.UUID, *, from_status: OrderStatus, values: Mapping[str, Any]
) -> OrderRead | None:
    """Change the order only if it is still in `from_status` (one conditional UPDATE); None otherwise."""
    stmt = (
        sa.update(order)
        .where(order.c.org_id == org_id, order.c.id == order_id, order.c.status == from_status)
        .values(**values)
        .returning(*order.c)
    )
    return record_or_none(conn.execute(stmt).one_or_none(), OrderRead)


def set_customer(conn: Connection, org_id: uuid.UUID, order_id: uuid.UUID, values: Mapping[str, Any]) -> OrderRead:
    stmt = (
        sa.update(order)
        .where(order.c.org_id == org_id, order.c.id == order_id, order.c.customer_id.is_(None))
        .values(**values)
        .returning(*order.c)
    )
    return record(conn.execute(stmt).one(), OrderRead)


NEWEST_FIRST = pagination.newest_first("orders", at="placed_at")


def of_customer(
    conn: Connection, org_id: uuid.UUID, customer_id: uuid.UUID, page: pagination.PageRequest
) -> tuple[list[OrderRead], int]:
    """A page of the customer's orders, newest first (up to limit + 1), and how many there are."""
    stmt = _of(org_id).where(order.c.customer_id == customer_id)
    return paging.fetch(conn, stmt, order.c, page, OrderRead)
