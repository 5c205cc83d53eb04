"""The role table of SPEC §2, route by route, through the HTTP API.

For each route and role the test asserts allowed (not 401/403) or refused (403
`auth.forbidden`), and that a refused request changed nothing (the event feed
and the customer are unchanged).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest

from tests.factories import Org, unique

ROLES = ("owner", "cashier", "marketing", "sales")


@dataclass(frozen=True)
class Route:
    method: str
    path: str
    allowed: frozenset[str]
    body: Callable[[], Any] | None = None


def _customer_body() -> dict[str, Any]:
    return {"email": f"{unique('r')}@example.com", "first_name": "Role"}


ALL = frozenset(ROLES)
OWNER = frozenset({"owner"})

ROUTES = [
    Route("GET", "/customers", ALL),
    Route("GET", "/customers/{customer}", ALL),
    Route("GET", "/customers/by-email/{email}", ALL),
    Route("POST", "/customers", frozenset({"owner", "cashier", "sales"}), _customer_body),
    Route(
        "POST", "/customers/batch", frozenset({"owner", "cashier", "sales"}), lambda: {"customers": [_customer_body()]}
    ),
    Route("PATCH", "/customers/{customer}", OWNER, lambda: {"is_favorite": True}),
    Route("DELETE", "/customers/{customer}", OWNER),
    Route("POST", "/customers/{customer}/restore", OWNER),
    Route("DELETE", "/customers/guests/outdated", OWNER),
    Route("GET", "/organization", ALL),
    Route("PATCH", "/organization", OWNER, lambda: {"double_opt_in": True}),
    Route("GET", "/staff", OWNER),
    Route("POST", "/staff", OWNER, lambda: {"email": f"{unique('s')}@example.com", "name": "S", "role": "sales"}),
    Route("GET", "/staff/{staff}", OWNER),
    Route("PATCH", "/staff/{staff}", OWNER, lambda: {"name": "Renamed"}),
    Route("DELETE", "/staff/{staff}", OWNER),
    Route("POST", "/staff/{staff}/api-keys", OWNER, lambda: {"name": "extra"}),
    Route("DELETE", "/api-keys/{key}", OWNER),
    Route("GET", "/events", frozenset({"owner", "marketing", "sales"})),
]


def _fill(org: Org, route: Route) -> str:
    customer = org.create_customer(email=f"{unique('m')}@example.com")
    victim = org.api.create_staff(org, "cashier")
    key = org.post(f"/staff/{victim['staff']['id']}/api-keys", json={}).json()
    return route.path.format(
        customer=customer["id"], email=customer["email"], staff=victim["staff"]["id"], key=key["key"]["id"]
    )


@pytest.mark.parametrize("route", ROUTES, ids=lambda r: f"{r.method} {r.path}")
def test_role_matrix(api: Any, route: Route) -> None:
    org = api.create_org()
    for role in ROLES:
        org.headers(role)  # create the role's staff member before counting events
        path = _fill(org, route)
        events_before = len(org.events())
        body = route.body() if route.body else None
        response = org.request(route.method, path, role, json=body)
        if role in route.allowed:
            assert response.status_code not in (401, 403), (role, response.text)
            assert response.status_code < 500, (role, response.text)
        else:
            assert response.status_code == 403, (role, response.status_code, response.text)
            assert response.json()["code"] == "auth.forbidden"
            assert len(org.events()) == events_before, f"a refused {role} request wrote an event"


def test_requests_without_a_valid_key_are_401(api: Any) -> None:
    client = api.client
    assert client.get("/api/v1/customers").status_code == 401
    assert client.get("/api/v1/customers", headers={"Authorization": "Bearer nonsense"}).status_code == 401
    assert client.get("/api/v1/customers", headers={"Authorization": "Basic abc"}).status_code == 401
    problem = client.get("/api/v1/customers").json()
    assert problem["code"] == "auth.unauthenticated"


def test_organizations_need_the_platform_admin_token(api: Any) -> None:
    org = api.create_org()
    body = {"name": "X", "slug": unique("x"), "owner_email": "o@x.example"}
    refused = api.client.post("/api/v1/organizations", json=body, headers=org.headers())
    assert refused.status_code == 401
    assert api.client.post("/api/v1/organizations", json=body).status_code == 401


def test_public_cannot_read_anything(api: Any) -> None:
    for path in ("/api/v1/customers", "/api/v1/organization", "/api/v1/staff", "/api/v1/events"):
        assert api.client.get(path).status_code == 401
