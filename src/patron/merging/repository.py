"""Every query of a merge: the journal, and moving rows between customers table by table.

The tables a merge moves are found from the metadata (every `customer_id` column), so a
table added later is either declared here, moved or deliberately left, or its test fails
(tests/api/merging/test_tables.py). Moving rows of many domains in one place is the point
of a merge: each row changes only its `customer_id`, nothing else of it is read or written.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from patron.db.base import table
from patron.db.models import Address, LoyaltyEntry, MergeJournal
from patron.merging.schemas import MergeActor, MergeRead

journal = table(MergeJournal)
_address = table(Address)
_entry = table(LoyaltyEntry)

# The tables whose rows follow their customer into the survivor, in the order they move.
MOVED = (
    "shop_order",
    "loyalty_entry",
    "address",
    "customer_list",  # its items (customer_list_item) hang on the list
    "newsletter_subscriber",  # its consent evidence (newsletter_consent) hangs on the subscriber
    "interaction",
    "memo",
    "deal",
    "company_member",
    "customer_product_rule",
    "inquiry",
)
# Tables that refer to customers and stay as they are, with the reason.
LEFT = {
    "merge_journal": "the journal of an earlier merge names its own survivor; undoing it checks the rows it moved",
    "duplicate_dismissal": "a dismissed pair stays dismissed whatever happens to either customer",
    "outbox_event": "events are history: what happened to the source stays told about the source",
}
DEFAULT_FLAGS = ("is_default_shipping", "is_default_billing")
_KEYS_PER_STATEMENT = 500


def tables_referring_to_customers() -> dict[str, sa.Table]:
    """Every table with a `customer_id` column or a foreign key to the customer, by name."""
    metadata = journal.metadata
    found: dict[str, sa.Table] = {}
    for each in metadata.sorted_tables:
        refers = any(fk.referred_table.name == "customer" for fk in each.foreign_key_constraints)
        if refers or "customer_id" in each.c:
            found[each.name] = each
    return found


def _table(name: str) -> sa.Table:
    return journal.metadata.tables[name]


def _key_columns(t: sa.Table) -> list[sa.Column[Any]]:
    """The primary key without the tenant and customer columns: what names a row of one customer."""
    return [c for c in t.primary_key.columns if c.name not in ("org_id", "customer_id")]


def _one_per_customer(t: sa.Table) -> bool:
    return any(
        isinstance(c, sa.UniqueConstraint) and {col.name for col in c.columns} == {"org_id", "customer_id"}
        for c in t.constraints
    )


def _key_json(row: Sequence[Any]) -> list[Any]:
    return [str(v) if isinstance(v, uuid.UUID) else v for v in row]


def _key_value(column: sa.Column[Any], value: Any) -> Any:
    if isinstance(column.type, sa.Uuid) and not isinstance(value, uuid.UUID):
        return uuid.UUID(value)
    return value


def _match(t: sa.Table, keys: Sequence[Sequence[Any]]) -> sa.ColumnElement[bool]:
    columns = _key_columns(t)
    if len(columns) == 1:
        return columns[0].in_([_key_value(columns[0], k[0]) for k in keys])
    return sa.tuple_(*columns).in_([tuple(_key_value(c, v) for c, v in zip(columns, k, strict=True)) for k in keys])


def move_all(conn: Connection, name: str, org_id: uuid.UUID, from_id: uuid.UUID, to_id: uuid.UUID) -> list[list[Any]]:
    """Move the customer's rows of the table onto another; the keys of the rows moved.

    Where the table allows one row per customer and the target has one, or a row's key
    includes the customer and the target has that key, the row stays (no duplicate).
    """
    t = _table(name)
    columns = _key_columns(t)
    where = [t.c.org_id == org_id, t.c.customer_id == from_id]
    if _one_per_customer(t):
        taken = sa.select(sa.literal(1)).where(t.c.org_id == org_id, t.c.customer_id == to_id)
        if conn.execute(taken).first() is not None:
            return []
    if "customer_id" in {c.name for c in t.primary_key.columns}:
        theirs = sa.select(*columns).where(t.c.org_id == org_id, t.c.customer_id == to_id)
        held = {tuple(row) for row in conn.execute(theirs)}
        if held:
            mine = [tuple(row) for row in conn.execute(sa.select(*columns).where(*where))]
            free = [list(k) for k in mine if k not in held]
            return _json_keys(move_keys(conn, name, org_id, from_id, to_id, free)) if free else []
    stmt = sa.update(t).where(*where).values(customer_id=to_id).returning(*columns)
    return [_key_json(row) for row in conn.execute(stmt)]


def _json_keys(rows: list[list[Any]]) -> list[list[Any]]:
    return [_key_json(row) for row in rows]


def move_keys(
    conn: Connection, name: str, org_id: uuid.UUID, from_id: uuid.UUID, to_id: uuid.UUID, keys: Sequence[Sequence[Any]]
) -> list[list[Any]]:
    """Move exactly these rows (by key) from one customer to another; the keys of those moved."""
    t = _table(name)
    moved: list[list[Any]] = []
    for start in range(0, len(keys), _KEYS_PER_STATEMENT):
        chunk = keys[start : start + _KEYS_PER_STATEMENT]
        stmt = (
            sa.update(t)
            .where(t.c.org_id == org_id, t.c.customer_id == from_id, _match(t, chunk))
            .values(customer_id=to_id)
            .returning(*_key_columns(t))
        )
        moved.extend(list(row) for row in conn.execute(stmt))
    return moved


def has_default(conn: Connection, org_id: uuid.UUID, customer_id: uuid.UUID, flag: str) -> bool:
    stmt = sa.select(_address.c.id).where(
        _address.c.org_id == org_id, _address.c.customer_id == customer_id, _address.c[flag].is_(True)
    )
    return conn.execute(stmt.limit(1)).first() is not None


def clear_default(conn: Connection, org_id: uuid.UUID, customer_id: uuid.UUID, flag: str) -> list[str]:
    """Take the default flag off the customer's addresses (without touching anything else); their ids."""
    stmt = (
        sa.update(_address)
        .where(_address.c.org_id == org_id, _address.c.customer_id == customer_id, _address.c[flag].is_(True))
        .values({flag: False})
        .returning(_address.c.id)
    )
    return [str(row[0]) for row in conn.execute(stmt)]


def set_default(conn: Connection, org_id: uuid.UUID, address_ids: Sequence[str], flag: str) -> int:
    stmt = (
        sa.update(_address)
        .where(_address.c.org_id == org_id, _address.c.id.in_([uuid.UUID(i) for i in address_ids]))
        .values({flag: True})
    )
    return conn.execute(stmt).rowcount


def points_of_entries(conn: Connection, org_id: uuid.UUID, entry_ids: Sequence[str]) -> int:
    """The points these ledger entries carry together."""
    total = 0
    for start in range(0, len(entry_ids), _KEYS_PER_STATEMENT):
        chunk = [uuid.UUID(i) for i in entry_ids[start : start + _KEYS_PER_STATEMENT]]
        stmt = sa.select(sa.func.coalesce(sa.func.sum(_entry.c.points), 0)).where(
            _entry.c.org_id == org_id, _entry.c.id.in_(chunk)
        )
        total += int(conn.execute(stmt).scalar_one())
    return total


def insert_journal(conn: Connection, values: Mapping[str, Any]) -> None:
    conn.execute(sa.insert(journal).values(**values))


class JournalRow(MergeRead, kw_only=True):
    """The journal entry with the undo's material."""

    record: dict[str, Any]


def get_journal(conn: Connection, org_id: uuid.UUID, merge_id: uuid.UUID, *, for_update: bool) -> JournalRow | None:
    stmt = sa.select(journal).where(journal.c.org_id == org_id, journal.c.id == merge_id)
    if for_update:
        stmt = stmt.with_for_update()
    row = conn.execute(stmt).one_or_none()
    if row is None:
        return None
    found = row._mapping
    return JournalRow(
        id=found["id"],
        survivor_id=found["survivor_id"],
        source_ids=[uuid.UUID(i) for i in found["source_ids"]],
        moved=dict(found["moved"]),
        changed_fields=list(found["changed_fields"]),
        created_at=found["created_at"],
        actor=MergeActor(type=found["actor_type"], id=found["actor_id"]),
        undone_at=found["undone_at"],
        record=dict(found["record"]),
    )


def mark_undone(conn: Connection, org_id: uuid.UUID, merge_id: uuid.UUID, *, now: datetime) -> None:
    stmt = sa.update(journal).where(journal.c.org_id == org_id, journal.c.id == merge_id).values(undone_at=now)
    conn.execute(stmt)
