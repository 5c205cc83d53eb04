"""Points under concurrency, through the HTTP API: the database decides, never a read-then-write check."""

from __future__ import annotations

import random
import uuid
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import sqlalchemy as sa

from patron.db.base import table
from patron.db.models import Customer, LoyaltyEntry, OutboxEvent
from patron.db.uow import Database
from tests.factories import Api, Org, ledger_problems, loyal_org, unique

_entry = table(LoyaltyEntry)
_outbox = table(OutboxEvent)


def _order(org: Org, total: int, customer_id: str) -> str:
    body = {"external_ref": unique("o"), "total": total, "currency": "USD", "customer_id": customer_id}
    response = org.post("/orders", json=body)
    assert response.status_code == 201, response.text
    return str(response.json()["id"])


def _count(database: Database, stmt: Any) -> int:
    with database.engine.connect() as conn:
        return int(conn.execute(stmt).scalar_one())


def test_thirty_two_concurrent_payments_award_once(api: Api, database: Database) -> None:
    org = loyal_org(api)
    customer = org.create_customer()
    order_id = _order(org, 77_000, customer["id"])
    headers = org.headers("cashier")

    def pay(_: int) -> int:
        return api.client.post(f"/api/v1/orders/{order_id}/pay", headers=headers).status_code

    with ThreadPoolExecutor(max_workers=32) as pool:
        statuses = list(pool.map(pay, range(32)))
    assert statuses == [200] * 32
    points = org.get(f"/customers/{customer['id']}/points").json()
    assert points["balance"] == 77
    assert [e["kind"] for e in points["entries"]] == ["award"]
    assert len(org.events(type="points.awarded")) == 1
    assert len(org.events(type="order.paid")) == 1
    assert ledger_problems(database.engine, org.id) == []


def test_a_thousand_orders_paid_ten_times_each_from_sixteen_threads(api: Api, database: Database) -> None:
    org = loyal_org(api)
    owner = org.headers()
    customers = [org.create_customer()["id"] for _ in range(20)]
    rng = random.Random(5)
    totals = {i: rng.randrange(1_000, 100_000) for i in range(1_000)}

    def create(i: int) -> tuple[str, str, int]:
        customer_id = customers[i % len(customers)]
        body = {"external_ref": f"bulk-{i}", "total": totals[i], "currency": "USD", "customer_id": customer_id}
        response = api.client.post("/api/v1/orders", json=body, headers=owner)
        assert response.status_code == 201, response.text
        return str(response.json()["id"]), customer_id, totals[i]

    with ThreadPoolExecutor(max_workers=8) as pool:
        orders = list(pool.map(create, range(1_000)))
    calls = [order_id for order_id, _, _ in orders for _ in range(10)]
    rng.shuffle(calls)
    cashier = org.headers("cashier")

    def pay(order_id: str) -> int:
        return api.client.post(f"/api/v1/orders/{order_id}/pay", headers=cashier).status_code

    with ThreadPoolExecutor(max_workers=16) as pool:
        statuses = list(pool.map(pay, calls))
    assert statuses.count(200) == 10_000, sorted(set(statuses))

    org_id = uuid.UUID(org.id)
    awards = sa.select(sa.func.count()).where(_entry.c.org_id == org_id, _entry.c.kind == "award")
    assert _count(database, awards) == 1_000
    events = sa.select(sa.func.count()).where(_outbox.c.org_id == org_id, _outbox.c.type == "points.awarded")
    assert _count(database, events) == 1_000
    paid = sa.select(sa.func.count()).where(_outbox.c.org_id == org_id, _outbox.c.type == "order.paid")
    assert _count(database, paid) == 1_000
    expected: dict[str, int] = {}
    for _, customer_id, total in orders:
        expected[customer_id] = expected.get(customer_id, 0) + total // 1000
    customer = table(Customer)
    with database.engine.connect() as conn:
        rows = conn.execute(
            sa.select(customer.c.id, customer.c.points_balance).where(customer.c.org_id == org_id)
        ).all()
    assert {str(r.id): r.points_balance for r in rows} == expected
    assert ledger_problems(database.engine, org.id) == []


def test_eight_concurrent_redemptions_never_overdraw(api: Api, database: Database) -> None:
    org = loyal_org(api)
    customer = org.create_customer()
    org.post(f"/customers/{customer['id']}/points/adjust", json={"points": 500, "reason": "seed"})
    headers = org.headers("cashier")

    def redeem(_: int) -> int:
        path = f"/api/v1/customers/{customer['id']}/points/redeem"
        return api.client.post(path, json={"points": 120}, headers=headers).status_code

    with ThreadPoolExecutor(max_workers=8) as pool:
        statuses = list(pool.map(redeem, range(8)))
    assert sorted(statuses) == [200] * 4 + [409] * 4
    points = org.get(f"/customers/{customer['id']}/points").json()
    assert points["balance"] == 20
    assert len(org.events(type="points.redeemed")) == 4
    assert ledger_problems(database.engine, org.id) == []


def test_concurrent_refund_redemption_and_payment_keep_the_ledger_whole(api: Api, database: Database) -> None:
    org = loyal_org(api)
    customer = org.create_customer()
    orders = [_order(org, 10_000, customer["id"]) for _ in range(6)]
    for order_id in orders:
        org.post(f"/orders/{order_id}/pay")
    more = [_order(org, 10_000, customer["id"]) for _ in range(6)]
    owner = org.headers()
    calls = [("refund", o) for o in orders] + [("pay", o) for o in more] + [("redeem", "")] * 12
    random.Random(7).shuffle(calls)

    def run(call: tuple[str, str]) -> int:
        kind, order_id = call
        if kind == "redeem":
            path = f"/api/v1/customers/{customer['id']}/points/redeem"
            return api.client.post(path, json={"points": 7}, headers=owner).status_code
        return api.client.post(f"/api/v1/orders/{order_id}/{kind}", headers=owner).status_code

    with ThreadPoolExecutor(max_workers=12) as pool:
        statuses = list(pool.map(run, calls))
    assert set(statuses) <= {200, 409}, statuses
    points = org.get(f"/customers/{customer['id']}/points", params={"limit": 500}).json()
    assert points["balance"] == sum(e["points"] for e in points["entries"]) >= 0
    assert points["lifetime_earned"] == 60
    assert ledger_problems(database.engine, org.id) == []


def test_the_ledger_check_notices_a_balance_that_drifted(api: Api, database: Database) -> None:
    org = loyal_org(api)
    customer = org.create_customer()
    org.post(f"/customers/{customer['id']}/points/adjust", json={"points": 5, "reason": "seed"})
    table_ = table(Customer)
    where = (table_.c.org_id == uuid.UUID(org.id), table_.c.id == uuid.UUID(customer["id"]))
    with database.engine.begin() as conn:
        conn.execute(sa.update(table_).where(*where).values(points_balance=6))
    assert len(ledger_problems(database.engine, org.id)) == 1
    with database.engine.begin() as conn:
        conn.execute(sa.update(table_).where(*where).values(points_balance=5))
    assert ledger_problems(database.engine, org.id) == []


def test_points_read_while_awards_commit_is_one_snapshot(api: Api, database: Database) -> None:
    """Every answer's balance and lifetime points equal the sums of the entries in that same
    answer (all of them: fewer than a page), however the awards interleave with the reads."""
    org = loyal_org(api)
    customer_id = org.create_customer()["id"]
    orders = [_order(org, 1_000 * (1 + i % 7), customer_id) for i in range(150)]
    cashier, owner = org.headers("cashier"), org.headers()
    path = f"/api/v1/customers/{customer_id}/points"

    def pay(order_id: str) -> int:
        return api.client.post(f"/api/v1/orders/{order_id}/pay", headers=cashier).status_code

    def read_until(done: Any) -> list[tuple[int, int, int, int]]:
        seen = []
        while not done():
            body = api.client.get(path, params={"limit": 500}, headers=owner).json()
            entries = body["entries"]
            sums = (sum(e["points"] for e in entries), sum(e["lifetime_points"] for e in entries))
            seen.append((body["balance"], sums[0], body["lifetime_earned"], sums[1]))
        return seen

    paying = ThreadPoolExecutor(max_workers=4)
    with ThreadPoolExecutor(max_workers=2) as reading:
        payments: list[Any] = []
        readers = [
            reading.submit(read_until, lambda: len(payments) == len(orders) and all(p.done() for p in payments))
            for _ in range(2)
        ]
        payments.extend(paying.submit(pay, order_id) for order_id in orders)
        statuses = [p.result() for p in payments]
        answers = [answer for reader in readers for answer in reader.result()]
    paying.shutdown()
    assert statuses == [200] * len(orders)
    assert len(answers) >= 10
    torn = [a for a in answers if a[0] != a[1] or a[2] != a[3]]
    assert torn == [], f"{len(torn)} of {len(answers)} answers were not one snapshot"
    final = org.get(f"/customers/{customer_id}/points", params={"limit": 500}).json()
    assert final["balance"] == sum(e["points"] for e in final["entries"]) == sum(1 + i % 7 for i in range(150))
