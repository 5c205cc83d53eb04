"""Every list answers `{items, total, limit, offset, next_cursor}` and pages by cursor (SPEC §8).

For each list: paging through with `next_cursor` visits every record once, in the order of
the whole list; a bad cursor, or one of another list, answers 422 naming `cursor`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest

from tests.api.paging import SHAPE, assert_bad_cursor_is_422, page_through
from tests.factories import Api, Org, loyal_org, unique

N = 5
SAME_INSTANT = "2026-03-01T09:00:00Z"  # rows made at one instant are ordered by their id


def _ok(response: Any) -> dict[str, Any]:
    assert response.status_code in (200, 201), response.text
    return dict(response.json())


@dataclass
class Case:
    """A list: how to make an organization with N records in it, and where it is."""

    name: str
    make: Callable[[Api], tuple[Org, str]]
    items: str = "items"


def _customers(api: Api) -> tuple[Org, str]:
    org = api.create_org()
    for _ in range(N):
        org.create_customer()
    return org, "/customers"


def _companies(api: Api) -> tuple[Org, str]:
    org = api.create_org()
    for i in range(N):
        _ok(org.post("/companies", json={"name": "Acme" if i < 3 else unique("Co")}))
    return org, "/companies"


def _company_with_members(api: Api, path: str) -> tuple[Org, str]:
    org = api.create_org()
    company = _ok(org.post("/companies", json={"name": "Acme"}))
    for _ in range(N):
        customer = org.create_customer()
        _ok(org.post(f"/companies/{company['id']}/members", json={"customer_id": customer["id"]}))
    return org, f"/companies/{company['id']}/{path}"


def _join_codes(api: Api) -> tuple[Org, str]:
    org = api.create_org()
    company = _ok(org.post("/companies", json={"name": "Acme"}))
    for _ in range(N):
        _ok(org.post(f"/companies/{company['id']}/join-codes", json={}))
    return org, f"/companies/{company['id']}/join-codes"


def _pipelines(api: Api) -> tuple[Org, str]:
    org = api.create_org()
    for _ in range(N):
        _ok(org.post("/pipelines", json={"name": unique("P")}))
    return org, "/pipelines"


def _deals(api: Api) -> tuple[Org, str]:
    org = api.create_org()
    customer = org.create_customer()
    for _ in range(N):
        _ok(org.post("/deals", json={"title": "D", "value": 100, "currency": "EUR", "customer_id": customer["id"]}))
    return org, "/deals"


def _groups(api: Api) -> tuple[Org, str]:
    org = api.create_org()
    for _ in range(N):
        _ok(org.post("/customer-groups", json={"name": unique("g")}))
    return org, "/customer-groups"


def _webhooks(api: Api) -> tuple[Org, str]:
    org = api.create_org()
    for _ in range(N):
        _ok(org.post("/webhooks", json={"url": "http://127.0.0.1:9/in", "event_types": ["*"], "active": False}))
    return org, "/webhooks"


def _of_customer(path: str, body: Callable[[int], dict[str, Any]], *, loyal: bool = False) -> Any:
    def make(api: Api) -> tuple[Org, str]:
        org = loyal_org(api) if loyal else api.create_org()
        customer = org.create_customer()
        base = f"/customers/{customer['id']}"
        for i in range(N):
            _ok(org.post(f"{base}/{path}".replace("{customer}", customer["id"]), json=body(i)))
        return org, f"{base}/{path}"

    return make


def _orders(api: Api) -> tuple[Org, str]:
    org = api.create_org()
    customer = org.create_customer()
    for _ in range(N):
        body = {"external_ref": unique("o"), "total": 1000, "currency": "EUR", "customer_id": customer["id"]}
        _ok(org.post("/orders", json={**body, "placed_at": SAME_INSTANT}))
    return org, f"/customers/{customer['id']}/orders"


def _company_interactions(api: Api) -> tuple[Org, str]:
    org = api.create_org()
    company = _ok(org.post("/companies", json={"name": "Acme"}))
    for _ in range(N):
        body = {"kind": "call", "summary": "x", "occurred_at": SAME_INSTANT}
        _ok(org.post(f"/companies/{company['id']}/interactions", json=body))
    return org, f"/companies/{company['id']}/interactions"


def _timeline(api: Api) -> tuple[Org, str]:
    org = api.create_org()
    customer = org.create_customer()
    base = f"/customers/{customer['id']}"
    for i in range(N):
        # Interactions at one instant with each other and with nothing else, and memos now.
        _ok(org.post(f"{base}/interactions", json={"kind": "call", "summary": f"c{i}", "occurred_at": SAME_INSTANT}))
        _ok(org.post(f"{base}/memos", json={"body": f"m{i}"}))
    return org, f"{base}/timeline"


def _inquiries(api: Api) -> tuple[Org, str]:
    org = api.create_org()
    for _ in range(N):
        body = {"name": "Minh", "email": f"{unique('i')}@example.com", "message": "Hello, a quote please"}
        _ok(api.client.post(f"/api/v1/public/{org.slug}/inquiries", json=body))
    return org, "/inquiries"


def _subscribers(api: Api) -> tuple[Org, str]:
    org = api.create_org()
    for _ in range(N):
        body = {"email": f"{unique('s')}@example.com"}
        _ok(api.client.post(f"/api/v1/public/{org.slug}/newsletter/subscriptions", json=body))
    return org, "/newsletter/subscribers"


def _staff(api: Api) -> tuple[Org, str]:
    org = api.create_org()
    for _ in range(N - 1):
        api.create_staff(org, "sales")
    return org, "/staff"


def _api_keys(api: Api) -> tuple[Org, str]:
    org = api.create_org()
    for _ in range(N - 1):
        _ok(org.post(f"/staff/{org.owner_id}/api-keys", json={}))
    return org, f"/staff/{org.owner_id}/api-keys"


ADDRESS = {"street": "Lê Lợi", "city": "Hồ Chí Minh", "country": "VN"}
CASES = [
    Case("customers", _customers),
    Case("companies", _companies),
    Case("company contacts", lambda api: _company_with_members(api, "contacts")),
    Case("company members", lambda api: _company_with_members(api, "members")),
    Case("join codes", _join_codes),
    Case("pipelines", _pipelines),
    Case("deals", _deals),
    Case("customer groups", _groups),
    Case("webhooks", _webhooks),
    Case("addresses", _of_customer("addresses", lambda i: ADDRESS)),
    Case("lists", _of_customer("lists", lambda i: {"name": f"List {i}"})),
    Case(
        "interactions",
        _of_customer("interactions", lambda i: {"kind": "call", "summary": "x", "occurred_at": SAME_INSTANT}),
    ),
    Case("company interactions", _company_interactions),
    Case("memos", _of_customer("memos", lambda i: {"body": f"memo {i}"})),
    Case("timeline", _timeline),
    Case("orders", _orders),
    Case(
        "points entries",
        _of_customer("points/adjust", lambda i: {"points": 10, "reason": "r"}, loyal=True),
        items="entries",
    ),
    Case("inquiries", _inquiries),
    Case("newsletter subscribers", _subscribers),
    Case("staff", _staff),
    Case("api keys", _api_keys),
]


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_paging_with_next_cursor_visits_every_record_once(api: Api, case: Case) -> None:
    org, path = case.make(api)
    path = path.removesuffix("/adjust")
    whole = org.get(path, params={"limit": 500}).json()
    assert set(whole) >= SHAPE - {"items"}
    everything = whole[case.items]
    assert len(everything) >= N
    assert whole["total"] == len(everything)
    assert whole["next_cursor"] is None
    for limit in (1, 2, 3):
        paged = _page_through(org, path, limit=limit, items=case.items)
        assert [_key(r) for r in paged] == [_key(r) for r in everything], limit
    assert_bad_cursor_is_422(org, path)


def _key(row: dict[str, Any]) -> Any:
    return row.get("id") or row.get("customer_id")


def _page_through(org: Org, path: str, *, limit: int, items: str) -> list[dict[str, Any]]:
    if items == "items":
        return page_through(org, path, limit=limit)
    found: list[dict[str, Any]] = []
    cursor = None
    while True:
        page = org.get(path, params={"limit": limit, **({"cursor": cursor} if cursor else {})}).json()
        found.extend(page[items])
        cursor = page["next_cursor"]
        if cursor is None:
            return found


def test_a_cursor_of_one_list_is_422_on_another(api: Api) -> None:
    org, companies = _companies(api)
    cursor = org.get(companies, params={"limit": 1}).json()["next_cursor"]
    assert cursor
    for other in ("/customer-groups", "/deals", "/customers", "/staff"):
        response = org.get(other, params={"cursor": cursor})
        assert response.status_code == 422, (other, response.text)
        assert response.json()["errors"][0]["field"] == "cursor"
    # Nor is a cursor good for the same list with other filters.
    org.create_customer()
    org.create_customer()
    deals = org.get("/deals", params={"limit": 1, "status": "open"}).json()
    if deals["next_cursor"]:
        assert org.get("/deals", params={"cursor": deals["next_cursor"]}).status_code == 422


def test_cursor_and_offset_together_are_422_naming_offset(api: Api) -> None:
    org, companies = _companies(api)
    cursor = org.get(companies, params={"limit": 1}).json()["next_cursor"]
    response = org.get(companies, params={"cursor": cursor, "offset": 1})
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "offset"
