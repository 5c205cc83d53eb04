"""Issue 12: every write route of the OpenAPI document, fed bad input, answers 4xx problem+json and writes nothing.

The routes and their bodies come from the app's own document, so a route added later is swept too. Each
route gets a valid body built from its schema, then variants of it: nesting beyond the bound, control
characters in each string, huge numbers in each field (as raw JSON text), a wrong JSON type in each
field, other media types and a body over the size limit.
"""

from __future__ import annotations

import json
import re
import uuid
from collections.abc import Iterator
from typing import Any

import httpx
from litestar.testing import TestClient

from tests.conftest import ADMIN_TOKEN
from tests.factories import Api, Org, unique

HUGE_NUMBERS = ["9223372036854775808", "18446744073709551616", "99999999999999999999", "1e400"]
CONTROLS = ["\x00", "\x1b"]
MARK = "__RAW_NUMBER__"
PATTERN_CANDIDATES = ["x", "customer.created", "A1", "a-1", "*"]
# Values whose rule the document does not show (the pattern of a list's items).
KNOWN_VALUES = {"event_types": "customer.created"}
Document = dict[str, Any]


def resolve(doc: Document, schema: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in schema:
        schema = doc["components"]["schemas"][schema["$ref"].rsplit("/", 1)[1]]
    for key in ("oneOf", "anyOf"):
        if key in schema:
            choices = [s for s in schema[key] if s.get("type") != "null"]
            return {**{k: v for k, v in schema.items() if k != key}, **resolve(doc, choices[0])}
    return schema


def sample(doc: Document, schema: dict[str, Any], name: str) -> Any:
    """A value the schema allows (wire-valid; the domain may still refuse it, it is never sent as is)."""
    schema = resolve(doc, schema)
    if "const" in schema:
        return schema["const"]
    if "enum" in schema:
        return schema["enum"][0]
    if schema.get("examples"):
        return schema["examples"][0]
    kind = schema.get("type")
    if kind == "object" or "properties" in schema:
        props = schema.get("properties", {})
        return {key: sample(doc, sub, key) for key, sub in props.items()}
    if kind == "array":
        return [sample(doc, schema.get("items", {}), name)] * max(1, schema.get("minItems", 1))
    if kind == "integer":
        return max(1, schema.get("minimum", 1))
    if kind == "number":
        return 1.5
    if kind == "boolean":
        return False
    if name in KNOWN_VALUES and kind == "string":
        return KNOWN_VALUES[name]
    if "pattern" in schema:
        return next(c for c in PATTERN_CANDIDATES if re.fullmatch(schema["pattern"], c))
    return {
        "uuid": str(uuid.uuid4()),
        "date": "2020-01-02",
        "date-time": "2020-01-02T03:04:05Z",
        "email": "sweep@example.com",
        "uri": "https://example.com/hook",
    }.get(schema.get("format", ""), "x" * max(1, schema.get("minLength", 1)))


def wrong_type(value: Any) -> Any:
    if isinstance(value, bool):
        return "true"
    if isinstance(value, int | float):
        return str(value)
    if isinstance(value, str):
        return 1
    if isinstance(value, list):
        return "x"
    return [1]


def leaves(value: Any, path: tuple[Any, ...] = ()) -> Iterator[tuple[tuple[Any, ...], Any]]:
    """Every field and item of a body, with its path."""
    if path:
        yield path, value
    if isinstance(value, dict):
        for key, item in value.items():
            yield from leaves(item, (*path, key))
    elif isinstance(value, list):
        for i, item in enumerate(value):
            yield from leaves(item, (*path, i))


def replaced(body: Any, path: tuple[Any, ...], value: Any) -> Any:
    copy = json.loads(json.dumps(body))
    target = copy
    for step in path[:-1]:
        target = target[step]
    target[path[-1]] = value
    return copy


def bad_bodies(body: Any) -> Iterator[tuple[str, bytes]]:
    yield "nesting", json.dumps(replaced(body, ("nest",), json.loads("[" * 200 + "]" * 200))).encode()
    yield "top-level nesting", b"[" * 1000 + b"]" * 1000
    yield "bare number", b"99999999999999999999"
    for path, value in leaves(body):
        if isinstance(value, str):
            for control in CONTROLS:
                yield f"{path} control", json.dumps(replaced(body, path, value + control)).encode()
        if isinstance(value, dict) and not value:  # a free-form object (custom fields)
            for inner in ({"k\x00": 1}, {"k": "a\x00"}, {"k": MARK}, {"k": [[[[[]]]]]}):
                text = json.dumps(replaced(body, path, inner))
                yield f"{path} free-form", text.replace(f'"{MARK}"', HUGE_NUMBERS[0]).encode()
        for number in HUGE_NUMBERS:
            yield f"{path} {number}", json.dumps(replaced(body, path, MARK)).replace(f'"{MARK}"', number).encode()
        yield f"{path} wrong type", json.dumps(replaced(body, path, wrong_type(value))).encode()


def assert_refused(response: httpx.Response, what: str) -> None:
    assert 400 <= response.status_code < 500, f"{what}: {response.status_code} {response.text[:300]}"
    assert response.headers["content-type"].startswith("application/problem+json"), what
    assert response.json()["status"] == response.status_code, what


def created(response: httpx.Response) -> dict[str, Any]:
    assert response.status_code in (200, 201), response.text
    return dict(response.json())


def path_ids(api: Api, org: Org) -> dict[str, str]:
    """Real records of the organization, by path parameter name."""
    customer = org.create_customer()
    company = created(org.post("/companies", json={"name": unique("Co")}))
    pipeline = created(org.post("/pipelines", json={"name": unique("P")}))
    deal = created(
        org.post(
            "/deals",
            json={
                "title": "D",
                "pipeline_id": pipeline["id"],
                "value": 100,
                "currency": "EUR",
                "customer_id": customer["id"],
            },
        )
    )
    memo = created(org.post(f"/customers/{customer['id']}/memos", json={"body": "m"}))
    address = created(
        org.post(f"/customers/{customer['id']}/addresses", json={"street": "S", "city": "C", "country": "VN"})
    )
    shopping = created(org.post(f"/customers/{customer['id']}/lists", json={"name": unique("L")}))
    item = created(org.post(f"/customers/{customer['id']}/lists/{shopping['id']}/items", json={"product_ref": "sku-1"}))
    group = created(org.post("/customer-groups", json={"name": unique("G")}))
    interaction = created(org.post(f"/customers/{customer['id']}/interactions", json={"kind": "call", "summary": "s"}))
    webhook = created(
        org.post("/webhooks", json={"url": "http://127.0.0.1:9/hook", "event_types": ["customer.created"]})
    )
    staff = api.create_staff(org, "sales")
    order = created(org.post("/orders", json={"external_ref": unique("o"), "total": 100, "currency": "USD"}))
    inquiry = created(
        api.client.post(
            f"/api/v1/public/{org.slug}/inquiries", json={"email": "q@example.com", "message": "hi", "name": "Q"}
        )
    )
    segment = created(org.post("/segments", json={"name": unique("S"), "query": "tier = 'pro'"}))
    return {
        "segment_id": segment["id"],
        "customer_id": customer["id"],
        "company_id": company["id"],
        "pipeline_id": pipeline["id"],
        "deal_id": deal["id"],
        "memo_id": memo["id"],
        "address_id": address["id"],
        "list_id": shopping["id"],
        "item_id": item["id"],
        "group_id": group["id"],
        "interaction_id": interaction["id"],
        "webhook_id": webhook["webhook"]["id"],
        "staff_id": staff["staff"]["id"],
        "inquiry_id": inquiry["id"],
        "order_id": order["id"],
        "org_slug": org.slug,
    }


def write_routes(doc: Document) -> Iterator[tuple[str, str, dict[str, Any]]]:
    for path, operations in doc["paths"].items():
        for method, operation in operations.items():
            content = operation.get("requestBody", {}).get("content", {})
            if method in ("post", "put", "patch") and "application/json" in content:
                yield method.upper(), path, content["application/json"]["schema"]


def writes_of(org: Org) -> tuple[int, int, int]:
    customers = org.get("/customers", params={"limit": 1}).json()["total"]
    staff = len(org.get("/staff").json()["items"])
    return len(org.events()), customers, staff


def test_every_write_route_refuses_bad_input_with_4xx_problems_and_writes_nothing(
    api: Api,
    client: TestClient,  # type: ignore[type-arg]
) -> None:
    org = api.create_org()
    ids = path_ids(api, org)
    doc = client.get("/openapi.json").json()
    routes = list(write_routes(doc))
    assert len(routes) >= 50
    limit = 4 * 1024 * 1024
    before = writes_of(org)
    sent = 0
    for method, template, schema in routes:
        path = re.sub(r"\{(\w+)\}", lambda m: ids[m[1]], template)
        auth = ADMIN_TOKEN if template.endswith("/organizations") else org.owner_key
        headers = {"Authorization": f"Bearer {auth}", "content-type": "application/json"}
        body = sample(doc, schema, "body")
        for what, raw in bad_bodies(body):
            assert_refused(client.request(method, path, content=raw, headers=headers), f"{method} {template} {what}")
            sent += 1
        valid = json.dumps(body).encode()
        for media_type in ("text/plain", "image/png", "application/xml", None):
            typed = (
                {**headers, "content-type": media_type} if media_type else {"Authorization": headers["Authorization"]}
            )
            response = client.request(method, path, content=valid, headers=typed)
            assert_refused(response, f"{method} {template} as {media_type}")
            assert response.status_code == 415, f"{method} {template} as {media_type}"
        oversized = json.dumps(replaced(body, ("padding",), "x" * limit)).encode()
        response = client.request(method, path, content=oversized, headers=headers)
        assert (response.status_code, response.json()["code"]) == (413, "request.too_large"), f"{method} {template}"
        sent += 5
    assert sent > 2000
    assert writes_of(org) == before


def test_control_characters_in_every_path_and_query_parameter_are_refused(
    api: Api,
    client: TestClient,  # type: ignore[type-arg]
) -> None:
    org = api.create_org()
    ids = path_ids(api, org)
    doc = client.get("/openapi.json").json()
    before = writes_of(org)
    headers = {"Authorization": f"Bearer {org.owner_key}"}
    checked = 0
    for template, operations in doc["paths"].items():
        names = re.findall(r"\{(\w+)\}", template)
        for method, operation in operations.items():
            if method not in ("get", "post", "put", "patch", "delete"):
                continue
            what = f"{method.upper()} {template}"
            for name in names:
                path = re.sub(
                    r"\{(\w+)\}", lambda m, bad=name: "a%00b" if m[1] == bad else ids.get(m[1], "x"), template
                )
                response = client.request(method.upper(), path, headers=headers)
                assert_refused(response, f"{what} path {name}")
                assert response.status_code == 404, f"{what} path {name}"
                checked += 1
            real = re.sub(r"\{(\w+)\}", lambda m: ids.get(m[1], "x"), template)
            for parameter in operation.get("parameters", []):
                if parameter["in"] != "query":
                    continue
                response = client.request(method.upper(), real, params={parameter["name"]: "a\x00b"}, headers=headers)
                assert_refused(response, f"{what} query {parameter['name']}")
                assert response.status_code == 422, f"{what} query {parameter['name']}"
                assert [e["field"] for e in response.json()["errors"]] == [parameter["name"]]
                checked += 1
    assert checked > 100
    assert writes_of(org) == before
