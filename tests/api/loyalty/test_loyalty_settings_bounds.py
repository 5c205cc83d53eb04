"""Loyalty settings are bounded so that paying any valid order stays possible: a rate or a
tier that could overflow the ledger's columns is refused with 422 naming the field."""

from __future__ import annotations

from typing import Any

import pytest

from tests.factories import Api, loyal_org, unique

HOSTILE = 4_611_686_018_427_387_904  # 2^62: the rate of the report, 500 on every pay before


@pytest.mark.parametrize(
    ("loyalty", "field"),
    [
        ({"earn_amount": 1, "earn_points": HOSTILE}, "loyalty.earn_points"),
        ({"earn_amount": 1, "earn_points": 2}, "loyalty.earn_points"),
        ({"earn_amount": 10**15 + 1, "earn_points": 1}, "loyalty.earn_amount"),
        ({"tiers": {"g" * 41: 0}}, "loyalty.tiers"),
        ({"tiers": {"bronze": 10**19}}, "loyalty.tiers.bronze"),
        ({"tiers": {f"t{i}": i for i in range(21)}}, "loyalty.tiers"),
    ],
)
def test_settings_that_could_overflow_are_refused_naming_the_field(
    api: Api, loyalty: dict[str, Any], field: str
) -> None:
    org = api.create_org()
    before = org.get("/organization").json()
    response = org.patch("/organization", json={"loyalty": {"enabled": True, **loyalty}})
    assert response.status_code == 422, response.text
    assert [e["field"] for e in response.json()["errors"]] == [field]
    assert org.get("/organization").json() == before


def test_the_largest_accepted_rate_pays_the_largest_order(api: Api) -> None:
    org = loyal_org(api, earn_amount=1, earn_points=1, tiers={"t" * 40: 0, "top": 10**18})
    customer = org.create_customer()
    for _ in range(2):
        body = {"external_ref": unique("o"), "total": 10**15, "currency": "USD", "customer_id": customer["id"]}
        order = org.post("/orders", json=body).json()
        paid = org.post(f"/orders/{order['id']}/pay")
        assert paid.status_code == 200, paid.text
    points = org.get(f"/customers/{customer['id']}/points").json()
    assert (points["balance"], points["lifetime_earned"], points["tier"]) == (2 * 10**15, 2 * 10**15, "t" * 40)
    assert org.get(f"/customers/{customer['id']}").json()["loyalty_tier"] == "t" * 40
