"""Every integer parameter is bounded: out of range is a 422 naming it, never an overflow's 500."""

from __future__ import annotations

import uuid
from typing import Any

import pytest

from tests.factories import Api

HUGE = "99999999999999999999"


def _integer_parameters(document: dict[str, Any]) -> list[tuple[str, str, dict[str, Any]]]:
    found = []
    for path, operations in document["paths"].items():
        for method, operation in operations.items():
            for parameter in operation.get("parameters", []):
                schema = parameter.get("schema", {})
                kinds = [schema.get("type"), *(s.get("type") for s in schema.get("oneOf", []))]
                if "integer" in kinds:
                    found.append((method.upper(), path, parameter))
    return found


def test_every_integer_parameter_declares_int64_bounds(api: Api) -> None:
    document = api.client.get("/openapi.json").json()
    parameters = _integer_parameters(document)
    assert len(parameters) >= 15
    for method, path, parameter in parameters:
        schema = parameter["schema"]
        bounded = [schema, *schema.get("oneOf", [])]
        # Litestar puts the bounds of an optional integer beside its `oneOf`.
        integer = {**schema, **next(s for s in bounded if s.get("type") == "integer")}
        assert -(2**63) <= integer.get("minimum", integer.get("exclusiveMinimum")) < 2**63, (method, path)
        assert -(2**63) < integer.get("maximum", integer.get("exclusiveMaximum")) < 2**63, (method, path)


@pytest.mark.parametrize("value", [HUGE, "-" + HUGE])
def test_a_huge_integer_parameter_is_422_naming_it_on_every_route(api: Api, value: str) -> None:
    org = api.create_org()
    document = api.client.get("/openapi.json").json()
    for method, path, parameter in _integer_parameters(document):
        concrete = path.removeprefix("/api/v1")
        for name in [p["name"] for p in document["paths"][path][method.lower()].get("parameters", [])]:
            concrete = concrete.replace("{" + name + "}", str(uuid.uuid4()))
        response = org.request(method, concrete, params={parameter["name"]: value})
        assert response.status_code == 422, (method, concrete, parameter["name"], response.text)
        assert response.headers["content-type"].startswith("application/problem+json")
        assert parameter["name"] in [e["field"] for e in response.json()["errors"]], response.text
