"""Saved segments through the HTTP API: create, read with a live count, change, delete; their
customers as a page of the customer list (with its filters, search, sort and cursors), the same
through `GET /customers?segment_id=` and the exports; events, tenancy and the 422s and 409s."""

from __future__ import annotations

from typing import Any

import pytest

from tests.api.exports.test_exports import export_csv
from tests.api.paging import page_through
from tests.factories import Api, Org, unique

VIP = "tags has 'vip' or credit >= 1000"


def _create(org: Org, role: str = "owner", **body: Any) -> dict[str, Any]:
    response = org.post("/segments", role, json={"name": unique("seg"), "query": VIP, **body})
    assert response.status_code == 201, response.text
    assert response.headers["location"] == f"/api/v1/segments/{response.json()['id']}"
    return dict(response.json())


def _problem(response: Any, status: int, code: str) -> dict[str, Any]:
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    body = dict(response.json())
    assert body["code"] == code
    return body


@pytest.fixture
def org(api: Api) -> Org:
    """Seven live VIPs (five tagged, two by credit; two of the five Nguyens) and four others."""
    org = api.create_org()
    for k in range(5):
        last = "Nguyen" if k < 2 else "Tran"
        org.create_customer(first_name=f"Tag{k}", last_name=last, tags=["vip"], tier="pro" if k % 2 else "free")
    for k in range(2):
        org.create_customer(first_name=f"Rich{k}", last_name="Le", credit=5000 + k, tier="pro")
    for k in range(4):
        org.create_customer(first_name=f"Other{k}", last_name="Nguyen", credit=10)
    gone = org.create_customer(first_name="Gone", tags=["vip"])
    assert org.delete(f"/customers/{gone['id']}").status_code == 204
    return org


def test_a_saved_segment_reads_with_its_live_count(org: Org) -> None:
    created = _create(org, name="  VIP   customers ", description="  our best  ")
    assert created["name"] == "VIP customers"
    assert created["description"] == "our best"
    assert created["count"] == 7
    assert created["error"] is None

    org.create_customer(first_name="NewVip", tags=["VIP"])
    again = org.get(f"/segments/{created['id']}").json()
    assert again["count"] == 8
    assert again["created_at"] == created["created_at"]

    listed = org.get("/segments").json()
    assert [item["name"] for item in listed["items"]] == ["VIP customers"]
    assert listed["items"][0]["count"] == 8


def test_segments_list_by_name_with_cursor_paging(org: Org) -> None:
    names = [f"Segment {letter}" for letter in "DBEAC"]
    for name in names:
        _create(org, name=name)
    walked = page_through(org, "/segments", limit=2)
    assert [item["name"] for item in walked] == sorted(names)


def test_each_listed_segment_has_its_own_count(org: Org) -> None:
    expected = {"A vip": 7, "B pro": 4, "C nguyen": 6, "D none": 0, "E tagged pro": 2}
    queries = {
        "A vip": VIP,
        "B pro": "tier = 'pro'",
        "C nguyen": "last_name = 'Nguyen'",
        "D none": "credit > 10000000",
        "E tagged pro": "tags has 'vip' and tier = 'pro'",
    }
    for name, query in queries.items():
        _create(org, name=name, query=query)
    listed = org.get("/segments").json()["items"]
    assert {item["name"]: item["count"] for item in listed} == expected
    paged = page_through(org, "/segments", limit=2)
    assert {item["name"]: item["count"] for item in paged} == expected


def test_patch_changes_the_fields_given_and_delete_removes(org: Org) -> None:
    created = _create(org, description="first")
    path = f"/segments/{created['id']}"
    changed = org.patch(path, json={"query": "tier = 'pro'", "description": None})
    assert changed.status_code == 200, changed.text
    body = changed.json()
    assert (body["query"], body["description"], body["count"], body["name"]) == (
        "tier = 'pro'",
        None,
        4,
        created["name"],
    )
    assert body["updated_at"] >= created["updated_at"]

    assert org.delete(path).status_code == 204
    _problem(org.get(path), 404, "segment.not_found")
    _problem(org.patch(path, json={"name": "x"}), 404, "segment.not_found")
    _problem(org.delete(path), 404, "segment.not_found")
    _problem(org.get("/segments/not-a-uuid"), 404, "segment.not_found")


def test_an_invalid_query_is_422_with_its_position_and_nothing_is_saved(org: Org) -> None:
    response = org.post("/segments", json={"name": "Bad", "query": "credit > 'abc'"})
    body = _problem(response, 422, "segment.invalid_query")
    [error] = body["errors"]
    assert error["field"] == "query"
    assert error["position"] == 9
    assert org.get("/segments").json()["total"] == 0

    created = _create(org)
    response = org.patch(f"/segments/{created['id']}", json={"query": "tier = 'pro' and"})
    [error] = _problem(response, 422, "segment.invalid_query")["errors"]
    assert error["position"] == len("tier = 'pro' and")
    assert org.get(f"/segments/{created['id']}").json()["query"] == VIP


@pytest.mark.parametrize(
    ("body", "field"),
    [({"name": "   ", "query": VIP}, "name"), ({"name": "x" * 201, "query": VIP}, "name"), ({"query": VIP}, "name")],
)
def test_a_bad_name_is_422_naming_it(org: Org, body: dict[str, Any], field: str) -> None:
    response = org.post("/segments", json=body)
    assert response.status_code == 422, response.text
    assert field in [error["field"] for error in response.json()["errors"]]


def test_a_name_is_unique_in_the_organization(api: Api, org: Org) -> None:
    first = _create(org, name="Winners")
    _problem(org.post("/segments", json={"name": " Winners ", "query": VIP}), 409, "segment.name_taken")
    second = _create(org, name="Losers")
    _problem(org.patch(f"/segments/{second['id']}", json={"name": "Winners"}), 409, "segment.name_taken")
    # Renaming a segment to its own name is no conflict; another organization may use the name.
    assert org.patch(f"/segments/{first['id']}", json={"name": "Winners"}).status_code == 200
    _create(api.create_org(), name="Winners")


def test_a_saved_query_that_no_longer_runs_reads_with_its_fault(api: Api) -> None:
    org = api.create_org()
    assert org.patch("/organization", json={"custom_fields": {"kids": {"type": "integer"}}}).status_code == 200
    org.create_customer(custom_fields={"kids": 3})
    created = _create(org, query="custom.kids > 1")
    assert created["count"] == 1
    assert org.patch("/organization", json={"custom_fields": {}}).status_code == 200

    read = org.get(f"/segments/{created['id']}").json()
    assert read["count"] is None
    assert read["error"]["position"] == 0
    assert "custom.kids" in read["error"]["message"]
    assert org.get("/segments").json()["items"][0]["count"] is None
    body = _problem(org.get(f"/segments/{created['id']}/customers"), 422, "segment.invalid_query")
    assert body["errors"][0]["field"] == "query"


def test_the_segments_customers_page_like_the_customer_list(org: Org) -> None:
    segment = _create(org)
    path = f"/segments/{segment['id']}/customers"
    walked = page_through(org, path, limit=3, sort="first_name")
    assert [c["first_name"] for c in walked] == ["Rich0", "Rich1", "Tag0", "Tag1", "Tag2", "Tag3", "Tag4"]
    first_page = org.get(path, params={"limit": 3}).json()
    assert first_page["total"] == 7

    # Combined with a filter and a search, as GET /customers combines them.
    pros = org.get(path, params={"filter[tier]": "pro", "sort": "first_name"}).json()
    assert [c["first_name"] for c in pros["items"]] == ["Rich0", "Rich1", "Tag1", "Tag3"]
    nguyens = org.get(path, params={"q": "nguyen", "sort": "first_name"}).json()
    assert ([c["first_name"] for c in nguyens["items"]], nguyens["total"]) == (["Tag0", "Tag1"], 2)
    both = org.get(path, params={"q": "nguyen", "filter[tier]": "pro"}).json()
    assert [c["first_name"] for c in both["items"]] == ["Tag1"]
    searched_pages = page_through(org, path, limit=1, q="nguyen", sort="-first_name")
    assert [c["first_name"] for c in searched_pages] == ["Tag1", "Tag0"]


def test_customers_list_takes_segment_id(org: Org) -> None:
    segment = _create(org)
    via_segment = page_through(org, f"/segments/{segment['id']}/customers", limit=2)
    via_list = page_through(org, "/customers", limit=2, segment_id=segment["id"])
    assert [c["id"] for c in via_list] == [c["id"] for c in via_segment]
    assert len(via_list) == 7
    pros = org.get("/customers", params={"segment_id": segment["id"], "filter[tier]": "pro", "q": "tran"}).json()
    assert [c["first_name"] for c in pros["items"]] == ["Tag3"]


def test_a_cursor_belongs_to_its_list(org: Org) -> None:
    segment = _create(org)
    unrestricted = org.get("/customers", params={"limit": 2}).json()["next_cursor"]
    restricted = org.get("/customers", params={"limit": 2, "segment_id": segment["id"]}).json()["next_cursor"]
    for params in (
        {"segment_id": segment["id"], "cursor": unrestricted},
        {"cursor": restricted},
        {"segment_id": _create(org, query="tier = 'pro'")["id"], "cursor": restricted},
    ):
        response = org.get("/customers", params=params)
        assert response.status_code == 422, response.text
        assert response.json()["errors"][0]["field"] == "cursor"


@pytest.mark.parametrize("segment_id", ["00000000-0000-7000-8000-000000000000", "not-a-uuid"])
def test_an_unknown_segment_id_is_422_naming_it(org: Org, segment_id: str) -> None:
    for path in ("/customers", "/exports/customers.csv"):
        response = org.get(path, params={"segment_id": segment_id})
        assert response.status_code == 422, response.text
        assert [error["field"] for error in response.json()["errors"]] == ["segment_id"]
    _problem(org.get(f"/segments/{segment_id}/customers"), 404, "segment.not_found")


def test_a_segment_export_holds_the_segments_customers(org: Org) -> None:
    segment = _create(org)
    rows = export_csv(org, segment_id=segment["id"], columns="first_name", sort="first_name")
    assert len(rows) == org.get(f"/segments/{segment['id']}").json()["count"] == 7
    assert [row["first_name"] for row in rows][:2] == ["Rich0", "Rich1"]
    pros = export_csv(org, segment_id=segment["id"], columns="first_name", **{"filter[tier]": "pro"})
    assert len(pros) == 4


def test_segment_events_go_through_the_outbox(org: Org) -> None:
    created = _create(org, name="Evented")
    org.patch(f"/segments/{created['id']}", json={"name": "Renamed"})
    org.delete(f"/segments/{created['id']}")
    found = [e for e in org.events(subject_id=created["id"]) if e["type"].startswith("segment.")]
    assert [e["type"] for e in found] == ["segment.created", "segment.updated", "segment.deleted"]
    assert found[0]["data"]["name"] == "Evented"
    assert found[0]["data"]["query"] == VIP
    assert found[1]["data"]["changes"]["name"] == {"old": "Evented", "new": "Renamed"}
    assert found[2]["data"]["name"] == "Renamed"


def test_another_organizations_segment_is_404(api: Api, org: Org) -> None:
    theirs = _create(api.create_org())
    path = f"/segments/{theirs['id']}"
    _problem(org.get(path), 404, "segment.not_found")
    _problem(org.patch(path, json={"name": "mine"}), 404, "segment.not_found")
    _problem(org.delete(path), 404, "segment.not_found")
    _problem(org.get(path + "/customers"), 404, "segment.not_found")
    response = org.get("/customers", params={"segment_id": theirs["id"]})
    assert response.status_code == 422
    assert org.get("/segments").json()["total"] == 0


def test_roles_marketing_manages_sales_reads(org: Org) -> None:
    made = _create(org, role="marketing")
    assert org.patch(f"/segments/{made['id']}", "marketing", json={"description": "x"}).status_code == 200
    assert org.get(f"/segments/{made['id']}", "sales").json()["count"] == 7
    assert org.get(f"/segments/{made['id']}/customers", "sales").status_code == 200
    _problem(org.post("/segments", "sales", json={"name": "s", "query": VIP}), 403, "auth.forbidden")
    _problem(org.delete(f"/segments/{made['id']}", "sales"), 403, "auth.forbidden")
    _problem(org.get("/segments", "cashier"), 403, "auth.forbidden")


def test_a_segments_list_counts_its_total_up_to_100(api: Api) -> None:
    org = api.create_org()
    people = [{"email": f"{unique('v')}@example.com", "first_name": f"V{k}", "tags": ["vip"]} for k in range(105)]
    assert org.post("/customers/batch", json={"customers": people}).status_code == 201
    segment = _create(org, query="tags has 'vip'")
    assert segment["count"] == 105
    page = org.get(f"/segments/{segment['id']}/customers", params={"limit": 10}).json()
    assert (page["total"], page["total_is_capped"], len(page["items"])) == (100, True, 10)
    assert len(page_through(org, f"/segments/{segment['id']}/customers", limit=50)) == 105
