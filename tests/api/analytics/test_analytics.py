"""Analytics through the HTTP API on planted order histories with known answers (SPEC §13.6)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from tests.factories import Api, Org, unique

AS_OF = "2026-06-30"
ANSWERED = ("/analytics/rfm", "/analytics/rfm/customers", "/analytics/clv", "/analytics/retention")
ROUTES = (*ANSWERED, "/analytics/churn-risk", "/analytics/growth")


def _at(day: str) -> str:
    return f"{day}T10:00:00+00:00"


def _paid(org: Org, customer_id: str, day: str, total: int, currency: str = "USD") -> str:
    body = {"external_ref": unique("a"), "total": total, "currency": currency, "customer_id": customer_id}
    created = org.post("/orders", json={**body, "placed_at": _at(day)})
    assert created.status_code == 201, created.text
    order_id = str(created.json()["id"])
    paid = org.post(f"/orders/{order_id}/pay")
    assert paid.status_code == 200, paid.text
    return order_id


@dataclass
class Planted:
    org: Org
    ids: dict[str, str] = field(default_factory=dict)

    def name(self, customer_id: str) -> str:
        return next(name for name, known in self.ids.items() if known == customer_id)


def _plant(api: Api) -> Planted:
    """The whale orders every other day of June 2026, the sleeper weekly in early 2025 and never again;
    A (March and April), B (March), C (April), D and E (May) order a little; R's only order is refunded;
    D's euro order is not in the organization's currency."""
    planted = Planted(api.create_org(currency="USD", timezone="UTC"))
    org = planted.org
    for name in ("whale", "sleeper", "A", "B", "C", "D", "E", "R"):
        planted.ids[name] = org.create_customer(first_name=name)["id"]
    ids = planted.ids
    for k in range(12):
        _paid(org, ids["whale"], (datetime(2026, 6, 1) + timedelta(days=2 * k)).date().isoformat(), 500_000)
    for k in range(10):
        _paid(org, ids["sleeper"], (datetime(2025, 1, 1) + timedelta(days=7 * k)).date().isoformat(), 20_000)
    _paid(org, ids["A"], "2026-03-10", 10_000)
    _paid(org, ids["A"], "2026-04-10", 10_000)
    _paid(org, ids["B"], "2026-03-20", 10_000)
    _paid(org, ids["C"], "2026-04-15", 10_000)
    _paid(org, ids["D"], "2026-05-05", 10_000)
    _paid(org, ids["D"], "2026-05-06", 999_999_999, currency="EUR")
    _paid(org, ids["E"], "2026-05-25", 10_000)
    refunded = _paid(org, ids["R"], "2026-05-10", 999_999_999)
    assert org.post(f"/orders/{refunded}/refund").status_code == 200
    return planted


@pytest.fixture
def planted(api: Api) -> Planted:
    return _plant(api)


def _get(org: Org, path: str, role: str = "owner", **params: Any) -> dict[str, Any]:
    response = org.get(path, role, params={"as_of": AS_OF, **params})
    assert response.status_code == 200, response.text
    return dict(response.json())


def test_rfm_names_the_whale_a_champion_and_the_sleeper_at_risk(planted: Planted) -> None:
    org = planted.org
    rfm = _get(org, "/analytics/rfm")
    assert rfm["customers_scored"] == 7  # R's refund and D's euros count for nothing
    names = [s["name"] for s in rfm["segments"]]
    assert len(names) == 11
    assert len(set(names)) == 11
    assert sum(s["count"] for s in rfm["segments"]) == 7
    items = _get(org, "/analytics/rfm/customers", limit=500)["items"]
    by_name = {planted.name(item["customer_id"]): item for item in items}
    assert set(by_name) == {"whale", "sleeper", "A", "B", "C", "D", "E"}
    whale, sleeper = by_name["whale"], by_name["sleeper"]
    assert (whale["r"], whale["f"], whale["m"], whale["segment"]) == (5, 5, 5, "champions")
    assert (whale["frequency"], whale["monetary"], whale["recency_days"]) == (12, 6_000_000, 7)
    assert sleeper["r"] == 1
    assert sleeper["segment"] in ("at_risk", "cannot_lose")
    assert by_name["D"]["monetary"] == 10_000
    # Equal values share a score: the five one-order customers all have F = 1.
    assert {by_name[n]["f"] for n in "BCDE"} == {1}
    champions = _get(org, "/analytics/rfm/customers", segment="champions")["items"]
    assert [planted.name(item["customer_id"]) for item in champions] == ["whale"]
    counts = {s["name"]: s["count"] for s in rfm["segments"]}
    assert counts["champions"] == 1


def test_rfm_customers_pages_by_cursor(planted: Planted) -> None:
    first = _get(planted.org, "/analytics/rfm/customers", limit=4)
    assert len(first["items"]) == 4
    assert first["next_cursor"]
    second = _get(planted.org, "/analytics/rfm/customers", limit=4, cursor=first["next_cursor"])
    assert len(second["items"]) == 3
    assert second["next_cursor"] is None
    seen = [i["customer_id"] for i in first["items"] + second["items"]]
    assert len(set(seen)) == 7


def test_clv_retention_churn_and_growth_on_the_planted_history(planted: Planted) -> None:
    org, ids = planted.org, planted.ids
    clv = _get(org, "/analytics/clv")
    assert clv["currency"] == "USD"
    assert clv["customers"] == 7
    assert clv["top"][0]["customer_id"] == ids["whale"]
    assert clv["top"][0]["clv"] > 6_000_000
    assert clv["by_tier"].keys() == {"none"}

    retention = _get(org, "/analytics/retention", cohorts=12)
    cohorts = {c["cohort"]: c for c in retention["cohorts"]}
    assert len(retention["cohorts"]) == 12
    assert retention["period"] == "month"
    # The sleeper's first order (2025-01) is before the twelve cohorts; the other six are in them.
    assert sum(c["size"] for c in retention["cohorts"]) == 6
    assert cohorts["2026-03"]["retained"] == [2, 1, 0, 0]
    assert cohorts["2026-04"]["size"] == 1
    assert cohorts["2026-05"]["size"] == 2
    assert cohorts["2026-06"]["retained"] == [1]
    assert cohorts["2025-07"]["retained"] == [0] * 12

    churn = _get(org, "/analytics/churn-risk")["items"]
    assert churn[0]["customer_id"] == ids["sleeper"]
    assert churn[0]["expected_interval_days"] == 7.0
    risks = {planted.name(i["customer_id"]): i["risk"] for i in churn}
    assert risks["sleeper"] > risks["whale"] > risks["E"]
    assert all(0 <= r <= 1 for r in risks.values())

    growth = _get(org, "/analytics/growth", periods=4)
    orders = {p["period"]: (p["count"], p["revenue"]) for p in growth["orders"]}
    assert orders == {
        "2026-03": (2, 20_000),
        "2026-04": (2, 20_000),
        "2026-05": (2, 20_000),
        "2026-06": (12, 6_000_000),
    }
    # The customers were created now, after as_of.
    assert [p["new"] for p in growth["customers"]] == [0, 0, 0, 0]


def test_growth_counts_new_customers_and_subscribers_now(api: Api) -> None:
    org = api.create_org(currency="USD", timezone="Asia/Ho_Chi_Minh")
    for _ in range(3):
        org.create_customer()
    for email in ("g1@example.com", "g2@example.com"):
        response = api.client.post(f"/api/v1/public/{org.slug}/newsletter/subscriptions", json={"email": email})
        assert response.status_code in (200, 201, 202), response.text
    growth = org.get("/analytics/growth", params={"periods": 2}).json()
    assert [p["new"] for p in growth["customers"]][-1] == 3
    assert growth["subscribers"][-1]["subscribed"] == 2
    assert growth["subscribers"][-1]["unsubscribed"] == 0
    weekly = org.get("/analytics/growth", params={"period": "week", "periods": 3}).json()
    assert weekly["customers"][-1]["new"] == 3
    assert "-W" in weekly["customers"][-1]["period"]


def test_another_organizations_customers_never_appear(planted: Planted, api: Api) -> None:
    other = api.create_org(currency="USD")
    stranger = other.create_customer()["id"]
    _paid(other, stranger, "2026-06-29", 900_000_000)
    items = _get(planted.org, "/analytics/rfm/customers", limit=500)["items"]
    assert stranger not in {i["customer_id"] for i in items}
    assert stranger not in {i["customer_id"] for i in _get(planted.org, "/analytics/churn-risk")["items"]}
    assert _get(planted.org, "/analytics/clv")["top"][0]["customer_id"] == planted.ids["whale"]
    assert _get(other, "/analytics/rfm")["customers_scored"] == 1


def test_roles_cashier_is_refused_and_readers_are_answered(api: Api) -> None:
    org = api.create_org()
    for path in ROUTES:
        refused = org.get(path, "cashier")
        assert refused.status_code == 403, path
        assert refused.json()["code"] == "auth.forbidden"
        for role in ("owner", "marketing", "sales"):
            assert org.get(path, role).status_code == 200, (path, role)


@pytest.mark.parametrize(
    ("path", "params", "field"),
    [
        ("/analytics/retention", {"period": "year"}, "period"),
        ("/analytics/retention", {"cohorts": "0"}, "cohorts"),
        ("/analytics/retention", {"cohorts": "37"}, "cohorts"),
        ("/analytics/growth", {"period": "day"}, "period"),
        ("/analytics/growth", {"periods": "0"}, "periods"),
        ("/analytics/rfm/customers", {"segment": "whales"}, "segment"),
        ("/analytics/rfm/customers", {"cursor": "nope"}, "cursor"),
        ("/analytics/rfm", {"as_of": "yesterday"}, "as_of"),
        ("/analytics/clv", {"as_of": "2026-13-01"}, "as_of"),
        ("/analytics/churn-risk", {"limit": "0"}, "limit"),
    ],
)
def test_bad_parameters_answer_422_naming_them(api: Api, path: str, params: dict[str, str], field: str) -> None:
    org = api.create_org()
    response = org.get(path, params=params)
    assert response.status_code == 422, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    assert field in [e["field"] for e in response.json()["errors"]]


def test_an_empty_organization_answers_zeroes(api: Api) -> None:
    org = api.create_org()
    rfm = org.get("/analytics/rfm").json()
    assert rfm["customers_scored"] == 0
    assert {s["share"] for s in rfm["segments"]} == {0.0}
    clv = org.get("/analytics/clv").json()
    assert (clv["average"], clv["median"], clv["p90"], clv["customers"], clv["top"]) == (0, 0, 0, 0, [])
    assert datetime.fromisoformat(rfm["as_of"]).tzinfo is not None
    assert datetime.fromisoformat(rfm["as_of"]) <= datetime.now(UTC)
