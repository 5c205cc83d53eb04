"""Every analytics query: read-only statements over the organization's customers, orders and
newsletter consents, each starting from the organization's rows."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
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


def rfm_scored(
    org_id: uuid.UUID | sa.ColumnElement[Any], as_of: datetime, *, name: str = "rfm", monetary: bool = True
) -> sa.Subquery:
    """One statement scoring the organization's buyers: (id, last_order_at, orders_count, total_spent,
    r, f, m, segment). Each score is 1 + floor(5 (RANK() - 1) / COUNT(*)) over the buyers ordered by
    the value (rules.score): equal values share a score, a larger value never scores lower.
    Without `monetary` there is no `m` (the segment is read off R and F alone): one sort fewer."""
    source = customer.alias(f"{name}_customer")
    population = sa.func.count().over()
    ranks = [
        sa.func.rank().over(order_by=source.c.last_order_at).label("rank_r"),
        sa.func.rank().over(order_by=source.c.orders_count).label("rank_f"),
    ]
    if monetary:
        ranks.append(sa.func.rank().over(order_by=source.c.total_spent).label("rank_m"))
    ranked = (
        sa.select(
            source.c.id,
            source.c.last_order_at,
            source.c.orders_count,
            source.c.total_spent,
            *ranks,
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
        *(quintile(ranked.c[rank.name]) for rank in ranks),
    ).subquery(f"{name}_scored")
    cell = scored.c.r * 10 + scored.c.f
    segment = sa.case({r * 10 + f: segment for (r, f), segment in rules.GRID.items()}, value=cell)
    return sa.select(*scored.c, segment.label("segment")).subquery(name)


def _positions(n: int) -> list[int]:
    """The 0-based positions among n ascending values whose values bound the quintile scores
    (rules.score): a value scores 1 + how many of the values at these positions are below it."""
    return [-(-k * n // rules.QUINTILES) - 1 for k in range(1, rules.QUINTILES)]


def _grid_cells(conn: Connection, org_id: uuid.UUID, as_of: datetime) -> dict[tuple[int, int], int]:
    """How many buyers sit in each (R, F) cell, without sorting them: F's bounds come from the
    histogram of orders_count, R's from four walks along the buyers' index by last_order_at,
    and one pass over the index counts the cells. The same scores as `rfm_scored` gives."""
    buyers = _buyers(org_id, as_of, customer)
    histogram = sorted(
        (int(count), int(n))
        for count, n in conn.execute(
            sa.select(customer.c.orders_count, sa.func.count()).where(*buyers).group_by(customer.c.orders_count)
        )
    )
    population = sum(n for _, n in histogram)
    if population == 0:
        return {}
    positions = _positions(population)
    f_bounds: list[int] = []
    seen = 0
    for count, n in histogram:
        seen += n
        while len(f_bounds) < len(positions) and positions[len(f_bounds)] < seen:
            f_bounds.append(count)
    walks = [
        sa.select(customer.c.last_order_at)
        .where(*buyers)
        .order_by(customer.c.last_order_at)
        .limit(1)
        .offset(position)
        .scalar_subquery()
        for position in positions
    ]
    r_bounds = list(conn.execute(sa.select(*walks)).one())

    def score(column: Any, bounds: Sequence[Any]) -> Any:
        total: Any = sa.literal(1)
        for bound in bounds:
            total = total + sa.case((column > sa.bindparam(None, bound, type_=column.type), 1), else_=0)
        return total

    cells = (
        sa.select(
            score(customer.c.last_order_at, r_bounds).label("r"), score(customer.c.orders_count, f_bounds).label("f")
        )
        .where(*buyers)
        .subquery("cells")
    )
    stmt = sa.select(cells.c.r, cells.c.f, sa.func.count()).group_by(cells.c.r, cells.c.f)
    return {(int(r), int(f)): int(n) for r, f, n in conn.execute(stmt)}


def rfm_counts(conn: Connection, org_id: uuid.UUID, as_of: datetime) -> dict[str, int]:
    """How many buyers each named segment holds."""
    counts: dict[str, int] = {}
    for cell, n in _grid_cells(conn, org_id, as_of).items():
        counts[rules.GRID[cell]] = counts.get(rules.GRID[cell], 0) + n
    return counts


def rfm_grid(conn: Connection, org_id: uuid.UUID, as_of: datetime) -> dict[tuple[int, int], int]:
    """How many buyers sit in each (R, F) cell."""
    return _grid_cells(conn, org_id, as_of)


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


_DAY = 86_400.0


def _seconds(column: Any, dialect: str) -> Any:
    """A UTC datetime column as seconds since the Unix epoch (a float), on either database."""
    if dialect == "postgresql":
        return sa.cast(sa.extract("epoch", column), sa.Float)
    return (sa.func.julianday(column) - 2_440_587.5) * _DAY


def _at_least(value: Any, floor: float) -> Any:
    return sa.case((value < floor, floor), else_=value)


def _whole(value: Any, dialect: str) -> Any:
    """A non-negative float rounded half up to an integer (SQLite's CAST truncates, PostgreSQL's rounds)."""
    if dialect == "postgresql":
        return sa.cast(sa.func.floor(value + 0.5), sa.BigInteger)
    return sa.cast(value + 0.5, sa.BigInteger)


def _clv_values(dialect: str, org_id: uuid.UUID, as_of: datetime) -> sa.Subquery:
    """(id, tier, clv) of every buyer, clv as rules.clv computes it."""
    first = sa.func.coalesce(customer.c.first_order_at, customer.c.last_order_at)
    tenure = _at_least(sa.literal(as_of.timestamp()) - _seconds(first, dialect), rules.MIN_TENURE.total_seconds())
    expected = customer.c.total_spent * rules.YEAR.total_seconds() / tenure
    return (
        sa.select(
            customer.c.id,
            sa.func.coalesce(customer.c.loyalty_tier, "none").label("tier"),
            (customer.c.total_spent + _whole(expected, dialect)).label("clv"),
        )
        .where(*_buyers(org_id, as_of, customer))
        .subquery("clv")
    )


def clv_values(conn: Connection, org_id: uuid.UUID, as_of: datetime) -> list[tuple[str, int]]:
    """(tier, clv) of every buyer, computed by the database (plain values: cheap to read)."""
    values = _clv_values(conn.dialect.name, org_id, as_of)
    return [(str(tier), int(value)) for tier, value in conn.execute(sa.select(values.c.tier, values.c.clv))]


def clv_top(conn: Connection, org_id: uuid.UUID, as_of: datetime, limit: int) -> list[tuple[uuid.UUID, int]]:
    values = _clv_values(conn.dialect.name, org_id, as_of)
    stmt = sa.select(values.c.id, values.c.clv).order_by(values.c.clv.desc(), values.c.id).limit(limit)
    return [(customer_id, int(value)) for customer_id, value in conn.execute(stmt)]


def riskiest(conn: Connection, org_id: uuid.UUID, as_of: datetime, limit: int) -> list[sa.Row[Any]]:
    """(id, orders_count, first_order_at, last_order_at) of the `limit` buyers with the highest
    ratio of the time since their last order to their usual interval (rules.expected_interval):
    the highest churn risk, which grows with that ratio; equal ratios by id."""
    dialect = conn.dialect.name
    last = _seconds(customer.c.last_order_at, dialect)
    first = _seconds(sa.func.coalesce(customer.c.first_order_at, customer.c.last_order_at), dialect)
    gap = (last - first) / sa.func.nullif(customer.c.orders_count - 1, 0)
    interval = sa.case(
        (customer.c.orders_count < 2, rules.ONE_ORDER_INTERVAL.total_seconds()),
        (gap < _DAY, _DAY),
        else_=gap,
    )
    ratio = (sa.literal(as_of.timestamp()) - last) / interval
    stmt = (
        sa.select(customer.c.id, customer.c.orders_count, customer.c.first_order_at, customer.c.last_order_at)
        .where(*_buyers(org_id, as_of, customer))
        .order_by(ratio.desc(), customer.c.id)
        .limit(limit)
    )
    return list(conn.execute(stmt))


def _paid(org_id: uuid.UUID, currency: str, as_of: datetime) -> list[Any]:
    return [
        order.c.org_id == org_id,
        order.c.status == PAID,
        order.c.currency == currency.upper(),
        order.c.placed_at <= as_of,
    ]


def _period(column: Any, bounds: Sequence[datetime]) -> Any:
    """The index of the period holding the column's value: `bounds` are the periods' starts (UTC,
    oldest first), and a value before the first is the caller's to exclude. Comparing with the
    bounds, computed in the organization's time zone beforehand, buckets by local months or weeks
    on either database without its date functions."""
    whens = [(column < sa.bindparam(None, bound, type_=column.type), k) for k, bound in enumerate(bounds[1:])]
    return sa.case(*whens, else_=len(bounds) - 1) if whens else sa.literal(0)


def _window(column: Any, bounds: Sequence[datetime], as_of: datetime) -> list[Any]:
    return [
        column >= sa.bindparam(None, bounds[0], type_=column.type),
        column <= sa.bindparam(None, as_of, type_=column.type),
    ]


def _buyers_since(org_id: uuid.UUID, bounds: Sequence[datetime], as_of: datetime) -> list[Any]:
    """Live customers whose first paid order (in the organization's currency) is in the window."""
    return [
        customer.c.org_id == org_id,
        customer.c.deleted_at.is_(None),
        customer.c.orders_count > 0,
        *_window(customer.c.first_order_at, bounds, as_of),
    ]


def cohort_sizes(conn: Connection, org_id: uuid.UUID, bounds: Sequence[datetime], as_of: datetime) -> dict[int, int]:
    """How many live customers had their first paid order in each period (by index into `bounds`)."""
    periods = (
        sa.select(_period(customer.c.first_order_at, bounds).label("cohort"))
        .where(*_buyers_since(org_id, bounds, as_of))
        .subquery("cohorts")
    )
    stmt = sa.select(periods.c.cohort, sa.func.count()).group_by(periods.c.cohort)
    return {int(cohort): int(n) for cohort, n in conn.execute(stmt)}


def cohort_activity(
    conn: Connection, org_id: uuid.UUID, currency: str, bounds: Sequence[datetime], as_of: datetime
) -> dict[tuple[int, int], int]:
    """How many customers of each cohort (their first paid order's period) ordered in each period:
    {(cohort, period): customers}, both indexes into `bounds`."""
    pairs = (
        sa.select(
            order.c.customer_id,
            _period(customer.c.first_order_at, bounds).label("cohort"),
            _period(order.c.placed_at, bounds).label("period"),
        )
        .join(customer, sa.and_(customer.c.org_id == order.c.org_id, customer.c.id == order.c.customer_id))
        .where(*_buyers_since(org_id, bounds, as_of), *_paid(org_id, currency, as_of), order.c.placed_at >= bounds[0])
        .subquery("pairs")
    )
    stmt = sa.select(pairs.c.cohort, pairs.c.period, sa.func.count(sa.distinct(pairs.c.customer_id))).group_by(
        pairs.c.cohort, pairs.c.period
    )
    return {(int(cohort), int(period)): int(n) for cohort, period, n in conn.execute(stmt)}


def new_customers(conn: Connection, org_id: uuid.UUID, bounds: Sequence[datetime], as_of: datetime) -> dict[int, int]:
    """How many live customers were created in each period."""
    periods = (
        sa.select(_period(customer.c.created_at, bounds).label("period"))
        .where(
            customer.c.org_id == org_id, customer.c.deleted_at.is_(None), *_window(customer.c.created_at, bounds, as_of)
        )
        .subquery("created")
    )
    stmt = sa.select(periods.c.period, sa.func.count()).group_by(periods.c.period)
    return {int(period): int(n) for period, n in conn.execute(stmt)}


def consents(
    conn: Connection, org_id: uuid.UUID, bounds: Sequence[datetime], as_of: datetime
) -> dict[tuple[int, str], int]:
    """How many subscribe and unsubscribe evidences each period holds: {(period, action): count}."""
    periods = (
        sa.select(_period(consent.c.occurred_at, bounds).label("period"), consent.c.action)
        .where(
            consent.c.org_id == org_id,
            consent.c.action.in_(["subscribe", "unsubscribe"]),
            *_window(consent.c.occurred_at, bounds, as_of),
        )
        .subquery("actions")
    )
    stmt = sa.select(periods.c.period, periods.c.action, sa.func.count()).group_by(periods.c.period, periods.c.action)
    return {(int(period), str(action)): int(n) for period, action, n in conn.execute(stmt)}


def paid_orders(
    conn: Connection, org_id: uuid.UUID, currency: str, bounds: Sequence[datetime], as_of: datetime
) -> dict[int, tuple[int, int]]:
    """How many paid orders in the organization's currency each period holds, and their revenue."""
    periods = (
        sa.select(_period(order.c.placed_at, bounds).label("period"), order.c.total)
        .where(*_paid(org_id, currency, as_of), order.c.placed_at >= bounds[0])
        .subquery("paid")
    )
    stmt = sa.select(periods.c.period, sa.func.count(), sa.func.sum(periods.c.total)).group_by(periods.c.period)
    return {int(period): (int(n), int(revenue)) for period, n, revenue in conn.execute(stmt)}
