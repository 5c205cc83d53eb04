"""Lifetime value and churn risk, computed and ordered by the database, against the rules of
`patron.analytics.rules` applied in Python to the same random order histories."""

from __future__ import annotations

import uuid
from collections import Counter
from datetime import UTC, datetime, timedelta

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from patron.analytics import rules
from tests.api.analytics.test_periods_property import _paid
from tests.factories import Api

AS_OF = datetime(2026, 6, 30, 12, 0, tzinfo=UTC)
moments = st.integers(min_value=0, max_value=24 * 500).map(lambda hours: AS_OF - timedelta(hours=hours))
histories = st.lists(
    st.lists(st.tuples(moments, st.integers(min_value=1, max_value=5_000_000)), min_size=1, max_size=4),
    min_size=1,
    max_size=6,
)


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(histories)
def test_clv_and_churn_risk_follow_the_rules(api: Api, history: list[list[tuple[datetime, int]]]) -> None:
    org = api.create_org(currency="USD", timezone="UTC")
    values: dict[str, int] = {}
    risks: dict[str, float] = {}
    for orders in history:
        customer_id = org.create_customer()["id"]
        for at, total in orders:
            _paid(org, customer_id, at, total)
        first, last = min(at for at, _ in orders), max(at for at, _ in orders)
        total_spent = sum(total for _, total in orders)
        values[customer_id] = rules.clv(
            orders_count=len(orders), total_spent=total_spent, first_order_at=first, as_of=AS_OF
        )
        interval = rules.expected_interval(orders_count=len(orders), first_order_at=first, last_order_at=last)
        risks[customer_id] = rules.churn_risk(AS_OF - last, interval)

    clv = org.get("/analytics/clv", params={"as_of": AS_OF.isoformat()}).json()
    ordered = sorted(values.values())
    n = len(ordered)
    assert clv["customers"] == n
    close = {"average": sum(ordered) // n, "median": (ordered[(n - 1) // 2] + ordered[n // 2]) // 2}
    close["p90"] = ordered[max(1, -(-9 * n // 10)) - 1]
    for name, expected in close.items():
        assert abs(clv[name] - expected) <= 1, (name, clv, ordered)
    assert abs(clv["by_tier"]["none"] - close["average"]) <= 1
    assert len(clv["top"]) == min(10, n)
    for item in clv["top"]:
        assert abs(item["clv"] - values[item["customer_id"]]) <= 1
    assert [item["clv"] for item in clv["top"]] == sorted((item["clv"] for item in clv["top"]), reverse=True)

    churn = org.get("/analytics/churn-risk", params={"as_of": AS_OF.isoformat(), "limit": 3}).json()["items"]
    assert len(churn) == min(3, n)
    answered = [item["risk"] for item in churn]
    assert answered == sorted(answered, reverse=True)
    for item in churn:
        assert item["risk"] == risks[item["customer_id"]]
    # The riskiest three by the rules (up to equal risks) are the ones answered.
    assert sorted(answered, reverse=True) == sorted(risks.values(), reverse=True)[: len(churn)]


rfm_histories = st.lists(
    st.lists(
        st.tuples(st.integers(min_value=0, max_value=6).map(lambda k: AS_OF - timedelta(days=30 * k)), st.just(1000)),
        min_size=1,
        max_size=4,
    ),
    min_size=1,
    max_size=12,
)


@settings(max_examples=10, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(rfm_histories)
def test_rfm_counts_agree_with_each_customers_scores(api: Api, history: list[list[tuple[datetime, int]]]) -> None:
    """Few distinct dates and counts, so that many buyers share values (ties share a score)."""
    org = api.create_org(currency="USD", timezone="UTC")
    buyers = []
    for orders in history:
        customer_id = org.create_customer()["id"]
        for at, total in orders:
            _paid(org, customer_id, at, total)
        buyers.append(
            rules.Buyer(
                id=uuid.UUID(customer_id),
                last_order_at=max(at for at, _ in orders),
                orders_count=len(orders),
                total_spent=sum(total for _, total in orders),
            )
        )
    expected = Counter(s.segment for s in rules.rfm(buyers, AS_OF))
    params = {"as_of": AS_OF.isoformat()}
    counts = {s["name"]: s["count"] for s in org.get("/analytics/rfm", params=params).json()["segments"]}
    assert {name: n for name, n in counts.items() if n} == dict(expected)
    listed = org.get("/analytics/rfm/customers", params={**params, "limit": 100}).json()["items"]
    assert Counter(item["segment"] for item in listed) == expected
