"""Merge benchmark: merging two customers with 50 orders each in an organization of 100,000.

    python bench/merging.py            # both databases, 100,000 customers, 60 merges
    python bench/merging.py --quick    # 20,000 customers, 20 merges

In process, through the service (`patron.merging.service`), each merge in its own unit of work
with its commit, as a request runs it: the time of the request without HTTP. Before each merge
its two customers get 50 paid orders with their points entries and an address each (not timed);
the undo of every merge is timed the same way. Target: p95 <= 20 ms. Results go to
bench/results/<time>-merging-<customers>.json. The databases are this bench's own
(`patron_bench_merging`, bench/.data-merging/), so other benches may run beside it.
"""

from __future__ import annotations

import argparse
import os
import time
import uuid
from typing import Any

import msgspec
import sqlalchemy as sa
from run import ROOT, _pct, database_url, drop_database, fresh_database, patron, seed, write_results

from patron.db.base import table
from patron.db.engine import create_engine
from patron.db.models import Address, Customer, LoyaltyEntry, Order
from patron.db.uow import Database
from patron.identity import service as identity
from patron.identity.schemas import LoyaltySettings, OrganizationCreate
from patron.kernel import clock
from patron.kernel.ids import uuid7
from patron.kernel.tenancy import SYSTEM, Principal, Role
from patron.merging import service as merging
from patron.merging.schemas import MergeCreate

WORK = ROOT / ".data-merging"
PG_DATABASE = "patron_bench_merging"
ORDERS_EACH = 50
TARGET_P95_MS = 20.0
_customer, _order, _entry, _address = table(Customer), table(Order), table(LoyaltyEntry), table(Address)


def give_records(database: Database, org_id: uuid.UUID, customer_id: uuid.UUID) -> None:
    """50 paid orders, each with its award entry, and one default address (balance kept = ledger)."""
    now = clock.now()
    orders, entries = [], []
    for i in range(ORDERS_EACH):
        order_id = uuid7()
        orders.append(
            {
                "org_id": org_id,
                "id": order_id,
                "external_ref": f"bench-{order_id}",
                "customer_id": customer_id,
                "total": 10_000 + i,
                "currency": "VND",
                "status": "paid",
                "placed_at": now,
                "paid_at": now,
                "refunded_at": None,
                "cancelled_at": None,
                "created_at": now,
                "updated_at": now,
            }
        )
        entries.append(
            {
                "org_id": org_id,
                "id": uuid7(),
                "customer_id": customer_id,
                "kind": "award",
                "points": 10,
                "lifetime_points": 10,
                "shortfall": 0,
                "order_id": order_id,
                "reason": None,
                "created_at": now,
            }
        )
    address = {
        "org_id": org_id,
        "id": uuid7(),
        "customer_id": customer_id,
        "street": "Lê Lợi",
        "city": "Huế",
        "country": "VN",
        "is_default_shipping": True,
        "is_default_billing": True,
        "created_at": now,
        "updated_at": now,
    }
    with database.engine.begin() as conn:
        conn.execute(sa.insert(_order), orders)
        conn.execute(sa.insert(_entry), entries)
        conn.execute(sa.insert(_address), [address])
        conn.execute(
            sa.update(_customer)
            .where(_customer.c.org_id == org_id, _customer.c.id == customer_id)
            .values(points_balance=10 * ORDERS_EACH)
        )


def run_backend(backend: str, *, customers: int, merges: int) -> dict[str, Any]:
    fresh_database(backend, WORK, PG_DATABASE)
    url = database_url(backend, WORK, PG_DATABASE)
    env = {**os.environ, "PATRON_DATABASE_URL": url, "PATRON_LOG_LEVEL": "warning"}
    if patron("migrate", env=env).wait() != 0:
        raise RuntimeError("migrate failed")
    database = Database(create_engine(url, pool_size=2), io_threads=0)
    with database.unit_of_work(actor=SYSTEM) as uow:
        created = identity.create_organization(
            uow, data=OrganizationCreate(name="Bench", slug="bench", owner_email="owner@bench.example", region="VN")
        )
    org_id = created.organization.id
    print(f"[{backend}] seeding {customers:,} customers ...", flush=True)
    seed(database, [org_id], customers)
    with database.engine.connect() as conn:
        stmt = sa.select(_customer.c.id).where(_customer.c.org_id == org_id).order_by(_customer.c.id)
        ids = [row[0] for row in conn.execute(stmt.limit(2 * merges))]
    principal = Principal(org_id=org_id, staff_id=created.owner.id, role=Role.OWNER, api_key_id=None)
    with database.unit_of_work(actor=SYSTEM, readonly=True) as uow:
        settings = identity.load_settings(uow.conn, org_id)
    settings = msgspec.structs.replace(settings, loyalty=LoyaltySettings(enabled=True))
    merge_times: list[float] = []
    undo_times: list[float] = []
    print(f"[{backend}] {merges} merges of two customers with {ORDERS_EACH} orders each ...", flush=True)
    for i in range(merges):
        survivor, source = ids[2 * i], ids[2 * i + 1]
        give_records(database, org_id, survivor)
        give_records(database, org_id, source)
        began = time.perf_counter()
        with database.unit_of_work(actor=principal.actor) as uow:
            result = merging.merge_customers(
                uow, principal=principal, settings=settings, survivor_id=survivor, data=MergeCreate(from_ids=[source])
            )
        merge_times.append(time.perf_counter() - began)
        began = time.perf_counter()
        with database.unit_of_work(actor=principal.actor) as uow:
            merging.undo_merge(uow, principal=principal, settings=settings, merge_id=result.merge_id)
        undo_times.append(time.perf_counter() - began)
    database.dispose()
    drop_database(backend, WORK, PG_DATABASE)
    return {
        "backend": backend,
        "customers": customers,
        "merges": merges,
        "orders_each": ORDERS_EACH,
        "merge": {"p50_ms": _pct(merge_times, 50), "p95_ms": _pct(merge_times, 95), "max_ms": 1000 * max(merge_times)},
        "undo": {"p50_ms": _pct(undo_times, 50), "p95_ms": _pct(undo_times, 95), "max_ms": 1000 * max(undo_times)},
    }


def report(r: dict[str, Any]) -> str:
    lines = [
        f"{r['backend']}: {r['merges']} merges of two customers with {r['orders_each']} orders each, "
        f"organization of {r['customers']:,}"
    ]
    for name in ("merge", "undo"):
        m = r[name]
        met = "met" if m["p95_ms"] <= TARGET_P95_MS else "MISSED"
        lines.append(
            f"  {name:6} p50 {m['p50_ms']:.1f} ms, p95 {m['p95_ms']:.1f} ms (<= {TARGET_P95_MS:.0f} {met}), "
            f"max {m['max_ms']:.1f} ms"
        )
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="20,000 customers, 20 merges")
    parser.add_argument("--backends", default="sqlite,postgresql")
    args = parser.parse_args()
    customers, merges = (20_000, 20) if args.quick else (100_000, 60)
    results = []
    for backend in args.backends.split(","):
        result = run_backend(backend, customers=customers, merges=merges)
        results.append(result)
        print(report(result), flush=True)
    write_results(results, f"merging-{customers}")


if __name__ == "__main__":
    main()
