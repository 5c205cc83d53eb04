"""The role table for newsletter, inquiry and webhook routes: allowed roles pass, others get 403 and change nothing."""

from __future__ import annotations

from typing import Any

import pytest

from tests.api.test_roles import ROLES, Route
from tests.factories import Org, unique

MARKETING = frozenset({"owner", "marketing"})
SALES = frozenset({"owner", "sales"})
OWNER = frozenset({"owner"})

ROUTES = [
    Route("GET", "/newsletter/subscribers", MARKETING),
    Route("GET", "/newsletter/subscribers/{subscriber}", MARKETING),
    Route("POST", "/newsletter/subscribers/{subscriber}/revoke-links", MARKETING),
    Route("GET", "/newsletter/stats", MARKETING),
    Route("GET", "/inquiries", SALES),
    Route("GET", "/inquiries/{inquiry}", SALES),
    Route("POST", "/inquiries/{inquiry}/assign", SALES, lambda: {"staff_id": OWNER_PLACEHOLDER}),
    Route("POST", "/inquiries/{inquiry}/replies", SALES, lambda: {"message": "hello"}),
    Route("POST", "/inquiries/{inquiry}/convert", SALES, dict),
    Route("POST", "/inquiries/{inquiry}/lose", SALES, lambda: {"reason": "spam"}),
    Route("GET", "/webhooks", OWNER),
    Route("POST", "/webhooks", OWNER, lambda: {"url": "http://127.0.0.1:9/in", "event_types": ["*"], "active": False}),
    Route("GET", "/webhooks/{webhook}", OWNER),
    Route("PATCH", "/webhooks/{webhook}", OWNER, lambda: {"active": False}),
    Route("POST", "/webhooks/{webhook}/rotate-secret", OWNER),
    Route("DELETE", "/webhooks/{webhook}", OWNER),
    Route("GET", "/webhooks/{webhook}/deliveries", OWNER),
]
OWNER_PLACEHOLDER = "{owner}"


def _fill(org: Org, route: Route) -> tuple[str, dict[str, Any]]:
    email = f"{unique('n')}@example.com"
    client = org.api.client
    response = client.post(f"/api/v1/public/{org.slug}/newsletter/subscriptions", json={"email": email})
    assert response.status_code == 201, response.text
    subscriber = org.get("/newsletter/subscribers", params={"email": email}).json()["items"][0]
    body = {"name": "Role Test", "email": email, "message": "hello"}
    inquiry = client.post(f"/api/v1/public/{org.slug}/inquiries", json=body).json()
    if not route.path.endswith(("assign", "}")):
        # replies and convert need an assigned inquiry
        assert org.post(f"/inquiries/{inquiry['id']}/assign", json={"staff_id": org.owner_id}).status_code == 200
    # inactive: nothing to deliver to a receiver that does not exist
    hook = org.post("/webhooks", json={"url": "http://127.0.0.1:9/in", "event_types": ["*"], "active": False}).json()
    ids = {"subscriber": subscriber["id"], "inquiry": inquiry["id"], "webhook": hook["webhook"]["id"]}
    return route.path.format(**ids), ids


def _state(org: Org, ids: dict[str, Any]) -> Any:
    return (
        org.get(f"/newsletter/subscribers/{ids['subscriber']}").json(),
        org.get(f"/inquiries/{ids['inquiry']}").json(),
        org.get("/customers").json()["total"],
        org.get("/webhooks").json(),
        len(org.events()),
    )


@pytest.mark.parametrize("route", ROUTES, ids=lambda r: f"{r.method} {r.path}")
def test_outreach_role_matrix(api: Any, route: Route) -> None:
    org = api.create_org()
    for role in ROLES:
        org.headers(role)
        path, ids = _fill(org, route)
        before = _state(org, ids)
        body = route.body() if route.body else None
        if body and body.get("staff_id") == OWNER_PLACEHOLDER:
            body["staff_id"] = org.owner_id
        response = org.request(route.method, path, role, json=body)
        if role in route.allowed:
            assert response.status_code not in (401, 403), (role, response.text)
            assert response.status_code < 500, (role, response.text)
        else:
            assert response.status_code == 403, (role, response.status_code, response.text)
            assert response.json()["code"] == "auth.forbidden"
            assert _state(org, ids) == before, f"a refused {role} request changed something"
