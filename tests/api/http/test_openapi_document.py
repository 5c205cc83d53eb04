"""The OpenAPI document says what the routes read and answer (schemathesis checks the rest)."""

from __future__ import annotations

from typing import Any

import pytest

from tests.factories import Api

METHODS = ("get", "put", "post", "patch", "delete")


@pytest.fixture
def document(api: Api) -> dict[str, Any]:
    response = api.client.get("/openapi.json")
    assert response.status_code == 200
    return dict(response.json())


def _operations(document: dict[str, Any]) -> list[tuple[str, str, dict[str, Any]]]:
    return [(m.upper(), p, op) for p, item in document["paths"].items() for m, op in item.items() if m in METHODS]


def _parameter(operation: dict[str, Any], name: str) -> dict[str, Any]:
    [parameter] = [p for p in operation.get("parameters", []) if p["name"] == name]
    return dict(parameter)


def test_every_4xx_of_every_operation_is_problem_json(document: dict[str, Any]) -> None:
    wrong = [
        (method, path, status, sorted(response.get("content", {})))
        for method, path, operation in _operations(document)
        for status, response in operation["responses"].items()
        if status.startswith("4") and set(response.get("content", {})) != {"application/problem+json"}
    ]
    assert wrong == []


def test_customer_list_declares_its_filters_as_a_deep_object(document: dict[str, Any]) -> None:
    parameter = _parameter(document["paths"]["/api/v1/customers"]["get"], "filter")
    assert (parameter["in"], parameter["style"], parameter["explode"]) == ("query", "deepObject", True)
    fields = parameter["schema"]["properties"]
    assert {"email", "status", "tags", "birthday", "credit", "created_at"} <= set(fields)
    assert parameter["schema"]["additionalProperties"] is False


def test_idempotency_key_is_declared_on_the_posts_that_honour_it(document: dict[str, Any]) -> None:
    paths = document["paths"]
    assert _parameter(paths["/api/v1/customers"]["post"], "Idempotency-Key")["in"] == "header"
    assert _parameter(paths["/api/v1/orders/{order_id}/pay"]["post"], "Idempotency-Key")["in"] == "header"
    # Creating an organization does not honour it.
    names = [p["name"] for p in paths["/api/v1/organizations"]["post"].get("parameters", [])]
    assert "Idempotency-Key" not in names


def test_if_match_etag_and_location_are_declared_where_they_are_used(document: dict[str, Any]) -> None:
    paths = document["paths"]
    update = paths["/api/v1/customers/{customer_id}"]["patch"]
    assert _parameter(update, "If-Match")["in"] == "header"
    assert "412" in update["responses"]
    assert "ETag" in update["responses"]["200"]["headers"]
    assert "ETag" in paths["/api/v1/customers/{customer_id}"]["get"]["responses"]["200"]["headers"]
    created = paths["/api/v1/customers"]["post"]["responses"]["201"]["headers"]
    assert {"ETag", "Location"} <= set(created)
    assert "Location" in paths["/api/v1/deals"]["post"]["responses"]["201"]["headers"]
    # No route but the customer's PATCH reads If-Match, so no other route answers 412.
    assert "412" not in paths["/api/v1/deals"]["post"]["responses"]


def test_event_stream_is_text_event_stream(document: dict[str, Any]) -> None:
    content = document["paths"]["/api/v1/events/stream"]["get"]["responses"]["200"]["content"]
    assert set(content) == {"text/event-stream"}


def test_public_routes_are_declared_unauthenticated(document: dict[str, Any]) -> None:
    paths = document["paths"]
    for path, method in [
        ("/healthz", "get"),
        ("/readyz", "get"),
        ("/metrics", "get"),
        ("/api/v1/public/{org_slug}/inquiries", "post"),
        ("/api/v1/public/{org_slug}/newsletter/subscriptions", "post"),
        ("/api/v1/public/newsletter/confirm/{token}", "get"),
        ("/api/v1/shared-lists/{token}", "get"),
    ]:
        assert paths[path][method]["security"] == [], path
    assert "security" not in paths["/api/v1/customers"]["get"]
    assert paths["/api/v1/organizations"]["post"]["security"] == [{"admin": []}]
    assert document["security"] == [{"bearer": []}]


def test_request_bodies_refuse_unknown_fields_and_keep_item_constraints(document: dict[str, Any]) -> None:
    schemas = document["components"]["schemas"]
    assert schemas["CustomerCreate"]["additionalProperties"] is False
    tags = schemas["TagsReplace"]["properties"]["tags"]
    assert tags["items"].get("minLength", 0) >= 1


def test_docs_openapi_json_is_the_same_completed_document(api: Api, document: dict[str, Any]) -> None:
    assert api.client.get("/docs/openapi.json").json() == document
