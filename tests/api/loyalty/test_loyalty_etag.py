"""The customer's ETag is the version of its answer: every ledger change that moves the
balance or the tier shown by GET /customers/{id} gives a new ETag, and an If-Match naming
the one before answers 412 and changes nothing."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from tests.factories import Api, Org, loyal_org, unique


def _order(org: Org, total: int, customer_id: str) -> str:
    body = {"external_ref": unique("o"), "total": total, "currency": "USD", "customer_id": customer_id}
    response = org.post("/orders", json=body)
    assert response.status_code == 201, response.text
    return str(response.json()["id"])


def _read(org: Org, customer_id: str) -> tuple[str, dict[str, Any]]:
    response = org.get(f"/customers/{customer_id}")
    assert response.status_code == 200
    return response.headers["etag"], dict(response.json())


def _pay(org: Org, customer_id: str, paid: str) -> None:
    assert org.post(f"/orders/{paid}/pay").status_code == 200


def _refund(org: Org, customer_id: str, paid: str) -> None:
    assert org.post(f"/orders/{paid}/refund").status_code == 200


def _redeem(org: Org, customer_id: str, paid: str) -> None:
    response = org.post(f"/customers/{customer_id}/points/redeem", json={"points": 5})
    assert response.status_code == 200, response.text


def _add(org: Org, customer_id: str, paid: str) -> None:
    response = org.post(f"/customers/{customer_id}/points/adjust", json={"points": 500, "reason": "goodwill"})
    assert response.status_code == 200, response.text


def _take(org: Org, customer_id: str, paid: str) -> None:
    response = org.post(f"/customers/{customer_id}/points/adjust", json={"points": -5, "reason": "correction"})
    assert response.status_code == 200, response.text


# Each step starts from a customer holding the points of one paid 150,000 order (150 points,
# silver); `paid` is that order, `fresh` an unpaid one.
CHANGES: dict[str, tuple[Callable[[Org, str, str], None], bool]] = {
    # name: (step, whether it starts before the payment)
    "award on pay": (_pay, True),
    "reversal on refund (tier back to bronze)": (_refund, False),
    "redemption": (_redeem, False),
    "positive adjustment (tier up to gold)": (_add, False),
    "negative adjustment": (_take, False),
}


@pytest.mark.parametrize("change", list(CHANGES))
def test_every_ledger_change_gives_a_new_etag_and_the_old_one_answers_412(api: Api, change: str) -> None:
    org = loyal_org(api)
    customer = org.create_customer()
    paid = _order(org, 150_000, customer["id"])
    step, before_payment = CHANGES[change]
    if not before_payment:
        _pay(org, customer["id"], paid)
    old_etag, old_body = _read(org, customer["id"])

    step(org, customer["id"], paid)

    new_etag, new_body = _read(org, customer["id"])
    assert (new_body["points_balance"], new_body["loyalty_tier"]) != (
        old_body["points_balance"],
        old_body["loyalty_tier"],
    )
    assert new_etag != old_etag
    assert new_body["version"] > old_body["version"]
    stale = org.patch(f"/customers/{customer['id']}", json={"first_name": "Stale"}, headers={"If-Match": old_etag})
    assert stale.status_code == 412, stale.text
    assert _read(org, customer["id"]) == (new_etag, new_body)
    fresh = org.patch(f"/customers/{customer['id']}", json={"first_name": "Fresh"}, headers={"If-Match": new_etag})
    assert fresh.status_code == 200, fresh.text
    assert fresh.json()["points_balance"] == new_body["points_balance"]


def test_a_change_that_moves_nothing_keeps_the_etag(api: Api) -> None:
    org = loyal_org(api)
    customer = org.create_customer()
    paid = _order(org, 150_000, customer["id"])
    _pay(org, customer["id"], paid)
    before = _read(org, customer["id"])
    _pay(org, customer["id"], paid)  # paid already: no award, no new version
    refused = org.post(f"/customers/{customer['id']}/points/redeem", json={"points": 10_000})
    assert refused.status_code == 409
    assert _read(org, customer["id"]) == before
