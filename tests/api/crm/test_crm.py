"""Interactions, memos and the customer timeline (SPEC §4) through the HTTP API."""

from __future__ import annotations

import uuid
from typing import Any

import pytest

from tests.api.paging import page_through
from tests.factories import Api, Org, unique


def _interaction(org: Org, owner_path: str, role: str = "sales", **fields: Any) -> dict[str, Any]:
    body = {"kind": "call", "summary": "Talked about the renewal", **fields}
    response = org.post(f"{owner_path}/interactions", role, json=body)
    assert response.status_code == 201, response.text
    return dict(response.json())


def test_interactions_on_customers_and_companies(api: Api) -> None:
    org = api.create_org()
    customer = org.create_customer()
    company = org.post("/companies", json={"name": unique("Acme")}).json()
    call = _interaction(org, f"/customers/{customer['id']}", outcome=" quote requested ")
    assert call["customer_id"] == customer["id"]
    assert call["company_id"] is None
    assert call["outcome"] == "quote requested"
    [sales] = [s["id"] for s in org.get("/staff").json()["items"] if s["role"] == "sales"]
    assert call["staff_id"] == sales  # who: the caller unless told otherwise
    meeting = _interaction(
        org,
        f"/companies/{company['id']}",
        kind="meeting",
        summary="On site",
        occurred_at="2026-01-05T09:30:00+07:00",
        staff_id=org.owner_id,
    )
    assert meeting["occurred_at"] == "2026-01-05T02:30:00Z"
    assert meeting["staff_id"] == org.owner_id

    listed = org.get(f"/customers/{customer['id']}/interactions", "marketing").json()["items"]
    assert [i["id"] for i in listed] == [call["id"]]
    assert [i["id"] for i in org.get(f"/companies/{company['id']}/interactions").json()["items"]] == [meeting["id"]]
    path = f"/interactions/{call['id']}"
    assert org.get(path, "marketing").json() == call
    changed = org.patch(path, "sales", json={"kind": "email", "outcome": None})
    assert changed.status_code == 200, changed.text
    assert (changed.json()["kind"], changed.json()["outcome"]) == ("email", None)
    assert org.delete(path, "sales").status_code == 204
    assert org.get(path).status_code == 404
    types = [e["type"] for e in org.events() if e["subject_id"] == call["id"]]
    assert types == ["interaction.logged", "interaction.updated", "interaction.deleted"]


def test_memos_are_staff_notes_on_a_customer(api: Api) -> None:
    org = api.create_org()
    customer = org.create_customer()
    path = f"/customers/{customer['id']}/memos"
    created = org.post(path, "sales", json={"body": "  Prefers calls after 5 pm "})
    assert created.status_code == 201, created.text
    memo = created.json()
    assert memo["body"] == "Prefers calls after 5 pm"
    assert created.headers["location"] == f"/api/v1{path}/{memo['id']}"
    second = org.post(path, json={"body": "VIP at the spring event"}).json()
    assert [m["id"] for m in org.get(path, "marketing").json()["items"]] == [second["id"], memo["id"]]
    rewritten = org.patch(f"{path}/{memo['id']}", "sales", json={"body": "Calls after 6 pm"})
    assert rewritten.json()["body"] == "Calls after 6 pm"
    assert org.delete(f"{path}/{memo['id']}", "sales").status_code == 204
    assert [m["id"] for m in org.get(path).json()["items"]] == [second["id"]]
    other = org.create_customer()
    wrong_customer = org.patch(f"/customers/{other['id']}/memos/{second['id']}", json={"body": "x"})
    assert wrong_customer.status_code == 404
    assert wrong_customer.json()["code"] == "memo.not_found"


def test_the_timeline_merges_interactions_memos_and_events_newest_first(api: Api) -> None:
    org = api.create_org()
    customer = org.create_customer()
    cpath = f"/customers/{customer['id']}"
    old_call = _interaction(org, cpath, occurred_at="2020-01-01T00:00:00Z", summary="Long ago")
    org.post(f"{cpath}/qualify", "sales")
    memo = org.post(f"{cpath}/memos", json={"body": "Note"}).json()
    recent = _interaction(org, cpath, kind="note", summary="Just now")
    org.request("PUT", f"{cpath}/tier", json={"tier": "pro"})
    other = org.create_customer()  # another customer's history stays out
    _interaction(org, f"/customers/{other['id']}")

    full = org.get(f"{cpath}/timeline", "marketing", params={"limit": 50}).json()
    kinds = [(e["kind"], (e["event"] or {}).get("type")) for e in full["items"]]
    assert kinds == [
        ("event", "customer.updated"),
        ("interaction", None),
        ("memo", None),
        ("event", "customer.status_changed"),
        ("event", "customer.created"),
        ("interaction", None),
    ]
    assert full["items"][1]["interaction"]["id"] == recent["id"]
    assert full["items"][2]["memo"]["id"] == memo["id"]
    assert full["items"][-1]["id"] == old_call["id"]
    times = [e["at"] for e in full["items"]]
    assert times == sorted(times, reverse=True)
    assert full["next_cursor"] is None
    assert full["total"] == len(full["items"])

    by_offset: list[dict[str, Any]] = []
    for offset in range(0, len(full["items"]), 4):
        by_offset.extend(org.get(f"{cpath}/timeline", params={"limit": 4, "offset": offset}).json()["items"])
    assert by_offset == full["items"]
    for limit in (1, 2, 3, 4):
        assert page_through(org, f"{cpath}/timeline", limit=limit) == full["items"]


INVALID = [
    ("POST", "/customers/{customer}/interactions", {"kind": "fax", "summary": "x"}, "kind"),
    ("POST", "/customers/{customer}/interactions", {"kind": "call", "summary": ""}, "summary"),
    ("POST", "/customers/{customer}/interactions", {"kind": "call", "summary": "   "}, "summary"),
    ("POST", "/customers/{customer}/interactions", {"kind": "call"}, "summary"),
    (
        "POST",
        "/customers/{customer}/interactions",
        {"kind": "call", "summary": "x", "occurred_at": "noon"},
        "occurred_at",
    ),
    (
        "POST",
        "/customers/{customer}/interactions",
        {"kind": "call", "summary": "x", "occurred_at": "2026-01-01T10:00:00"},
        "occurred_at",
    ),
    (
        "POST",
        "/customers/{customer}/interactions",
        {"kind": "call", "summary": "x", "staff_id": "{random}"},
        "staff_id",
    ),
    ("POST", "/customers/{customer}/interactions", {"kind": "call", "summary": "x", "outcome": "o" * 201}, "outcome"),
    (
        "POST",
        "/companies/{company}/interactions",
        {"kind": "call", "summary": "x", "customer_id": "{customer}"},
        "customer_id",
    ),
    ("PATCH", "/interactions/{interaction}", {"summary": " "}, "summary"),
    ("PATCH", "/interactions/{interaction}", {"staff_id": None}, "staff_id"),
    ("POST", "/customers/{customer}/memos", {"body": ""}, "body"),
    ("POST", "/customers/{customer}/memos", {"body": " \n "}, "body"),
    ("POST", "/customers/{customer}/memos", {"text": "x"}, "text"),
    ("PATCH", "/customers/{customer}/memos/{memo}", {"body": " "}, "body"),
    ("GET", "/customers/{customer}/timeline?limit=0", None, "limit"),
]


@pytest.mark.parametrize(("method", "path", "body", "field"), INVALID, ids=[f"{m} {p} {f}" for m, p, _, f in INVALID])
def test_invalid_crm_input_is_422_naming_the_field_and_writes_nothing(
    api: Api, method: str, path: str, body: dict[str, Any] | None, field: str
) -> None:
    org = api.create_org()
    customer = org.create_customer()
    company = org.post("/companies", json={"name": unique("Acme")}).json()
    interaction = _interaction(org, f"/customers/{customer['id']}", role="owner")
    memo = org.post(f"/customers/{customer['id']}/memos", json={"body": "kept"}).json()
    fill = {
        "customer": customer["id"],
        "company": company["id"],
        "interaction": interaction["id"],
        "memo": memo["id"],
        "random": str(uuid.uuid4()),
    }
    if body is not None:
        body = {k: v.format(**fill) if isinstance(v, str) else v for k, v in body.items()}
    events_before = len(org.events())
    response = org.request(method, path.format(**fill), json=body)
    assert response.status_code == 422, response.text
    assert field in [e["field"] for e in response.json()["errors"]], response.text
    assert len(org.events()) == events_before


def test_interactions_memos_and_timelines_of_another_organization_answer_404(api: Api) -> None:
    mine = api.create_org()
    theirs = api.create_org()
    customer = theirs.create_customer()
    company = theirs.post("/companies", json={"name": "Theirs"}).json()
    interaction = _interaction(theirs, f"/customers/{customer['id']}", role="owner")
    memo = theirs.post(f"/customers/{customer['id']}/memos", json={"body": "secret"}).json()
    events_before = len(theirs.events())
    cpath = f"/customers/{customer['id']}"
    expectations = [
        (mine.get(f"{cpath}/interactions"), "customer.not_found"),
        (mine.post(f"{cpath}/interactions", json={"kind": "call", "summary": "x"}), "customer.not_found"),
        (mine.get(f"/companies/{company['id']}/interactions"), "company.not_found"),
        (
            mine.post(f"/companies/{company['id']}/interactions", json={"kind": "call", "summary": "x"}),
            "company.not_found",
        ),
        (mine.get(f"/interactions/{interaction['id']}"), "interaction.not_found"),
        (mine.patch(f"/interactions/{interaction['id']}", json={"summary": "x"}), "interaction.not_found"),
        (mine.delete(f"/interactions/{interaction['id']}"), "interaction.not_found"),
        (mine.get(f"{cpath}/memos"), "customer.not_found"),
        (mine.post(f"{cpath}/memos", json={"body": "x"}), "customer.not_found"),
        (mine.patch(f"{cpath}/memos/{memo['id']}", json={"body": "x"}), "memo.not_found"),
        (mine.delete(f"{cpath}/memos/{memo['id']}"), "memo.not_found"),
        (mine.get(f"{cpath}/timeline"), "customer.not_found"),
    ]
    for response, code in expectations:
        assert response.status_code == 404, response.text
        assert response.json()["code"] == code
    mine_customer = mine.create_customer()
    foreign_memo = mine.delete(f"/customers/{mine_customer['id']}/memos/{memo['id']}")
    assert foreign_memo.status_code == 404
    assert len(theirs.events()) == events_before
    assert theirs.get(f"/interactions/{interaction['id']}").json() == interaction


@pytest.mark.parametrize("record", ["memo", "interaction", "deal"])
def test_a_guest_with_crm_records_is_not_outdated(api: Api, record: str) -> None:
    from tests.api.customers.test_customers import _age_customer

    org = api.create_org()
    kept = org.create_customer(is_guest=True)
    gone = org.create_customer(is_guest=True)
    path = f"/customers/{kept['id']}"
    if record == "memo":
        assert org.post(f"{path}/memos", json={"body": "Regular at the shop"}).status_code == 201
    elif record == "interaction":
        _interaction(org, path, role="owner")
    else:
        deal = {"title": "T", "value": 1, "currency": "EUR", "customer_id": kept["id"]}
        assert org.post("/deals", json=deal).status_code == 201
    for customer in (kept, gone):
        _age_customer(api, org, customer["id"], days=400)
    purged = org.delete("/customers/guests/outdated", params={"older_than_days": 30})
    assert purged.status_code == 200, purged.text
    assert purged.json()["purged"] == 1
    assert org.get(path).status_code == 200
    assert org.get(f"/customers/{gone['id']}").status_code == 404
