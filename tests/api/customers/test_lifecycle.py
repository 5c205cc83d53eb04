"""The CRM lifecycle of SPEC §4 through the HTTP API: transitions, tier, tags, assignment."""

from __future__ import annotations

import uuid
from typing import Any

import pytest

from tests.factories import Api, Org, unique


def _status_events(org: Org, customer_id: str) -> list[dict[str, Any]]:
    return [e for e in org.events(type="customer.status_changed") if e["subject_id"] == customer_id]


def test_the_crm_seed_flow(api: Api) -> None:
    """Create a lead, assign, qualify, convert, upgrade the tier, tag, read the final state (seed 003)."""
    org = api.create_org(region="UA")
    rep = api.create_staff(org, "sales")["staff"]
    created = org.post(
        "/customers",
        "sales",
        json={
            "first_name": "John",
            "last_name": "Doe",
            "email": "john@example.com",
            "phone": "+380 44 123 4567",
            "source": "website",
            "tier": "free",
        },
    )
    assert created.status_code == 201, created.text
    customer_id = created.json()["id"]
    path = f"/customers/{customer_id}"

    assigned = org.request("PUT", f"{path}/assign", "sales", json={"assigned_to": rep["id"]})
    assert assigned.status_code == 200, assigned.text
    assert assigned.json()["assigned_to"] == rep["id"]

    qualified = org.post(f"{path}/qualify", "sales")
    assert qualified.status_code == 200, qualified.text
    assert qualified.json()["status"] == "prospect"

    converted = org.post(f"{path}/convert", "sales")
    assert converted.status_code == 200, converted.text
    assert converted.json()["status"] == "customer"
    assert converted.headers["etag"] == f'"{converted.json()["version"]}"'

    tiered = org.request("PUT", f"{path}/tier", "sales", json={"tier": "pro"})
    assert tiered.status_code == 200, tiered.text

    tagged = org.request("PUT", f"{path}/tags", "sales", json={"tags": ["VIP", "high-value", "vip"]})
    assert tagged.status_code == 200, tagged.text

    final = org.get(path, "sales").json()
    assert final["status"] == "customer"
    assert final["tier"] == "pro"
    assert final["tags"] == ["vip", "high-value"]
    assert final["assigned_to"] == rep["id"]
    assert final["source"] == "website"
    assert final["churned_at"] is None
    assert final["version"] == 6  # created, assigned, qualified, converted, tiered, tagged

    status_changes = _status_events(org, customer_id)
    assert [(e["data"]["from"], e["data"]["to"]) for e in status_changes] == [
        ("lead", "prospect"),
        ("prospect", "customer"),
    ]
    assert {e["actor"]["type"] for e in status_changes} == {"staff"}
    updates = [e for e in org.events(type="customer.updated") if e["subject_id"] == customer_id]
    assert [e["data"]["changes"] for e in updates] == [
        {"assigned_to": {"old": None, "new": rep["id"]}},
        {"tier": {"old": "free", "new": "pro"}},
        {"tags": {"old": [], "new": ["vip", "high-value"]}},
    ]
    assert all(e["data"]["sections"] == ["crm"] for e in updates)


INVALID = [
    ("lead", "convert", [{"action": "qualify", "to": "prospect"}]),
    ("lead", "churn", [{"action": "qualify", "to": "prospect"}]),
    ("lead", "reactivate", [{"action": "qualify", "to": "prospect"}]),
    ("prospect", "qualify", [{"action": "convert", "to": "customer"}]),
    ("prospect", "churn", [{"action": "convert", "to": "customer"}]),
    ("customer", "convert", [{"action": "churn", "to": "churned"}]),
    ("customer", "reactivate", [{"action": "churn", "to": "churned"}]),
    ("churned", "convert", [{"action": "reactivate", "to": "prospect"}]),
    ("churned", "churn", [{"action": "reactivate", "to": "prospect"}]),
]
_PATH_TO = {"lead": [], "prospect": ["qualify"], "customer": ["qualify", "convert"]}
_PATH_TO["churned"] = [*_PATH_TO["customer"], "churn"]


@pytest.mark.parametrize(("status", "action", "allowed"), INVALID, ids=[f"{s}-{a}" for s, a, _ in INVALID])
def test_invalid_transitions_answer_409_with_the_allowed_ones_and_change_nothing(
    api: Api, status: str, action: str, allowed: list[dict[str, str]]
) -> None:
    org = api.create_org()
    org.headers("sales")  # the sales key exists before events are counted
    customer = org.create_customer()
    path = f"/customers/{customer['id']}"
    for step in _PATH_TO[status]:
        assert org.post(f"{path}/{step}", "sales").status_code == 200
    before = org.get(path).json()
    events_before = len(org.events())

    response = org.post(f"{path}/{action}", "sales")

    assert response.status_code == 409, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    problem = response.json()
    assert problem["code"] == "customer.invalid_transition"
    assert problem["allowed"] == allowed
    assert problem["status_now"] == status
    assert org.get(path).json() == before
    assert len(org.events()) == events_before


def test_churn_sets_churned_at_and_reactivate_clears_it(api: Api) -> None:
    org = api.create_org()
    path = f"/customers/{org.create_customer()['id']}"
    for step in ("qualify", "convert"):
        org.post(f"{path}/{step}")
    churned = org.post(f"{path}/churn").json()
    assert churned["status"] == "churned"
    assert churned["churned_at"] is not None
    reactivated = org.post(f"{path}/reactivate").json()
    assert reactivated["status"] == "prospect"
    assert reactivated["churned_at"] is None
    assert reactivated["version"] == churned["version"] + 1


def test_a_deleted_customer_has_no_lifecycle_until_restored(api: Api) -> None:
    org = api.create_org()
    path = f"/customers/{org.create_customer()['id']}"
    org.delete(path)
    for method, suffix, body in [
        ("POST", "qualify", None),
        ("PUT", "tier", {"tier": "pro"}),
        ("PUT", "tags", {"tags": ["a"]}),
        ("POST", "tags/a", None),
        ("DELETE", "tags/a", None),
        ("PUT", "assign", {"assigned_to": None}),
    ]:
        response = org.request(method, f"{path}/{suffix}", json=body)
        assert response.status_code == 409, (suffix, response.text)
        assert response.json()["code"] == "customer.deleted"


def test_single_tags_are_added_and_removed(api: Api) -> None:
    org = api.create_org()
    customer = org.create_customer(tags=["one"])
    path = f"/customers/{customer['id']}/tags"
    added = org.post(f"{path}/Two", "sales")
    assert added.status_code == 200, added.text
    assert added.json()["tags"] == ["one", "two"]
    again = org.post(f"{path}/TWO", "sales")
    assert again.json()["tags"] == ["one", "two"]
    assert again.json()["version"] == added.json()["version"]  # nothing changed
    removed = org.delete(f"{path}/one", "sales")
    assert removed.status_code == 200, removed.text
    assert removed.json()["tags"] == ["two"]
    assert org.delete(f"{path}/absent", "sales").json()["tags"] == ["two"]
    assert org.request("PUT", path, "sales", json={"tags": []}).json()["tags"] == []
    updates = [e for e in org.events(type="customer.updated") if e["subject_id"] == customer["id"]]
    assert [e["data"]["changes"]["tags"]["new"] for e in updates] == [["one", "two"], ["two"], []]


def test_assignment_takes_staff_of_the_organization_and_null_unassigns(api: Api) -> None:
    org = api.create_org()
    other = api.create_org()
    stranger = api.create_staff(other, "sales")["staff"]
    customer = org.create_customer()
    path = f"/customers/{customer['id']}/assign"
    for value in (stranger["id"], str(uuid.uuid4())):
        refused = org.request("PUT", path, "sales", json={"assigned_to": value})
        assert refused.status_code == 422, refused.text
        assert [e["field"] for e in refused.json()["errors"]] == ["assigned_to"]
    assert org.request("PUT", path, json={"assigned_to": org.owner_id}).json()["assigned_to"] == org.owner_id
    assert org.request("PUT", path, json={"assigned_to": None}).json()["assigned_to"] is None


LIFECYCLE_INVALID = [
    ("PUT", "tier", {"tier": "platinum"}, "tier"),
    ("PUT", "tier", {}, "tier"),
    ("PUT", "tier", {"tier": "pro", "status": "customer"}, "status"),
    ("PUT", "tags", {"tags": ["ok", " "]}, "tags"),
    ("PUT", "tags", {"tags": "vip"}, "tags"),
    ("PUT", "tags", {"tags": ["x" * 51]}, "tags[0]"),
    ("PUT", "assign", {"assigned_to": "not-a-uuid"}, "assigned_to"),
    ("PUT", "assign", {}, "assigned_to"),
    ("POST", "tags/%20", None, "tag"),
    ("POST", f"tags/{'x' * 51}", None, "tag"),
]


@pytest.mark.parametrize(
    ("method", "suffix", "body", "field"), LIFECYCLE_INVALID, ids=[f"{m} {s} {f}" for m, s, _, f in LIFECYCLE_INVALID]
)
def test_invalid_lifecycle_input_is_422_naming_the_field(
    api: Api, method: str, suffix: str, body: Any, field: str
) -> None:
    org = api.create_org()
    customer = org.create_customer(tags=["kept"])
    before = org.get(f"/customers/{customer['id']}").json()
    response = org.request(method, f"/customers/{customer['id']}/{suffix}", json=body)
    assert response.status_code == 422, response.text
    assert field in [e["field"] for e in response.json()["errors"]], response.text
    assert org.get(f"/customers/{customer['id']}").json() == before


def test_lifecycle_of_another_organizations_customer_is_404(api: Api) -> None:
    mine = api.create_org()
    theirs = api.create_org()
    customer = theirs.create_customer()
    path = f"/customers/{customer['id']}"
    before = theirs.get(path).json()
    calls = [
        *(mine.post(f"{path}/{action}") for action in ("qualify", "convert", "churn", "reactivate")),
        mine.request("PUT", f"{path}/tier", json={"tier": "pro"}),
        mine.request("PUT", f"{path}/tags", json={"tags": ["x"]}),
        mine.post(f"{path}/tags/x"),
        mine.delete(f"{path}/tags/x"),
        mine.request("PUT", f"{path}/assign", json={"assigned_to": None}),
        mine.post(f"/customers/{unique('nope')}/qualify"),
    ]
    for response in calls:
        assert response.status_code == 404, response.text
        assert response.json()["code"] == "customer.not_found"
    assert theirs.get(path).json() == before
