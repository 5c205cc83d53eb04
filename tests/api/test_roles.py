"""The role table of SPEC §2 as one matrix: every route under /api/v1, which roles may call it.

One row per route template (Litestar's, as `app.routes` names it) and method. For every
row and every role, through the HTTP API: a refused role gets 403 `auth.forbidden` as
problem+json and its request changed nothing (the organization's outbox holds as many
events, and the nearest readable resource reads the same); an allowed role is not refused
(neither 401 nor 403, nor a 500). Refused roles go first, so the allowed ones may change
what they like. `test_every_api_route_has_a_row` fails when a route has no row.

The matrix lives here, at the top of tests/api rather than in one domain's folder: it is
about every domain's routes at once, read against one table (`identity/permissions.py`,
applied by `http/guards.py`). One organization with one key per role serves every row of a
backend; each row makes the records its path names.
"""

from __future__ import annotations

import functools
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pytest
import sqlalchemy as sa
from litestar.routes import HTTPRoute
from litestar.testing import TestClient

from patron.db.models import OutboxEvent
from patron.db.uow import Database
from patron.http.guards import Access
from tests.conftest import ADMIN_TOKEN
from tests.factories import LOYALTY, Api, Org, unique

ROLES = ("owner", "cashier", "marketing", "sales")
PREFIX = "/api/v1"

ALL = "owner cashier marketing sales"
OWNER = "owner"
SALES = "owner sales"
TILL = "owner cashier"
MARKETING = "owner marketing"
CREATE = "owner cashier sales"
CRM_READ = "owner marketing sales"

Body = Callable[["Records"], Any]


@dataclass(frozen=True)
class Row:
    method: str
    template: str
    roles: str  # the roles that may, space-separated
    body: Body | None = None
    query: dict[str, str] = field(default_factory=dict)

    @property
    def allowed(self) -> frozenset[str]:
        return frozenset(self.roles.split())

    def __str__(self) -> str:
        return f"{self.method} {self.template}"


def _customer(_: Records) -> dict[str, Any]:
    return {"email": f"{unique('r')}@example.com", "first_name": "Role"}


WEBHOOK = {"url": "http://127.0.0.1:9/in", "event_types": ["*"], "active": False}
ADDRESS = {"street": "Lê Lợi", "city": "Hồ Chí Minh", "country": "VN", "is_default_shipping": True}

MATRIX = [
    # organization and staff
    Row("GET", "/organization", ALL),
    Row("PATCH", "/organization", OWNER, lambda r: {"guest_retention_days": 400}),
    Row("GET", "/staff", OWNER),
    Row("POST", "/staff", OWNER, lambda r: {"email": f"{unique('s')}@example.com", "name": "S", "role": "sales"}),
    Row("GET", "/staff/{staff_id:str}", OWNER),
    Row("PATCH", "/staff/{staff_id:str}", OWNER, lambda r: {"name": "Renamed"}),
    Row("DELETE", "/staff/{staff_id:str}", OWNER),
    Row("POST", "/staff/{staff_id:str}/api-keys", OWNER, lambda r: {"name": "extra"}),
    Row("GET", "/staff/{staff_id:str}/api-keys", OWNER),
    Row("DELETE", "/api-keys/{key_id:str}", OWNER),
    # customers
    Row("GET", "/customers", ALL),
    Row("POST", "/customers", CREATE, _customer),
    Row("POST", "/customers/batch", CREATE, lambda r: {"customers": [_customer(r)]}),
    Row("GET", "/exports/customers.csv", MARKETING),
    Row("GET", "/exports/customers.xlsx", MARKETING),
    Row("GET", "/customers/by-email/{email:str}", ALL),
    Row("GET", "/customers/{customer_id:str}", ALL),
    Row("PATCH", "/customers/{customer_id:str}", OWNER, lambda r: {"is_favorite": True}),
    Row("DELETE", "/customers/{customer_id:str}", OWNER),
    Row("POST", "/customers/{customer_id:str}/restore", OWNER),
    Row("GET", "/customers/{customer_id:str}/export", OWNER),
    Row("POST", "/customers/{customer_id:str}/erase", OWNER, lambda r: {"reason": "asked to be forgotten"}),
    Row("DELETE", "/customers/guests/outdated", OWNER),
    Row("POST", "/customers/{customer_id:str}/qualify", SALES),
    Row("POST", "/customers/{customer_id:str}/convert", SALES),
    Row("POST", "/customers/{customer_id:str}/churn", SALES),
    Row("POST", "/customers/{customer_id:str}/reactivate", SALES),
    Row("PUT", "/customers/{customer_id:str}/tier", SALES, lambda r: {"tier": "pro"}),
    # merges
    Row("POST", "/customers/{customer_id:str}/merge", OWNER, lambda r: {"from_ids": [r.other_customer]}),
    Row("GET", "/merges/{merge_id:str}", OWNER),
    Row("POST", "/merges/{merge_id:str}/undo", OWNER),
    Row("PUT", "/customers/{customer_id:str}/tags", SALES, lambda r: {"tags": ["vip"]}),
    Row("POST", "/customers/{customer_id:str}/tags/{tag:str}", SALES),
    Row("DELETE", "/customers/{customer_id:str}/tags/{tag:str}", SALES),
    Row("PUT", "/customers/{customer_id:str}/assign", SALES, lambda r: {"assigned_to": None}),
    # customer groups and product restrictions
    Row("GET", "/customer-groups", ALL),
    Row("POST", "/customer-groups", OWNER, lambda r: {"name": unique("g")}),
    Row("GET", "/customer-groups/{group_id:str}", ALL),
    Row("PATCH", "/customer-groups/{group_id:str}", OWNER, lambda r: {"is_merchant": True}),
    Row("DELETE", "/customer-groups/{group_id:str}", OWNER),
    Row("GET", "/customer-groups/{group_id:str}/product-restrictions", ALL),
    Row("PUT", "/customer-groups/{group_id:str}/product-restrictions", OWNER, lambda r: {"deny": ["SKU-1"]}),
    Row("GET", "/customers/{customer_id:str}/product-restrictions", ALL),
    Row("PUT", "/customers/{customer_id:str}/product-restrictions", OWNER, lambda r: {"allow": ["SKU-1"]}),
    Row("GET", "/customers/{customer_id:str}/product-access/{product_ref:str}", ALL),
    # companies
    Row("GET", "/companies", ALL),
    Row("POST", "/companies", SALES, lambda r: {"name": unique("Acme")}),
    Row("GET", "/companies/{company_id:str}", ALL),
    Row("PATCH", "/companies/{company_id:str}", SALES, lambda r: {"name": "Renamed"}),
    Row("DELETE", "/companies/{company_id:str}", SALES),
    Row("GET", "/companies/{company_id:str}/contacts", ALL),
    Row("GET", "/companies/{company_id:str}/members", ALL),
    Row(
        "POST",
        "/companies/{company_id:str}/members",
        SALES,
        lambda r: {"customer_id": r.other_customer, "role": "buyer"},
    ),
    Row("PATCH", "/companies/{company_id:str}/members/{customer_id:str}", SALES, lambda r: {"role": "admin"}),
    Row("DELETE", "/companies/{company_id:str}/members/{customer_id:str}", SALES),
    Row("GET", "/companies/{company_id:str}/join-codes", SALES),
    Row("POST", "/companies/{company_id:str}/join-codes", SALES, lambda r: {"role": "buyer"}),
    Row("DELETE", "/companies/{company_id:str}/join-codes/{code_id:str}", SALES),
    Row("POST", "/join-codes/redeem", SALES, lambda r: {"code": r.join_code[0], "customer_id": r.other_customer}),
    # deals
    Row("GET", "/pipelines", CRM_READ),
    Row("POST", "/pipelines", OWNER, lambda r: {"name": unique("p")}),
    Row("GET", "/pipelines/{pipeline_id:str}", CRM_READ),
    Row("PATCH", "/pipelines/{pipeline_id:str}", OWNER, lambda r: {"name": unique("p")}),
    Row("DELETE", "/pipelines/{pipeline_id:str}", OWNER),
    Row("GET", "/pipelines/{pipeline_id:str}/board", CRM_READ),
    Row("GET", "/deals", CRM_READ),
    Row(
        "POST",
        "/deals",
        SALES,
        lambda r: {"title": "T", "value": 1, "currency": "EUR", "customer_id": r["customer_id"]},
    ),
    Row("GET", "/deals/{deal_id:str}", CRM_READ),
    Row("PATCH", "/deals/{deal_id:str}", SALES, lambda r: {"value": 5}),
    Row("DELETE", "/deals/{deal_id:str}", SALES),
    Row("POST", "/deals/{deal_id:str}/move", SALES, lambda r: {"stage_id": r.deal[1]}),
    Row("POST", "/deals/{deal_id:str}/reopen", OWNER, lambda r: {}),
    # interactions, memos, the timeline
    Row("GET", "/customers/{customer_id:str}/interactions", CRM_READ),
    Row("POST", "/customers/{customer_id:str}/interactions", SALES, lambda r: {"kind": "call", "summary": "Hi"}),
    Row("GET", "/companies/{company_id:str}/interactions", CRM_READ),
    Row("POST", "/companies/{company_id:str}/interactions", SALES, lambda r: {"kind": "meeting", "summary": "Hi"}),
    Row("GET", "/interactions/{interaction_id:str}", CRM_READ),
    Row("PATCH", "/interactions/{interaction_id:str}", SALES, lambda r: {"outcome": "done"}),
    Row("DELETE", "/interactions/{interaction_id:str}", SALES),
    Row("GET", "/customers/{customer_id:str}/memos", CRM_READ),
    Row("POST", "/customers/{customer_id:str}/memos", SALES, lambda r: {"body": "Note"}),
    Row("PATCH", "/customers/{customer_id:str}/memos/{memo_id:str}", SALES, lambda r: {"body": "Rewritten"}),
    Row("DELETE", "/customers/{customer_id:str}/memos/{memo_id:str}", SALES),
    Row("GET", "/customers/{customer_id:str}/timeline", CRM_READ),
    # orders and points
    Row("POST", "/orders", TILL, lambda r: {"external_ref": unique("o"), "total": 1, "currency": "USD"}),
    Row("GET", "/orders/{order_id:str}", ALL),
    Row("PUT", "/orders/{order_id:str}/customer", TILL, lambda r: {"customer_id": r.other_customer}),
    Row("POST", "/orders/{order_id:str}/pay", TILL),
    Row("POST", "/orders/{order_id:str}/refund", OWNER),
    Row("POST", "/orders/{order_id:str}/cancel", TILL),
    Row("GET", "/customers/{customer_id:str}/orders", ALL),
    Row("GET", "/customers/{customer_id:str}/points", ALL),
    Row("POST", "/customers/{customer_id:str}/points/redeem", TILL, lambda r: {"points": 10}),
    Row("POST", "/customers/{customer_id:str}/points/adjust", OWNER, lambda r: {"points": 5, "reason": "goodwill"}),
    # addresses
    Row("GET", "/customers/{customer_id:str}/addresses", ALL),
    Row("POST", "/customers/{customer_id:str}/addresses", TILL, lambda r: {**ADDRESS, "street": "Hai Bà Trưng"}),
    Row("GET", "/customers/{customer_id:str}/addresses/{address_id:str}", ALL),
    Row("PATCH", "/customers/{customer_id:str}/addresses/{address_id:str}", OWNER, lambda r: {"city": "Hà Nội"}),
    Row("DELETE", "/customers/{customer_id:str}/addresses/{address_id:str}", OWNER),
    # customer lists
    Row("GET", "/customers/{customer_id:str}/lists", ALL),
    Row("POST", "/customers/{customer_id:str}/lists", OWNER, lambda r: {"name": "More"}),
    Row("GET", "/customers/{customer_id:str}/lists/{list_id:str}", ALL),
    Row("PATCH", "/customers/{customer_id:str}/lists/{list_id:str}", OWNER, lambda r: {"name": "Renamed"}),
    Row("DELETE", "/customers/{customer_id:str}/lists/{list_id:str}", OWNER),
    Row("POST", "/customers/{customer_id:str}/lists/{list_id:str}/items", OWNER, lambda r: {"product_ref": "SKU-2"}),
    Row(
        "PATCH",
        "/customers/{customer_id:str}/lists/{list_id:str}/items/{item_id:str}",
        OWNER,
        lambda r: {"quantity": 2},
    ),
    Row("DELETE", "/customers/{customer_id:str}/lists/{list_id:str}/items/{item_id:str}", OWNER),
    Row("POST", "/customers/{customer_id:str}/lists/{list_id:str}/share", OWNER),
    Row("DELETE", "/customers/{customer_id:str}/lists/{list_id:str}/share", OWNER),
    # the event feed; the stream is asked with a bad cursor so that an allowed role gets 422 instead of a stream
    Row("GET", "/events", CRM_READ),
    Row("GET", "/events/stream", CRM_READ, query={"after": "not-a-cursor"}),
    # newsletter, inquiries, webhooks
    Row("GET", "/newsletter/subscribers", MARKETING),
    Row("GET", "/newsletter/subscribers/{subscriber_id:str}", MARKETING),
    Row("POST", "/newsletter/subscribers/{subscriber_id:str}/revoke-links", MARKETING),
    Row("GET", "/newsletter/stats", MARKETING),
    Row("GET", "/inquiries", SALES),
    Row("GET", "/inquiries/{inquiry_id:str}", SALES),
    Row("POST", "/inquiries/{inquiry_id:str}/assign", SALES, lambda r: {"staff_id": r.org.owner_id}),
    Row("POST", "/inquiries/{inquiry_id:str}/replies", SALES, lambda r: {"message": "hello"}),
    Row("POST", "/inquiries/{inquiry_id:str}/convert", SALES, lambda r: {}),
    Row("POST", "/inquiries/{inquiry_id:str}/lose", SALES, lambda r: {"reason": "spam"}),
    Row("GET", "/webhooks", OWNER),
    Row("POST", "/webhooks", OWNER, lambda r: WEBHOOK),
    Row("GET", "/webhooks/{webhook_id:str}", OWNER),
    Row("PATCH", "/webhooks/{webhook_id:str}", OWNER, lambda r: {"active": False}),
    Row("DELETE", "/webhooks/{webhook_id:str}", OWNER),
    Row("POST", "/webhooks/{webhook_id:str}/rotate-secret", OWNER),
    Row("GET", "/webhooks/{webhook_id:str}/deliveries", OWNER),
    # imports
    Row("POST", "/imports", MARKETING),
    Row("GET", "/imports", MARKETING),
    Row("GET", "/imports/{import_id:str}", MARKETING),
    Row("GET", "/imports/{import_id:str}/errors.csv", MARKETING),
    Row("GET", "/imports/{import_id:str}/rows.csv", MARKETING),
    # duplicates
    Row("GET", "/duplicates", SALES),
    Row("POST", "/duplicates/dismiss", OWNER, lambda r: {"customer_ids": [r["customer_id"], r.other_customer]}),
    # analytics
    Row("GET", "/analytics/rfm", CRM_READ, query={"as_of": "2026-12-01"}),
    Row("GET", "/analytics/rfm/customers", CRM_READ, query={"as_of": "2026-12-01"}),
    Row("GET", "/analytics/clv", CRM_READ, query={"as_of": "2026-12-01"}),
    Row("GET", "/analytics/retention", CRM_READ, query={"as_of": "2026-12-01"}),
    Row("GET", "/analytics/churn-risk", CRM_READ, query={"as_of": "2026-12-01"}),
    Row("GET", "/analytics/growth", CRM_READ, query={"as_of": "2026-12-01"}),
    # segments
    Row("POST", "/segments/preview", CRM_READ, lambda r: {"query": "tier = 'pro' or tags has 'vip'"}),
    Row("POST", "/segments", MARKETING, lambda r: {"name": unique("seg"), "query": "tags has 'vip'"}),
    Row("GET", "/segments", CRM_READ),
    Row("GET", "/segments/{segment_id:str}", CRM_READ),
    Row("PATCH", "/segments/{segment_id:str}", MARKETING, lambda r: {"description": "VIPs"}),
    Row("DELETE", "/segments/{segment_id:str}", MARKETING),
    Row("GET", "/segments/{segment_id:str}/customers", CRM_READ),
]

# Routes under /api/v1 that no staff key opens: anyone may call them, or the platform admin token.
PUBLIC = [
    ("GET", "/shared-lists/{token:str}"),
    ("POST", "/public/{org_slug:str}/newsletter/subscriptions"),
    ("GET", "/public/newsletter/confirm/{token:str}"),
    ("GET", "/public/newsletter/unsubscribe/{token:str}"),
    ("POST", "/public/newsletter/unsubscribe/{token:str}"),
    ("POST", "/public/{org_slug:str}/inquiries"),
]
PLATFORM = [("POST", "/organizations")]

_GET_TEMPLATES = {row.template for row in MATRIX if row.method == "GET"}


def _observed(template: str) -> str | None:
    """The nearest readable resource of a route: its own template or the longest prefix with a GET row."""
    parts = template.split("/")
    for end in range(len(parts), 1, -1):
        candidate = "/".join(parts[:end])
        # An event stream never ends; a CSV or XLSX file (an export, an import's report) is not JSON;
        # an access export is stamped with the time it was made (its customer is observed instead).
        if (
            candidate in _GET_TEMPLATES
            and "stream" not in candidate
            and not candidate.endswith((".csv", ".xlsx", "/export"))
        ):
            return candidate
    return None


class Records:
    """The records one row's path and body name, made on first use in the shared organization."""

    def __init__(self, org: Org, row: Row) -> None:
        self.org, self.row = org, row
        self.values: dict[str, str] = {}

    def _ok(self, response: Any, status: int = 201) -> dict[str, Any]:
        assert response.status_code == status, response.text
        return dict(response.json())

    def fill(self, template: str) -> str:
        values = {part: self[part[1:-1].split(":")[0]] for part in template.split("/") if part.startswith("{")}
        return "/".join(values.get(part, part) for part in template.split("/"))

    def __getitem__(self, name: str) -> str:
        if name not in self.values:
            self.values[name] = str(getattr(self, f"_make_{name}")())
        return self.values[name]

    def _make_customer_id(self) -> str:
        if "{company_id" in self.row.template and "members/{customer_id" in self.row.template:
            member = self.org.create_customer()
            body = {"customer_id": member["id"], "role": "buyer"}
            self._ok(self.org.post(f"/companies/{self['company_id']}/members", json=body))
            return str(member["id"])
        customer = self.org.create_customer(tags=["old"], assigned_to=self.org.owner_id)
        self.values["email"] = customer["email"]
        if "/points" in self.row.template:
            body = {"points": 100, "reason": "seed"}
            self._ok(self.org.post(f"/customers/{customer['id']}/points/adjust", json=body), 200)
        return str(customer["id"])

    def _make_email(self) -> str:
        self["customer_id"]
        return self.values["email"]

    def _make_tag(self) -> str:
        return "old"

    def _make_product_ref(self) -> str:
        return "SKU-1"

    @functools.cached_property
    def other_customer(self) -> str:
        return str(self.org.create_customer()["id"])

    def _make_staff_id(self) -> str:
        return str(self.org.api.create_staff(self.org, "cashier")["staff"]["id"])

    def _make_key_id(self) -> str:
        return str(self._ok(self.org.post(f"/staff/{self['staff_id']}/api-keys", json={}))["key"]["id"])

    def _make_group_id(self) -> str:
        return str(self._ok(self.org.post("/customer-groups", json={"name": unique("g")}))["id"])

    def _make_company_id(self) -> str:
        return str(self._ok(self.org.post("/companies", json={"name": unique("Acme")}))["id"])

    @functools.cached_property
    def join_code(self) -> tuple[str, str]:
        code = self._ok(self.org.post(f"/companies/{self['company_id']}/join-codes", json={}))
        return str(code["code"]), str(code["join_code"]["id"])

    def _make_code_id(self) -> str:
        return self.join_code[1]

    def _make_pipeline_id(self) -> str:
        return str(self._ok(self.org.post("/pipelines", json={"name": unique("p")}))["id"])

    @functools.cached_property
    def deal(self) -> tuple[str, str]:
        """A deal (won already when the row reopens it) and its pipeline's proposal stage."""
        body = {"title": "D", "value": 1, "currency": "EUR", "customer_id": self["customer_id"]}
        deal = self._ok(self.org.post("/deals", json=body))
        stages = {
            s["name"]: s["id"] for s in self._ok(self.org.get(f"/pipelines/{deal['pipeline_id']}"), 200)["stages"]
        }
        if self.row.template.endswith("/reopen"):
            self._ok(self.org.post(f"/deals/{deal['id']}/move", json={"stage_id": stages["won"]}), 200)
        return str(deal["id"]), str(stages["proposal"])

    def _make_deal_id(self) -> str:
        return self.deal[0]

    def _make_interaction_id(self) -> str:
        body = {"kind": "call", "summary": "x"}
        return str(self._ok(self.org.post(f"/customers/{self['customer_id']}/interactions", json=body))["id"])

    def _make_memo_id(self) -> str:
        return str(self._ok(self.org.post(f"/customers/{self['customer_id']}/memos", json={"body": "x"}))["id"])

    def _make_order_id(self) -> str:
        body: dict[str, Any] = {"external_ref": unique("o"), "total": 50_000, "currency": "USD"}
        if not self.row.template.endswith("/customer"):
            body["customer_id"] = self.other_customer
        order = self._ok(self.org.post("/orders", json=body))
        if self.row.template.endswith("/refund"):
            self._ok(self.org.post(f"/orders/{order['id']}/pay"), 200)
        return str(order["id"])

    def _make_address_id(self) -> str:
        return str(self._ok(self.org.post(f"/customers/{self['customer_id']}/addresses", json=ADDRESS))["id"])

    def _make_list_id(self) -> str:
        body = {"name": "Wishes", "kind": "wishlist"}
        made = self._ok(self.org.post(f"/customers/{self['customer_id']}/lists", json=body))
        if self.row.method == "DELETE" and self.row.template.endswith("/share"):
            self._ok(self.org.post(f"/customers/{self['customer_id']}/lists/{made['id']}/share"), 200)
        return str(made["id"])

    def _make_item_id(self) -> str:
        path = f"/customers/{self['customer_id']}/lists/{self['list_id']}/items"
        return str(self._ok(self.org.post(path, json={"product_ref": "SKU-1"}))["id"])

    def _make_subscriber_id(self) -> str:
        email = f"{unique('n')}@example.com"
        public = f"{PREFIX}/public/{self.org.slug}/newsletter/subscriptions"
        self._ok(self.org.api.client.post(public, json={"email": email}))
        found = self._ok(self.org.get("/newsletter/subscribers", params={"email": email}), 200)
        return str(found["items"][0]["id"])

    def _make_inquiry_id(self) -> str:
        body = {"name": "Role Test", "email": f"{unique('i')}@example.com", "message": "hello"}
        inquiry = self._ok(self.org.api.client.post(f"{PREFIX}/public/{self.org.slug}/inquiries", json=body))
        if self.row.template.endswith(("/replies", "/convert")):  # they need someone to have taken it on
            body = {"staff_id": self.org.owner_id}
            self._ok(self.org.post(f"/inquiries/{inquiry['id']}/assign", json=body), 200)
        return str(inquiry["id"])

    def _make_merge_id(self) -> str:
        survivor, source = self.org.create_customer(), self.org.create_customer()
        merged = self._ok(self.org.post(f"/customers/{survivor['id']}/merge", json={"from_ids": [source["id"]]}), 200)
        return str(merged["merge_id"])

    def _make_import_id(self) -> str:
        files = {"file": ("c.csv", b"email,first_name\r\nnot-an-email,X\r\n", "text/csv")}
        return str(self._ok(self.org.post("/imports", files=files), 202)["id"])

    def _make_segment_id(self) -> str:
        body = {"name": unique("segment"), "query": "tier = 'pro'"}
        return str(self._ok(self.org.post("/segments", json=body))["id"])

    def _make_webhook_id(self) -> str:
        return str(self._ok(self.org.post("/webhooks", json=WEBHOOK))["webhook"]["id"])


@pytest.fixture(scope="module")
def shared_org(client: TestClient) -> Org:  # type: ignore[type-arg]
    """One organization per backend, loyalty on, with a key for each role."""
    org = Api(client, admin_token=ADMIN_TOKEN).create_org()
    assert org.patch("/organization", json={"loyalty": LOYALTY}).status_code == 200
    for role in ROLES:
        org.headers(role)
    return org


def _outbox_count(database: Database, org: Org) -> int:
    stmt = sa.select(sa.func.count()).select_from(OutboxEvent).where(OutboxEvent.org_id == uuid.UUID(org.id))
    with database.engine.connect() as conn:
        return int(conn.execute(stmt).scalar_one())


@pytest.mark.parametrize("row", MATRIX, ids=str)
def test_role_matrix(shared_org: Org, database: Database, row: Row) -> None:
    org = shared_org
    records = Records(org, row)
    path = records.fill(row.template)
    body = row.body(records) if row.body else None
    observed = _observed(row.template)
    observe = records.fill(observed) if observed else None
    # A read observed as itself is observed with its query (analytics: a fixed as_of).
    observe_query = row.query if observe == path else None
    for role in sorted(ROLES, key=lambda r: r in row.allowed):  # refused roles first
        events_before = _outbox_count(database, org)
        seen_before = org.get(observe, params=observe_query).json() if observe else None
        response = org.request(row.method, path, role, json=body, params=row.query)
        if role in row.allowed:
            assert response.status_code not in (401, 403), (role, response.text)
            assert response.status_code < 500, (role, response.text)
            continue
        assert response.status_code == 403, (role, response.status_code, response.text)
        assert response.headers["content-type"].startswith("application/problem+json")
        assert response.json()["code"] == "auth.forbidden"
        assert _outbox_count(database, org) == events_before, f"a refused {role} request wrote an event"
        if observe:
            assert org.get(observe, params=observe_query).json() == seen_before, (
                f"a refused {role} request changed {observe}"
            )


def _api_routes(client: TestClient) -> dict[tuple[str, str], Any]:  # type: ignore[type-arg]
    routes = {}
    for route in client.app.routes:
        if isinstance(route, HTTPRoute) and route.path.startswith(PREFIX + "/"):
            for handler in route.route_handlers:
                for method in handler.http_methods - {"OPTIONS", "HEAD"}:
                    routes[(method, route.path.removeprefix(PREFIX))] = handler.opt.get("access")
    return routes


def test_every_api_route_has_a_row(client: TestClient) -> None:  # type: ignore[type-arg]
    routes = _api_routes(client)
    listed = [(row.method, row.template) for row in MATRIX] + PUBLIC + PLATFORM
    assert len(listed) == len(set(listed)), "a route is listed twice"
    assert sorted(set(routes) - set(listed)) == [], "routes without a row in the role matrix"
    assert sorted(set(listed) - set(routes)) == [], "rows for routes the app does not have"
    for key in PUBLIC:
        assert routes[key] is Access.PUBLIC, key
    for key in PLATFORM:
        assert routes[key] is Access.PLATFORM, key


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
