"""Analytics answers (SPEC §13.6); money in integer minor units of `currency`."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated

from msgspec import Meta, Struct


class RfmSegmentCount(Struct):
    name: str
    count: int
    share: Annotated[float, Meta(description="count / customers_scored, 0 when none are scored")]


class RfmRead(Struct):
    as_of: datetime
    customers_scored: Annotated[int, Meta(description="live customers with orders, the last one not after as_of")]
    segments: Annotated[list[RfmSegmentCount], Meta(description="all eleven segments, in the README's order")]


class RfmCustomer(Struct):
    customer_id: uuid.UUID
    recency_days: Annotated[int, Meta(description="whole days from the last order to as_of")]
    frequency: Annotated[int, Meta(description="paid orders")]
    monetary: Annotated[int, Meta(description="total spent, minor units")]
    r: int
    f: int
    m: int
    segment: str


class RfmCustomerPage(Struct):
    items: list[RfmCustomer]
    next_cursor: Annotated[str | None, Meta(description="pass as `cursor` for the next page; null on the last")]


class ClvTop(Struct):
    customer_id: uuid.UUID
    clv: int


class ClvRead(Struct):
    as_of: datetime
    currency: str
    average: int
    median: int
    p90: int
    customers: int
    by_tier: Annotated[dict[str, int], Meta(description="average by loyalty tier; customers without one under `none`")]
    top: Annotated[list[ClvTop], Meta(description="the 10 highest, highest first")]


class Cohort(Struct):
    cohort: Annotated[str, Meta(examples=["2026-01"])]
    size: int
    retained: Annotated[list[int], Meta(description="n0 = size, then customers ordering in each later period")]


class RetentionRead(Struct):
    period: str
    cohorts: list[Cohort]


class ChurnRisk(Struct):
    customer_id: uuid.UUID
    risk: Annotated[float, Meta(ge=0, le=1)]
    days_since_last_order: int
    expected_interval_days: float


class ChurnRiskRead(Struct):
    items: list[ChurnRisk]


class NewCustomers(Struct):
    period: str
    new: int


class Subscribers(Struct):
    period: str
    subscribed: int
    unsubscribed: int


class Orders(Struct):
    period: str
    count: int
    revenue: int


class GrowthRead(Struct):
    customers: list[NewCustomers]
    subscribers: list[Subscribers]
    orders: list[Orders]
