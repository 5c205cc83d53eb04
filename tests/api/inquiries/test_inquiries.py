"""Sales inquiries: the public form (rate limit, honeypot) and the staff lifecycle."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from patron.inquiries import rules
from tests.factories import Api, Org, unique, within_one_rate_window


def submit(org: Org, **fields: Any) -> httpx.Response:
    body = {"name": "Trần Minh", "email": f"{unique('q')}@example.com", "message": "Need 40 seats", **fields}
    return org.api.client.post(f"/api/v1/public/{org.slug}/inquiries", json=body)


def new_inquiry(org: Org, **fields: Any) -> dict[str, Any]:
    response = submit(org, **fields)
    assert response.status_code == 201, response.text
    return dict(org.get(f"/inquiries/{response.json()['id']}").json())


def test_the_public_form_answers_a_receipt_only(api: Api) -> None:
    org = api.create_org(region="VN")
    response = submit(org, email="Minh@Example.vn", phone="0912 345 678", company_name=" Minh Co ", message="Hello")
    assert response.status_code == 201, response.text
    receipt = response.json()
    assert set(receipt) == {"id", "status", "created_at"}
    assert receipt["status"] == "new"
    stored = org.get(f"/inquiries/{receipt['id']}").json()
    assert stored["email"] == "minh@example.vn"
    assert stored["phone"] == "+84912345678"
    assert stored["company_name"] == "Minh Co"
    assert stored["replies"] == []
    [event] = [e for e in org.events() if e["subject_id"] == receipt["id"]]
    assert event["type"] == "inquiry.created"
    assert event["actor"] == {"type": "public", "id": None}


def test_invalid_input_is_422_naming_the_field(api: Api) -> None:
    org = api.create_org()
    cases = [
        ({"email": "nope"}, "email"),
        ({"phone": "12"}, "phone"),
        ({"message": ""}, "message"),
        ({"message": "   "}, "message"),
        ({"status": "converted"}, "status"),
        ({"customer_id": "x"}, "customer_id"),
    ]
    for fields, field in cases:
        response = submit(org, **fields)
        assert response.status_code == 422, response.text
        assert field in [e["field"] for e in response.json()["errors"]], response.text
    missing = api.client.post(f"/api/v1/public/{org.slug}/inquiries", json={"name": "X", "email": "x@example.com"})
    assert [e["field"] for e in missing.json()["errors"]] == ["message"]
    assert submit(org).status_code == 201
    gone = api.client.post(
        "/api/v1/public/no-such-org/inquiries", json={"name": "X", "email": "x@example.com", "message": "m"}
    )
    assert gone.status_code == 404
    assert org.get("/inquiries").json()["total"] == 1


def test_a_filled_honeypot_looks_accepted_and_stores_nothing(api: Api) -> None:
    org = api.create_org()
    before = len(org.events())
    response = submit(org, website="http://spam.example")
    assert response.status_code == 201
    assert set(response.json()) == {"id", "status", "created_at"}
    assert org.get("/inquiries").json()["total"] == 0
    assert org.get(f"/inquiries/{response.json()['id']}").status_code == 404
    assert len(org.events()) == before


def test_the_21st_inquiry_from_one_address_is_refused(api: Api) -> None:
    org = api.create_org()
    other = api.create_org()
    within_one_rate_window()
    for i in range(20):
        assert submit(org, email=f"person{i}@example.com").status_code == 201, i
    refused = submit(org, email="person21@example.com")
    assert refused.status_code == 429
    assert refused.headers["content-type"].startswith("application/problem+json")
    assert refused.json()["code"] == "request.rate_limited"
    assert 1 <= int(refused.headers["retry-after"]) <= 3600
    assert org.get("/inquiries").json()["total"] == 20
    assert submit(org, email="person22@example.com").status_code == 429
    assert submit(other).status_code == 201  # counted per organization


def test_the_lifecycle_from_new_to_converted(api: Api) -> None:
    org = api.create_org()
    seller = api.create_staff(org, "sales")["staff"]
    inquiry = new_inquiry(org, name="Jane Doe", email="jane@example.com", company_name="Doe Ltd")
    path = f"/inquiries/{inquiry['id']}"
    assigned = org.post(f"{path}/assign", json={"staff_id": seller["id"]}, role="sales")
    assert assigned.status_code == 200, assigned.text
    assert (assigned.json()["status"], assigned.json()["assigned_to"]) == ("assigned", seller["id"])
    replied = org.post(f"{path}/replies", json={"message": "Happy to help"}, role="sales")
    assert replied.status_code == 200, replied.text
    assert replied.json()["status"] == "replied"
    assert [r["message"] for r in replied.json()["replies"]] == ["Happy to help"]
    converted = org.post(f"{path}/convert", json={}, role="sales")
    assert converted.status_code == 200, converted.text
    body = converted.json()
    assert body["status"] == "converted"
    assert body["closed_at"] is not None
    customer = org.get(f"/customers/{body['customer_id']}").json()
    assert (customer["email"], customer["status"], customer["first_name"], customer["last_name"]) == (
        "jane@example.com",
        "lead",
        "Jane",
        "Doe",
    )
    assert (customer["company_name"], customer["assigned_to"], customer["source"]) == (
        "Doe Ltd",
        seller["id"],
        "website",
    )
    changes = [(e["data"]["from"], e["data"]["to"]) for e in org.events(type="inquiry.status_changed")]
    assert changes == [("new", "assigned"), ("assigned", "replied"), ("replied", "converted")]
    assert org.get("/inquiries", params={"status": "converted"}).json()["total"] == 1
    assert org.get("/inquiries", params={"assigned_to": seller["id"]}).json()["total"] == 1
    assert org.get("/inquiries", params={"status": "new"}).json()["total"] == 0


def test_converting_links_the_customer_with_that_email(api: Api) -> None:
    org = api.create_org()
    existing = org.create_customer(email="known@example.com", first_name="Known")
    inquiry = new_inquiry(org, email="KNOWN@example.com")
    org.post(f"/inquiries/{inquiry['id']}/assign", json={"staff_id": org.owner_id})
    converted = org.post(f"/inquiries/{inquiry['id']}/convert", json={"customer_status": "prospect"}).json()
    assert converted["customer_id"] == existing["id"]
    assert org.get("/customers").json()["total"] == 1
    other = new_inquiry(org, email="fresh@example.com", name="Solo")
    org.post(f"/inquiries/{other['id']}/assign", json={"staff_id": org.owner_id})
    created = org.post(f"/inquiries/{other['id']}/convert", json={"customer_status": "prospect"}).json()
    customer = org.get(f"/customers/{created['customer_id']}").json()
    assert (customer["status"], customer["first_name"], customer["last_name"]) == ("prospect", "Solo", None)


ACTIONS: dict[str, Any] = {
    "assign": lambda org: {"staff_id": org.owner_id},
    "replies": lambda org: {"message": "hi"},
    "convert": lambda org: {},
    "lose": lambda org: {"reason": "no budget"},
}
ROUTE_ACTION = {"assign": "assign", "replies": "reply", "convert": "convert", "lose": "lose"}
PATHS_TO = {
    "new": [],
    "assigned": ["assign"],
    "replied": ["assign", "replies"],
    "converted": ["assign", "convert"],
    "lost": ["lose"],
}


@pytest.mark.parametrize("state", list(PATHS_TO))
def test_every_transition_from_each_state(api: Api, state: str) -> None:
    org = api.create_org()
    for route, action in ROUTE_ACTION.items():
        inquiry = new_inquiry(org)
        path = f"/inquiries/{inquiry['id']}"
        for step in PATHS_TO[state]:
            assert org.post(f"{path}/{step}", json=ACTIONS[step](org)).status_code == 200
        before = org.get(path).json()
        events_before = len(org.events())
        customers_before = org.get("/customers").json()["total"]
        response = org.post(f"{path}/{route}", json=ACTIONS[route](org))
        expected = rules.TRANSITIONS[action].get(state)  # type: ignore[index]
        if expected is None:
            assert response.status_code == 409, (state, route, response.text)
            problem = response.json()
            assert (problem["code"], problem["status"]) == ("inquiry.invalid_transition", 409)
            assert (problem["status_now"], problem["action"]) == (state, action)
            assert org.get(path).json() == before
            assert len(org.events()) == events_before
            assert org.get("/customers").json()["total"] == customers_before
        else:
            assert response.status_code == 200, (state, route, response.text)
            assert response.json()["status"] == expected


def test_losing_keeps_the_reason_and_assign_checks_the_staff_member(api: Api) -> None:
    org = api.create_org()
    theirs = api.create_org()
    inquiry = new_inquiry(org)
    path = f"/inquiries/{inquiry['id']}"
    wrong = org.post(f"{path}/assign", json={"staff_id": theirs.owner_id})
    assert wrong.status_code == 422
    assert [e["field"] for e in wrong.json()["errors"]] == ["staff_id"]
    assert org.post(f"{path}/assign", json={"staff_id": "not-a-uuid"}).json()["errors"][0]["field"] == "staff_id"
    assert org.post(f"{path}/lose", json={}).json()["errors"][0]["field"] == "reason"
    assert org.post(f"{path}/replies", json={"message": ""}).json()["errors"][0]["field"] == "message"
    lost = org.post(f"{path}/lose", json={"reason": "Went with a competitor"}).json()
    assert (lost["status"], lost["lost_reason"]) == ("lost", "Went with a competitor")
    assert org.get("/inquiries", params={"status": "bogus"}).status_code == 422


def test_other_organizations_inquiries_answer_404(api: Api) -> None:
    mine = api.create_org()
    theirs = api.create_org()
    inquiry = new_inquiry(theirs)
    path = f"/inquiries/{inquiry['id']}"
    calls = [
        mine.get(path),
        mine.post(f"{path}/assign", json={"staff_id": mine.owner_id}),
        mine.post(f"{path}/replies", json={"message": "x"}),
        mine.post(f"{path}/convert", json={}),
        mine.post(f"{path}/lose", json={"reason": "x"}),
    ]
    for response in calls:
        assert response.status_code == 404, response.text
        assert response.json()["code"] == "inquiry.not_found"
    assert mine.get("/inquiries").json()["total"] == 0
    assert theirs.get(path).json() == inquiry
    assert api.client.get("/api/v1/inquiries").status_code == 401


def test_a_retried_reply_with_the_same_idempotency_key_counts_once(api: Api) -> None:
    org = api.create_org()
    inquiry = new_inquiry(org)
    path = f"/inquiries/{inquiry['id']}"
    org.post(f"{path}/assign", json={"staff_id": org.owner_id})
    headers = {"Idempotency-Key": "reply-1"}
    first = org.post(f"{path}/replies", json={"message": "Hi"}, headers=headers)
    again = org.post(f"{path}/replies", json={"message": "Hi"}, headers=headers)
    assert first.status_code == again.status_code == 200
    assert again.headers.get("idempotent-replayed") == "true"
    assert again.json() == first.json()
    assert len(org.get(path).json()["replies"]) == 1
    assert org.post(f"{path}/replies", json={"message": "Other"}, headers=headers).status_code == 422


def test_refusals_read_in_vietnamese(api: Api) -> None:
    org = api.create_org()
    inquiry = new_inquiry(org)
    vi = {"Accept-Language": "vi"}
    refused = org.post(f"/inquiries/{inquiry['id']}/replies", json={"message": "x"}, headers=vi).json()
    assert refused["code"] == "inquiry.invalid_transition"
    assert (refused["status"], refused["status_now"], refused["action"]) == (409, "new", "reply")
    assert refused["detail"].startswith("không thể thực hiện reply với yêu cầu đang ở trạng thái new")
    missing = org.get("/inquiries/01a204e5-7813-74fd-8e4f-895d33bd530d", headers=vi).json()
    assert missing["detail"] == "không tìm thấy yêu cầu tư vấn"


def test_openapi_documents_the_public_routes_as_keyless(api: Api) -> None:
    paths = api.client.get("/openapi.json").json()["paths"]
    submit_op = paths["/api/v1/public/{org_slug}/inquiries"]["post"]
    assert submit_op["security"] == []  # no authentication at all (`[{}]` would mean "optional")
    assert "429" in submit_op["responses"]
    assert paths["/api/v1/public/newsletter/unsubscribe/{token}"]["post"]["security"] == []
