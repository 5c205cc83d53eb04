"""Each customer's order figures, kept on the customer row in the transaction that changes them.

`orders_count`, `total_spent`, `first_order_at` and `last_order_at` describe the customer's paid,
not refunded orders in the organization's currency (dates are the orders' `placed_at`). Segments
and analytics read these indexed columns instead of aggregating orders on every query.

A payment (or a customer attached to a paid order) adds to them with one atomic UPDATE; a refund,
a merge and its undo count them afresh from the orders. A recount first locks the customer rows:
on PostgreSQL a statement's snapshot is taken when it starts, so a recount waiting on the row lock
of a concurrent payment would otherwise write figures that miss that payment's order.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from patron.customers.repository import customer
from patron.db import fast
from patron.orders.repository import order


def _statement_count_payment() -> sa.Update:
    first, last = customer.c.first_order_at, customer.c.last_order_at
    at = sa.bindparam("p_placed_at", type_=first.type)
    return (
        sa.update(customer)
        .where(
            customer.c.org_id == sa.bindparam("p_org_id", type_=customer.c.org_id.type),
            customer.c.id == sa.bindparam("p_customer_id", type_=customer.c.id.type),
        )
        .values(
            orders_count=customer.c.orders_count + 1,
            total_spent=customer.c.total_spent + sa.bindparam("p_total", type_=sa.BigInteger()),
            first_order_at=sa.case((sa.or_(first.is_(None), first > at), at), else_=first),
            last_order_at=sa.case((sa.or_(last.is_(None), last < at), at), else_=last),
        )
    )


# Built and compiled once: building this UPDATE's expression on every payment cost ~1 ms of
# SQLAlchemy's Python (SQLite, in-process), as much as the rest of the payment.
_COUNT_PAYMENT = fast.Prepared(_statement_count_payment())


def count_payment(
    conn: Connection, org_id: uuid.UUID, customer_id: uuid.UUID, *, total: int, placed_at: datetime
) -> None:
    """Add one paid order to the customer's figures (the caller made sure it is counted once)."""
    values = {"p_org_id": org_id, "p_customer_id": customer_id, "p_total": total, "p_placed_at": placed_at}
    _COUNT_PAYMENT.execute(conn, [values])


def counted(org_id: uuid.UUID, customer_id: Any, currency: str) -> sa.Select[Any]:
    """The customer's orders its figures count (no columns yet: add the aggregate)."""
    return (
        sa.select()
        .select_from(order)
        .where(
            order.c.org_id == org_id,
            order.c.customer_id == customer_id,
            order.c.status == "paid",
            order.c.currency == currency,
        )
    )


def _afresh(org_id: uuid.UUID, currency: str) -> dict[str, Any]:
    """The figures as counted from each customer's orders (correlated to the updated row)."""
    paid = counted(org_id, customer.c.id, currency)
    return {
        "orders_count": paid.add_columns(sa.func.count()).scalar_subquery(),
        "total_spent": paid.add_columns(sa.func.coalesce(sa.func.sum(order.c.total), 0)).scalar_subquery(),
        "first_order_at": paid.add_columns(sa.func.min(order.c.placed_at)).scalar_subquery(),
        "last_order_at": paid.add_columns(sa.func.max(order.c.placed_at)).scalar_subquery(),
    }


def recount(conn: Connection, org_id: uuid.UUID, customer_ids: Sequence[uuid.UUID], *, currency: str) -> None:
    """Count the customers' figures afresh from their orders."""
    if not customer_ids:
        return
    mine = sa.and_(customer.c.org_id == org_id, customer.c.id.in_(sorted(set(customer_ids))))
    # Row locks first, in id order (see the module's note; SQLite's writer holds the lock already).
    conn.execute(sa.select(customer.c.id).where(mine).order_by(customer.c.id).with_for_update())
    conn.execute(sa.update(customer).where(mine).values(**_afresh(org_id, currency)))


def recount_organization(conn: Connection, org_id: uuid.UUID, *, currency: str) -> None:
    """Count every customer's figures afresh (the organization's currency changed)."""
    conn.execute(sa.update(customer).where(customer.c.org_id == org_id).values(**_afresh(org_id, currency)))
