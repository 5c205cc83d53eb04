"""Privacy benchmark: the access export and the erasure of customers with a realistic history,
in an organization of 100,000 customers (issue 14: export p50 <= 30 ms, erasure p50 <= 50 ms).

    python bench/privacy.py                  # both databases, 100,000 customers
    python bench/privacy.py --quick          # 20,000 customers
    python bench/privacy.py --backends sqlite

The organization is bulk-seeded (bench/seeding.py); then, through one `patron serve`, customers
are given a history as a shop and its staff would make it, every POST with an Idempotency-Key:
3 profile updates, 2 addresses, 20 paid orders (points), a redemption and an adjustment, a
wishlist with 3 items, a newsletter subscription with its consent, an inquiry with a reply,
3 interactions, 3 memos and a deal (the inquiry converted onto the customer). Timed from this
process over HTTP: GET /customers/{id}/export of those customers, then POST /customers/{id}/erase
of each (one erasure per customer). The
statements of one export and one erasure are EXPLAINed on the database; a scan of a table that is
not an index search is printed. Results go to bench/results/<time>-privacy-<size>.json.
"""

from __future__ import annotations

import argparse
import json
import os
import secrets
import time
import uuid
from typing import Any

import httpx
import sqlalchemy as sa
from run import ROOT, _pct, database_url, drop_database, fresh_database, seed, serving, write_results

from patron import wiring
from patron.db import migrate
from patron.db.engine import create_engine
from patron.db.uow import Database
from patron.identity import service as identity
from patron.identity.schemas import OrganizationCreate
from patron.kernel.tenancy import SYSTEM, Principal, Role
from patron.privacy import service as privacy
from patron.privacy.schemas import ErasureCreate

# Its own databases: other benchmarks may run beside this one.
WORK = ROOT / ".data-privacy"
PG_DATABASE = "patron_bench_privacy"
TARGETS_MS = {"export_p50": 30, "erase_p50": 50}
HISTORY_CUSTOMERS = 40
EXPORTS = 400


class Shop:
    """The HTTP client of one organization, every POST idempotent as a till's would be."""

    def __init__(self, client: httpx.Client, key: str, slug: str) -> None:
        self.client, self.slug = client, slug
        self.headers = {"Authorization": f"Bearer {key}"}
        self.owner_id = ""

    def call(self, method: str, path: str, body: Any = None, *, status: int | None = None) -> Any:
        headers = dict(self.headers)
        if method == "POST":
            headers["Idempotency-Key"] = uuid.uuid4().hex
        response = self.client.request(method, f"/api/v1{path}", json=body, headers=headers)
        if response.status_code >= 400 or (status and response.status_code != status):
            raise RuntimeError(f"{method} {path}: {response.status_code} {response.text}")
        return response.json() if response.content else None

    def public(self, path: str, body: Any) -> Any:
        response = self.client.post(f"/api/v1/public/{self.slug}{path}", json=body)
        if response.status_code >= 400:
            raise RuntimeError(f"POST {path}: {response.status_code} {response.text}")
        return response.json()


def history(shop: Shop, i: int) -> str:
    """One customer with the history the module docstring lists; answers its id."""
    email = f"history.{i}@bench.example"
    c = shop.call("POST", "/customers", {"email": email, "first_name": "Lan", "last_name": f"Nguyễn{i}"})
    cid = c["id"]
    for change in ({"phone": f"+8491{i:07d}"}, {"birthday": "1990-04-0" + str(1 + i % 9)}, {"tags": ["vip"]}):
        shop.call("PATCH", f"/customers/{cid}", change)
    for street in ("Lê Lợi", "Hai Bà Trưng"):
        body = {"street": f"{i} {street}", "city": "Hồ Chí Minh", "postcode": "700000", "country": "VN"}
        shop.call("POST", f"/customers/{cid}/addresses", body)
    for n in range(20):
        order = shop.call(
            "POST",
            "/orders",
            {"external_ref": f"h{i}-{n}", "total": 150_000 + n, "currency": "VND", "customer_id": cid},
        )
        shop.call("POST", f"/orders/{order['id']}/pay")
    shop.call("POST", f"/customers/{cid}/points/redeem", {"points": 5})
    shop.call("POST", f"/customers/{cid}/points/adjust", {"points": 2, "reason": "goodwill"})
    wishlist = shop.call("POST", f"/customers/{cid}/lists", {"name": "Wishlist"})
    for n in range(3):
        shop.call("POST", f"/customers/{cid}/lists/{wishlist['id']}/items", {"product_ref": f"SKU-{n}"})
    shop.public("/newsletter/subscriptions", {"email": email, "topics": ["news"], "consent_text": "Yes"})
    inquiry = shop.public("/inquiries", {"name": f"Lan Nguyễn{i}", "email": email, "message": "Do you deliver?"})
    shop.call("POST", f"/inquiries/{inquiry['id']}/assign", {"staff_id": shop.owner_id})
    shop.call("POST", f"/inquiries/{inquiry['id']}/replies", {"message": "We do."})
    shop.call("POST", f"/inquiries/{inquiry['id']}/convert", {})
    for n in range(3):
        shop.call("POST", f"/customers/{cid}/interactions", {"kind": "call", "summary": f"call {n}"})
        shop.call("POST", f"/customers/{cid}/memos", {"body": f"memo {n}"})
    shop.call("POST", "/deals", {"title": f"Deal {i}", "value": 1_000_000, "currency": "VND", "customer_id": cid})
    return str(cid)


def _timed(call: Any, *args: Any) -> float:
    began = time.perf_counter()
    call(*args)
    return time.perf_counter() - began


def explain(database: Database, org_id: uuid.UUID, export_id: uuid.UUID, erase_id: uuid.UUID) -> list[str]:
    """Statements of one export and one erasure whose plan reads a table other than by an index."""
    statements: list[tuple[str, Any]] = []

    def capture(conn: Any, cursor: Any, statement: str, parameters: Any, context: Any, many: bool) -> None:
        if statement.lstrip().upper().startswith(("SELECT", "UPDATE", "DELETE")):
            statements.append((statement, parameters[0] if many and parameters else parameters))

    principal = Principal(org_id=org_id, staff_id=org_id, role=Role.OWNER, api_key_id=None)
    sa.event.listen(database.engine, "before_cursor_execute", capture)
    try:
        with database.unit_of_work(actor=SYSTEM) as uow:
            privacy.export_customer(uow, principal=principal, customer_id=export_id)
            privacy.erase_customer(uow, principal=principal, customer_id=erase_id, data=ErasureCreate("explain"))
    finally:
        sa.event.remove(database.engine, "before_cursor_execute", capture)
    findings: list[str] = []
    with database.engine.connect() as conn:
        if not database.is_sqlite:
            # The organization's small tables are cheaper to scan than to search, so PostgreSQL's
            # plan says nothing about whether an index would be used at size: forbid the scan, and a
            # plan that keeps one has no index to use.
            conn.exec_driver_sql("SET enable_seqscan = off")
        for statement, parameters in statements:
            prefix = "EXPLAIN QUERY PLAN " if database.is_sqlite else "EXPLAIN "
            plan = [
                str(row[-1] if database.is_sqlite else row[0])
                for row in conn.exec_driver_sql(prefix + statement, parameters)
            ]
            if database.is_sqlite:
                # a SCAN, or a search of an index by the organization alone, reads all its rows
                scans = [line for line in plan if line.startswith("SCAN") or line.endswith("(org_id=?)")]
            else:
                scans = [line for line in plan if "Seq Scan" in line]
            if scans:
                findings.append(f"{' '.join(statement.split())[:100]} -> {'; '.join(s.strip() for s in scans)}")
        conn.rollback()
    return list(dict.fromkeys(findings))


def _analyze(database: Database) -> None:
    with database.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.exec_driver_sql("ANALYZE")


def run_backend(backend: str, *, customers: int) -> dict[str, Any]:
    fresh_database(backend, WORK, PG_DATABASE)
    url = database_url(backend, WORK, PG_DATABASE)
    wiring.wire()
    database = Database(create_engine(url, pool_size=2))
    migrate.upgrade(database.engine)
    with database.unit_of_work(actor=SYSTEM) as uow:
        created = identity.create_organization(
            uow, data=OrganizationCreate(name="Bench", slug="bench", owner_email="owner@bench.example", region="VN")
        )
    org_id = created.organization.id
    print(f"[{backend}] seeding {customers:,} customers ...", flush=True)
    seed(database, [org_id], customers)
    env = {
        **os.environ,
        "PATRON_DATABASE_URL": url,
        "PATRON_LOG_LEVEL": "warning",
        "PATRON_SECRET_KEY": os.environ.get("PATRON_SECRET_KEY") or secrets.token_urlsafe(32),
        "PATRON_EMBEDDED_WORKER": "false",
        # every public form of the history comes from this one address
        "PATRON_INQUIRY_RATE_LIMIT": "100000/hour",
        "PATRON_NEWSLETTER_RATE_LIMIT": "100000/hour",
    }
    result: dict[str, Any] = {"backend": backend, "customers": customers, "history_customers": HISTORY_CUSTOMERS}
    try:
        with serving(env) as client:
            shop = Shop(client, created.owner_api_key, "bench")
            loyalty = {"enabled": True, "earn_amount": 10_000, "earn_points": 1, "tiers": {"member": 0}}
            shop.call("PATCH", "/organization", {"loyalty": loyalty})
            shop.owner_id = shop.call("GET", "/staff")["items"][0]["id"]
            print(f"[{backend}] giving {HISTORY_CUSTOMERS + 2} customers a history ...", flush=True)
            ids = [history(shop, i) for i in range(HISTORY_CUSTOMERS + 2)]
            probe_export, probe_erase, ids = ids[0], ids[1], ids[2:]
            # Statistics as a maintained database has them: the seeding's ANALYZE saw an outbox of
            # a few rows, and SQLite's planner then scans it rather than search its subject index.
            _analyze(database)
            document = shop.call("GET", f"/customers/{ids[0]}/export")
            result["export_rows"] = {k: len(v) for k, v in document.items() if isinstance(v, list)}
            result["export_bytes"] = len(json.dumps(document))
            for cid in ids[:5]:  # warm up
                shop.call("GET", f"/customers/{cid}/export")
            exports = [_timed(shop.call, "GET", f"/customers/{ids[n % len(ids)]}/export") for n in range(EXPORTS)]
            erasures = [_timed(shop.call, "POST", f"/customers/{cid}/erase", {"reason": "bench"}) for cid in ids]
            health = [_timed(client.get, "/healthz") for _ in range(200)]
        result["export_ms"] = {"count": len(exports), "p50": _pct(exports, 50), "p95": _pct(exports, 95)}
        result["erase_ms"] = {"count": len(erasures), "p50": _pct(erasures, 50), "p95": _pct(erasures, 95)}
        result["floor_healthz_ms"] = {"p50": _pct(health, 50)}
        result["full_scans"] = explain(database, org_id, uuid.UUID(probe_export), uuid.UUID(probe_erase))
    finally:
        database.dispose()
    drop_database(backend, WORK, PG_DATABASE)
    return result


def report(r: dict[str, Any]) -> str:
    def line(label: str, name: str) -> str:
        figures, target = r[f"{name}_ms"], TARGETS_MS[f"{name}_p50"]
        met = "met" if figures["p50"] <= target else "MISSED"
        p50, p95, n = figures["p50"], figures["p95"], figures["count"]
        return f"  {label:34} p50 {p50:6.1f} ms (<= {target} {met}), p95 {p95:6.1f} ms, n={n}"

    lines = [
        f"{r['backend']}: {r['customers']:,} customers; {r['history_customers']} with a history "
        f"(export of one: {r['export_bytes']:,} bytes, {r['export_rows']})",
        line("GET /customers/{id}/export", "export"),
        line("POST /customers/{id}/erase", "erase"),
        f"  {'floor: GET /healthz':34} p50 {r['floor_healthz_ms']['p50']:6.1f} ms",
        "  EXPLAIN: every statement reads through an index"
        if not r["full_scans"]
        else "  EXPLAIN, reads not by an index:\n" + "\n".join(f"    {s}" for s in r["full_scans"]),
    ]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="20,000 customers instead of 100,000")
    parser.add_argument("--backends", default="sqlite,postgresql")
    args = parser.parse_args()
    customers = 20_000 if args.quick else 100_000
    results = []
    for backend in args.backends.split(","):
        result = run_backend(backend, customers=customers)
        results.append(result)
        print(report(result), flush=True)
    write_results(results, f"privacy-{customers}")


if __name__ == "__main__":
    main()
