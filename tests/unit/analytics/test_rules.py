"""The analytics rules as properties: quintile scores are monotone, bounded and spread evenly; the
R/F grid names every cell; lifetime value, churn risk and periods behave as the README says."""

from __future__ import annotations

import itertools
import uuid
from collections import Counter
from datetime import UTC, date, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from patron.analytics import rules
from patron.kernel.errors import ValidationFailed

AS_OF = datetime(2026, 12, 1, tzinfo=UTC)

values = st.lists(st.integers(min_value=0, max_value=50), min_size=1, max_size=60)
moments = st.datetimes(min_value=datetime(2020, 1, 1), max_value=datetime(2026, 11, 30), timezones=st.just(UTC))
buyers = st.lists(
    st.builds(
        rules.Buyer,
        id=st.uuids(version=4),
        last_order_at=moments,
        orders_count=st.integers(min_value=0, max_value=40),
        total_spent=st.integers(min_value=0, max_value=10**9),
    ),
    max_size=60,
)


@given(values)
def test_scores_are_monotone_bounded_and_ties_share_a_score(vs: list[int]) -> None:
    scored = rules.scores(vs)
    assert all(1 <= s <= 5 for s in scored)
    for a, sa in zip(vs, scored, strict=True):
        for b, sb in zip(vs, scored, strict=True):
            if a < b:
                assert sa <= sb
            if a == b:
                assert sa == sb
    assert min(scored) == 1  # the smallest value always scores 1


@given(st.lists(st.integers(), min_size=5, max_size=200, unique=True))
def test_distinct_values_fill_the_quintiles_evenly(vs: list[int]) -> None:
    counts = Counter(rules.scores(vs))
    assert set(counts) == {1, 2, 3, 4, 5}
    assert max(counts.values()) - min(counts.values()) <= 1


@given(st.integers(min_value=1, max_value=10_000), st.data())
def test_score_of_a_rank(population: int, data: st.DataObject) -> None:
    rank = data.draw(st.integers(min_value=1, max_value=population))
    assert 1 <= rules.score(rank, population) <= 5
    if rank < population:
        assert rules.score(rank, population) <= rules.score(rank + 1, population)


def test_the_grid_names_every_cell_with_one_of_the_eleven_segments() -> None:
    assert set(rules.GRID) == {(r, f) for r in range(1, 6) for f in range(1, 6)}
    assert set(rules.GRID.values()) == set(rules.SEGMENTS)
    assert len(rules.SEGMENTS) == 11
    assert rules.GRID[(5, 5)] == "champions"
    assert rules.GRID[(1, 1)] == "lost"
    assert rules.GRID[(1, 5)] == "cannot_lose"


@given(buyers)
def test_rfm_scores_every_buyer_with_orders_once_and_more_recent_is_never_lower(group: list[rules.Buyer]) -> None:
    scored = rules.rfm(group, AS_OF)
    expected = [b for b in group if b.orders_count > 0]
    assert [s.buyer for s in scored] == expected
    for a in scored:
        for b in scored:
            if a.buyer.last_order_at < b.buyer.last_order_at:
                assert a.r <= b.r
            if a.buyer.orders_count < b.buyer.orders_count:
                assert a.f <= b.f
            if a.buyer.total_spent < b.buyer.total_spent:
                assert a.m <= b.m
    segments = rules.rfm_segments(group, AS_OF)
    assert sum(Counter(segments.values()).values()) == len({s.buyer.id for s in scored})


@given(
    orders=st.integers(min_value=1, max_value=500),
    total=st.integers(min_value=0, max_value=10**10),
    tenure_days=st.integers(min_value=0, max_value=4000),
)
def test_clv_is_history_plus_a_year_at_the_customers_rate(orders: int, total: int, tenure_days: int) -> None:
    first = AS_OF - timedelta(days=tenure_days)
    value = rules.clv(orders_count=orders, total_spent=total, first_order_at=first, as_of=AS_OF)
    assert value >= total
    # A young customer is measured over 30 days at least: never more than 1 + 365/30 times the history.
    assert value <= total + round(total * 365 / 30) + 1
    longer = rules.clv(orders_count=orders, total_spent=total, first_order_at=first - timedelta(days=30), as_of=AS_OF)
    assert longer <= value  # the same spend over a longer tenure expects less
    assert rules.clv(orders_count=0, total_spent=total, first_order_at=first, as_of=AS_OF) == 0


@given(
    since=st.integers(min_value=-10, max_value=3000),
    later=st.integers(min_value=0, max_value=3000),
    interval=st.integers(min_value=1, max_value=1000),
)
def test_churn_risk_rises_with_time_since_the_last_order(since: int, later: int, interval: int) -> None:
    usual = timedelta(days=interval)
    now = rules.churn_risk(timedelta(days=since), usual)
    after = rules.churn_risk(timedelta(days=since + later), usual)
    assert 0 <= now <= after <= 1
    assert rules.churn_risk(usual, usual) == pytest.approx(0.6321, abs=1e-4)


@given(moments, moments, st.integers(min_value=2, max_value=100))
def test_the_expected_interval_is_the_mean_gap(a: datetime, b: datetime, orders: int) -> None:
    first, last = min(a, b), max(a, b)
    interval = rules.expected_interval(orders_count=orders, first_order_at=first, last_order_at=last)
    assert interval >= timedelta(days=1)
    assert interval == max((last - first) / (orders - 1), timedelta(days=1))
    assert rules.expected_interval(orders_count=1, first_order_at=first, last_order_at=last) == timedelta(days=90)


@given(moments, st.sampled_from(rules.PERIODS), st.integers(min_value=1, max_value=36))
def test_periods_are_consecutive_and_end_with_the_one_holding_as_of(moment: datetime, period: str, count: int) -> None:
    tz = rules.zone("Asia/Ho_Chi_Minh")
    starts = rules.last_periods(moment, period, count, tz)
    assert len(starts) == count
    assert starts[-1] == rules.period_start(moment, period, tz)
    for earlier, later in itertools.pairwise(starts):
        assert rules.periods_between(earlier, later, period) == 1
        assert rules.shift(earlier, period, 1) == later
    bounds = rules.period_bounds(starts, tz)
    assert bounds == sorted(bounds)
    assert bounds[-1] <= moment < rules.period_bounds([rules.shift(starts[-1], period, 1)], tz)[0]
    labels = [rules.period_label(s, period) for s in starts]
    assert labels == sorted(labels)
    assert len(set(labels)) == count


@given(st.dates(min_value=date(2000, 1, 1), max_value=date(2099, 12, 31)))
def test_as_of_a_date_is_its_end_of_day(day: date) -> None:
    parsed = rules.parse_as_of(day.isoformat(), AS_OF)
    assert parsed.date() == day
    assert parsed.tzinfo is UTC
    assert parsed + timedelta(microseconds=1) == datetime(day.year, day.month, day.day, tzinfo=UTC) + timedelta(days=1)


@pytest.mark.parametrize("raw", ["yesterday", "2026-13-01", "", "2026-02-30"])
def test_a_bad_as_of_is_422_naming_it(raw: str) -> None:
    with pytest.raises(ValidationFailed) as caught:
        rules.parse_as_of(raw, AS_OF)
    assert [e.field for e in caught.value.errors] == ["as_of"]


def test_unknown_segments_and_periods_are_refused() -> None:
    assert rules.check_segment(None) is None
    assert rules.check_segment("champions") == "champions"
    with pytest.raises(ValidationFailed):
        rules.check_segment("whales")
    with pytest.raises(ValidationFailed):
        rules.check_period("year")
    assert rules.zone("Not/AZone").key == "UTC"
    assert uuid.UUID(int=0) not in rules.rfm_segments([], AS_OF)
