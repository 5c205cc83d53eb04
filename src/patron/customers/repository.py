"""Every query of the customer table; each starts from the organization's rows.

Customers come back as their read schema (`CustomerRead`, every stored column but the
tenant key and the search text), whichever path read them; lists, counts and searches are
`patron.customers.listing`.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

import msgspec
import sqlalchemy as sa
from sqlalchemy.engine import Connection
from sqlalchemy.sql.elements import BindParameter

from patron.customers import search
from patron.customers.schemas import CustomerRead
from patron.db import counters, paging, shapes
from patron.db.base import table
from patron.db.fast import Documents, Prepared, Statement
from patron.db.models import Customer, OrgCounter
from patron.db.records import record, record_or_none, records
from patron.db.references import blocking_references
from patron.kernel import pagination

customer = table(Customer)
_counter = table(OrgCounter)


# Selecting the 40-odd columns is built once; narrowing a copy to an organization costs a quarter.
_ALL = sa.select(customer)
_ALL_LIVE = _ALL.where(customer.c.deleted_at.is_(None))


def _of(org_id: uuid.UUID) -> sa.Select[Any]:
    return _ALL.where(customer.c.org_id == org_id)


def live(org_id: uuid.UUID | BindParameter[Any]) -> sa.Select[Any]:
    """The organization's customers that are not deleted (`org_id` may be `ORG`)."""
    return _ALL_LIVE.where(customer.c.org_id == org_id)


# The organization as a bound parameter, for statements built once.
ORG = sa.bindparam("org_id", type_=customer.c.org_id.type)
# A few shapes only (a create's email check, an import's key lookups, by arity).
_SHAPES = shapes.ShapeCache(kept=128)


# The hottest reads are built once with bound parameters: building a 40-column SELECT costs
# ~230 µs a call, more than SQLite takes to answer it (measured, see README "Benchmark").
_GET = sa.select(customer).where(customer.c.org_id == sa.bindparam("org_id"), customer.c.id == sa.bindparam("id"))
_GET_FOR_UPDATE = _GET.with_for_update()


# A customer as its read schema, each row one JSON document from the database (`Documents`).
READ = Documents(CustomerRead, customer)


def documents(dialect: sa.Dialect, stmt: sa.Select[Any]) -> sa.Select[Any]:
    """The statement selecting each customer as its read document instead of its columns."""
    return stmt.with_only_columns(READ.column(dialect))


_READ_ONE = Prepared(lambda dialect: documents(dialect, _GET))


def read_one(conn: Connection, org_id: uuid.UUID, customer_id: uuid.UUID) -> CustomerRead | None:
    """The customer as its read schema (the fast path, see `patron.db.fast`)."""
    found = READ.read(_READ_ONE.rows(conn, {"org_id": org_id, "id": customer_id}))
    return found[0] if found else None


def get(
    conn: Connection, org_id: uuid.UUID, customer_id: uuid.UUID, *, for_update: bool = False
) -> CustomerRead | None:
    """The customer, deleted or not, through `Connection.execute`; `for_update` locks its row."""
    stmt = _GET_FOR_UPDATE if for_update else _GET
    return record_or_none(conn.execute(stmt, {"org_id": org_id, "id": customer_id}).one_or_none(), CustomerRead)


def get_by_email(conn: Connection, org_id: uuid.UUID, email: str) -> CustomerRead | None:
    """The registered customer with this email, else the most recent guest."""
    stmt = live(org_id).where(customer.c.email == email).order_by(customer.c.is_guest, customer.c.created_at.desc())
    return record_or_none(conn.execute(stmt.limit(1)).first(), CustomerRead)


class EmailHolder(msgspec.Struct, frozen=True):
    """A live customer holding an email, as a create's email check sees it."""

    id: uuid.UUID
    email: str
    is_guest: bool


def find_by_emails(conn: Connection, org_id: uuid.UUID, emails: Sequence[str]) -> list[EmailHolder]:
    """Live customers (guests and registered) holding any of these emails, oldest first
    (every create asks, so it takes the fast path)."""

    def build() -> Statement:
        wanted = shapes.in_parameters("e", customer.c.email.type, len(emails))
        columns = (customer.c.id, customer.c.email, customer.c.is_guest, customer.c.created_at)
        return live(ORG).with_only_columns(*columns).where(customer.c.email.in_(wanted))

    prepared = _SHAPES.prepared(("by emails", conn.dialect.name, shapes.arity(len(emails))), build)
    rows = prepared.rows(conn, {"org_id": org_id, **shapes.in_values("e", emails)})
    # Sorted here, not in SQL: with ORDER BY created_at SQLite walked the organization's
    # created_at index instead of the email index (1.8 ms at 5,000 customers, growing with them).
    rows.sort(key=lambda row: (row["created_at"], row["id"]))
    # The driver's values (on SQLite an id is hex text, a flag 0/1), read by msgspec's rules.
    return msgspec.convert(rows, list[EmailHolder], strict=False)


def registered_email_holder(
    conn: Connection, org_id: uuid.UUID, email: str, *, other_than: uuid.UUID | None = None
) -> uuid.UUID | None:
    stmt = (
        live(org_id).with_only_columns(customer.c.id).where(customer.c.email == email, customer.c.is_guest.is_(False))
    )
    if other_than is not None:
        stmt = stmt.where(customer.c.id != other_than)
    return conn.execute(stmt.limit(1)).scalar_one_or_none()


def numbers_taken(conn: Connection, org_id: uuid.UUID, numbers: Sequence[str]) -> set[str]:
    stmt = sa.select(customer.c.customer_number).where(
        customer.c.org_id == org_id, customer.c.customer_number.in_(numbers)
    )
    return set(conn.execute(stmt).scalars())


def next_numbers(conn: Connection, org_id: uuid.UUID, count: int) -> range:
    """Reserve `count` generated customer numbers (counter values)."""
    last = counters.bump(conn, org_id, "customer_number", count)
    return range(last - count + 1, last + 1)


def reserve_number_value(conn: Connection, org_id: uuid.UUID, value: int) -> None:
    """Move the generator past a number given by hand, so it never generates it again."""
    conn.execute(
        sa.update(_counter)
        .where(_counter.c.org_id == org_id, _counter.c.name == "customer_number", _counter.c.value < value)
        .values(value=value)
    )


# Built once: `.values(**row)` would coerce ~40 values into SQL elements on every call
# (measured: most of a create's 5.4 ms in-process); parameters keep the compiled form cached.
# The row comes back as its read document, like a read by id.
_INSERT = Prepared(lambda dialect: sa.insert(customer).returning(READ.column(dialect)))
# A batch (an import's chunk, POST /customers/batch) is one executemany without RETURNING: every
# value of a new row is made here (ids, timestamps, counters), so the row is its own answer.
# Measured on an import of 20,000 rows into SQLite: RETURNING every column and reading it back
# through SQLAlchemy's row processing took ~90 µs a row of the ~240 µs the chunk spent.
_INSERT_MANY = Prepared(sa.insert(customer))
_AS_READ = msgspec.convert


def insert_many(conn: Connection, rows: Sequence[Mapping[str, Any]]) -> list[CustomerRead]:
    """Insert rows and return them as stored, in the given order."""
    rows = [{**row, "search_text": search.document(row), "name_key": search.name_key(row)} for row in rows]
    if len(rows) == 1:
        # A single create (the common case) reads the stored row back, as a read by id would.
        return READ.read(_INSERT.rows(conn, rows[0]))
    _INSERT_MANY.execute(conn, rows)
    return _AS_READ(rows, list[CustomerRead], from_attributes=False)


def update(
    conn: Connection, org_id: uuid.UUID, customer_id: uuid.UUID, values: Mapping[str, Any], *, version: int
) -> CustomerRead | None:
    """Apply `values` if the row still has `version`; bumps the version. None when it moved on.

    The search text follows in the same transaction when a searched field changed.
    """
    stmt = (
        sa.update(customer)
        .where(customer.c.org_id == org_id, customer.c.id == customer_id, customer.c.version == version)
        .values(**values, version=customer.c.version + 1)
        .returning(*customer.c)
    )
    row = conn.execute(stmt).one_or_none()
    if row is None:
        return None
    derived: dict[str, Any] = {}
    if not search.SEARCH_FIELDS.isdisjoint(values):
        text = search.document(row._mapping)
        if text != row.search_text:
            derived["search_text"] = text
    if not search.NAME_FIELDS.isdisjoint(values):
        key = search.name_key(row._mapping)
        if key != row.name_key:
            derived["name_key"] = key
    if not derived:
        return record(row, CustomerRead)
    stmt = (
        sa.update(customer)
        .where(customer.c.org_id == org_id, customer.c.id == customer_id)
        .values(**derived)
        .returning(*customer.c)
    )
    return record(conn.execute(stmt).one(), CustomerRead)


# Rows that keep a guest from being purged (its orders, ledger entries, CRM history): every
# table whose foreign key to the customer does not cascade, so a table added later counts too.
KEEPERS = blocking_references(customer)


def outdated_guests(conn: Connection, org_id: uuid.UUID, *, inactive_since: datetime) -> list[uuid.UUID]:
    """Guests untouched since the cutoff (deleted ones included: they are guests too).

    A guest with deals, interactions, memos, orders or points is someone the business deals
    with, and orders and the ledger must stay attributed: such a guest is not outdated.
    """
    stmt = sa.select(customer.c.id).where(
        customer.c.org_id == org_id, customer.c.is_guest.is_(True), customer.c.updated_at < inactive_since
    )
    for keeper in KEEPERS:
        referring = (element.parent == element.column for element in keeper.elements)
        stmt = stmt.where(~sa.exists().where(*referring))
    stmt = stmt.with_for_update()
    return list(conn.execute(stmt).scalars())


def delete_many(conn: Connection, org_id: uuid.UUID, ids: Sequence[uuid.UUID]) -> int:
    total = 0
    for start in range(0, len(ids), 500):
        chunk = ids[start : start + 500]
        result = conn.execute(sa.delete(customer).where(customer.c.org_id == org_id, customer.c.id.in_(chunk)))
        total += result.rowcount
    return total


def count_in_group(conn: Connection, org_id: uuid.UUID, group_id: uuid.UUID) -> int:
    stmt = (
        sa.select(sa.func.count())
        .select_from(customer)
        .where(customer.c.org_id == org_id, customer.c.group_id == group_id)
    )
    return int(conn.execute(stmt).scalar_one())


def non_merchants_in_group(conn: Connection, org_id: uuid.UUID, group_id: uuid.UUID) -> list[CustomerRead]:
    stmt = (
        _of(org_id)
        .where(customer.c.group_id == group_id, customer.c.is_merchant.is_(False))
        .order_by(customer.c.id)
        .with_for_update()
    )
    return records(conn.execute(stmt), CustomerRead)


def count_in_company(conn: Connection, org_id: uuid.UUID, company_id: uuid.UUID) -> int:
    stmt = (
        sa.select(sa.func.count())
        .select_from(customer)
        .where(customer.c.org_id == org_id, customer.c.company_id == company_id)
    )
    return int(conn.execute(stmt).scalar_one())


def company_contacts(
    conn: Connection, org_id: uuid.UUID, company_id: uuid.UUID, page: pagination.PageRequest
) -> tuple[list[CustomerRead], int]:
    """A page of the company's live contacts, oldest first (up to limit + 1), and how many there are."""
    stmt = live(org_id).where(customer.c.company_id == company_id)
    return paging.fetch(conn, stmt, customer.c, page, CustomerRead)


# The natural keys an import matches rows on (SPEC §13.1), each as stored (normalised).
NATURAL_KEYS = {
    "customer_number": customer.c.customer_number,
    "email": customer.c.email,
    "phone": customer.c.phone,
    "vat_id": customer.c.vat_id,
}


def by_natural_key(conn: Connection, org_id: uuid.UUID, key: str, values: Sequence[str]) -> dict[str, CustomerRead]:
    """The customer each value of the key finds: for a customer number the one holding it, deleted
    or not (numbers stay taken); otherwise a live registered customer before guests, the newest
    guest of several (as `get_by_email`), the oldest registered one of several."""
    column = NATURAL_KEYS[key]
    found: dict[str, CustomerRead] = {}
    if not values:
        return found
    for start in range(0, len(values), 512):
        wanted = list(values[start : start + 512])

        def build(count: int = len(wanted)) -> Statement:
            base = _ALL.where(customer.c.org_id == ORG) if key == "customer_number" else live(ORG)
            return documents(conn.dialect, base.where(column.in_(shapes.in_parameters("k", column.type, count))))

        prepared = _SHAPES.prepared(("by key", key, conn.dialect.name, shapes.arity(len(wanted))), build)
        rows: list[CustomerRead] = READ.read(prepared.rows(conn, {"org_id": org_id, **shapes.in_values("k", wanted)}))
        # Preferred first: registered before guests; registered oldest first, guests newest first.
        rows.sort(key=lambda c: (c.is_guest, -c.created_at.timestamp() if c.is_guest else c.created_at.timestamp()))
        for row in rows:
            found.setdefault(getattr(row, key), row)
    return found
