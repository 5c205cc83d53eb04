"""With `Accept-Language: vi`, every problem's title, detail and field messages come from the Vietnamese catalog."""

from __future__ import annotations

from typing import Any

import httpx

from patron.kernel.messages import Message, catalog
from tests.factories import Api, Org, unique, within_one_rate_window

VI = {"Accept-Language": "vi-VN,vi;q=0.9,en;q=0.5"}
EN = {"Accept-Language": "en-US,en;q=0.8,vi;q=0.5"}


def vi(message_id: str, **params: str | int) -> str:
    text = Message(message_id, **params).render("vi")
    assert text != Message(message_id, **params).render("en"), message_id
    return text


def assert_problem(response: httpx.Response, status: int, title: str, detail: str | None = None) -> dict[str, Any]:
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    body = dict(response.json())
    assert body["title"] == vi(title)
    if detail is not None:
        assert body["detail"] == detail
    return body


def messages(body: dict[str, Any]) -> dict[str, str]:
    return {e["field"]: e["message"] for e in body["errors"]}


def test_404_409_412_read_in_vietnamese(api: Api) -> None:
    org = api.create_org()
    missing = org.get("/customers/01a2aaaa-0000-7000-8000-000000000000", headers=VI)
    assert_problem(missing, 404, "title.not_found", vi("customer.not_found"))
    assert org.get("/inquiries/not-a-uuid", headers=VI).json()["detail"] == vi("inquiry.not_found")

    email = f"{unique('taken')}@example.com"
    customer = org.create_customer(email=email)
    taken = org.post("/customers", json={"email": email, "first_name": "Lan"}, headers=VI)
    body = assert_problem(taken, 409, "title.conflict", vi("customer.email_taken"))
    assert body["code"] == "customer.email_taken"

    path = f"/customers/{customer['id']}"
    assert org.patch(path, json={"first_name": "One"}, headers={"If-Match": '"1"'}).status_code == 200
    stale = org.patch(path, json={"first_name": "Two"}, headers={"If-Match": '"1"', **VI})
    assert_problem(stale, 412, "title.precondition_failed", vi("customer.version_mismatch"))


def test_422_field_messages_from_patron_and_from_libraries_read_in_vietnamese(api: Api) -> None:
    org = api.create_org()
    body = {"email": "someone@localhost", "first_name": "Lan", "birthday": "2999-01-01", "phone": "12"}
    invalid = assert_problem(org.post("/customers", json=body, headers=VI), 422, "title.validation_failed")
    assert messages(invalid) == {
        "email": vi("email.domain_needs_period"),
        "birthday": vi("date.in_future"),
        "phone": vi("phone.invalid"),
    }
    assert invalid["detail"] == "; ".join(f"{e['field']}: {e['message']}" for e in invalid["errors"])

    # msgspec stops at the first decode error, so each of these is one request.
    enum = org.post("/customers", json={"email": "a@example.com", "gender": "robot"}, headers=VI)
    assert messages(assert_problem(enum, 422, "title.validation_failed")) == {
        "gender": vi("enum.invalid", value="'robot'", allowed="diverse, female, male")
    }
    unknown = org.post("/customers", json={"email": "a@example.com", "nickname": "x"}, headers=VI)
    assert messages(assert_problem(unknown, 422, "title.validation_failed")) == {"nickname": vi("field.unknown")}

    typed = org.post("/customers", json={"email": "a@example.com", "first_name": 5}, headers=VI)
    assert messages(assert_problem(typed, 422, "title.validation_failed")) == {
        "first_name": vi("field.wrong_type", expected="str | null", got="int")
    }
    owned = org.post("/customers", json={"email": "a@example.com", "points_balance": 5}, headers=VI)
    assert messages(assert_problem(owned, 422, "title.validation_failed")) == {
        "points_balance": vi("field.server_owned")
    }

    company = org.post("/companies", json={"name": "  "}, headers=VI)
    assert messages(assert_problem(company, 422, "title.validation_failed")) == {"name": vi("field.blank")}
    listed = org.get("/customers", params={"filter[credit]": "like|5*"}, headers=VI)
    [error] = assert_problem(listed, 422, "title.validation_failed")["errors"]
    assert error["field"] == "filter[credit]"
    assert error["message"].startswith("không hỗ trợ toán tử 'like'")


def test_401_403_429_read_in_vietnamese(api: Api) -> None:
    org = api.create_org()
    anonymous = api.client.get("/api/v1/customers", headers=VI)
    assert_problem(anonymous, 401, "title.unauthenticated", vi("auth.bearer_required"))
    revoked = api.client.get("/api/v1/customers", headers={"Authorization": "Bearer nope", **VI})
    assert_problem(revoked, 401, "title.unauthenticated", vi("auth.api_key_invalid"))

    refused = org.delete(f"/customers/{org.create_customer()['id']}", role="cashier", headers=VI)
    assert_problem(
        refused, 403, "title.forbidden", vi("auth.role_forbidden", role="cashier", permission="customers:delete")
    )

    within_one_rate_window()
    for i in range(20):
        assert _inquire(org, f"person{i}@example.com").status_code == 201
    limited = _inquire(org, "person21@example.com", headers=VI)
    assert_problem(limited, 429, "title.too_many_requests", vi("inquiry.rate_limited", most=20, seconds=3600))


def test_routing_and_parsing_problems_read_in_vietnamese(api: Api) -> None:
    org = api.create_org()
    no_route = org.get("/no-such-thing", headers=VI)
    assert_problem(no_route, 404, "title.not_found", vi("route.not_found"))
    malformed = org.post("/customers", content=b"{not json", headers={"Content-Type": "application/json", **VI})
    body = assert_problem(malformed, 400, "title.bad_request")
    assert body["detail"].startswith("JSON sai cú pháp: ")
    wrong_method = api.client.get(f"/api/v1/public/{org.slug}/newsletter/subscriptions", headers=VI)
    assert_problem(
        wrong_method,
        405,
        "title.method_not_allowed",
        vi("route.method_not_allowed", method="GET", allowed=wrong_method.headers["allow"]),
    )


def test_english_is_the_default_and_unchanged(api: Api) -> None:
    org = api.create_org()
    english = catalog("en")
    for headers in (EN, {}, {"Accept-Language": "de-DE"}):
        missing = org.get("/customers/01a2aaaa-0000-7000-8000-000000000000", headers=headers).json()
        assert (missing["title"], missing["detail"]) == ("Not found", english["customer.not_found"])
    invalid = org.post("/customers", json={"email": "a@example.com", "birthday": "2999-01-01"}, headers=EN).json()
    assert invalid["errors"] == [{"field": "birthday", "message": "cannot be in the future"}]


def _inquire(org: Org, email: str, headers: dict[str, str] | None = None) -> httpx.Response:
    body = {"name": "Trần Minh", "email": email, "message": "Need 40 seats"}
    return org.api.client.post(f"/api/v1/public/{org.slug}/inquiries", json=body, headers=headers or {})
