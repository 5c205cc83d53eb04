"""SPEC §10: problem+json, field-named 422s, idempotency, docs and probes."""

from __future__ import annotations

import uuid

import pytest
from prometheus_client.parser import text_string_to_metric_families

from tests.factories import Api, unique

INVALID_INPUTS = [
    ({"email": "not-an-email", "first_name": "A"}, "email"),
    ({"email": "a@example.com", "first_name": "A", "phone": "12"}, "phone"),
    ({"email": "a@example.com", "first_name": "A", "other_phones": ["+4930901820", "abc"]}, "other_phones"),
    ({"email": "a@example.com", "first_name": "A", "other_emails": ["x@"]}, "other_emails"),
    ({"email": "a@example.com", "first_name": "A", "vat_id": "DE123456789"}, "vat_id"),
    ({"email": "a@example.com", "first_name": "A", "birthday": "2999-01-01"}, "birthday"),
    ({"email": "a@example.com", "first_name": "A", "birthday": "yesterday"}, "birthday"),
    ({"email": "a@example.com", "first_name": "A", "gender": "robot"}, "gender"),
    ({"email": "a@example.com", "first_name": "A", "credit": -1}, "credit"),
    ({"email": "a@example.com", "first_name": "A", "locale": "xx-QQ"}, "locale"),
    ({"email": "a@example.com", "first_name": "A", "tier": "platinum"}, "tier"),
    ({"email": "a@example.com", "first_name": "A", "tags": [""]}, "tags[0]"),
    ({"email": "a@example.com", "first_name": "A", "nickname": "Al"}, "nickname"),
    ({"email": "a@example.com", "first_name": "A", "id": "01a2"}, "id"),
    ({"email": "a@example.com", "first_name": "A", "org_id": "x"}, "org_id"),
    ({"email": "a@example.com", "first_name": "A", "points_balance": 5}, "points_balance"),
    ({"email": "a@example.com", "first_name": "A", "version": 3}, "version"),
    ({"email": "a@example.com", "first_name": "A", "created_at": "2020-01-01T00:00:00Z"}, "created_at"),
    ({"first_name": "A"}, "email"),
]


@pytest.mark.parametrize(("body", "field"), INVALID_INPUTS, ids=[f for _, f in INVALID_INPUTS])
def test_invalid_input_is_422_naming_the_field_and_writes_nothing(
    api: Api, body: dict[str, object], field: str
) -> None:
    org = api.create_org()
    events_before = len(org.events())
    response = org.post("/customers", json=body)
    assert response.status_code == 422, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    problem = response.json()
    assert {"type", "title", "status", "detail", "code", "errors"} <= set(problem)
    assert field in [e["field"] for e in problem["errors"]]
    assert org.get("/customers").json()["total"] == 0
    assert len(org.events()) == events_before


def test_server_owned_fields_cannot_be_patched(api: Api) -> None:
    org = api.create_org()
    customer = org.create_customer()
    for field, value in [("id", "x"), ("points_balance", 10), ("version", 9), ("status", "customer")]:
        response = org.patch(f"/customers/{customer['id']}", json={field: value})
        assert response.status_code == 422, field
        assert response.json()["errors"][0]["field"] == field


def test_malformed_json_is_a_client_error_not_a_500(api: Api) -> None:
    org = api.create_org()
    for raw in (b"{bad", b"", b"[]", b"null", b'"text"', b"\xff\xfe"):
        response = org.post("/customers", content=raw, headers={"Content-Type": "application/json"})
        assert response.status_code in (400, 422), (raw, response.text)
        assert response.headers["content-type"].startswith("application/problem+json")


def test_unknown_ids_and_malformed_ids_are_404(api: Api) -> None:
    org = api.create_org()
    assert org.get("/customers/01a2aaaa-0000-7000-8000-000000000000").status_code == 404
    assert org.get("/customers/not-a-uuid").status_code == 404


def test_messages_in_vietnamese_by_accept_language(api: Api) -> None:
    org = api.create_org()
    vietnamese = {"Accept-Language": "vi-VN,vi;q=0.9,en;q=0.5"}
    response = org.get("/customers/not-a-uuid", headers=vietnamese)
    assert response.json()["title"] == "Không tìm thấy"
    assert response.json()["detail"] == "không tìm thấy khách hàng"
    invalid = org.post("/customers", json={"email": "a@example.com", "birthday": "2999-01-01"}, headers=vietnamese)
    assert invalid.json()["title"] == "Dữ liệu không hợp lệ"
    assert {"field": "birthday", "message": "không được ở tương lai"} in invalid.json()["errors"]
    english = org.post("/customers", json={"email": "a@example.com", "birthday": "2999-01-01"})
    assert {"field": "birthday", "message": "cannot be in the future"} in english.json()["errors"]


def test_idempotency_key_replays_the_first_answer_and_creates_nothing_new(api: Api) -> None:
    org = api.create_org()
    key = unique("idem")
    body = {"email": "once@example.com", "first_name": "Once"}
    first = org.post("/customers", json=body, headers={"Idempotency-Key": key})
    second = org.post("/customers", json=body, headers={"Idempotency-Key": key})
    assert first.status_code == second.status_code == 201
    assert first.json() == second.json()
    assert second.headers["location"] == first.headers["location"]
    assert second.headers.get("idempotent-replayed") == "true"
    assert org.get("/customers").json()["total"] == 1
    assert sum(e["type"] == "customer.created" for e in org.events()) == 1

    other = org.post("/customers", json={**body, "first_name": "Twice"}, headers={"Idempotency-Key": key})
    assert other.status_code == 422
    assert other.json()["code"] == "idempotency.key_reused"
    assert other.json()["errors"][0]["field"] == "Idempotency-Key"


def test_idempotency_keys_are_per_organization_and_failures_are_not_stored(api: Api) -> None:
    one = api.create_org()
    two = api.create_org()
    key = unique("idem")
    body = {"email": "k@example.com", "first_name": "K"}
    assert one.post("/customers", json=body, headers={"Idempotency-Key": key}).status_code == 201
    assert two.post("/customers", json=body, headers={"Idempotency-Key": key}).status_code == 201
    failing = {"email": "bad", "first_name": "K"}
    key2 = unique("idem")
    assert one.post("/customers", json=failing, headers={"Idempotency-Key": key2}).status_code == 422
    fixed = one.post(
        "/customers", json={"email": "fixed@example.com", "first_name": "K"}, headers={"Idempotency-Key": key2}
    )
    assert fixed.status_code == 201


def test_batch_creates_all_or_nothing(api: Api) -> None:
    org = api.create_org()
    rows = [{"email": f"b{i}@example.com", "first_name": f"B{i}"} for i in range(5)]
    rows[3]["email"] = "broken"
    response = org.post("/customers/batch", json={"customers": rows})
    assert response.status_code == 422
    assert [e["field"] for e in response.json()["errors"]] == ["customers[3].email"]
    assert org.get("/customers").json()["total"] == 0

    rows[3]["email"] = "b3@example.com"
    created = org.post("/customers/batch", json={"customers": rows})
    assert created.status_code == 201, created.text
    items = created.json()["items"]
    assert [c["email"] for c in items] == [r["email"] for r in rows]
    assert [c["customer_number"] for c in items] == [f"C-{i:06d}" for i in range(1, 6)]


def test_batch_with_a_conflicting_row_writes_nothing(api: Api) -> None:
    org = api.create_org()
    org.create_customer(email="exists@example.com")
    rows = [{"email": "fresh@example.com", "first_name": "F"}, {"email": "EXISTS@example.com", "first_name": "E"}]
    response = org.post("/customers/batch", json={"customers": rows})
    assert response.status_code == 422
    assert response.json()["code"] == "customer.email_taken"
    assert response.json()["errors"][0]["field"] == "customers[1].email"
    repeated = org.post("/customers/batch", json={"customers": [rows[0], {**rows[0], "first_name": "Again"}]})
    assert repeated.status_code == 422
    assert repeated.json()["errors"][0]["field"] == "customers[1].email"
    assert org.get("/customers").json()["total"] == 1


def test_batch_is_limited_to_1000_rows(api: Api) -> None:
    org = api.create_org()
    rows = [{"email": f"n{i}@example.com", "first_name": "N"} for i in range(1001)]
    response = org.post("/customers/batch", json={"customers": rows})
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "customers"


def test_openapi_is_served_and_documents_the_customer_routes(api: Api) -> None:
    document = api.client.get("/openapi.json").json()
    paths = document["paths"]
    for path in (
        "/api/v1/customers",
        "/api/v1/customers/{customer_id}",
        "/api/v1/customers/batch",
        "/api/v1/organizations",
    ):
        assert path in paths
    schema = document["components"]["schemas"]["CustomerCreate"]
    assert "email" in schema["required"]
    assert "examples" in str(schema)


def test_health_readiness_and_metrics(api: Api) -> None:
    assert api.client.get("/healthz").json() == {"status": "ok"}
    assert api.client.get("/readyz").json() == {"status": "ok"}
    org = api.create_org()
    org.get("/customers")
    text = api.client.get("/metrics").text
    assert "patron_requests_total" in text
    assert "patron_request_duration_seconds" in text
    assert "patron_db_pool_in_use" in text


def _samples(text: str, name: str) -> dict[tuple[str, str, str], float]:
    return {
        (s.labels["method"], s.labels["path"], s.labels["status_code"]): s.value
        for family in text_string_to_metric_families(text)
        for s in family.samples
        if s.name == name
    }


def test_metrics_count_each_request_by_route_template_and_status(api: Api) -> None:
    org = api.create_org()
    before = _samples(api.client.get("/metrics").text, "patron_requests_total")
    for _ in range(3):
        assert org.get("/customers").status_code == 200
    assert org.get(f"/customers/{uuid.uuid4()}").status_code == 404
    text = api.client.get("/metrics").text
    after = _samples(text, "patron_requests_total")
    listed = ("GET", "/api/v1/customers", "200")
    missing = ("GET", "/api/v1/customers/{customer_id}", "404")
    assert after[listed] - before.get(listed, 0) == 3
    assert after[missing] - before.get(missing, 0) == 1
    durations = _samples(text, "patron_request_duration_seconds_count")
    assert durations[listed] >= 3
    in_progress = _samples(text, "patron_requests_in_progress")
    assert in_progress[("GET", "/api/v1/customers", "200")] == 0
