"""Retention and growth, counted by the database period by period, against a count in Python of
the same random order histories, in an organization whose months are not UTC's."""

from __future__ import annotations

from collections import defaultdict
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.factories import Api, Org, unique

ZONE = "America/New_York"
AS_OF = datetime(2026, 6, 30, 23, 0, tzinfo=UTC)
# Moments around the zone's month boundaries, where UTC and local months differ.
_BOUNDARIES = [datetime(2026, m, 1, tzinfo=ZoneInfo(ZONE)).astimezone(UTC) for m in range(2, 7)]
moments = st.builds(
    lambda base, hours: base + timedelta(hours=hours),
    st.sampled_from(_BOUNDARIES),
    st.integers(min_value=-30, max_value=30),
)
histories = st.lists(
    st.lists(st.tuples(moments, st.integers(min_value=1, max_value=9_999), st.booleans()), min_size=1, max_size=3),
    min_size=1,
    max_size=4,
)


def _paid(org: Org, customer_id: str, at: datetime, total: int) -> str:
    body = {"external_ref": unique("p"), "total": total, "currency": "USD", "customer_id": customer_id}
    created = org.post("/orders", json={**body, "placed_at": at.isoformat()})
    assert created.status_code == 201, created.text
    order_id = str(created.json()["id"])
    assert org.post(f"/orders/{order_id}/pay").status_code == 200
    return order_id


def _month(at: datetime) -> str:
    local = at.astimezone(ZoneInfo(ZONE))
    return f"{local.year:04d}-{local.month:02d}"


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(histories)
def test_retention_and_growth_match_a_count_of_the_orders(
    api: Api, history: list[list[tuple[datetime, int, bool]]]
) -> None:
    org = api.create_org(currency="USD", timezone=ZONE)
    firsts: dict[int, str] = {}
    months: dict[int, set[str]] = defaultdict(set)
    revenue: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for who, orders in enumerate(history):
        customer_id = org.create_customer()["id"]
        for at, total, refunded in orders:
            order_id = _paid(org, customer_id, at, total)
            if refunded:
                assert org.post(f"/orders/{order_id}/refund").status_code == 200
                continue
            month = _month(at)
            months[who].add(month)
            firsts[who] = min(firsts.get(who, month), month)
            revenue[month][0] += 1
            revenue[month][1] += total

    params = {"as_of": AS_OF.isoformat(), "cohorts": 6, "periods": 6}
    growth = org.get("/analytics/growth", params=params).json()
    assert {p["period"]: [p["count"], p["revenue"]] for p in growth["orders"] if p["count"]} == dict(revenue)

    cohorts = org.get("/analytics/retention", params=params).json()["cohorts"]
    labels = [c["cohort"] for c in cohorts]
    assert labels == ["2026-01", "2026-02", "2026-03", "2026-04", "2026-05", "2026-06"]
    for k, cohort in enumerate(cohorts):
        members = [who for who, first in firsts.items() if first == cohort["cohort"]]
        expected = [len(members)] + [sum(1 for who in members if later in months[who]) for later in labels[k + 1 :]]
        assert cohort["retained"] == expected, (cohort, firsts, months)
