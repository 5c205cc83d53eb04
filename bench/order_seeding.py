"""Bulk seeding of paid orders for customers already seeded (bench/seeding.py), and their figures.

Each customer gets 0 to 9 paid orders (3 on average), placed between its creation and the seed's
`now`, in the organization's currency; totals from a skewed list, so a few customers spend far
more than the rest. Orders are written in their stored form (hex UUIDs and naive UTC text on
SQLite, COPY text on PostgreSQL) with the secondary indexes and foreign keys off during the load
and put back from the database's own definitions. The customers' order figures are then counted
by the app's own `patron.orders.figures.recount_organization` (timed as its own phase), so the
figures are exactly what the app would keep.
"""

from __future__ import annotations

import random
import time
import uuid
from collections.abc import Iterator
from datetime import datetime, timedelta
from typing import Any

import sqlalchemy as sa

from patron.db.base import table
from patron.db.models import Customer, Order
from patron.db.uow import Database
from patron.kernel.ids import uuid7
from patron.orders import figures

ORDERS_PER_CUSTOMER = [0, 0, 1, 1, 2, 2, 3, 4, 5, 6, 9]  # 3 on average
TOTALS = [45_000, 90_000, 120_000, 150_000, 250_000, 400_000, 900_000, 2_500_000]
COLUMNS = [c.name for c in table(Order).columns]
_customer = table(Customer)


Row = tuple[Any, ...]


def _orders(
    org_id: uuid.UUID, n: int, customers: list[tuple[uuid.UUID, datetime]], currency: str, now: datetime
) -> Iterator[Row]:
    """(org_id, id, ref, customer_id, total, currency, placed_at) of the organization's orders."""
    rng = random.Random(f"orders:{n}")
    rand = rng.random
    ref = 0
    for customer_id, created in customers:
        count = ORDERS_PER_CUSTOMER[int(rand() * len(ORDERS_PER_CUSTOMER))]
        span = (now - created).total_seconds()
        for _ in range(count):
            ref += 1
            placed = created + timedelta(seconds=rand() * span)
            total = TOTALS[int(rand() * rand() * len(TOTALS))]
            yield org_id, uuid7(), f"B-{ref:08d}", customer_id, total, currency, placed


def _customers(database: Database, org_id: uuid.UUID) -> list[tuple[uuid.UUID, datetime]]:
    stmt = sa.select(_customer.c.id, _customer.c.created_at).where(_customer.c.org_id == org_id)
    with database.engine.connect() as conn:
        return [(r.id, r.created_at) for r in conn.execute(stmt.order_by(_customer.c.id))]


def _sqlite_rows(rows: Iterator[Row]) -> Iterator[Row]:
    for org_id, order_id, ref, customer_id, total, currency, placed in rows:
        at = placed.replace(tzinfo=None).isoformat(" ", "microseconds")
        yield org_id.hex, order_id.hex, ref, customer_id.hex, total, currency, "paid", at, at, None, None, at, at


def _copy_lines(rows: Iterator[Row]) -> Iterator[str]:
    null = "\\N"
    for org_id, order_id, ref, customer_id, total, currency, placed in rows:
        at = placed.isoformat(" ", "microseconds")
        yield (
            "\t".join(
                (
                    str(org_id),
                    str(order_id),
                    ref,
                    str(customer_id),
                    str(total),
                    currency,
                    "paid",
                    at,
                    at,
                    null,
                    null,
                    at,
                    at,
                )
            )
            + "\n"
        )


def seed_orders(database: Database, orgs: dict[uuid.UUID, str], now: datetime, phases: dict[str, float]) -> int:
    """Paid orders for every customer of the organizations ({org_id: currency}); the number written."""
    written = 0
    began = time.perf_counter()
    # Read before the load's transaction takes the (SQLite: only) write lock.
    customers = {org_id: _customers(database, org_id) for org_id in orgs}
    raw = database.engine.raw_connection()
    try:
        if database.is_sqlite:
            db = raw.driver_connection
            db.execute("PRAGMA cache_size=-262144")
            kept = db.execute(
                "SELECT name, sql FROM sqlite_master WHERE tbl_name = 'shop_order' AND type = 'index' "
                "AND sql IS NOT NULL"
            ).fetchall()
            db.execute("BEGIN IMMEDIATE")
            for name, _ in kept:
                db.execute(f'DROP INDEX "{name}"')
            insert = f"INSERT INTO shop_order ({', '.join(COLUMNS)}) VALUES ({', '.join('?' * len(COLUMNS))})"
            for n, (org_id, currency) in enumerate(orgs.items()):
                rows = list(_sqlite_rows(_orders(org_id, n, customers[org_id], currency, now)))
                db.executemany(insert, rows)
                written += len(rows)
            phases["orders_insert"] = time.perf_counter() - began
            for _, sql in kept:
                db.execute(sql)
            db.execute("COMMIT")
        else:
            cursor = raw.cursor()
            cursor.execute("SET maintenance_work_mem = '1GB'")
            indexes = cursor.execute(
                "SELECT i.indexname, i.indexdef FROM pg_indexes i WHERE i.tablename = 'shop_order' "
                "AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conname = i.indexname)"
            ).fetchall()
            foreign_keys = cursor.execute(
                "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint "
                "WHERE conrelid = 'shop_order'::regclass AND contype = 'f'"
            ).fetchall()
            for name, _ in indexes:
                cursor.execute(f'DROP INDEX "{name}"')
            for name, _ in foreign_keys:
                cursor.execute(f'ALTER TABLE shop_order DROP CONSTRAINT "{name}"')
            with cursor.copy(f"COPY shop_order ({', '.join(COLUMNS)}) FROM STDIN") as copy:  # type: ignore[attr-defined]
                for n, (org_id, currency) in enumerate(orgs.items()):
                    lines = list(_copy_lines(_orders(org_id, n, customers[org_id], currency, now)))
                    copy.write("".join(lines))
                    written += len(lines)
            phases["orders_copy"] = time.perf_counter() - began
            for _, definition in indexes:
                cursor.execute(definition)
            for name, definition in foreign_keys:
                cursor.execute(f'ALTER TABLE shop_order ADD CONSTRAINT "{name}" {definition}')
            raw.commit()
    except BaseException:
        raw.rollback()
        raise
    finally:
        raw.invalidate()
    phases["orders_total"] = time.perf_counter() - began
    began = time.perf_counter()
    for org_id, currency in orgs.items():
        with database.engine.begin() as conn:
            figures.recount_organization(conn, org_id, currency=currency)
    phases["figures"] = time.perf_counter() - began
    began = time.perf_counter()
    with database.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.exec_driver_sql("ANALYZE" if database.is_sqlite else "VACUUM ANALYZE customer")
        if not database.is_sqlite:
            conn.exec_driver_sql("VACUUM ANALYZE shop_order")
    phases["orders_analyze"] = time.perf_counter() - began
    return written
