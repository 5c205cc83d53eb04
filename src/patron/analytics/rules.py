"""Pure analytics rules (SPEC §13.6): RFM scores and segments, lifetime value, churn risk, periods.

The SQL in `repository` computes the same scores as `score` and `rfm_segments` here; the segment
language's Python evaluator uses these functions, so both answers are tested against each other.
"""

from __future__ import annotations

import math
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from patron.kernel.errors import ValidationFailed
from patron.kernel.messages import Message

SEGMENTS = (
    "champions",
    "loyal",
    "potential_loyalists",
    "new",
    "promising",
    "need_attention",
    "about_to_sleep",
    "at_risk",
    "cannot_lose",
    "hibernating",
    "lost",
)

# The R/F grid: recency score (rows, 5 = most recent) by frequency score (columns, 5 = most orders).
# The commonly published 5x5 grid, with champions R4-5/F4-5 and the R1-2/F1-2 corner split into
# hibernating (R2) and lost (R1).
_ROWS: dict[int, tuple[str, str, str, str, str]] = {
    #    F=1               F=2                    F=3                    F=4            F=5
    5: ("new", "potential_loyalists", "potential_loyalists", "champions", "champions"),
    4: ("promising", "potential_loyalists", "potential_loyalists", "champions", "champions"),
    3: ("about_to_sleep", "about_to_sleep", "need_attention", "loyal", "loyal"),
    2: ("hibernating", "hibernating", "at_risk", "at_risk", "cannot_lose"),
    1: ("lost", "lost", "at_risk", "at_risk", "cannot_lose"),
}
GRID: dict[tuple[int, int], str] = {(r, f): name for r, row in _ROWS.items() for f, name in enumerate(row, start=1)}

QUINTILES = 5


def score(rank: int, population: int) -> int:
    """The quintile score 1-5 of a value whose rank is `rank` (1 + how many values are smaller) among
    `population` values: 1 + floor(5 (rank - 1) / population). Equal values share a score."""
    return 1 + (QUINTILES * (rank - 1)) // population


def scores(values: Sequence[float | int | datetime]) -> list[int]:
    """Each value's quintile score among `values` (as SQL's RANK() OVER (ORDER BY value) gives it)."""
    ordered = sorted(values)
    population = len(values)
    below: dict[object, int] = {}
    for i, value in enumerate(ordered):
        below.setdefault(value, i)
    return [score(below[value] + 1, population) for value in values]


@dataclass(frozen=True, slots=True)
class Buyer:
    """A live customer's order figures (the customer row's columns)."""

    id: uuid.UUID
    last_order_at: datetime
    orders_count: int
    total_spent: int


@dataclass(frozen=True, slots=True)
class Scored:
    buyer: Buyer
    r: int
    f: int
    m: int

    @property
    def segment(self) -> str:
        return GRID[(self.r, self.f)]


def rfm(buyers: Sequence[Buyer], as_of: datetime) -> list[Scored]:
    """The scores of the buyers with orders whose last order is not after `as_of`: more recent is a
    higher R, more orders a higher F, more spent a higher M."""
    scored = [b for b in buyers if b.orders_count > 0 and b.last_order_at <= as_of]
    r = scores([b.last_order_at for b in scored])
    f = scores([b.orders_count for b in scored])
    m = scores([b.total_spent for b in scored])
    return [Scored(b, *triple) for b, *triple in zip(scored, r, f, m, strict=True)]


def rfm_segments(buyers: Sequence[Buyer], as_of: datetime) -> dict[uuid.UUID, str]:
    """Each scored buyer's segment name (customers without orders have none)."""
    return {s.buyer.id: s.segment for s in rfm(buyers, as_of)}


def check_segment(name: str | None) -> str | None:
    if name is not None and name not in SEGMENTS:
        raise ValidationFailed.single(
            "segment", Message("filter.not_one_of", allowed=", ".join(SEGMENTS), value=repr(name))
        )
    return name


# --- lifetime value -----------------------------------------------------------------------------

MIN_TENURE = timedelta(days=30)
YEAR = timedelta(days=365)


def clv(*, orders_count: int, total_spent: int, first_order_at: datetime, as_of: datetime) -> int:
    """Historical value plus the expected next 12 months, in minor units:
    total_spent + total_spent x 365 days / max(tenure, 30 days), the second term rounded half up
    (orders_count / tenure a year at total_spent / orders_count an order); tenure = as_of -
    first_order_at. The database computes the same in seconds (`repository._clv_values`)."""
    if orders_count <= 0:
        return 0
    tenure = max((as_of - first_order_at).total_seconds(), MIN_TENURE.total_seconds())
    return total_spent + math.floor(total_spent * YEAR.total_seconds() / tenure + 0.5)


def median(ordered: Sequence[int]) -> int:
    """The median of ascending values: the lower and upper middle's mean rounded down (0 for none)."""
    n = len(ordered)
    if n == 0:
        return 0
    return (ordered[(n - 1) // 2] + ordered[n // 2]) // 2


def p90(ordered: Sequence[int]) -> int:
    """The nearest-rank 90th percentile of ascending values, the value at rank ceil(0.9 n) (0 for none)."""
    n = len(ordered)
    if n == 0:
        return 0
    return ordered[(9 * n + 9) // 10 - 1]


# --- churn risk ---------------------------------------------------------------------------------

# A one-order customer has no interval of their own: they are measured against this one.
ONE_ORDER_INTERVAL = timedelta(days=90)


def expected_interval(*, orders_count: int, first_order_at: datetime, last_order_at: datetime) -> timedelta:
    """(last - first) / (orders - 1) for two orders or more (at least a day), else 90 days."""
    if orders_count < 2:
        return ONE_ORDER_INTERVAL
    return max((last_order_at - first_order_at) / (orders_count - 1), timedelta(days=1))


def churn_risk(since_last: timedelta, interval: timedelta) -> float:
    """1 - exp(-since_last / interval): 0 just after an order, 0.63 one usual interval later."""
    ratio = max(since_last, timedelta()) / interval
    return round(1 - math.exp(-ratio), 4)


# --- periods ------------------------------------------------------------------------------------

PERIODS = ("month", "week")


def check_period(period: str) -> str:
    if period not in PERIODS:
        raise ValidationFailed.single(
            "period", Message("filter.not_one_of", allowed=", ".join(PERIODS), value=repr(period))
        )
    return period


def parse_as_of(raw: str | None, now: datetime) -> datetime:
    """`as_of` as an aware UTC datetime: an ISO datetime (with offset, else UTC) or a date (its end
    of day, UTC); None is now. Anything else is a 422 naming `as_of`."""
    if raw is None:
        return now
    text = raw.strip()
    try:
        if len(text) == 10:
            day = date.fromisoformat(text)
            return datetime.combine(day, time.max, UTC)
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise ValidationFailed.single("as_of", Message("analytics.bad_as_of", value=repr(raw))) from None
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def zone(name: str) -> ZoneInfo:
    try:
        return ZoneInfo(name)
    except (KeyError, ValueError):
        return ZoneInfo("UTC")


def period_start(moment: datetime, period: str, tz: ZoneInfo) -> date:
    """The first day of the month or ISO week (Monday) holding `moment`, in the zone `tz`."""
    day = moment.astimezone(tz).date()
    if period == "month":
        return day.replace(day=1)
    return day - timedelta(days=day.weekday())


def period_label(start: date, period: str) -> str:
    """`2026-01` for a month, `2026-W05` for an ISO week."""
    if period == "month":
        return f"{start.year:04d}-{start.month:02d}"
    year, week, _ = start.isocalendar()
    return f"{year:04d}-W{week:02d}"


def shift(start: date, period: str, count: int) -> date:
    """The start of the period `count` periods after (or before, negative) the one starting `start`."""
    if period == "week":
        return start + timedelta(weeks=count)
    months = start.year * 12 + start.month - 1 + count
    return date(months // 12, months % 12 + 1, 1)


def periods_between(first: date, later: date, period: str) -> int:
    """How many periods `later`'s period is after `first`'s (both period starts)."""
    if period == "week":
        return (later - first).days // 7
    return (later.year - first.year) * 12 + later.month - first.month


def last_periods(as_of: datetime, period: str, count: int, tz: ZoneInfo) -> list[date]:
    """The starts of the `count` periods ending with the one holding `as_of`, oldest first."""
    current = period_start(as_of, period, tz)
    return [shift(current, period, -k) for k in range(count - 1, -1, -1)]


def period_bounds(starts: Iterable[date], tz: ZoneInfo) -> list[datetime]:
    """The UTC moment each of these periods begins (its first day's midnight in the zone `tz`)."""
    return [datetime.combine(start, time(), tz).astimezone(UTC) for start in starts]
