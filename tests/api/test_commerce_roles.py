"""The role table for orders and loyalty routes (issue 5), route by route.

Allowed roles get neither 401 nor 403; refused roles get 403 `auth.forbidden`, and the
refused request changed nothing: no event, and the resource reads the same.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest

from tests.factories import Org, loyal_org, unique

ROLES = ("owner", "cashier", "marketing", "sales")
ALL = frozenset(ROLES)
TILL = frozenset({"owner", "cashier"})
OWNER = frozenset({"owner"})


@dataclass(frozen=True)
class Fixture:
    path: str
    body: Any
    observe: str  # a GET path whose answer must not change when the request is refused


def _paid_order(org: Org) -> dict[str, Any]:
    customer = org.create_customer()
    order = org.post(
        "/orders", json={"external_ref": unique("o"), "total": 50_000, "currency": "USD", "customer_id": customer["id"]}
    ).json()
    assert org.post(f"/orders/{order['id']}/pay").status_code == 200
    return dict(order)


def _open_order(org: Org) -> dict[str, Any]:
    return dict(org.post("/orders", json={"external_ref": unique("o"), "total": 50_000, "currency": "USD"}).json())


def _customer_with_points(org: Org) -> dict[str, Any]:
    customer = org.create_customer()
    assert (
        org.post(f"/customers/{customer['id']}/points/adjust", json={"points": 100, "reason": "seed"}).status_code
        == 200
    )
    return customer


def new_order(org: Org) -> Fixture:
    return Fixture("/orders", {"external_ref": unique("o"), "total": 1, "currency": "USD"}, "/events")


def get_order(org: Org) -> Fixture:
    order = _open_order(org)
    return Fixture(f"/orders/{order['id']}", None, f"/orders/{order['id']}")


def attach(org: Org) -> Fixture:
    order, customer = _open_order(org), org.create_customer()
    return Fixture(f"/orders/{order['id']}/customer", {"customer_id": customer["id"]}, f"/orders/{order['id']}")


def pay(org: Org) -> Fixture:
    customer = org.create_customer()
    order = org.post(
        "/orders", json={"external_ref": unique("o"), "total": 50_000, "currency": "USD", "customer_id": customer["id"]}
    ).json()
    return Fixture(f"/orders/{order['id']}/pay", None, f"/customers/{customer['id']}/points")


def refund(org: Org) -> Fixture:
    order = _paid_order(org)
    return Fixture(f"/orders/{order['id']}/refund", None, f"/customers/{order['customer_id']}/points")


def cancel(org: Org) -> Fixture:
    order = _open_order(org)
    return Fixture(f"/orders/{order['id']}/cancel", None, f"/orders/{order['id']}")


def customer_orders(org: Org) -> Fixture:
    order = _paid_order(org)
    return Fixture(f"/customers/{order['customer_id']}/orders", None, f"/customers/{order['customer_id']}/orders")


def points(org: Org) -> Fixture:
    customer = _customer_with_points(org)
    return Fixture(f"/customers/{customer['id']}/points", None, f"/customers/{customer['id']}/points")


def redeem(org: Org) -> Fixture:
    customer = _customer_with_points(org)
    return Fixture(f"/customers/{customer['id']}/points/redeem", {"points": 10}, f"/customers/{customer['id']}/points")


def adjust(org: Org) -> Fixture:
    customer = _customer_with_points(org)
    body = {"points": 5, "reason": "goodwill"}
    return Fixture(f"/customers/{customer['id']}/points/adjust", body, f"/customers/{customer['id']}/points")


ADDRESS = {"street": "Lê Lợi", "city": "Hồ Chí Minh", "country": "VN", "is_default_shipping": True}


def _address(org: Org) -> tuple[str, str]:
    customer = org.create_customer()
    base = f"/customers/{customer['id']}/addresses"
    address = org.post(base, json=ADDRESS).json()
    return base, f"{base}/{address['id']}"


def list_addresses(org: Org) -> Fixture:
    base, _ = _address(org)
    return Fixture(base, None, base)


def get_address(org: Org) -> Fixture:
    _, one = _address(org)
    return Fixture(one, None, one)


def add_address(org: Org) -> Fixture:
    base, _ = _address(org)
    return Fixture(base, {**ADDRESS, "street": "Hai Bà Trưng"}, base)


def change_address(org: Org) -> Fixture:
    base, one = _address(org)
    return Fixture(one, {"city": "Hà Nội"}, base)


def remove_address(org: Org) -> Fixture:
    base, one = _address(org)
    return Fixture(one, None, base)


def _wishlist(org: Org) -> tuple[str, str, str]:
    customer = org.create_customer()
    base = f"/customers/{customer['id']}/lists"
    created = org.post(base, json={"name": "Wishes", "kind": "wishlist"}).json()
    one = f"{base}/{created['id']}"
    item = org.post(f"{one}/items", json={"product_ref": "SKU-1"}).json()
    return base, one, f"{one}/items/{item['id']}"


def list_lists(org: Org) -> Fixture:
    base, _, _ = _wishlist(org)
    return Fixture(base, None, base)


def create_list(org: Org) -> Fixture:
    base, _, _ = _wishlist(org)
    return Fixture(base, {"name": "More"}, base)


def get_list(org: Org) -> Fixture:
    _, one, _ = _wishlist(org)
    return Fixture(one, None, one)


def rename_list(org: Org) -> Fixture:
    _, one, _ = _wishlist(org)
    return Fixture(one, {"name": "Renamed"}, one)


def delete_list(org: Org) -> Fixture:
    base, one, _ = _wishlist(org)
    return Fixture(one, None, base)


def add_item(org: Org) -> Fixture:
    _, one, _ = _wishlist(org)
    return Fixture(f"{one}/items", {"product_ref": "SKU-2"}, one)


def change_item(org: Org) -> Fixture:
    _, one, item = _wishlist(org)
    return Fixture(item, {"quantity": 2}, one)


def remove_item(org: Org) -> Fixture:
    _, one, item = _wishlist(org)
    return Fixture(item, None, one)


def share_list(org: Org) -> Fixture:
    _, one, _ = _wishlist(org)
    return Fixture(f"{one}/share", None, one)


def unshare_list(org: Org) -> Fixture:
    _, one, _ = _wishlist(org)
    assert org.post(f"{one}/share").status_code == 200
    return Fixture(f"{one}/share", None, one)


@dataclass(frozen=True)
class Route:
    method: str
    make: Callable[[Org], Fixture]
    allowed: frozenset[str]


ROUTES = [
    Route("POST", new_order, TILL),
    Route("GET", get_order, ALL),
    Route("PUT", attach, TILL),
    Route("POST", pay, TILL),
    Route("POST", refund, OWNER),
    Route("POST", cancel, TILL),
    Route("GET", customer_orders, ALL),
    Route("GET", points, ALL),
    Route("POST", redeem, TILL),
    Route("POST", adjust, OWNER),
    Route("GET", list_addresses, ALL),
    Route("GET", get_address, ALL),
    Route("POST", add_address, TILL),
    Route("PATCH", change_address, OWNER),
    Route("DELETE", remove_address, OWNER),
    Route("GET", list_lists, ALL),
    Route("POST", create_list, OWNER),
    Route("GET", get_list, ALL),
    Route("PATCH", rename_list, OWNER),
    Route("DELETE", delete_list, OWNER),
    Route("POST", add_item, OWNER),
    Route("PATCH", change_item, OWNER),
    Route("DELETE", remove_item, OWNER),
    Route("POST", share_list, OWNER),
    Route("DELETE", unshare_list, OWNER),
]


@pytest.mark.parametrize("route", ROUTES, ids=lambda r: f"{r.method} {r.make.__name__}")
def test_role_matrix(api: Any, route: Route) -> None:
    org = loyal_org(api)
    for role in ROLES:
        org.headers(role)
        fixture = route.make(org)
        events_before = len(org.events())
        observed_before = org.get(fixture.observe).json()
        response = org.request(route.method, fixture.path, role, json=fixture.body)
        if role in route.allowed:
            assert response.status_code not in (401, 403), (role, response.text)
            assert response.status_code < 300, (role, response.text)
        else:
            assert response.status_code == 403, (role, response.status_code, response.text)
            assert response.json()["code"] == "auth.forbidden"
            assert len(org.events()) == events_before, f"a refused {role} request wrote an event"
            assert org.get(fixture.observe).json() == observed_before
