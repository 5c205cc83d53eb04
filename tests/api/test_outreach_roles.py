"""The role table for newsletter and inquiry routes: allowed roles pass, others get 403 and change nothing."""

from __future__ import annotations

from typing import Any

import pytest

from tests.api.test_roles import ROLES, Route
from tests.factories import Org, unique

MARKETING = frozenset({"owner", "marketing"})

ROUTES = [
    Route("GET", "/newsletter/subscribers", MARKETING),
    Route("GET", "/newsletter/subscribers/{subscriber}", MARKETING),
    Route("POST", "/newsletter/subscribers/{subscriber}/revoke-links", MARKETING),
    Route("GET", "/newsletter/stats", MARKETING),
]


def _fill(org: Org, route: Route) -> tuple[str, dict[str, Any]]:
    email = f"{unique('n')}@example.com"
    response = org.api.client.post(f"/api/v1/public/{org.slug}/newsletter/subscriptions", json={"email": email})
    assert response.status_code == 201, response.text
    subscriber = org.get("/newsletter/subscribers", params={"email": email}).json()["items"][0]
    return route.path.format(subscriber=subscriber["id"]), {"subscriber": subscriber}


def _state(org: Org, ids: dict[str, Any]) -> Any:
    subscriber = org.get(f"/newsletter/subscribers/{ids['subscriber']['id']}").json()
    return subscriber, len(org.events())


@pytest.mark.parametrize("route", ROUTES, ids=lambda r: f"{r.method} {r.path}")
def test_outreach_role_matrix(api: Any, route: Route) -> None:
    org = api.create_org()
    for role in ROLES:
        org.headers(role)
        path, ids = _fill(org, route)
        before = _state(org, ids)
        body = route.body() if route.body else None
        response = org.request(route.method, path, role, json=body)
        if role in route.allowed:
            assert response.status_code not in (401, 403), (role, response.text)
            assert response.status_code < 500, (role, response.text)
        else:
            assert response.status_code == 403, (role, response.status_code, response.text)
            assert response.json()["code"] == "auth.forbidden"
            assert _state(org, ids) == before, f"a refused {role} request changed something"
