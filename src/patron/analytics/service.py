"""Analytics use cases (SPEC §13.6): read-only figures over the organization's paid, not refunded
orders in its currency. RFM, lifetime value and churn read the customers' order figures; retention
and growth read the orders, customers and consents themselves, bucketed in the organization's
time zone."""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime

from patron.analytics import repository, rules
from patron.analytics.schemas import (
    ChurnRisk,
    ChurnRiskRead,
    ClvRead,
    ClvTop,
    Cohort,
    GrowthRead,
    NewCustomers,
    Orders,
    RetentionRead,
    RfmCustomer,
    RfmCustomerPage,
    RfmRead,
    RfmSegmentCount,
    Subscribers,
)
from patron.db.uow import UnitOfWork
from patron.identity.schemas import OrganizationSettings
from patron.kernel import clock
from patron.kernel.errors import ValidationFailed
from patron.kernel.ids import parse_uuid
from patron.kernel.messages import Message
from patron.kernel.tenancy import Principal

TOP = 10
MAX_PERIODS = 36


def _as_of(raw: str | None) -> datetime:
    return rules.parse_as_of(raw, clock.now())


def _count(value: int, field: str) -> int:
    if not 1 <= value <= MAX_PERIODS:
        raise ValidationFailed.single(field, Message("analytics.periods_out_of_range", limit=MAX_PERIODS))
    return value


def rfm(uow: UnitOfWork, *, principal: Principal, as_of: str | None = None) -> RfmRead:
    """How many scored customers each of the eleven RFM segments holds."""
    moment = _as_of(as_of)
    counts = repository.rfm_counts(uow.conn, principal.org_id, moment)
    scored = sum(counts.values())
    segments = [
        RfmSegmentCount(
            name=name, count=counts.get(name, 0), share=round(counts.get(name, 0) / scored, 4) if scored else 0.0
        )
        for name in rules.SEGMENTS
    ]
    return RfmRead(as_of=moment, customers_scored=scored, segments=segments)


def rfm_grid(uow: UnitOfWork, *, principal: Principal, as_of: str | None = None) -> dict[tuple[int, int], int]:
    """How many scored customers sit in each (R, F) cell of the grid."""
    return repository.rfm_grid(uow.conn, principal.org_id, _as_of(as_of))


def rfm_customers(
    uow: UnitOfWork,
    *,
    principal: Principal,
    segment: str | None = None,
    limit: int = 50,
    cursor: str | None = None,
    as_of: str | None = None,
) -> RfmCustomerPage:
    """The scored customers (of one segment), in id order, `limit` a page."""
    rules.check_segment(segment)
    after = None
    if cursor is not None:
        after = parse_uuid(cursor)
        if after is None:
            raise ValidationFailed.single("cursor", Message("analytics.bad_cursor"))
    moment = _as_of(as_of)
    rows = repository.rfm_customers(uow.conn, principal.org_id, moment, segment=segment, after=after, limit=limit + 1)
    items = [
        RfmCustomer(
            customer_id=row.id,
            recency_days=(moment - row.last_order_at).days,
            frequency=row.orders_count,
            monetary=row.total_spent,
            r=row.r,
            f=row.f,
            m=row.m,
            segment=row.segment,
        )
        for row in rows[:limit]
    ]
    next_cursor = str(items[-1].customer_id) if len(rows) > limit else None
    return RfmCustomerPage(items=items, next_cursor=next_cursor)


def clv(uow: UnitOfWork, *, principal: Principal, settings: OrganizationSettings, as_of: str | None = None) -> ClvRead:
    """Each buyer's lifetime value (rules.clv, computed by the database): its average, median,
    90th percentile, by tier, the top 10."""
    moment = _as_of(as_of)
    values = repository.clv_values(uow.conn, principal.org_id, moment)
    ordered = sorted(value for _, value in values)
    tiers: dict[str, list[int]] = defaultdict(list)
    for tier, value in values:
        tiers[tier].append(value)
    top = repository.clv_top(uow.conn, principal.org_id, moment, TOP)
    return ClvRead(
        as_of=moment,
        currency=settings.currency,
        average=sum(ordered) // len(ordered) if ordered else 0,
        median=rules.median(ordered),
        p90=rules.p90(ordered),
        customers=len(ordered),
        by_tier={tier: sum(v) // len(v) for tier, v in sorted(tiers.items())},
        top=[ClvTop(customer_id=customer_id, clv=value) for customer_id, value in top],
    )


def churn_risk(uow: UnitOfWork, *, principal: Principal, limit: int = 50, as_of: str | None = None) -> ChurnRiskRead:
    """The buyers riskiest first (rules.churn_risk against each one's own usual interval): the
    database orders them, the risk of the `limit` first is computed here."""
    moment = _as_of(as_of)
    items = []
    for row in repository.riskiest(uow.conn, principal.org_id, moment, limit):
        interval = rules.expected_interval(
            orders_count=row.orders_count,
            first_order_at=row.first_order_at or row.last_order_at,
            last_order_at=row.last_order_at,
        )
        since = moment - row.last_order_at
        items.append(
            ChurnRisk(
                customer_id=row.id,
                risk=rules.churn_risk(since, interval),
                days_since_last_order=since.days,
                expected_interval_days=round(interval.total_seconds() / 86400, 2),
            )
        )
    return ChurnRiskRead(items=items)


def retention(
    uow: UnitOfWork,
    *,
    principal: Principal,
    settings: OrganizationSettings,
    period: str = "month",
    cohorts: int = 12,
    as_of: str | None = None,
) -> RetentionRead:
    """The last `cohorts` cohorts of customers by the period of their first paid order, and how many
    of each ordered in each later period up to as_of (counted by the database, period by period)."""
    rules.check_period(period)
    _count(cohorts, "cohorts")
    moment = _as_of(as_of)
    tz = rules.zone(settings.timezone)
    starts = rules.last_periods(moment, period, cohorts, tz)
    bounds = rules.period_bounds(starts, tz)
    sizes = repository.cohort_sizes(uow.conn, principal.org_id, bounds, moment)
    active = repository.cohort_activity(uow.conn, principal.org_id, settings.currency, bounds, moment)
    answer = []
    for k, start in enumerate(starts):
        retained = [sizes.get(k, 0)] + [active.get((k, later), 0) for later in range(k + 1, len(starts))]
        answer.append(Cohort(cohort=rules.period_label(start, period), size=sizes.get(k, 0), retained=retained))
    return RetentionRead(period=period, cohorts=answer)


def growth(
    uow: UnitOfWork,
    *,
    principal: Principal,
    settings: OrganizationSettings,
    period: str = "month",
    periods: int = 12,
    as_of: str | None = None,
) -> GrowthRead:
    """New customers, subscribes and unsubscribes, paid orders and revenue in each of the last
    `periods` periods up to as_of (counted by the database, period by period)."""
    rules.check_period(period)
    _count(periods, "periods")
    moment = _as_of(as_of)
    tz = rules.zone(settings.timezone)
    starts = rules.last_periods(moment, period, periods, tz)
    bounds = rules.period_bounds(starts, tz)
    conn, org_id = uow.conn, principal.org_id
    new = repository.new_customers(conn, org_id, bounds, moment)
    actions = repository.consents(conn, org_id, bounds, moment)
    paid = repository.paid_orders(conn, org_id, settings.currency, bounds, moment)
    labels = [rules.period_label(start, period) for start in starts]
    return GrowthRead(
        customers=[NewCustomers(period=label, new=new.get(k, 0)) for k, label in enumerate(labels)],
        subscribers=[
            Subscribers(
                period=label,
                subscribed=actions.get((k, "subscribe"), 0),
                unsubscribed=actions.get((k, "unsubscribe"), 0),
            )
            for k, label in enumerate(labels)
        ],
        orders=[
            Orders(period=label, count=paid.get(k, (0, 0))[0], revenue=paid.get(k, (0, 0))[1])
            for k, label in enumerate(labels)
        ],
    )
