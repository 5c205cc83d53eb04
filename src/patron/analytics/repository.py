"""Every analytics query: read-only statements over the organization's customers, orders and
newsletter consents, each starting from the organization's rows."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from patron.analytics import rules
from patron.db.base import table
from patron.db.models import Customer, NewsletterConsent, Order

customer = table(Customer)
order = table(Order)
consent = table(NewsletterConsent)

PAID = "paid"


def _buyers(org_id: uuid.UUID | sa.ColumnElement[Any], as_of: datetime, source: sa.Table | Any) -> list[Any]:
    """The conditions of the customers RFM scores: live, with orders, the last one not after `as_of`
    (the partial index ix_customer_org_id_last_order_at holds exactly these rows)."""
    return [
        source.c.org_id == org_id,
        source.c.deleted_at.is_(None),
        source.c.orders_count > 0,
        source.c.last_order_at <= sa.bindparam(None, as_of, type_=source.c.last_order_at.type),
    ]


def rfm_scored(org_id: uuid.UUID | sa.ColumnElement[Any], as_of: datetime, *, name: str = "rfm") -> sa.Subquery:
    """One statement scoring the organization's buyers: (id, last_order_at, orders_count, total_spent,
    r, f, m, segment). Each score is 1 + floor(5 (RANK() - 1) / COUNT(*)) over the buyers ordered by
    the value (rules.score): equal values share a score, a larger value never scores lower."""
    source = customer.alias(f"{name}_customer")
    population = sa.func.count().over()
    ranked = (
        sa.select(
            source.c.id,
            source.c.last_order_at,
            source.c.orders_count,
            source.c.total_spent,
            sa.func.rank().over(order_by=source.c.last_order_at).label("rank_r"),
            sa.func.rank().over(order_by=source.c.orders_count).label("rank_f"),
            sa.func.rank().over(order_by=source.c.total_spent).label("rank_m"),
            population.label("population"),
        )
        .where(*_buyers(org_id, as_of, source))
        .subquery(f"{name}_ranked")
    )

    def quintile(rank: Any) -> Any:
        return (1 + (rules.QUINTILES * (rank - 1)) // ranked.c.population).label(rank.name[-1])

    scored = sa.select(
        ranked.c.id,
        ranked.c.last_order_at,
        ranked.c.orders_count,
        ranked.c.total_spent,
        quintile(ranked.c.rank_r),
        quintile(ranked.c.rank_f),
        quintile(ranked.c.rank_m),
    ).subquery(f"{name}_scored")
    cell = scored.c.r * 10 + scored.c.f
    segment = sa.case({r * 10 + f: segment for (r, f), segment in rules.GRID.items()}, value=cell)
    return sa.select(*scored.c, segment.label("segment")).subquery(name)


def rfm_counts(conn: Connection, org_id: uuid.UUID, as_of: datetime) -> dict[str, int]:
    scored = rfm_scored(org_id, as_of)
    stmt = sa.select(scored.c.segment, sa.func.count()).group_by(scored.c.segment)
    return {str(name): int(n) for name, n in conn.execute(stmt)}


def rfm_grid(conn: Connection, org_id: uuid.UUID, as_of: datetime) -> dict[tuple[int, int], int]:
    """How many buyers sit in each (R, F) cell."""
    scored = rfm_scored(org_id, as_of)
    stmt = sa.select(scored.c.r, scored.c.f, sa.func.count()).group_by(scored.c.r, scored.c.f)
    return {(int(r), int(f)): int(n) for r, f, n in conn.execute(stmt)}


def rfm_customers(
    conn: Connection, org_id: uuid.UUID, as_of: datetime, *, segment: str | None, after: uuid.UUID | None, limit: int
) -> list[sa.Row[Any]]:
    """A page of scored buyers in id order, after the id `after`."""
    scored = rfm_scored(org_id, as_of)
    stmt = sa.select(scored).order_by(scored.c.id).limit(limit)
    if segment is not None:
        stmt = stmt.where(scored.c.segment == segment)
    if after is not None:
        stmt = stmt.where(scored.c.id > after)
    return list(conn.execute(stmt))


def buyers(conn: Connection, org_id: uuid.UUID, as_of: datetime) -> list[sa.Row[Any]]:
    """(id, orders_count, total_spent, first_order_at, last_order_at, loyalty_tier) of every buyer."""
    stmt = sa.select(
        customer.c.id,
        customer.c.orders_count,
        customer.c.total_spent,
        customer.c.first_order_at,
        customer.c.last_order_at,
        customer.c.loyalty_tier,
    ).where(*_buyers(org_id, as_of, customer))
    return list(conn.execute(stmt))


def _paid(org_id: uuid.UUID, currency: str, as_of: datetime) -> list[Any]:
    return [
        order.c.org_id == org_id,
        order.c.status == PAID,
        order.c.currency == currency.upper(),
        order.c.placed_at <= as_of,
    ]


def cohort_orders(
    conn: Connection, org_id: uuid.UUID, currency: str, as_of: datetime, since: datetime
) -> list[tuple[uuid.UUID, datetime, datetime]]:
    """(customer_id, first paid order's placed_at, placed_at) of every paid order of the live customers
    whose first paid order was placed in [since, as_of]."""
    firsts = (
        sa.select(order.c.customer_id, sa.func.min(order.c.placed_at).label("first_at"))
        .where(*_paid(org_id, currency, as_of), order.c.customer_id.is_not(None))
        .group_by(order.c.customer_id)
        .having(sa.func.min(order.c.placed_at) >= since)
        .subquery("firsts")
    )
    stmt = (
        sa.select(order.c.customer_id, firsts.c.first_at, order.c.placed_at)
        .join(firsts, firsts.c.customer_id == order.c.customer_id)
        .join(customer, sa.and_(customer.c.org_id == order.c.org_id, customer.c.id == order.c.customer_id))
        .where(*_paid(org_id, currency, as_of), customer.c.deleted_at.is_(None))
    )
    return [(customer_id, first_at, placed_at) for customer_id, first_at, placed_at in conn.execute(stmt)]


def new_customers(conn: Connection, org_id: uuid.UUID, since: datetime, as_of: datetime) -> list[datetime]:
    stmt = sa.select(customer.c.created_at).where(
        customer.c.org_id == org_id,
        customer.c.deleted_at.is_(None),
        customer.c.created_at >= since,
        customer.c.created_at <= as_of,
    )
    return list(conn.execute(stmt).scalars())


def consents(conn: Connection, org_id: uuid.UUID, since: datetime, as_of: datetime) -> list[tuple[str, datetime]]:
    """(action, occurred_at) of the subscribe and unsubscribe evidence in the window."""
    stmt = sa.select(consent.c.action, consent.c.occurred_at).where(
        consent.c.org_id == org_id,
        consent.c.action.in_(["subscribe", "unsubscribe"]),
        consent.c.occurred_at >= since,
        consent.c.occurred_at <= as_of,
    )
    return [(str(action), at) for action, at in conn.execute(stmt)]


def paid_orders(
    conn: Connection, org_id: uuid.UUID, currency: str, since: datetime, as_of: datetime
) -> list[tuple[datetime, int]]:
    """(placed_at, total) of the organization's paid orders in its currency placed in the window."""
    stmt = sa.select(order.c.placed_at, order.c.total).where(
        *_paid(org_id, currency, as_of), order.c.placed_at >= since
    )
    return [(at, int(total)) for at, total in conn.execute(stmt)]
