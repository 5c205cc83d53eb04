"""The points ledger through the HTTP API: awards, reversals, redemptions, adjustments, tiers.

After every test that moves points, the balance of every customer of the organization
equals the sum of its ledger entries (checked by SQL) and is never negative.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
import sqlalchemy as sa

from patron.db.base import table
from patron.db.models import Customer
from patron.db.uow import Database
from tests.factories import Api, Org, ledger_problems, loyal_org, unique


@pytest.fixture
def org(api: Api, database: Database) -> Iterator[Org]:
    org = loyal_org(api)
    yield org
    assert ledger_problems(database.engine, org.id) == []


def _order(org: Org, total: int, customer_id: str | None = None) -> dict[str, Any]:
    body: dict[str, Any] = {"external_ref": unique("o"), "total": total, "currency": "USD"}
    if customer_id:
        body["customer_id"] = customer_id
    response = org.post("/orders", json=body)
    assert response.status_code == 201, response.text
    return dict(response.json())


def _points(org: Org, customer_id: str, **params: Any) -> dict[str, Any]:
    response = org.get(f"/customers/{customer_id}/points", params=params)
    assert response.status_code == 200, response.text
    return dict(response.json())


def test_paying_awards_floor_of_total_over_earn_amount_times_earn_points(api: Api, database: Database) -> None:
    org = loyal_org(api, earn_amount=10_000, earn_points=3)
    customer = org.create_customer()
    order = _order(org, 129_999, customer["id"])
    paid = org.post(f"/orders/{order['id']}/pay", "cashier")
    assert paid.status_code == 200
    assert paid.json()["customer"]["points_balance"] == 36
    points = _points(org, customer["id"])
    assert points["balance"] == 36
    assert points["lifetime_earned"] == 36
    assert points["tier"] == "bronze"
    [entry] = points["entries"]
    assert entry["kind"] == "award"
    assert entry["points"] == 36
    assert entry["order_id"] == order["id"]
    assert entry["reason"] is None
    assert set(entry) >= {"id", "kind", "points", "order_id", "reason", "created_at"}
    awarded = org.events(type="points.awarded")
    assert [(e["subject_id"], e["data"]["points"]) for e in awarded] == [(customer["id"], 36)]
    assert len(org.events(type="order.paid")) == 1
    assert ledger_problems(database.engine, org.id) == []


def test_paying_again_awards_nothing_more(org: Org) -> None:
    customer = org.create_customer()
    order = _order(org, 5_000, customer["id"])
    for _ in range(3):
        assert org.post(f"/orders/{order['id']}/pay").status_code == 200
    assert _points(org, customer["id"])["balance"] == 5
    assert len(org.events(type="points.awarded")) == 1
    assert len(org.events(type="order.paid")) == 1


def test_no_points_while_loyalty_is_disabled_or_without_customer(api: Api, database: Database) -> None:
    org = api.create_org()  # loyalty is off by default
    customer = org.create_customer()
    order = _order(org, 50_000_000, customer["id"])
    assert org.post(f"/orders/{order['id']}/pay").status_code == 200
    assert _points(org, customer["id"])["balance"] == 0
    assert org.events(type="points.awarded") == []
    loyal = loyal_org(api)
    anonymous = _order(loyal, 50_000)
    assert loyal.post(f"/orders/{anonymous['id']}/pay").json()["status"] == "paid"
    assert loyal.events(type="points.awarded") == []
    assert ledger_problems(database.engine, loyal.id) == []


def test_attaching_a_customer_to_a_paid_order_awards_then(org: Org) -> None:
    order = _order(org, 42_000)
    assert org.post(f"/orders/{order['id']}/pay").status_code == 200
    customer = org.create_customer()
    attached = org.request("PUT", f"/orders/{order['id']}/customer", "cashier", json={"customer_id": customer["id"]})
    assert attached.status_code == 200
    assert attached.json()["customer"]["points_balance"] == 42
    assert org.post(f"/orders/{order['id']}/pay").status_code == 200
    assert _points(org, customer["id"])["balance"] == 42


def test_refund_reverses_the_award(org: Org) -> None:
    customer = org.create_customer()
    order = _order(org, 150_000, customer["id"])
    org.post(f"/orders/{order['id']}/pay")
    assert _points(org, customer["id"])["tier"] == "silver"
    refunded = org.post(f"/orders/{order['id']}/refund")
    assert refunded.status_code == 200
    assert refunded.json()["status"] == "refunded"
    points = _points(org, customer["id"])
    assert points["balance"] == 0
    assert points["lifetime_earned"] == 0
    assert points["tier"] == "bronze"
    assert refunded.json()["customer"]["loyalty_tier"] == "bronze"
    reversal = points["entries"][0]
    assert (reversal["kind"], reversal["points"], reversal["shortfall"]) == ("reversal", -150, 0)
    assert org.post(f"/orders/{order['id']}/refund").status_code == 200
    assert len(org.events(type="points.reversed")) == 1


def test_a_reversal_takes_at_most_the_balance_and_records_the_shortfall(org: Org) -> None:
    customer = org.create_customer()
    order = _order(org, 100_000, customer["id"])
    org.post(f"/orders/{order['id']}/pay")
    redeemed = org.post(f"/customers/{customer['id']}/points/redeem", "cashier", json={"points": 70})
    assert redeemed.status_code == 200, redeemed.text
    org.post(f"/orders/{order['id']}/refund")
    points = _points(org, customer["id"])
    assert points["balance"] == 0
    reversal = points["entries"][0]
    assert (reversal["kind"], reversal["points"], reversal["shortfall"]) == ("reversal", -30, 70)
    [event] = org.events(type="points.reversed")
    assert event["data"]["shortfall"] == 70


def test_redeem_answers_the_entry_and_refuses_more_than_the_balance(org: Org) -> None:
    customer = org.create_customer()
    order = _order(org, 25_000, customer["id"])
    org.post(f"/orders/{order['id']}/pay")
    path = f"/customers/{customer['id']}/points/redeem"
    spent = org.post(path, "cashier", json={"points": 20, "order_id": order["id"]})
    assert spent.status_code == 200, spent.text
    entry = spent.json()
    assert (entry["kind"], entry["points"], entry["order_id"]) == ("redemption", -20, order["id"])
    short = org.post(path, "cashier", json={"points": 6})
    assert short.status_code == 409
    assert short.json()["code"] == "loyalty.insufficient_points"
    assert _points(org, customer["id"])["balance"] == 5
    [event] = org.events(type="points.redeemed")
    assert event["data"] == {"points": -20, "balance": 5, "order_id": order["id"]}


def test_redeeming_keeps_lifetime_points_and_tier(org: Org) -> None:
    customer = org.create_customer()
    order = _order(org, 600_000, customer["id"])
    org.post(f"/orders/{order['id']}/pay")
    org.post(f"/customers/{customer['id']}/points/redeem", json={"points": 550})
    points = _points(org, customer["id"])
    assert (points["balance"], points["lifetime_earned"], points["tier"]) == (50, 600, "gold")


def test_owner_adjusts_with_a_reason(org: Org) -> None:
    customer = org.create_customer()
    path = f"/customers/{customer['id']}/points/adjust"
    added = org.post(path, json={"points": 120, "reason": "  goodwill  "})
    assert added.status_code == 200, added.text
    assert (added.json()["kind"], added.json()["points"], added.json()["reason"]) == ("adjustment", 120, "goodwill")
    removed = org.post(path, json={"points": -20, "reason": "typo"})
    assert removed.status_code == 200
    too_much = org.post(path, json={"points": -101, "reason": "typo"})
    assert too_much.status_code == 409
    assert too_much.json()["code"] == "loyalty.insufficient_points"
    points = _points(org, customer["id"])
    assert (points["balance"], points["lifetime_earned"], points["tier"]) == (100, 120, "silver")
    assert [e["data"]["points"] for e in org.events(type="points.adjusted")] == [120, -20]


def test_ledger_pages_newest_first(org: Org) -> None:
    customer = org.create_customer()
    path = f"/customers/{customer['id']}/points/adjust"
    for points in range(1, 6):
        assert org.post(path, json={"points": points, "reason": f"r{points}"}).status_code == 200
    first = _points(org, customer["id"], limit=2)
    assert [e["points"] for e in first["entries"]] == [5, 4]
    second = _points(org, customer["id"], limit=2, after=first["next_cursor"])
    assert [e["points"] for e in second["entries"]] == [3, 2]
    third = _points(org, customer["id"], limit=2, after=second["next_cursor"])
    assert [e["points"] for e in third["entries"]] == [1]
    assert third["next_cursor"] is None
    assert third["balance"] == 15


def test_a_deleted_customer_cannot_redeem_or_be_adjusted(org: Org) -> None:
    customer = org.create_customer()
    org.post(f"/customers/{customer['id']}/points/adjust", json={"points": 10, "reason": "seed"})
    org.delete(f"/customers/{customer['id']}")
    for path, body in [("redeem", {"points": 1}), ("adjust", {"points": 1, "reason": "x"})]:
        response = org.post(f"/customers/{customer['id']}/points/{path}", json=body)
        assert response.status_code == 409
        assert response.json()["code"] == "customer.deleted"
    assert _points(org, customer["id"])["balance"] == 10


@pytest.mark.parametrize(
    ("path", "body", "field"),
    [
        ("redeem", {}, "points"),
        ("redeem", {"points": 0}, "points"),
        ("redeem", {"points": -5}, "points"),
        ("redeem", {"points": 1.5}, "points"),
        ("redeem", {"points": 10**13}, "points"),
        ("redeem", {"points": 1, "order_id": "nope"}, "order_id"),
        ("redeem", {"points": 1, "order_id": "018f0000-0000-7000-8000-000000000000"}, "order_id"),
        ("redeem", {"points": 1, "kind": "award"}, "kind"),
        ("adjust", {"points": 5}, "reason"),
        ("adjust", {"points": 5, "reason": ""}, "reason"),
        ("adjust", {"points": 5, "reason": "   "}, "reason"),
        ("adjust", {"points": 5, "reason": "x" * 501}, "reason"),
        ("adjust", {"points": 0, "reason": "x"}, "points"),
        ("adjust", {"reason": "x"}, "points"),
        ("adjust", {"points": 1, "reason": "x", "balance": 9}, "balance"),
    ],
)
def test_invalid_point_requests_answer_422_naming_the_field(
    api: Api, database: Database, path: str, body: dict[str, Any], field: str
) -> None:
    org = _shared_org(api)
    customer = org.customer  # type: ignore[attr-defined]
    response = org.post(f"/customers/{customer['id']}/points/{path}", json=body)
    assert response.status_code == 422, response.text
    assert field in [e["field"] for e in response.json()["errors"]], response.json()
    assert _points(org, customer["id"])["balance"] == 1_000
    assert ledger_problems(database.engine, org.id) == []


def test_a_bad_cursor_is_422(org: Org) -> None:
    customer = org.create_customer()
    response = org.get(f"/customers/{customer['id']}/points", params={"after": "nonsense"})
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "after"


def test_redeeming_on_an_order_of_another_organization_is_refused(api: Api, org: Org) -> None:
    other = loyal_org(api)
    foreign = _order(other, 1)
    customer = org.create_customer()
    org.post(f"/customers/{customer['id']}/points/adjust", json={"points": 10, "reason": "seed"})
    response = org.post(f"/customers/{customer['id']}/points/redeem", json={"points": 1, "order_id": foreign["id"]})
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "order_id"
    assert _points(org, customer["id"])["balance"] == 10


def test_points_of_another_organization_are_404(api: Api, org: Org) -> None:
    other = loyal_org(api)
    stranger = other.create_customer()
    other.post(f"/customers/{stranger['id']}/points/adjust", json={"points": 10, "reason": "seed"})
    events_before = len(other.events())
    for method, suffix, body in [
        ("GET", "", None),
        ("POST", "/redeem", {"points": 1}),
        ("POST", "/adjust", {"points": 1, "reason": "x"}),
    ]:
        response = org.request(method, f"/customers/{stranger['id']}/points{suffix}", json=body)
        assert response.status_code == 404, response.text
        assert org.request(method, f"/customers/not-a-uuid/points{suffix}", json=body).status_code == 404
    assert len(other.events()) == events_before
    assert _points(other, stranger["id"])["balance"] == 10


def test_guests_with_orders_or_points_are_not_purged(org: Org, database: Database) -> None:
    buyer = org.create_customer(is_guest=True)
    _order(org, 1, buyer["id"])
    holder = org.create_customer(is_guest=True)
    org.post(f"/customers/{holder['id']}/points/adjust", json={"points": 3, "reason": "seed"})
    idle = org.create_customer(is_guest=True)
    long_ago = datetime.now(UTC) - timedelta(days=400)
    customer = table(Customer)
    with database.engine.begin() as conn:
        conn.execute(sa.update(customer).where(customer.c.org_id == uuid.UUID(org.id)).values(updated_at=long_ago))
    purge = org.delete("/customers/guests/outdated", params={"older_than_days": 30})
    assert purge.status_code == 200, purge.text
    assert purge.json()["purged"] == 1
    assert org.get(f"/customers/{idle['id']}").status_code == 404
    assert org.get(f"/customers/{buyer['id']}").status_code == 200
    assert org.get(f"/customers/{holder['id']}").status_code == 200


_orgs: dict[int, Org] = {}


def _shared_org(api: Api) -> Org:
    key = id(api.client)
    if key not in _orgs:
        org = loyal_org(api)
        customer = org.create_customer()
        org.post(f"/customers/{customer['id']}/points/adjust", json={"points": 1_000, "reason": "seed"})
        org.customer = customer  # type: ignore[attr-defined]
        _orgs[key] = org
    return _orgs[key]


def test_a_redemption_repeated_with_its_idempotency_key_spends_once(org: Org) -> None:
    customer = org.create_customer()
    org.post(f"/customers/{customer['id']}/points/adjust", json={"points": 50, "reason": "seed"})
    path = f"/customers/{customer['id']}/points/redeem"
    headers = {"Idempotency-Key": unique("k")}
    first = org.post(path, "cashier", json={"points": 30}, headers=headers)
    again = org.post(path, "cashier", json={"points": 30}, headers=headers)
    assert (first.status_code, again.status_code) == (200, 200)
    assert again.json() == first.json()
    assert _points(org, customer["id"])["balance"] == 20
    other_body = org.post(path, "cashier", json={"points": 5}, headers=headers)
    assert other_body.status_code == 422


def test_openapi_documents_the_commerce_routes(api: Api) -> None:
    paths = api.client.get("/openapi.json").json()["paths"]
    for path in (
        "/api/v1/orders",
        "/api/v1/orders/{order_id}",
        "/api/v1/orders/{order_id}/customer",
        "/api/v1/orders/{order_id}/pay",
        "/api/v1/orders/{order_id}/refund",
        "/api/v1/customers/{customer_id}/orders",
        "/api/v1/customers/{customer_id}/points",
        "/api/v1/customers/{customer_id}/points/redeem",
        "/api/v1/customers/{customer_id}/points/adjust",
        "/api/v1/customers/{customer_id}/addresses",
        "/api/v1/customers/{customer_id}/lists",
        "/api/v1/customers/{customer_id}/lists/{list_id}/items",
        "/api/v1/shared-lists/{token}",
    ):
        assert path in paths, path
