"""Customer groups, merchant groups and product restrictions (SPEC §4) through the HTTP API."""

from __future__ import annotations

import uuid
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.factories import Api, Org, unique


def _group(org: Org, **fields: Any) -> dict[str, Any]:
    response = org.post("/customer-groups", json={"name": unique("group"), **fields})
    assert response.status_code == 201, response.text
    return dict(response.json())


def test_group_crud_and_unique_names(api: Api) -> None:
    org = api.create_org()
    created = org.post("/customer-groups", json={"name": "  Wholesale   buyers "})
    assert created.status_code == 201, created.text
    group = created.json()
    assert group["name"] == "Wholesale buyers"
    assert group["is_merchant"] is False
    assert created.headers["location"] == f"/api/v1/customer-groups/{group['id']}"
    assert org.get(f"/customer-groups/{group['id']}", "cashier").json() == group

    taken = org.post("/customer-groups", json={"name": "Wholesale buyers"})
    assert taken.status_code == 409
    assert taken.json()["code"] == "customer_group.name_taken"
    other = _group(org, name="Another")
    assert org.patch(f"/customer-groups/{other['id']}", json={"name": "Wholesale buyers"}).status_code == 409

    renamed = org.patch(f"/customer-groups/{group['id']}", json={"name": "Retail"})
    assert renamed.status_code == 200, renamed.text
    assert renamed.json()["name"] == "Retail"
    assert [g["name"] for g in org.get("/customer-groups", "marketing").json()["items"]] == ["Another", "Retail"]

    assert org.delete(f"/customer-groups/{group['id']}").status_code == 204
    gone = org.get(f"/customer-groups/{group['id']}")
    assert gone.status_code == 404
    assert gone.json()["code"] == "customer_group.not_found"
    types = [e["type"] for e in org.events() if e["subject_id"] == group["id"]]
    assert types == ["customer_group.created", "customer_group.updated", "customer_group.deleted"]


def test_customers_join_groups_of_their_organization_only(api: Api) -> None:
    org = api.create_org()
    other = api.create_org()
    group = _group(org)
    foreign = _group(other)
    customer = org.create_customer(group_id=group["id"])
    assert customer["group_id"] == group["id"]
    assert customer["is_merchant"] is False
    for bad in (foreign["id"], str(uuid.uuid4())):
        refused = org.post("/customers", json={"email": "x@example.com", "first_name": "X", "group_id": bad})
        assert refused.status_code == 422
        assert [e["field"] for e in refused.json()["errors"]] == ["group_id"]
        patched = org.patch(f"/customers/{customer['id']}", json={"group_id": bad})
        assert patched.status_code == 422
        assert [e["field"] for e in patched.json()["errors"]] == ["group_id"]
    batch = org.post(
        "/customers/batch",
        json={"customers": [{"email": "a@example.com", "first_name": "A", "group_id": foreign["id"]}]},
    )
    assert batch.status_code == 422
    assert [e["field"] for e in batch.json()["errors"]] == ["customers[0].group_id"]
    left = org.patch(f"/customers/{customer['id']}", json={"group_id": None})
    assert left.status_code == 200
    assert left.json()["group_id"] is None
    change = next(e for e in org.events(type="customer.updated") if e["subject_id"] == customer["id"])
    assert change["data"]["sections"] == ["group"]


def test_members_of_a_merchant_group_are_always_merchants(api: Api) -> None:
    org = api.create_org()
    merchants = _group(org, is_merchant=True)
    member = org.create_customer(group_id=merchants["id"])
    assert member["is_merchant"] is True

    refused = org.post(
        "/customers",
        json={"email": "m@example.com", "first_name": "M", "group_id": merchants["id"], "is_merchant": False},
    )
    assert refused.status_code == 422
    assert [e["field"] for e in refused.json()["errors"]] == ["is_merchant"]
    unflag = org.patch(f"/customers/{member['id']}", json={"is_merchant": False})
    assert unflag.status_code == 422
    assert [e["field"] for e in unflag.json()["errors"]] == ["is_merchant"]
    assert org.get(f"/customers/{member['id']}").json()["is_merchant"] is True

    plain = org.create_customer()
    joined = org.patch(f"/customers/{plain['id']}", json={"group_id": merchants["id"]})
    assert joined.json()["is_merchant"] is True
    # Leaving the group and dropping the flag in one change is fine.
    left = org.patch(f"/customers/{plain['id']}", json={"group_id": None, "is_merchant": False})
    assert left.status_code == 200, left.text
    assert left.json()["is_merchant"] is False


def test_a_group_becoming_a_merchant_group_makes_its_members_merchants(api: Api) -> None:
    org = api.create_org()
    group = _group(org)
    members = [org.create_customer(group_id=group["id"]) for _ in range(2)]
    outsider = org.create_customer()
    flagged = org.patch(f"/customer-groups/{group['id']}", json={"is_merchant": True})
    assert flagged.status_code == 200, flagged.text
    for member in members:
        stored = org.get(f"/customers/{member['id']}").json()
        assert stored["is_merchant"] is True
        assert stored["version"] == member["version"] + 1
    assert org.get(f"/customers/{outsider['id']}").json()["is_merchant"] is False
    updates = [e for e in org.events(type="customer.updated") if e["data"].get("reason") == "merchant_group"]
    assert sorted(e["subject_id"] for e in updates) == sorted(m["id"] for m in members)
    assert all(e["data"]["changes"] == {"is_merchant": {"old": False, "new": True}} for e in updates)


def test_a_group_with_members_cannot_be_deleted(api: Api) -> None:
    org = api.create_org()
    group = _group(org)
    customer = org.create_customer(group_id=group["id"])
    org.delete(f"/customers/{customer['id']}")  # soft-deleted customers can come back: still members
    refused = org.delete(f"/customer-groups/{group['id']}")
    assert refused.status_code == 409
    assert refused.json()["code"] == "customer_group.in_use"
    assert refused.json()["members"] == 1
    org.post(f"/customers/{customer['id']}/restore")
    org.patch(f"/customers/{customer['id']}", json={"group_id": None})
    assert org.delete(f"/customer-groups/{group['id']}").status_code == 204


def test_restrictions_are_replaced_normalised_and_recorded(api: Api) -> None:
    org = api.create_org()
    group = _group(org)
    customer = org.create_customer(group_id=group["id"])
    for path, subject in (
        (f"/customer-groups/{group['id']}/product-restrictions", group["id"]),
        (f"/customers/{customer['id']}/product-restrictions", customer["id"]),
    ):
        assert org.get(path, "cashier").json() == {"allow": [], "deny": []}
        put = org.request("PUT", path, json={"allow": [" SKU-2 ", "SKU-1", "SKU-2"], "deny": ["sku-1"]})
        assert put.status_code == 200, put.text
        assert put.json() == {"allow": ["SKU-1", "SKU-2"], "deny": ["sku-1"]}
        assert org.get(path).json() == put.json()
        assert org.request("PUT", path, json={"deny": ["X"]}).json() == {"allow": [], "deny": ["X"]}
        changes = [e for e in org.events() if e["subject_id"] == subject and "restrictions" in e["type"]]
        assert [c["data"]["new"] for c in changes] == [
            {"allow": ["SKU-1", "SKU-2"], "deny": ["sku-1"]},
            {"allow": [], "deny": ["X"]},
        ]
        before = len(org.events())
        assert org.request("PUT", path, json={"deny": ["X"]}).status_code == 200
        assert len(org.events()) == before  # unchanged lists write nothing


def _access(org: Org, customer_id: str, ref: str) -> dict[str, Any]:
    response = org.get(f"/customers/{customer_id}/product-access/{ref}", "cashier")
    assert response.status_code == 200, response.text
    return dict(response.json())


def test_product_access_names_the_deciding_rule(api: Api) -> None:
    org = api.create_org()
    group = _group(org)
    customer = org.create_customer(group_id=group["id"])
    lone = org.create_customer()
    org.request(
        "PUT", f"/customer-groups/{group['id']}/product-restrictions", json={"allow": ["A", "B"], "deny": ["C"]}
    )
    org.request("PUT", f"/customers/{customer['id']}/product-restrictions", json={"deny": ["A"]})

    def decided(ref: str, who: str = customer["id"]) -> tuple[bool, str, str, str | None]:
        access = _access(org, who, ref)
        rule = access["decided_by"]
        return access["allowed"], rule["level"], rule["rule"], rule["group_id"]

    assert decided("A") == (False, "customer", "deny", None)
    assert decided("B") == (True, "group", "allow", group["id"])
    assert decided("C") == (False, "group", "deny", group["id"])
    assert decided("D") == (False, "group", "allow_list", group["id"])
    assert decided("D", lone["id"]) == (True, "default", "default", None)
    org.request("PUT", f"/customers/{customer['id']}/product-restrictions", json={"allow": ["C"]})
    assert decided("C") == (True, "customer", "allow", None)
    assert decided("B") == (False, "customer", "allow_list", None)
    assert _access(org, customer["id"], "%20C%20")["product_ref"] == "C"


def _reference(ref: str, own: dict[str, set[str]], group: dict[str, set[str]] | None) -> tuple[bool, str, str]:
    """The documented precedence, written as a table of (level, condition, outcome) read top down."""
    table: list[tuple[str, str, bool, dict[str, set[str]] | None]] = [
        ("customer", "deny", False, own),
        ("customer", "allow", True, own),
        ("customer", "allow_list", False, own),
        ("group", "deny", False, group),
        ("group", "allow", True, group),
        ("group", "allow_list", False, group),
    ]
    for level, rule, outcome, lists in table:
        if lists is None:
            continue
        holds = {
            "deny": ref in lists["deny"],
            "allow": ref in lists["allow"],
            "allow_list": bool(lists["allow"]) and ref not in lists["allow"],
        }[rule]
        if holds:
            return outcome, level, rule
    return True, "default", "default"


REFS = ["P1", "P2", "P3", "P4"]
_lists = st.fixed_dictionaries({"allow": st.sets(st.sampled_from(REFS)), "deny": st.sets(st.sampled_from(REFS))})
_property_orgs: dict[int, Org] = {}


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(own=_lists, group=st.one_of(st.none(), _lists))
def test_product_access_agrees_with_the_reference(
    api: Api, own: dict[str, set[str]], group: dict[str, set[str]] | None
) -> None:
    if id(api.client) not in _property_orgs:
        _property_orgs[id(api.client)] = api.create_org()
    org = _property_orgs[id(api.client)]
    group_id = None
    if group is not None:
        group_id = _group(org)["id"]
        body = {k: sorted(v) for k, v in group.items()}
        assert org.request("PUT", f"/customer-groups/{group_id}/product-restrictions", json=body).status_code == 200
    customer = org.create_customer(group_id=group_id)
    body = {k: sorted(v) for k, v in own.items()}
    assert org.request("PUT", f"/customers/{customer['id']}/product-restrictions", json=body).status_code == 200
    for ref in REFS:
        access = _access(org, customer["id"], ref)
        got = (access["allowed"], access["decided_by"]["level"], access["decided_by"]["rule"])
        assert got == _reference(ref, own, group), (ref, own, group)


GROUP_INVALID = [
    ("POST", "/customer-groups", {"name": ""}, "name"),
    ("POST", "/customer-groups", {"name": "   "}, "name"),
    ("POST", "/customer-groups", {"name": "x" * 101}, "name"),
    ("POST", "/customer-groups", {}, "name"),
    ("POST", "/customer-groups", {"name": "G", "is_merchant": "yes"}, "is_merchant"),
    ("POST", "/customer-groups", {"name": "G", "id": "x"}, "id"),
    ("PATCH", "/customer-groups/{group}", {"name": " "}, "name"),
    ("PATCH", "/customer-groups/{group}", {"colour": "red"}, "colour"),
    ("PUT", "/customer-groups/{group}/product-restrictions", {"allow": ["ok", " "]}, "allow[1]"),
    ("PUT", "/customer-groups/{group}/product-restrictions", {"deny": ["a\tb"]}, "deny[0]"),
    ("PUT", "/customer-groups/{group}/product-restrictions", {"deny": "SKU"}, "deny"),
    ("PUT", "/customers/{customer}/product-restrictions", {"allow": ["x" * 101]}, "allow[0]"),
    ("PUT", "/customers/{customer}/product-restrictions", {"block": []}, "block"),
    ("GET", "/customers/{customer}/product-access/%20", None, "product_ref"),
    ("PATCH", "/customers/{customer}", {"group_id": "nope"}, "group_id"),
]


@pytest.mark.parametrize(
    ("method", "path", "body", "field"), GROUP_INVALID, ids=[f"{m} {p} {f}" for m, p, _, f in GROUP_INVALID]
)
def test_invalid_group_input_is_422_naming_the_field_and_writes_nothing(
    api: Api, method: str, path: str, body: Any, field: str
) -> None:
    org = api.create_org()
    group = _group(org)
    customer = org.create_customer()
    events_before = len(org.events())
    response = org.request(method, path.format(group=group["id"], customer=customer["id"]), json=body)
    assert response.status_code == 422, response.text
    assert field in [e["field"] for e in response.json()["errors"]], response.text
    assert len(org.events()) == events_before


def test_groups_and_restrictions_of_another_organization_answer_404(api: Api) -> None:
    mine = api.create_org()
    theirs = api.create_org()
    group = _group(theirs)
    customer = theirs.create_customer(group_id=group["id"])
    theirs.request("PUT", f"/customer-groups/{group['id']}/product-restrictions", json={"deny": ["SECRET"]})
    events_before = len(theirs.events())
    group_path = f"/customer-groups/{group['id']}"
    customer_path = f"/customers/{customer['id']}"
    group_calls = [
        mine.get(group_path),
        mine.patch(group_path, json={"name": "Hijacked"}),
        mine.delete(group_path),
        mine.get(f"{group_path}/product-restrictions"),
        mine.request("PUT", f"{group_path}/product-restrictions", json={"allow": ["X"]}),
        mine.get(f"/customer-groups/{unique('nope')}"),
    ]
    for response in group_calls:
        assert response.status_code == 404, response.text
        assert response.json()["code"] == "customer_group.not_found"
    customer_calls = [
        mine.get(f"{customer_path}/product-restrictions"),
        mine.request("PUT", f"{customer_path}/product-restrictions", json={"allow": ["X"]}),
        mine.get(f"{customer_path}/product-access/SECRET"),
    ]
    for response in customer_calls:
        assert response.status_code == 404, response.text
        assert response.json()["code"] == "customer.not_found"
    assert group["id"] not in [g["id"] for g in mine.get("/customer-groups").json()["items"]]
    assert len(theirs.events()) == events_before
    assert theirs.get(group_path).json() == group
    assert theirs.get(f"{group_path}/product-restrictions").json() == {"allow": [], "deny": ["SECRET"]}
