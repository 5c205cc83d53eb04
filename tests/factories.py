"""Test helpers that drive the public HTTP API: organizations, staff, customers."""

from __future__ import annotations

import itertools
import time
import uuid
from dataclasses import dataclass, field
from typing import Any

import httpx
import sqlalchemy as sa
from litestar.testing import TestClient

_counter = itertools.count(1)


def within_one_rate_window(seconds: int = 3600, *, needs: float = 60.0) -> None:
    """Wait, if need be, so the next `needs` seconds fall in one fixed rate window of `seconds`.

    Rate limits count in windows aligned to the epoch (ratelimits/rules.py `window_start`): 21
    requests that straddle a boundary are 20 in one window and 1 in the next, and none is refused.
    """
    left = seconds - time.time() % seconds
    if left < needs:
        time.sleep(left + 0.05)


def unique(prefix: str) -> str:
    return f"{prefix}-{uuid.uuid4().hex[:10]}"


@dataclass
class Org:
    api: Api
    id: str
    slug: str
    owner_id: str
    owner_key: str
    keys: dict[str, str] = field(default_factory=dict)

    def headers(self, role: str = "owner", **extra: str) -> dict[str, str]:
        if role not in self.keys:
            self.keys[role] = self.api.create_staff(self, role)["api_key"]
        return {"Authorization": f"Bearer {self.keys[role]}", **extra}

    def request(self, method: str, path: str, role: str = "owner", **kwargs: Any) -> httpx.Response:
        headers = {**self.headers(role), **kwargs.pop("headers", {})}
        return self.api.client.request(method, f"/api/v1{path}", headers=headers, **kwargs)

    def get(self, path: str, role: str = "owner", **kwargs: Any) -> httpx.Response:
        return self.request("GET", path, role, **kwargs)

    def post(self, path: str, role: str = "owner", **kwargs: Any) -> httpx.Response:
        return self.request("POST", path, role, **kwargs)

    def patch(self, path: str, role: str = "owner", **kwargs: Any) -> httpx.Response:
        return self.request("PATCH", path, role, **kwargs)

    def delete(self, path: str, role: str = "owner", **kwargs: Any) -> httpx.Response:
        return self.request("DELETE", path, role, **kwargs)

    def create_customer(self, **fields: Any) -> dict[str, Any]:
        body = {"email": f"{unique('c')}@example.com", "first_name": "Test", **fields}
        response = self.post("/customers", json=body)
        assert response.status_code == 201, response.text
        return dict(response.json())

    def events(self, **params: Any) -> list[dict[str, Any]]:
        response = self.get("/events", params={"limit": 1000, **params})
        assert response.status_code == 200, response.text
        return list(response.json()["items"])


class Api:
    def __init__(self, client: TestClient, *, admin_token: str) -> None:  # type: ignore[type-arg]
        self.client = client
        self.admin_token = admin_token

    def create_org(self, **settings: Any) -> Org:
        slug = unique("org")
        body = {"name": f"Org {next(_counter)}", "slug": slug, "owner_email": f"owner@{slug}.example", **settings}
        response = self.client.post(
            "/api/v1/organizations", json=body, headers={"Authorization": f"Bearer {self.admin_token}"}
        )
        assert response.status_code == 201, response.text
        data = response.json()
        return Org(
            api=self,
            id=data["organization"]["id"],
            slug=slug,
            owner_id=data["owner"]["id"],
            owner_key=data["owner_api_key"],
            keys={"owner": data["owner_api_key"]},
        )

    def create_staff(self, org: Org, role: str) -> dict[str, Any]:
        response = self.client.post(
            "/api/v1/staff",
            json={"email": f"{unique(role)}@{org.slug}.example", "name": role.title(), "role": role},
            headers={"Authorization": f"Bearer {org.owner_key}"},
        )
        assert response.status_code == 201, response.text
        return dict(response.json())


def ledger_problems(engine: Any, org_id: str) -> list[str]:
    """Customers of the organization whose balance is not the sum of their ledger, or is negative (by SQL)."""
    query = sa.text(
        """
        SELECT c.id, c.points_balance, COALESCE(SUM(e.points), 0) AS ledger
        FROM customer c LEFT JOIN loyalty_entry e ON e.org_id = c.org_id AND e.customer_id = c.id
        WHERE c.org_id = :org_id
        GROUP BY c.id, c.points_balance
        """
    ).bindparams(sa.bindparam("org_id", type_=sa.Uuid()))
    with engine.connect() as conn:
        rows = conn.execute(query, {"org_id": uuid.UUID(org_id)}).all()
    return [
        f"customer {r.id}: balance {r.points_balance}, ledger sum {r.ledger}"
        for r in rows
        if r.points_balance != r.ledger or r.points_balance < 0
    ]


def figures_problems(engine: Any, org_id: str, currency: str) -> list[str]:
    """Customers whose kept order figures and lifetime points differ from those counted afresh in Python
    from the orders and the ledger (paid orders in `currency`; dates are the orders' placed_at)."""
    from patron.db.base import table
    from patron.db.models import Customer, LoyaltyEntry, Order

    customer, order, entry = table(Customer), table(Order), table(LoyaltyEntry)
    org = uuid.UUID(org_id)
    with engine.connect() as conn:
        kept = conn.execute(sa.select(customer).where(customer.c.org_id == org)).mappings().all()
        orders = conn.execute(sa.select(order).where(order.c.org_id == org)).mappings().all()
        entries = conn.execute(sa.select(entry).where(entry.c.org_id == org)).mappings().all()
    problems = []
    for row in kept:
        mine = [o for o in orders if o["customer_id"] == row["id"]]
        paid = [o for o in mine if o["status"] == "paid" and o["currency"] == currency]
        expected = {
            "orders_count": len(paid),
            "total_spent": sum(o["total"] for o in paid),
            "first_order_at": min((o["placed_at"] for o in paid), default=None),
            "last_order_at": max((o["placed_at"] for o in paid), default=None),
            "lifetime_points": sum(e["lifetime_points"] for e in entries if e["customer_id"] == row["id"]),
        }
        found = {name: row[name] for name in expected}
        if found != expected:
            problems.append(f"customer {row['id']}: kept {found}, counted {expected}")
    return problems


LOYALTY = {"enabled": True, "earn_amount": 1000, "earn_points": 1, "tiers": {"bronze": 0, "silver": 100, "gold": 500}}


def loyal_org(api: Api, **loyalty: Any) -> Org:
    """An organization with loyalty enabled (1 point per 1000 minor units unless told otherwise)."""
    org = api.create_org()
    response = org.patch("/organization", json={"loyalty": {**LOYALTY, **loyalty}})
    assert response.status_code == 200, response.text
    return org
