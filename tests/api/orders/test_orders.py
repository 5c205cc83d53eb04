"""Orders through the HTTP API: recording, attaching a customer, the status machine, paging."""

from __future__ import annotations

from typing import Any

import pytest

from tests.factories import Api, Org, unique


def _order(org: Org, role: str = "owner", **fields: Any) -> dict[str, Any]:
    body = {"external_ref": unique("o"), "total": 120_000, "currency": "vnd", **fields}
    response = org.post("/orders", role, json=body)
    assert response.status_code == 201, response.text
    return dict(response.json())


def test_create_and_get_an_order(api: Api) -> None:
    org = api.create_org()
    customer = org.create_customer()
    placed = "2026-11-01T09:30:00+07:00"
    response = org.post(
        "/orders",
        json={
            "external_ref": " POS-1 ",
            "total": 99_000,
            "currency": "vnd",
            "customer_id": customer["id"],
            "placed_at": placed,
        },
    )
    assert response.status_code == 201, response.text
    order = response.json()
    assert response.headers["location"] == f"/api/v1/orders/{order['id']}"
    assert order["external_ref"] == "POS-1"
    assert order["currency"] == "VND"
    assert order["status"] == "open"
    assert order["total"] == 99_000
    assert order["customer_id"] == customer["id"]
    assert order["customer"]["id"] == customer["id"]
    assert order["placed_at"].startswith("2026-11-01T02:30:00")
    fetched = org.get(f"/orders/{order['id']}").json()
    assert fetched == order
    types = [e["type"] for e in org.events(type="order.created")]
    assert types == ["order.created"]


def test_an_order_without_customer_omits_the_embedded_customer(api: Api) -> None:
    org = api.create_org()
    order = _order(org)
    assert order["customer_id"] is None
    assert "customer" not in order


def test_external_ref_is_unique_per_organization(api: Api) -> None:
    org, other = api.create_org(), api.create_org()
    ref = unique("ref")
    _order(org, external_ref=ref)
    taken = org.post("/orders", json={"external_ref": ref, "total": 1, "currency": "USD"})
    assert taken.status_code == 409
    assert taken.json()["code"] == "order.external_ref_taken"
    _order(other, external_ref=ref)


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"total": 1, "currency": "USD"}, "external_ref"),
        ({"external_ref": "", "total": 1, "currency": "USD"}, "external_ref"),
        ({"external_ref": "   ", "total": 1, "currency": "USD"}, "external_ref"),
        ({"external_ref": "x" * 101, "total": 1, "currency": "USD"}, "external_ref"),
        ({"external_ref": "a", "total": -1, "currency": "USD"}, "total"),
        ({"external_ref": "a", "total": 1.5, "currency": "USD"}, "total"),
        ({"external_ref": "a", "total": 1, "currency": "XXY"}, "currency"),
        ({"external_ref": "a", "total": 1, "currency": "US"}, "currency"),
        ({"external_ref": "a", "total": 1}, "currency"),
        ({"external_ref": "a", "total": 1, "currency": "USD", "customer_id": "nope"}, "customer_id"),
        (
            {"external_ref": "a", "total": 1, "currency": "USD", "customer_id": "018f0000-0000-7000-8000-000000000000"},
            "customer_id",
        ),
        ({"external_ref": "a", "total": 1, "currency": "USD", "placed_at": "2026-11-01T09:30:00"}, "placed_at"),
        ({"external_ref": "a", "total": 1, "currency": "USD", "status": "paid"}, "status"),
        ({"external_ref": "a", "total": 1, "currency": "USD", "id": "x"}, "id"),
    ],
)
def test_invalid_orders_answer_422_naming_the_field(api: Api, body: dict[str, Any], field: str) -> None:
    org = _shared_org(api)
    response = org.post("/orders", json=body)
    assert response.status_code == 422, response.text
    assert field in [e["field"] for e in response.json()["errors"]], response.json()


def test_a_customer_of_another_organization_cannot_be_used(api: Api) -> None:
    org, other = api.create_org(), api.create_org()
    stranger = other.create_customer()
    response = org.post(
        "/orders", json={"external_ref": "x", "total": 1, "currency": "USD", "customer_id": stranger["id"]}
    )
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "customer_id"
    order = _order(org)
    attach = org.request("PUT", f"/orders/{order['id']}/customer", json={"customer_id": stranger["id"]})
    assert attach.status_code == 422
    assert org.get(f"/orders/{order['id']}").json()["customer_id"] is None


def test_attach_a_customer_at_checkout(api: Api) -> None:
    org = api.create_org()
    customer = org.create_customer()
    order = _order(org, "cashier")
    response = org.request("PUT", f"/orders/{order['id']}/customer", "cashier", json={"customer_id": customer["id"]})
    assert response.status_code == 200, response.text
    attached = response.json()
    assert attached["customer_id"] == customer["id"]
    assert attached["customer"]["email"] == customer["email"]
    again = org.request("PUT", f"/orders/{order['id']}/customer", json={"customer_id": customer["id"]})
    assert again.status_code == 200
    assert len(org.events(type="order.customer_attached")) == 1
    someone_else = org.create_customer()
    refused = org.request("PUT", f"/orders/{order['id']}/customer", json={"customer_id": someone_else["id"]})
    assert refused.status_code == 409
    assert refused.json()["code"] == "order.customer_attached"
    assert org.get(f"/orders/{order['id']}").json()["customer_id"] == customer["id"]


def test_a_deleted_customer_keeps_its_orders_but_takes_no_new_ones(api: Api) -> None:
    org = api.create_org()
    customer = org.create_customer()
    order = _order(org, customer_id=customer["id"])
    assert org.delete(f"/customers/{customer['id']}").status_code == 204
    page = org.get(f"/customers/{customer['id']}/orders").json()
    assert [o["id"] for o in page["items"]] == [order["id"]]
    assert org.get(f"/orders/{order['id']}").json()["customer"]["deleted_at"] is not None
    refused = org.post(
        "/orders", json={"external_ref": "y", "total": 1, "currency": "USD", "customer_id": customer["id"]}
    )
    assert refused.status_code == 422
    assert refused.json()["errors"][0]["field"] == "customer_id"


def test_status_machine(api: Api) -> None:
    org = api.create_org()
    order = _order(org)
    path = f"/orders/{order['id']}"
    paid = org.post(f"{path}/pay", "cashier")
    assert paid.status_code == 200, paid.text
    assert paid.json()["status"] == "paid"
    assert paid.json()["paid_at"] is not None
    assert org.post(f"{path}/pay").status_code == 200
    cancel = org.post(f"{path}/cancel")
    assert cancel.status_code == 409
    assert cancel.json()["code"] == "order.invalid_transition"
    refunded = org.post(f"{path}/refund")
    assert refunded.status_code == 200
    assert refunded.json()["status"] == "refunded"
    assert org.post(f"{path}/refund").status_code == 200
    assert org.post(f"{path}/pay").status_code == 409
    types = [e["type"] for e in org.events() if e["type"].startswith("order.")]
    assert types == ["order.created", "order.paid", "order.refunded"]

    open_order = _order(org)
    assert org.post(f"/orders/{open_order['id']}/refund").status_code == 409
    cancelled = org.post(f"/orders/{open_order['id']}/cancel", "cashier")
    assert cancelled.json()["status"] == "cancelled"
    assert org.post(f"/orders/{open_order['id']}/pay").status_code == 409


def test_customer_orders_are_paged_newest_first(api: Api) -> None:
    org = api.create_org()
    customer = org.create_customer()
    ids = [_order(org, customer_id=customer["id"], placed_at=f"2026-10-0{day}T10:00:00Z")["id"] for day in range(1, 6)]
    _order(org)  # not this customer's
    first = org.get(f"/customers/{customer['id']}/orders", params={"limit": 2}).json()
    assert first["total"] == 5
    assert [o["id"] for o in first["items"]] == ids[::-1][:2]
    rest = org.get(f"/customers/{customer['id']}/orders", params={"limit": 10, "offset": 2}).json()
    assert [o["id"] for o in rest["items"]] == ids[::-1][2:]


def test_orders_of_another_organization_are_404(api: Api) -> None:
    org, other = api.create_org(), api.create_org()
    order = _order(other)
    customer = other.create_customer()
    path = f"/orders/{order['id']}"
    mine = org.create_customer()
    before = other.get(path).json()
    for method, url, body in [
        ("GET", path, None),
        ("PUT", f"{path}/customer", {"customer_id": mine["id"]}),
        ("POST", f"{path}/pay", None),
        ("POST", f"{path}/refund", None),
        ("POST", f"{path}/cancel", None),
        ("GET", f"/customers/{customer['id']}/orders", None),
        ("GET", "/orders/not-a-uuid", None),
    ]:
        response = org.request(method, url, json=body)
        assert response.status_code == 404, (method, url, response.text)
    assert other.get(path).json() == before
    assert org.events(type="order.paid") == []


_orgs: dict[int, Org] = {}


def _shared_org(api: Api) -> Org:
    key = id(api.client)
    if key not in _orgs:
        _orgs[key] = api.create_org()
    return _orgs[key]


def test_payment_reports_with_an_idempotency_key_replay_the_first_answer(api: Api) -> None:
    org = api.create_org()
    order = _order(org)
    headers = {"Idempotency-Key": unique("k")}
    first = org.post(f"/orders/{order['id']}/pay", "cashier", headers=headers)
    again = org.post(f"/orders/{order['id']}/pay", "cashier", headers=headers)
    assert (first.status_code, again.status_code) == (200, 200)
    assert again.json() == first.json()
    assert again.headers["idempotent-replayed"] == "true"
    for action in ("refund", "cancel"):
        fresh = _order(org) if action == "cancel" else order
        response = org.post(f"/orders/{fresh['id']}/{action}", headers={"Idempotency-Key": unique("k")})
        assert response.status_code == 200, response.text


@pytest.mark.parametrize("body", [{}, {"customer_id": "x"}, {"customer_id": None}, {"customer_id": 5}])
def test_attaching_needs_a_customer_id(api: Api, body: dict[str, Any]) -> None:
    org = _shared_org(api)
    order = _order(org)
    response = org.request("PUT", f"/orders/{order['id']}/customer", json=body)
    assert response.status_code == 422, response.text
    assert response.json()["errors"][0]["field"] == "customer_id"
    assert org.get(f"/orders/{order['id']}").json() == order
