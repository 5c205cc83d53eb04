"""Issue 12, the wire: body size, nesting, media type, strict types, control characters, every field at once."""

from __future__ import annotations

import json

import httpx
import pytest

from tests.factories import Api, Org, unique

JSON = {"content-type": "application/json"}


def assert_problem(response: httpx.Response, status: int, code: str) -> dict[str, object]:
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    problem = dict(response.json())
    assert (problem["status"], problem["code"]) == (status, code)
    return problem


def customer_count(org: Org) -> int:
    return int(org.get("/customers").json()["total"])


def test_1000_levels_of_nesting_answer_400_on_private_and_public_routes(api: Api) -> None:
    org = api.create_org()
    deep = b"[" * 1000 + b"]" * 1000
    assert_problem(org.post("/customers", content=deep, headers=JSON), 400, "request.nesting_too_deep")
    public = api.client.post(f"/api/v1/public/{org.slug}/newsletter/subscriptions", content=deep, headers=JSON)
    assert_problem(public, 400, "request.nesting_too_deep")
    custom = {"email": f"{unique('c')}@example.com", "custom_fields": {"k": json.loads("[" * 40 + "]" * 40)}}
    assert_problem(org.post("/customers", json=custom), 400, "request.nesting_too_deep")
    assert customer_count(org) == 0


def test_an_oversized_body_is_413_too_large(api: Api) -> None:
    org = api.create_org()
    body = json.dumps({"email": "a@example.com", "first_name": "x" * (11 * 1024 * 1024)})
    problem = assert_problem(org.post("/customers", content=body, headers=JSON), 413, "request.too_large")
    assert problem["title"] == "Content too large"
    assert customer_count(org) == 0


@pytest.mark.parametrize("content_type", ["text/plain", "image/png", "application/xml", None])
def test_a_json_body_of_another_media_type_is_415(api: Api, content_type: str | None) -> None:
    org = api.create_org()
    body = json.dumps({"email": f"{unique('c')}@example.com", "first_name": "T"})
    headers = {"content-type": content_type} if content_type else {}
    response = org.post("/customers", content=body, headers=headers)
    problem = assert_problem(response, 415, "request.unsupported_media_type")
    assert "application/json" in str(problem["detail"])
    assert problem["accepted"] == ["application/json", "application/*+json"]
    assert customer_count(org) == 0


@pytest.mark.parametrize("content_type", ["application/json; charset=utf-8", "application/merge-patch+json"])
def test_json_media_types_are_taken(api: Api, content_type: str) -> None:
    org = api.create_org()
    body = json.dumps({"email": f"{unique('c')}@example.com", "first_name": "T"})
    assert org.post("/customers", content=body, headers={"content-type": content_type}).status_code == 201


@pytest.mark.parametrize(
    ("field", "value"),
    [("credit", "100"), ("is_favorite", "true"), ("first_name", 5), ("tags", "vip"), ("credit", 2**64)],
)
def test_body_types_are_strict(api: Api, field: str, value: object) -> None:
    org = api.create_org()
    response = org.post("/customers", json={"email": f"{unique('c')}@example.com", "first_name": "T", field: value})
    problem = assert_problem(response, 422, "request.validation_failed")
    assert [e["field"] for e in problem["errors"]] == [field]  # type: ignore[attr-defined]
    assert customer_count(org) == 0


def test_query_parameters_stay_lax(api: Api) -> None:
    org = api.create_org()
    assert org.get("/customers", params={"limit": "10"}).json()["limit"] == 10


def test_every_bad_field_is_reported_at_once(api: Api) -> None:
    org = api.create_org()
    body = {"email": "not-an-email", "gender": "x", "credit": -1, "tier": "gold"}
    problem = assert_problem(org.post("/customers", json=body), 422, "request.validation_failed")
    assert sorted(e["field"] for e in problem["errors"]) == ["credit", "email", "gender", "tier"]  # type: ignore[attr-defined]
    customer = org.create_customer()
    address = {"street": 7, "city": "Huế", "country": "XX", "phone": "12"}
    problem = assert_problem(
        org.post(f"/customers/{customer['id']}/addresses", json=address), 422, "request.validation_failed"
    )
    assert {"street", "country"} <= {e["field"] for e in problem["errors"]}  # type: ignore[attr-defined]


@pytest.mark.parametrize("control", ["\x00", "\x01", "\x1b", "\x1f"])
def test_control_characters_in_body_text_are_422_naming_the_field(api: Api, control: str) -> None:
    org = api.create_org()
    org.api.client.patch(
        "/api/v1/organization",
        json={"custom_fields": {"note": {"type": "string"}}},
        headers=org.headers(),
    )
    email = f"{unique('c')}@example.com"
    for body, field in [
        ({"email": email, "first_name": f"a{control}b"}, "first_name"),
        ({"email": email, "tags": ["ok", f"v{control}"]}, "tags[1]"),
        ({"email": email, "custom_fields": {"note": f"x{control}"}}, "custom_fields.note"),
        ({"email": email, "custom_fields": {f"n{control}": "x"}}, "custom_fields"),
    ]:
        problem = assert_problem(org.post("/customers", json=body), 422, "request.validation_failed")
        assert [e["field"] for e in problem["errors"]] == [field]  # type: ignore[attr-defined]
    customer = org.create_customer()
    address = {"street": f"Lê{control}Lợi", "city": "Huế", "country": "VN"}
    problem = assert_problem(
        org.post(f"/customers/{customer['id']}/addresses", json=address), 422, "request.validation_failed"
    )
    assert [e["field"] for e in problem["errors"]] == ["street"]  # type: ignore[attr-defined]
    assert customer_count(org) == 1


def test_tab_and_newline_stay_allowed_in_text(api: Api) -> None:
    org = api.create_org()
    customer = org.create_customer(company_name="A\tB\r\nC")
    assert customer["company_name"] == "A\tB\r\nC"


def test_control_characters_in_paths_are_404_and_in_queries_422(api: Api) -> None:
    org = api.create_org()
    assert_problem(org.get("/customers/by-email/a%00b@example.com"), 404, "resource.not_found")
    assert_problem(org.get("/customers/a%01b"), 404, "resource.not_found")
    problem = assert_problem(org.get("/customers", params={"q": "a\x00b"}), 422, "request.validation_failed")
    assert [e["field"] for e in problem["errors"]] == ["q"]  # type: ignore[attr-defined]
    problem = assert_problem(
        org.get("/customers", params={"filter[last_name]": "x\x00"}), 422, "request.validation_failed"
    )
    assert [e["field"] for e in problem["errors"]] == ["filter[last_name]"]  # type: ignore[attr-defined]


def test_an_integer_written_with_a_zero_fraction_is_an_integer(api: Api) -> None:
    # JSON Schema counts 2.0 an integer (schemathesis sends it as valid data); 2.5 stays refused,
    # and a control character next to it is still refused.
    org = api.create_org()
    created = org.post(
        "/customers",
        content=b'{"email": "%s@example.com", "last_name": "Le", "credit": 100.0}' % unique("i").encode(),
        headers=JSON,
    )
    assert created.status_code == 201, created.text
    assert created.json()["credit"] == 100
    fraction = org.post("/customers", json={"email": f"{unique('f')}@example.com", "last_name": "Le", "credit": 100.5})
    assert assert_problem(fraction, 422, "request.validation_failed")["errors"] == [
        {"field": "credit", "message": "Expected `int`, got `float`"}
    ]
    control = b'{"email": "%s@example.com", "credit": 1.0, "last_name": "a\\u0001"}' % unique("c").encode()
    problem = assert_problem(org.post("/customers", content=control, headers=JSON), 422, "request.validation_failed")
    assert [error["field"] for error in problem["errors"]] == ["last_name"]
    assert customer_count(org) == 1


def test_null_is_not_an_id_or_a_choice_in_a_query(api: Api) -> None:
    # msgspec's lax reading of a query would take `null` as "no filter"; leaving it out says that.
    org = api.create_org()
    for path in ("/inquiries?assigned_to=null", "/inquiries?status=null", "/deals?owner_id=null"):
        problem = assert_problem(org.get(path), 422, "request.validation_failed")
        assert problem["errors"][0]["field"] == path.split("?")[1].split("=")[0]
    assert org.get("/customers?q=null").status_code == 200  # text may be the word null


def test_the_document_says_request_text_holds_no_control_characters(api: Api) -> None:
    document = api.client.get("/openapi.json").json()
    create = document["components"]["schemas"]["CustomerCreate"]["properties"]["first_name"]
    assert {"pattern": "^[^\\u0000-\\u0008\\u000B\\u000C\\u000E-\\u001F]*$"} in [
        {"pattern": option["pattern"]} for option in create["anyOf"] if "pattern" in option
    ]
    [q] = [p for p in document["paths"]["/api/v1/customers"]["get"]["parameters"] if p["name"] == "q"]
    assert "u0000" in json.dumps(q["schema"])


def test_a_wrong_first_value_then_garbage_is_malformed_json(api: Api) -> None:
    # The typed decode refuses `33` for an object before it reaches the garbage (a 500 once).
    org = api.create_org()
    for body in (b"33\xff\xfeH", b"[0-9]{19}", b'"x" y'):
        assert_problem(org.post("/orders", content=body, headers=JSON), 400, "request.malformed_json")
