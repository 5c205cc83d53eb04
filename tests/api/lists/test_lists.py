"""Customer lists through the HTTP API: lists, items, sharing by an unguessable link."""

from __future__ import annotations

from typing import Any

import pytest

from tests.factories import Api, Org, unique


def _list(org: Org, customer_id: str, **fields: Any) -> dict[str, Any]:
    response = org.post(f"/customers/{customer_id}/lists", json={"name": "Wishes", "kind": "wishlist", **fields})
    assert response.status_code == 201, response.text
    return dict(response.json())


def test_lists_and_items(api: Api) -> None:
    org = api.create_org()
    customer = org.create_customer()
    wishlist = _list(org, customer["id"], name="  Tết  ")
    assert (wishlist["name"], wishlist["kind"], wishlist["shared"], wishlist["items"]) == ("Tết", "wishlist", False, [])
    base = f"/customers/{customer['id']}/lists/{wishlist['id']}"
    added = org.post(f"{base}/items", json={"product_ref": " SKU-1 ", "quantity": 2, "note": "red"})
    assert added.status_code == 201, added.text
    item = added.json()
    assert (item["product_ref"], item["quantity"], item["note"]) == ("SKU-1", 2, "red")
    twice = org.post(f"{base}/items", json={"product_ref": "SKU-1"})
    assert twice.status_code == 409
    assert twice.json()["code"] == "list.item_exists"
    changed = org.patch(f"{base}/items/{item['id']}", json={"quantity": 3, "note": None})
    assert (changed.json()["quantity"], changed.json()["note"]) == (3, None)
    org.post(f"{base}/items", json={"product_ref": "SKU-2"})
    plain = _list(org, customer["id"], name="Later", kind="list")
    everything = org.get(f"/customers/{customer['id']}/lists").json()["items"]
    assert [(entry["name"], [i["product_ref"] for i in entry["items"]]) for entry in everything] == [
        ("Tết", ["SKU-1", "SKU-2"]),
        ("Later", []),
    ]
    renamed = org.patch(base, json={"name": "Tết 2027", "kind": "list"})
    assert (renamed.json()["name"], renamed.json()["kind"], len(renamed.json()["items"])) == ("Tết 2027", "list", 2)
    assert org.delete(f"{base}/items/{item['id']}").status_code == 204
    assert [i["product_ref"] for i in org.get(base).json()["items"]] == ["SKU-2"]
    assert org.delete(base).status_code == 204
    assert org.get(base).status_code == 404
    assert [entry["id"] for entry in org.get(f"/customers/{customer['id']}/lists").json()["items"]] == [plain["id"]]
    types = [e["type"] for e in org.events() if e["type"].startswith("list.")]
    assert types == [
        "list.created",
        "list.item_added",
        "list.item_changed",
        "list.item_added",
        "list.created",
        "list.updated",
        "list.item_removed",
        "list.deleted",
    ]


def test_sharing_by_link_is_public_read_only_and_revocable(api: Api) -> None:
    org = api.create_org()
    customer = org.create_customer()
    wishlist = _list(org, customer["id"])
    base = f"/customers/{customer['id']}/lists/{wishlist['id']}"
    org.post(f"{base}/items", json={"product_ref": "SKU-9", "quantity": 4, "note": "size M"})
    shared = org.post(f"{base}/share")
    assert shared.status_code == 200, shared.text
    token = shared.json()["token"]
    assert len(token) >= 43  # 256 bits in URL-safe base64
    assert shared.json()["path"] == f"/api/v1/shared-lists/{token}"
    public = api.client.get(f"/api/v1/shared-lists/{token}")
    assert public.status_code == 200, public.text
    body = public.json()
    assert (body["name"], body["kind"]) == ("Wishes", "wishlist")
    assert body["items"] == [{"product_ref": "SKU-9", "quantity": 4, "note": "size M"}]
    assert set(body) == {"name", "kind", "items", "shared_at"}
    assert org.get(base).json()["shared"] is True
    assert api.client.post(f"/api/v1/shared-lists/{token}", json={}).status_code == 405

    rotated = org.post(f"{base}/share").json()["token"]
    assert api.client.get(f"/api/v1/shared-lists/{token}").status_code == 404
    assert api.client.get(f"/api/v1/shared-lists/{rotated}").status_code == 200
    assert org.delete(f"{base}/share").status_code == 204
    assert api.client.get(f"/api/v1/shared-lists/{rotated}").status_code == 404
    assert org.get(base).json()["shared"] is False
    types = [e["type"] for e in org.events() if e["type"] in ("list.shared", "list.unshared")]
    assert types == ["list.shared", "list.shared", "list.unshared"]


def test_forged_tokens_and_lists_of_deleted_customers_are_404(api: Api) -> None:
    org = api.create_org()
    customer = org.create_customer()
    wishlist = _list(org, customer["id"])
    token = org.post(f"/customers/{customer['id']}/lists/{wishlist['id']}/share").json()["token"]
    for forged in ("x", token[:-1] + ("A" if token[-1] != "A" else "B"), "a" * 43, wishlist["id"]):
        response = api.client.get(f"/api/v1/shared-lists/{forged}")
        assert response.status_code == 404, forged
        assert response.json()["code"] == "shared_list.not_found"
    org.delete(f"/customers/{customer['id']}")
    assert api.client.get(f"/api/v1/shared-lists/{token}").status_code == 404
    refused = org.post(f"/customers/{customer['id']}/lists", json={"name": "New"})
    assert refused.status_code == 409
    assert refused.json()["code"] == "customer.deleted"


@pytest.mark.parametrize(
    ("suffix", "body", "field"),
    [
        ("", {}, "name"),
        ("", {"name": ""}, "name"),
        ("", {"name": "   "}, "name"),
        ("", {"name": "x" * 201}, "name"),
        ("", {"name": "a", "kind": "basket"}, "kind"),
        ("", {"name": "a", "shared": True}, "shared"),
        ("/{list}/items", {}, "product_ref"),
        ("/{list}/items", {"product_ref": " "}, "product_ref"),
        ("/{list}/items", {"product_ref": "a", "quantity": 0}, "quantity"),
        ("/{list}/items", {"product_ref": "a", "quantity": 10_001}, "quantity"),
        ("/{list}/items", {"product_ref": "a", "note": "x" * 1001}, "note"),
        ("/{list}/items", {"product_ref": "a", "price": 1}, "price"),
    ],
)
def test_invalid_list_requests_answer_422_naming_the_field(
    api: Api, suffix: str, body: dict[str, Any], field: str
) -> None:
    org, customer, list_id = _shared(api)
    before = org.get(f"/customers/{customer}/lists").json()
    response = org.post(f"/customers/{customer}/lists{suffix.format(list=list_id)}", json=body)
    assert response.status_code == 422, response.text
    assert field in [e["field"] for e in response.json()["errors"]], response.json()
    assert org.get(f"/customers/{customer}/lists").json() == before


def test_lists_of_another_organization_or_customer_are_404(api: Api) -> None:
    org, other = api.create_org(), api.create_org()
    stranger = other.create_customer()
    theirs = _list(other, stranger["id"])
    their_base = f"/customers/{stranger['id']}/lists"
    item = other.post(f"{their_base}/{theirs['id']}/items", json={"product_ref": "SKU"}).json()
    mine = org.create_customer()
    my_list = _list(org, mine["id"])
    events_before = len(other.events())
    one = f"{their_base}/{theirs['id']}"
    snapshot = other.get(one).json()
    for method, path, body in [
        ("GET", their_base, None),
        ("POST", their_base, {"name": "x"}),
        ("GET", one, None),
        ("PATCH", one, {"name": "x"}),
        ("DELETE", one, None),
        ("POST", f"{one}/items", {"product_ref": "x"}),
        ("PATCH", f"{one}/items/{item['id']}", {"quantity": 5}),
        ("DELETE", f"{one}/items/{item['id']}", None),
        ("POST", f"{one}/share", None),
        ("DELETE", f"{one}/share", None),
        ("GET", f"/customers/{mine['id']}/lists/{theirs['id']}", None),
        ("PATCH", f"/customers/{mine['id']}/lists/{my_list['id']}/items/{item['id']}", {"quantity": 5}),
        ("DELETE", f"/customers/{mine['id']}/lists/{my_list['id']}/items/{item['id']}", None),
        ("GET", f"/customers/{mine['id']}/lists/not-a-uuid", None),
    ]:
        response = org.request(method, path, json=body)
        assert response.status_code == 404, (method, path, response.text)
    assert len(other.events()) == events_before
    assert other.get(one).json() == snapshot
    assert snapshot["items"] == [item]


_orgs: dict[int, tuple[Org, str, str]] = {}


def _shared(api: Api) -> tuple[Org, str, str]:
    key = id(api.client)
    if key not in _orgs:
        org = api.create_org()
        customer = org.create_customer()["id"]
        _orgs[key] = (org, customer, _list(org, customer)["id"])
    return _orgs[key]


@pytest.mark.parametrize(
    ("target", "body", "field"),
    [
        ("list", {"name": ""}, "name"),
        ("list", {"name": "  "}, "name"),
        ("list", {"kind": "cart"}, "kind"),
        ("list", {"id": "x"}, "id"),
        ("item", {"quantity": 0}, "quantity"),
        ("item", {"quantity": None}, "quantity"),
        ("item", {"product_ref": "other"}, "product_ref"),
    ],
)
def test_invalid_list_changes_answer_422_naming_the_field(
    api: Api, target: str, body: dict[str, Any], field: str
) -> None:
    org, customer, list_id = _shared(api)
    base = f"/customers/{customer}/lists/{list_id}"
    item = org.post(f"{base}/items", json={"product_ref": unique("p")}).json()
    before = org.get(base).json()
    path = base if target == "list" else f"{base}/items/{item['id']}"
    response = org.patch(path, json=body)
    assert response.status_code == 422, response.text
    assert field in [e["field"] for e in response.json()["errors"]], response.json()
    assert org.get(base).json() == before
