"""Address books through the HTTP API: CRUD, canonical values, postcodes, one default of each kind."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest

from tests.factories import Api, Org

HOME = {"street": "Lê Lợi", "house_number": "12", "city": "Hồ Chí Minh", "country": "vn", "postcode": "700000"}
BERLIN = {"street": "Unter den Linden", "house_number": "5", "city": "Berlin", "country": "DE", "postcode": "10117"}


def _add(org: Org, customer_id: str, role: str = "owner", **fields: Any) -> dict[str, Any]:
    response = org.post(f"/customers/{customer_id}/addresses", role, json={**HOME, **fields})
    assert response.status_code == 201, response.text
    return dict(response.json())


def _defaults(org: Org, customer_id: str) -> tuple[list[str], list[str]]:
    items = org.get(f"/customers/{customer_id}/addresses").json()["items"]
    return (
        [a["id"] for a in items if a["is_default_shipping"]],
        [a["id"] for a in items if a["is_default_billing"]],
    )


def test_add_read_change_and_remove_an_address(api: Api) -> None:
    org = api.create_org(region="VN")
    customer = org.create_customer()
    base = f"/customers/{customer['id']}/addresses"
    response = org.post(base, "cashier", json={**HOME, "name": " Lan ", "phone": "0912 345 678", "extra_line": " "})
    assert response.status_code == 201, response.text
    address = response.json()
    assert response.headers["location"] == f"/api/v1{base}/{address['id']}"
    assert address["country"] == "VN"
    assert address["phone"] == "+84912345678"
    assert address["name"] == "Lan"
    assert address["extra_line"] is None
    assert address["customer_id"] == customer["id"]
    assert org.get(f"{base}/{address['id']}").json() == address
    assert [a["id"] for a in org.get(base).json()["items"]] == [address["id"]]
    changed = org.patch(f"{base}/{address['id']}", json={**BERLIN, "state": None, "phone": "+49 30 901820"})
    assert changed.status_code == 200, changed.text
    assert (changed.json()["country"], changed.json()["postcode"], changed.json()["phone"]) == (
        "DE",
        "10117",
        "+4930901820",
    )
    assert org.delete(f"{base}/{address['id']}").status_code == 204
    assert org.get(f"{base}/{address['id']}").status_code == 404
    assert org.get(base).json()["items"] == []
    types = [e["type"] for e in org.events() if e["type"].startswith("address.")]
    assert types == ["address.created", "address.updated", "address.deleted"]
    updated = org.events(type="address.updated")[0]
    assert updated["subject_id"] == customer["id"]
    assert updated["data"]["changes"]["city"] == {"old": "Hồ Chí Minh", "new": "Berlin"}


def test_one_default_shipping_and_one_default_billing(api: Api) -> None:
    org = api.create_org()
    customer = org.create_customer()
    first = _add(org, customer["id"], is_default_shipping=True, is_default_billing=True)
    second = _add(org, customer["id"], is_default_shipping=True)
    assert _defaults(org, customer["id"]) == ([second["id"]], [first["id"]])
    base = f"/customers/{customer['id']}/addresses"
    assert org.patch(f"{base}/{first['id']}", json={"is_default_shipping": True}).status_code == 200
    assert _defaults(org, customer["id"]) == ([first["id"]], [first["id"]])
    assert org.patch(f"{base}/{second['id']}", json={"is_default_billing": True}).status_code == 200
    assert _defaults(org, customer["id"]) == ([first["id"]], [second["id"]])
    other = org.create_customer()
    _add(org, other["id"], is_default_shipping=True)
    assert _defaults(org, customer["id"]) == ([first["id"]], [second["id"]])


def test_concurrent_new_defaults_leave_exactly_one(api: Api) -> None:
    org = api.create_org()
    customer = org.create_customer()
    headers = org.headers()

    def add(i: int) -> int:
        body = {**HOME, "street": f"Street {i}", "is_default_shipping": True}
        return api.client.post(f"/api/v1/customers/{customer['id']}/addresses", json=body, headers=headers).status_code

    with ThreadPoolExecutor(max_workers=8) as pool:
        statuses = list(pool.map(add, range(8)))
    assert set(statuses) <= {201, 409}, statuses
    shipping, _ = _defaults(org, customer["id"])
    assert len(shipping) == 1
    assert len(org.get(f"/customers/{customer['id']}/addresses").json()["items"]) == statuses.count(201)


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({**HOME, "street": ""}, "street"),
        ({**HOME, "street": "   "}, "street"),
        ({k: v for k, v in HOME.items() if k != "city"}, "city"),
        ({k: v for k, v in HOME.items() if k != "country"}, "country"),
        ({**HOME, "country": "XX"}, "country"),
        ({**HOME, "country": "VNM"}, "country"),
        ({**BERLIN, "postcode": "1011"}, "postcode"),
        ({**BERLIN, "postcode": None}, "postcode"),
        ({**HOME, "country": "US", "postcode": "ABCDE"}, "postcode"),
        ({**HOME, "postcode": "x" * 21}, "postcode"),
        ({**HOME, "phone": "12"}, "phone"),
        ({**HOME, "name": "x" * 201}, "name"),
        ({**HOME, "is_default_billing": "yes"}, "is_default_billing"),
        ({**HOME, "customer_id": "x"}, "customer_id"),
        ({**HOME, "id": "x"}, "id"),
    ],
)
def test_invalid_addresses_answer_422_naming_the_field(api: Api, body: dict[str, Any], field: str) -> None:
    org, customer = _shared(api)
    response = org.post(f"/customers/{customer}/addresses", json=body)
    assert response.status_code == 422, response.text
    assert field in [e["field"] for e in response.json()["errors"]], response.json()
    assert org.get(f"/customers/{customer}/addresses").json()["items"] == []


def test_a_change_is_checked_as_a_whole(api: Api) -> None:
    org = api.create_org()
    customer = org.create_customer()
    address = _add(org, customer["id"], **BERLIN)
    path = f"/customers/{customer['id']}/addresses/{address['id']}"
    response = org.patch(path, json={"country": "GB"})
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "postcode"
    assert org.patch(path, json={"street": None}).status_code == 422
    assert org.get(path).json() == address


def test_a_deleted_customer_keeps_its_addresses_but_takes_no_new_ones(api: Api) -> None:
    org = api.create_org()
    customer = org.create_customer()
    address = _add(org, customer["id"])
    org.delete(f"/customers/{customer['id']}")
    assert [a["id"] for a in org.get(f"/customers/{customer['id']}/addresses").json()["items"]] == [address["id"]]
    refused = org.post(f"/customers/{customer['id']}/addresses", json=HOME)
    assert refused.status_code == 409
    assert refused.json()["code"] == "customer.deleted"


def test_addresses_of_another_organization_or_customer_are_404(api: Api) -> None:
    org, other = api.create_org(), api.create_org()
    stranger = other.create_customer()
    theirs = _add(other, stranger["id"])
    mine = org.create_customer()
    events_before = len(other.events())
    their_base = f"/customers/{stranger['id']}/addresses"
    for method, path, body in [
        ("GET", their_base, None),
        ("POST", their_base, HOME),
        ("GET", f"{their_base}/{theirs['id']}", None),
        ("PATCH", f"{their_base}/{theirs['id']}", {"city": "Hà Nội"}),
        ("DELETE", f"{their_base}/{theirs['id']}", None),
        ("GET", f"/customers/{mine['id']}/addresses/{theirs['id']}", None),
        ("PATCH", f"/customers/{mine['id']}/addresses/{theirs['id']}", {"city": "Hà Nội"}),
        ("DELETE", f"/customers/{mine['id']}/addresses/{theirs['id']}", None),
        ("GET", f"/customers/{mine['id']}/addresses/not-a-uuid", None),
    ]:
        response = org.request(method, path, json=body)
        assert response.status_code == 404, (method, path, response.text)
    assert len(other.events()) == events_before
    assert other.get(f"{their_base}/{theirs['id']}").json() == theirs


_orgs: dict[int, tuple[Org, str]] = {}


def _shared(api: Api) -> tuple[Org, str]:
    key = id(api.client)
    if key not in _orgs:
        org = api.create_org(region="VN")
        _orgs[key] = (org, org.create_customer()["id"])
    return _orgs[key]


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"country": "XX"}, "country"),
        ({"city": ""}, "city"),
        ({"phone": "abc"}, "phone"),
        ({"postcode": "ABC"}, "postcode"),
        ({"is_default_shipping": None}, "is_default_shipping"),
        ({"customer_id": "x"}, "customer_id"),
    ],
)
def test_invalid_address_changes_answer_422_naming_the_field(api: Api, body: dict[str, Any], field: str) -> None:
    org, _ = _shared(api)
    customer = org.create_customer()["id"]  # the shared customer stays without addresses
    address = _add(org, customer, **BERLIN)
    path = f"/customers/{customer}/addresses/{address['id']}"
    response = org.patch(path, json=body)
    assert response.status_code == 422, response.text
    assert field in [e["field"] for e in response.json()["errors"]], response.json()
    assert org.get(path).json() == address
