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
SALES = frozenset({"owner", "sales"})
DEALS_READ = CRM_READ = frozenset({"owner", "sales", "marketing"})

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
    Route("POST", "/customers/{customer}/qualify", SALES),
    Route("POST", "/customers/{customer}/convert", SALES),
    Route("POST", "/customers/{customer}/churn", SALES),
    Route("POST", "/customers/{customer}/reactivate", SALES),
    Route("PUT", "/customers/{customer}/tier", SALES, lambda: {"tier": "pro"}),
    Route("PUT", "/customers/{customer}/tags", SALES, lambda: {"tags": ["vip"]}),
    Route("POST", "/customers/{customer}/tags/vip", SALES),
    Route("DELETE", "/customers/{customer}/tags/old", SALES),
    Route("PUT", "/customers/{customer}/assign", SALES, lambda: {"assigned_to": None}),
    Route("GET", "/customer-groups", ALL),
    Route("POST", "/customer-groups", OWNER, lambda: {"name": unique("g")}),
    Route("GET", "/customer-groups/{group}", ALL),
    Route("PATCH", "/customer-groups/{group}", OWNER, lambda: {"is_merchant": True}),
    Route("DELETE", "/customer-groups/{group}", OWNER),
    Route("GET", "/customer-groups/{group}/product-restrictions", ALL),
    Route("PUT", "/customer-groups/{group}/product-restrictions", OWNER, lambda: {"deny": ["SKU-1"]}),
    Route("GET", "/customers/{customer}/product-restrictions", ALL),
    Route("PUT", "/customers/{customer}/product-restrictions", OWNER, lambda: {"allow": ["SKU-1"]}),
    Route("GET", "/customers/{customer}/product-access/SKU-1", ALL),
    Route("GET", "/companies", ALL),
    Route("POST", "/companies", SALES, lambda: {"name": unique("Acme")}),
    Route("GET", "/companies/{company}", ALL),
    Route("PATCH", "/companies/{company}", SALES, lambda: {"name": "Renamed"}),
    Route("DELETE", "/companies/{company}", SALES),
    Route("GET", "/companies/{company}/contacts", ALL),
    Route("GET", "/companies/{company}/members", ALL),
    Route("POST", "/companies/{company}/members", SALES, lambda: {"customer_id": "{customer}", "role": "buyer"}),
    Route("PATCH", "/companies/{company}/members/{member}", SALES, lambda: {"role": "admin"}),
    Route("DELETE", "/companies/{company}/members/{member}", SALES),
    Route("POST", "/companies/{company}/join-codes", SALES, lambda: {"role": "buyer"}),
    Route("GET", "/companies/{company}/join-codes", SALES),
    Route("DELETE", "/companies/{company}/join-codes/{code_id}", SALES),
    Route("POST", "/join-codes/redeem", SALES, lambda: {"code": "{code}", "customer_id": "{customer}"}),
    Route("GET", "/pipelines", DEALS_READ),
    Route("POST", "/pipelines", OWNER, lambda: {"name": unique("p")}),
    Route("GET", "/pipelines/{pipeline}", DEALS_READ),
    Route("PATCH", "/pipelines/{pipeline}", OWNER, lambda: {"name": unique("p")}),
    Route("DELETE", "/pipelines/{pipeline}", OWNER),
    Route("GET", "/pipelines/{pipeline}/board", DEALS_READ),
    Route("GET", "/deals", DEALS_READ),
    Route("POST", "/deals", SALES, lambda: {"title": "T", "value": 1, "currency": "EUR", "customer_id": "{customer}"}),
    Route("GET", "/deals/{deal}", DEALS_READ),
    Route("PATCH", "/deals/{deal}", SALES, lambda: {"value": 5}),
    Route("DELETE", "/deals/{deal}", SALES),
    Route("POST", "/deals/{deal}/move", SALES, lambda: {"stage_id": "{stage}"}),
    Route("POST", "/deals/{closed_deal}/reopen", OWNER, lambda: {}),
    Route("POST", "/customers/{customer}/interactions", SALES, lambda: {"kind": "call", "summary": "Hi"}),
    Route("GET", "/customers/{customer}/interactions", CRM_READ),
    Route("POST", "/companies/{company}/interactions", SALES, lambda: {"kind": "meeting", "summary": "Hi"}),
    Route("GET", "/companies/{company}/interactions", CRM_READ),
    Route("GET", "/interactions/{interaction}", CRM_READ),
    Route("PATCH", "/interactions/{interaction}", SALES, lambda: {"outcome": "done"}),
    Route("DELETE", "/interactions/{interaction}", SALES),
    Route("POST", "/customers/{customer}/memos", SALES, lambda: {"body": "Note"}),
    Route("GET", "/customers/{customer}/memos", CRM_READ),
    Route("PATCH", "/customers/{customer}/memos/{memo}", SALES, lambda: {"body": "Rewritten"}),
    Route("DELETE", "/customers/{customer}/memos/{memo}", SALES),
    Route("GET", "/customers/{customer}/timeline", CRM_READ),
]


def _fill(org: Org, route: Route) -> dict[str, str]:
    """Fresh records for one request: the values the route's path and body name."""
    customer = org.create_customer(email=f"{unique('m')}@example.com", tags=["old"], assigned_to=org.owner_id)
    victim = org.api.create_staff(org, "cashier")
    key = org.post(f"/staff/{victim['staff']['id']}/api-keys", json={}).json()
    group = org.post("/customer-groups", json={"name": unique("g")}).json()
    fill = {
        "customer": customer["id"],
        "email": customer["email"],
        "staff": victim["staff"]["id"],
        "key": key["key"]["id"],
        "group": group["id"],
    }
    if "compan" in route.path or "join-codes" in route.path:
        company = org.post("/companies", json={"name": unique("Acme")}).json()
        member = org.create_customer()
        assert org.post(f"/companies/{company['id']}/members", json={"customer_id": member["id"]}).status_code == 201
        code = org.post(f"/companies/{company['id']}/join-codes", json={}).json()
        fill |= {
            "company": company["id"],
            "member": member["id"],
            "code": code["code"],
            "code_id": code["join_code"]["id"],
        }
    if "pipelines" in route.path or "deals" in route.path:
        deal = org.post(
            "/deals", json={"title": "D", "value": 1, "currency": "EUR", "customer_id": customer["id"]}
        ).json()
        stages = {s["name"]: s["id"] for s in org.get(f"/pipelines/{deal['pipeline_id']}").json()["stages"]}
        closed = org.post(
            "/deals", json={"title": "C", "value": 1, "currency": "EUR", "customer_id": customer["id"]}
        ).json()
        assert org.post(f"/deals/{closed['id']}/move", json={"stage_id": stages["won"]}).status_code == 200
        pipeline = org.post("/pipelines", json={"name": unique("p")}).json()
        fill |= {
            "deal": deal["id"],
            "closed_deal": closed["id"],
            "stage": stages["proposal"],
            "pipeline": pipeline["id"],
        }
    if "interactions" in route.path or "memos" in route.path:
        interaction = org.post(
            f"/customers/{customer['id']}/interactions", json={"kind": "call", "summary": "x"}
        ).json()
        memo = org.post(f"/customers/{customer['id']}/memos", json={"body": "x"}).json()
        fill |= {"interaction": interaction["id"], "memo": memo["id"]}
    return fill


def _body(route: Route, fill: dict[str, str]) -> Any:
    if route.body is None:
        return None
    return {k: v.format(**fill) if isinstance(v, str) else v for k, v in route.body().items()}


@pytest.mark.parametrize("route", ROUTES, ids=lambda r: f"{r.method} {r.path}")
def test_role_matrix(api: Any, route: Route) -> None:
    org = api.create_org()
    for role in ROLES:
        org.headers(role)  # create the role's staff member before counting events
        fill = _fill(org, route)
        path, customer_id = route.path.format(**fill), fill["customer"]
        events_before = len(org.events())
        customer_before = org.get(f"/customers/{customer_id}").json()
        body = _body(route, fill)
        response = org.request(route.method, path, role, json=body)
        if role in route.allowed:
            assert response.status_code not in (401, 403), (role, response.text)
            assert response.status_code < 500, (role, response.text)
        else:
            assert response.status_code == 403, (role, response.status_code, response.text)
            assert response.json()["code"] == "auth.forbidden"
            assert len(org.events()) == events_before, f"a refused {role} request wrote an event"
            assert org.get(f"/customers/{customer_id}").json() == customer_before


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
