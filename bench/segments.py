"""Segments and analytics benchmark (issue 15): 10 organizations of 100,000 customers (1,000,000)
with about 3,000,000 paid orders, seeded through the bulk path (bench/seeding.py,
bench/order_seeding.py: the figures counted by the app's own recount).

    python bench/segments.py                  # both databases, 10 x 100,000 customers
    python bench/segments.py --quick          # 10 x 10,000
    python bench/segments.py --backends sqlite

Through one `patron serve`, from this process over HTTP, in the first organization: the README's
example query saved as a segment, its live count (GET /segments/{id}) and its first page
(GET /segments/{id}/customers?limit=25), and the same query through POST /segments/preview (count
and first 10 in one answer); GET /analytics/rfm, /retention, /growth, /clv and /churn-risk; and
paying an order (create + pay: the pay is timed, with its figures update). Targets: count p50 <=
20 ms and first page <= 10 ms, RFM <= 1 s on SQLite and <= 500 ms on PostgreSQL, retention and
growth <= 500 ms. Each route is then run once in-process on the same
database with its SQL captured, and every statement is printed with its plan (EXPLAIN).
Results go to bench/results/<time>-segments-<size>.json.
"""

from __future__ import annotations

import argparse
import logging
import os
import secrets
import time
from datetime import UTC, datetime
from typing import Any

import httpx
import order_seeding
import sqlalchemy as sa
from litestar.testing import TestClient
from run import ROOT, _pct, database_url, drop_database, fresh_database, seed, serving, write_results

from patron import wiring
from patron.app import create_app
from patron.config import Settings
from patron.db import fast, migrate
from patron.db.engine import create_engine
from patron.db.uow import Database
from patron.identity import service as identity
from patron.identity.schemas import OrganizationCreate
from patron.kernel.tenancy import SYSTEM

WORK = ROOT / ".data-segments"
PG_DATABASE = "patron_bench_segments"
QUERY = "tier = 'pro' and (tags has 'vip' or credit > 100000)"  # the README's example
NOW = datetime(2026, 12, 1, tzinfo=UTC)
TARGETS_MS: dict[str, dict[str, float]] = {
    "segment_count": {"sqlite": 20, "postgresql": 20},
    "segment_page": {"sqlite": 10, "postgresql": 10},
    "rfm": {"sqlite": 1000, "postgresql": 500},
    "retention": {"sqlite": 500, "postgresql": 500},
    "growth": {"sqlite": 500, "postgresql": 500},
}
ROUTES = {
    "rfm": "/analytics/rfm",
    "retention": "/analytics/retention?period=month&cohorts=12",
    "growth": "/analytics/growth?period=month&periods=12",
    "clv": "/analytics/clv",
    "churn_risk": "/analytics/churn-risk?limit=20",
}


def _call(client: Any, headers: dict[str, str], method: str, path: str, body: Any = None) -> Any:
    response = client.request(method, f"/api/v1{path}", json=body, headers=headers)
    if response.status_code >= 400:
        raise RuntimeError(f"{method} {path}: {response.status_code} {response.text}")
    return response.json() if response.content else None


def _times(call: Any, n: int) -> dict[str, float]:
    samples = []
    for _ in range(n):
        began = time.perf_counter()
        call()
        samples.append(time.perf_counter() - began)
    return {"count": n, "p50": _pct(samples, 50), "p95": _pct(samples, 95)}


def measure(client: httpx.Client, headers: dict[str, str], customer_ids: list[str], rounds: int) -> dict[str, Any]:
    result: dict[str, Any] = {}
    preview = {"query": QUERY}
    result["segment_size"] = _call(client, headers, "POST", "/segments/preview", preview)["count"]
    segment = _call(client, headers, "POST", "/segments", {"name": "Pro VIPs", "query": QUERY})
    count_path, page_path = f"/segments/{segment['id']}", f"/segments/{segment['id']}/customers?limit=25"
    result["segment_count_ms"] = _times(lambda: _call(client, headers, "GET", count_path), rounds)
    result["segment_page_ms"] = _times(lambda: _call(client, headers, "GET", page_path), rounds)
    result["segment_preview_ms"] = _times(lambda: _call(client, headers, "POST", "/segments/preview", preview), rounds)
    for name, route in ROUTES.items():
        _call(client, headers, "GET", route)  # warm
        result[f"{name}_ms"] = _times(lambda route=route: _call(client, headers, "GET", route), max(5, rounds // 20))
    pays = []
    for n in range(rounds):
        body = {"external_ref": f"bench-{n}", "total": 150_000, "currency": "VND", "customer_id": customer_ids[n]}
        order = _call(client, headers, "POST", "/orders", body)
        began = time.perf_counter()
        _call(client, headers, "POST", f"/orders/{order['id']}/pay")
        pays.append(time.perf_counter() - began)
    result["pay_ms"] = {"count": rounds, "p50": _pct(pays, 50), "p95": _pct(pays, 95)}
    return result


def explain(database: Database, url: str, key: str) -> dict[str, list[str]]:
    """Each route run once in-process: its statements (beyond the API key's) with their plans."""
    settings = Settings(database_url=url, secret_key=secrets.token_urlsafe(32), embedded_worker=False)
    statements: list[tuple[str, Any]] = []

    def capture(conn: Any, cursor: Any, statement: str, parameters: Any, context: Any, many: bool) -> None:
        if statement.lstrip().upper().startswith(("SELECT", "WITH")):
            statements.append((statement, parameters))

    # The customer list runs its statements on the driver's cursor (patron.db.fast), past the
    # engine's events: they are captured where they are run.
    original_rows = fast.Prepared.rows

    def captured_rows(self: fast.Prepared, conn: Any, values: Any) -> Any:
        plan = self._plan(conn.dialect)
        statements.append((plan.sql, plan.parameters(values)))
        return original_rows(self, conn, values)

    plans: dict[str, list[str]] = {}
    requests: dict[str, tuple[str, str, Any]] = {
        "segment_count": ("GET", "/segments/{id}", None),
        "segment_page": ("GET", "/segments/{id}/customers?limit=25", None),
        "segment_preview": ("POST", "/segments/preview", {"query": QUERY}),
        **{name: ("GET", route, None) for name, route in ROUTES.items() if name in ("rfm", "retention", "growth")},
    }
    with TestClient(create_app(settings, database)) as client:
        headers = {"Authorization": f"Bearer {key}"}
        _call(client, headers, "GET", "/analytics/rfm")  # the key is cached from here on
        [segment] = _call(client, headers, "GET", "/segments")["items"]
        for name, (method, template, body) in requests.items():
            path = template.replace("{id}", segment["id"])
            statements.clear()
            sa.event.listen(database.engine, "before_cursor_execute", capture)
            fast.Prepared.rows = captured_rows  # type: ignore[method-assign]
            try:
                _call(client, headers, method, path, body)
            finally:
                sa.event.remove(database.engine, "before_cursor_execute", capture)
                fast.Prepared.rows = original_rows  # type: ignore[method-assign]
            lines: list[str] = []
            with database.engine.connect() as conn:
                for statement, parameters in statements:
                    prefix = "EXPLAIN QUERY PLAN " if database.is_sqlite else "EXPLAIN "
                    rows = conn.exec_driver_sql(prefix + statement, parameters).all()
                    lines.append(" ".join(statement.split())[:160] + " ...")
                    lines += ["    " + str(row[-1] if database.is_sqlite else row[0]) for row in rows]
                conn.rollback()
            plans[name] = lines
    return plans


def run_backend(backend: str, *, orgs: int, per_org: int, rounds: int, keep: bool = False) -> dict[str, Any]:
    fresh_database(backend, WORK, PG_DATABASE)
    url = database_url(backend, WORK, PG_DATABASE)
    wiring.wire()
    database = Database(create_engine(url, pool_size=4))
    migrate.upgrade(database.engine)
    created = []
    with database.unit_of_work(actor=SYSTEM) as uow:
        for n in range(orgs):
            data = OrganizationCreate(name=f"Bench {n}", slug=f"bench-{n}", owner_email="o@bench.example", region="VN")
            created.append(identity.create_organization(uow, data=data))
    currencies = {c.organization.id: c.organization.currency for c in created}
    result: dict[str, Any] = {"backend": backend, "customers": orgs * per_org, "organizations": orgs}
    print(f"[{backend}] seeding {orgs * per_org:,} customers ...", flush=True)
    result["seed_customers_per_s"], _ = seed(database, list(currencies), per_org)
    print(f"[{backend}] seeding their orders ...", flush=True)
    phases: dict[str, float] = {}
    result["orders"] = order_seeding.seed_orders(database, currencies, NOW, phases)
    result["order_seed_phases_s"] = phases
    first = created[0]
    with database.engine.connect() as conn:
        ids = conn.execute(
            sa.text("SELECT id FROM customer WHERE org_id = :org ORDER BY id LIMIT :n").bindparams(
                sa.bindparam("org", type_=sa.Uuid())
            ),
            {"org": first.organization.id, "n": rounds},
        ).scalars()
        customer_ids = [str(i) for i in ids]
    env = {
        **os.environ,
        "PATRON_DATABASE_URL": url,
        "PATRON_LOG_LEVEL": "warning",
        "PATRON_SECRET_KEY": os.environ.get("PATRON_SECRET_KEY") or secrets.token_urlsafe(32),
        "PATRON_EMBEDDED_WORKER": "false",
    }
    headers = {"Authorization": f"Bearer {first.owner_api_key}"}
    with serving(env, timeout=120) as client:
        print(f"[{backend}] measuring ...", flush=True)
        result.update(measure(client, headers, customer_ids, rounds))
    measured = ", ".join(f"{k[:-3]} {v['p50']:.1f}" for k, v in result.items() if k.endswith("_ms"))
    print(f"[{backend}] p50 ms: {measured}", flush=True)
    try:
        result["plans"] = explain(database, url, first.owner_api_key)
    finally:
        database.dispose()
    if not keep:
        drop_database(backend, WORK, PG_DATABASE)
    return result


def report(r: dict[str, Any]) -> str:
    backend = r["backend"]
    lines = [
        f"{backend}: {r['customers']:,} customers in {r['organizations']} organizations, {r['orders']:,} paid "
        f"orders; the segment `{QUERY}` holds {r['segment_size']:,} of the first organization's customers",
    ]
    labels = {
        "segment_count": "GET /segments/{id} (live count)",
        "segment_page": "GET /segments/{id}/customers",
        "segment_preview": "POST /segments/preview",
        "rfm": "GET /analytics/rfm",
        "retention": "GET /analytics/retention",
        "growth": "GET /analytics/growth",
        "clv": "GET /analytics/clv",
        "churn_risk": "GET /analytics/churn-risk",
        "pay": "POST /orders/{id}/pay",
    }
    for name, label in labels.items():
        figures = r[f"{name}_ms"]
        target = TARGETS_MS.get(name, {}).get(backend)
        goal = "" if target is None else f" (<= {target:g} {'met' if figures['p50'] <= target else 'MISSED'})"
        lines.append(f"  {label:34} p50 {figures['p50']:7.1f} ms{goal}, p95 {figures['p95']:7.1f} ms")
    for name, plan in r["plans"].items():
        lines.append(f"  EXPLAIN {name}:")
        lines += [f"    {line}" for line in plan]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="10 organizations of 10,000 customers")
    parser.add_argument("--orgs", type=int, default=10)
    parser.add_argument("--backends", default="sqlite,postgresql")
    parser.add_argument("--keep", action="store_true", help=f"keep the databases ({WORK}, {PG_DATABASE}) to look into")
    args = parser.parse_args()
    logging.getLogger("httpx").setLevel(logging.WARNING)  # the in-process client's request lines
    per_org = 10_000 if args.quick else 100_000
    results = []
    for backend in args.backends.split(","):
        result = run_backend(
            backend, orgs=args.orgs, per_org=per_org, rounds=100 if args.quick else 200, keep=args.keep
        )
        results.append(result)
        print(report(result), flush=True)
    write_results(results, f"segments-{args.orgs * per_org}")


if __name__ == "__main__":
    main()
