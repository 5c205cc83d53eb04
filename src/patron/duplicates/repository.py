"""Every duplicates query; each starts from the organization's rows.

The candidate queries read blocks: the live customers sharing one key (email, phone, VAT id,
birthday, folded name), each block found by a GROUP BY or a self-join over that key's index,
so no query compares every customer with every other.

Customer ids come back as 32-digit lower-case hex (`Hex`), not uuid.UUID: building a UUID
per row was a third of the list's time at 100,000 customers (cProfile, SQLite), and hex
strings sort as the ids do. Only the ids of a page become UUIDs (patron.duplicates.service).
"""

from __future__ import annotations

import itertools
import uuid
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Connection

from patron.db.base import table
from patron.db.models import Address, Customer, DuplicateDismissal, OrgCounter, OutboxEvent

customer = table(Customer)
address = table(Address)
dismissal = table(DuplicateDismissal)
counter = table(OrgCounter)
outbox = table(OutboxEvent)

Hex = str

# Ids per IN list: far below SQLite's and psycopg's bound-parameter limits.
_CHUNK = 2000


@dataclass(frozen=True, slots=True)
class Member:
    """One live customer of a block: the block's key, its id and its name key."""

    key: Any
    id: Hex
    name_key: str | None = None


@dataclass(frozen=True, slots=True)
class Contacts:
    """A live customer's other emails and phones (few customers have any)."""

    id: Hex
    other_emails: list[str]
    other_phones: list[str]


@dataclass(frozen=True, slots=True)
class Person:
    """What scoring reads of one customer, as stored."""

    id: Hex
    name_key: str | None
    email: str
    other_emails: list[str]
    phone: str | None
    other_phones: list[str]
    vat_id: str | None
    birthday: date | None
    company_name: str | None


def _hex(conn: Connection, column: sa.ColumnElement[Any]) -> sa.ColumnElement[str]:
    """The id as 32 hex digits: SQLite stores exactly that; PostgreSQL's text has hyphens."""
    if conn.dialect.name == "sqlite":
        return sa.type_coerce(column, sa.String())
    return sa.func.replace(sa.cast(column, sa.Text()), "-", "")


def _ids(hexes: Iterable[Hex]) -> list[uuid.UUID]:
    return [uuid.UUID(h) for h in sorted(set(hexes))]


def _live(table_: sa.FromClause, org_id: uuid.UUID) -> list[sa.ColumnElement[bool]]:
    # Erased and merged customers are soft-deleted too; the marks are checked as well so a pair
    # never names one whatever order a future change sets them in.
    return [
        table_.c.org_id == org_id,
        table_.c.deleted_at.is_(None),
        table_.c.erased_at.is_(None),
        table_.c.merged_into.is_(None),
    ]


def _members(conn: Connection, stmt: sa.Select[Any]) -> list[Member]:
    return [Member(*row) for row in conn.execute(stmt).all()]


def _chunks(values: Sequence[Any]) -> Iterator[Sequence[Any]]:
    for start in range(0, len(values), _CHUNK):
        yield values[start : start + _CHUNK]


def event_seq(conn: Connection, org_id: uuid.UUID) -> int:
    """The organization's event counter: every write to it bumps it (patron.db.uow)."""
    stmt = sa.select(counter.c.value).where(counter.c.org_id == org_id, counter.c.name == "event_seq")
    return int(conn.execute(stmt).scalar_one())


def events_since(conn: Connection, org_id: uuid.UUID, after: int, upto: int, *, most: int) -> list[tuple[str, Hex]]:
    """(type, subject id) of the organization's events after seq `after` up to `upto`, oldest
    first, at most `most` + 1 of them (so a caller learns there were more): a range of the
    outbox's primary key."""
    stmt = (
        sa.select(outbox.c.type, _hex(conn, outbox.c.subject_id))
        .where(outbox.c.org_id == org_id, outbox.c.seq > after, outbox.c.seq <= upto)
        .order_by(outbox.c.seq)
        .limit(most + 1)
    )
    return [(row[0], row[1]) for row in conn.execute(stmt).all()]


def live_count(conn: Connection, org_id: uuid.UUID) -> int:
    """How many live customers the organization has (index-only: the live-list index)."""
    stmt = sa.select(sa.func.count()).where(customer.c.org_id == org_id, customer.c.deleted_at.is_(None))
    return int(conn.execute(stmt).scalar_one())


def key_blocks(conn: Connection, org_id: uuid.UUID, column: str) -> list[Member]:
    """Live customers whose `column` (email, phone or vat_id) another customer shares.

    The shared values come from an index-only GROUP BY over (org_id, column), deleted rows
    included (the index has no deleted_at); the outer query keeps the live members.
    """
    key = customer.c[column]
    shared = (
        sa.select(key).where(customer.c.org_id == org_id, key.is_not(None)).group_by(key).having(sa.func.count() > 1)
    )
    stmt = sa.select(key, _hex(conn, customer.c.id)).where(*_live(customer, org_id), key.in_(shared))
    return _members(conn, stmt)


def with_other_contacts(conn: Connection, org_id: uuid.UUID) -> list[Contacts]:
    """Live customers with other emails or phones, through their partial index."""
    if conn.dialect.name == "sqlite":
        some = sa.text("(customer.other_emails <> '[]' OR customer.other_phones <> '[]')")
    else:
        some = sa.text("(customer.other_emails <> '[]'::jsonb OR customer.other_phones <> '[]'::jsonb)")
    stmt = sa.select(_hex(conn, customer.c.id), customer.c.other_emails, customer.c.other_phones).where(
        *_live(customer, org_id), some
    )
    return [Contacts(*row) for row in conn.execute(stmt).all()]


def holding(conn: Connection, org_id: uuid.UUID, column: str, values: Iterable[str]) -> list[Member]:
    """Live customers whose primary `column` (email or phone) is one of `values`."""
    key = customer.c[column]
    found: list[Member] = []
    for part in _chunks(sorted(set(values))):
        stmt = sa.select(key, _hex(conn, customer.c.id)).where(*_live(customer, org_id), key.in_(part))
        found += _members(conn, stmt)
    return found


def _birthday_counts(org_id: uuid.UUID) -> sa.Subquery:
    # The partial index's own predicate, so the GROUP BY reads the index alone.
    return (
        sa.select(customer.c.birthday, sa.func.count().label("n"))
        .where(customer.c.org_id == org_id, customer.c.deleted_at.is_(None), customer.c.birthday.is_not(None))
        .group_by(customer.c.birthday)
        .having(sa.func.count() > 1)
        .subquery()
    )


def birthday_blocks(
    conn: Connection, org_id: uuid.UUID, *, largest: int, similar: Callable[[str, str], bool]
) -> tuple[list[Member], dict[date, int]]:
    """Live named customers sharing a birthday with another whose name is `similar`, in
    birthday order, from birthdays shared by at most `largest` customers; and the birthdays
    shared by more, with how many share each (a placeholder date, 1 January, carries no evidence).

    The names of each birthday are read from the birthday index alone (it holds the name key);
    only the customers whose name is similar to another's that day are then looked up, a few
    rows instead of one per customer with a shared birthday (measured in bench/duplicates.py).
    """
    counts = _birthday_counts(org_id)
    skipped = {row[0]: int(row[1]) for row in conn.execute(sa.select(counts).where(counts.c.n > largest))}
    shared = sa.select(counts.c.birthday).where(counts.c.n <= largest)
    names = (
        sa.select(sa.type_coerce(customer.c.birthday, sa.String()), customer.c.name_key)
        .where(
            customer.c.org_id == org_id,
            customer.c.deleted_at.is_(None),
            customer.c.birthday.is_not(None),
            customer.c.birthday.in_(shared),
            customer.c.name_key.is_not(None),
        )
        .order_by(customer.c.birthday)
    )
    wanted: list[tuple[date, str]] = []
    for day, rows in itertools.groupby(conn.execute(names).all(), key=lambda row: row[0]):
        keys = [row[1] for row in rows]
        alike: set[str] = set()
        for i, a in enumerate(keys):
            for b in keys[i + 1 :]:
                if similar(a, b):
                    alike.update((a, b))
        when = day if isinstance(day, date) else date.fromisoformat(day)
        wanted += [(when, key) for key in sorted(alike)]
    found: list[Member] = []
    for part in _chunks(wanted):
        # By birthday through the index; the name keys are checked in the index too, the pairs here.
        stmt = sa.select(customer.c.birthday, _hex(conn, customer.c.id), customer.c.name_key).where(
            *_live(customer, org_id),
            customer.c.birthday.in_(sorted({day for day, _ in part})),
            customer.c.name_key.in_(sorted({key for _, key in part})),
        )
        chosen = set(part)
        found += [Member(*row) for row in conn.execute(stmt).all() if (row[0], row[2]) in chosen]
    found.sort(key=lambda m: (m.key, m.id))
    return found, skipped


def company_members(conn: Connection, org_id: uuid.UUID) -> list[Member]:
    """(company name, id, name key) of every live customer with a company.

    No index holds company names, so this reads the organization's live rows and keeps those
    with one (measured in bench/duplicates.py); `(org_id, company_name) WHERE deleted_at IS
    NULL AND company_name IS NOT NULL` would make it index-only.
    """
    stmt = sa.select(customer.c.company_name, _hex(conn, customer.c.id), customer.c.name_key).where(
        *_live(customer, org_id), customer.c.company_name.is_not(None)
    )
    return _members(conn, stmt)


def name_postcode_members(conn: Connection, org_id: uuid.UUID) -> list[tuple[str, str, Hex]]:
    """(name key, postcode, id) of every address with a postcode of a live named customer."""
    stmt = (
        sa.select(customer.c.name_key, address.c.postcode, _hex(conn, customer.c.id))
        .select_from(address)
        .join(customer, sa.and_(customer.c.org_id == address.c.org_id, customer.c.id == address.c.customer_id))
        .where(
            address.c.org_id == org_id,
            address.c.postcode.is_not(None),
            *_live(customer, org_id),
            customer.c.name_key.is_not(None),
        )
    )
    return [(row[0], row[1], row[2]) for row in conn.execute(stmt).all()]


def people(conn: Connection, org_id: uuid.UUID, ids: Iterable[Hex]) -> list[Person]:
    """The scoring fields of these customers (by primary key)."""
    columns = [_hex(conn, customer.c.id), *(customer.c[name] for name in list(Person.__dataclass_fields__)[1:])]
    found: list[Person] = []
    for part in _chunks(_ids(ids)):
        stmt = sa.select(*columns).where(customer.c.org_id == org_id, customer.c.id.in_(part))
        found += [Person(*row) for row in conn.execute(stmt).all()]
    return found


def postcodes(conn: Connection, org_id: uuid.UUID, ids: Iterable[Hex]) -> list[tuple[Hex, str]]:
    """(customer id, postcode) of these customers' addresses with a postcode."""
    found: list[tuple[Hex, str]] = []
    for part in _chunks(_ids(ids)):
        stmt = sa.select(_hex(conn, address.c.customer_id), address.c.postcode).where(
            address.c.org_id == org_id, address.c.customer_id.in_(part), address.c.postcode.is_not(None)
        )
        found += [(row[0], row[1]) for row in conn.execute(stmt).all()]
    return found


def live_people(conn: Connection, org_id: uuid.UUID, ids: Iterable[Hex]) -> list[Person]:
    """The scoring fields of those of these customers who are live (by primary key)."""
    columns = [_hex(conn, customer.c.id), *(customer.c[name] for name in list(Person.__dataclass_fields__)[1:])]
    stmt = sa.select(*columns).where(*_live(customer, org_id), customer.c.id.in_(_ids(ids)))
    return [Person(*row) for row in conn.execute(stmt).all()]


def name_postcode_holding(
    conn: Connection, org_id: uuid.UUID, keys: Iterable[tuple[str, str]]
) -> list[tuple[str, str, Hex]]:
    """(name key, postcode, id) of the live customers of these (name key, postcode) blocks,
    through the name-key index."""
    wanted = set(keys)
    if not wanted:
        return []
    stmt = (
        sa.select(customer.c.name_key, address.c.postcode, _hex(conn, customer.c.id))
        .select_from(customer)
        .join(address, sa.and_(address.c.org_id == customer.c.org_id, address.c.customer_id == customer.c.id))
        .where(
            *_live(customer, org_id),
            customer.c.name_key.in_(sorted({name for name, _ in wanted})),
            address.c.postcode.in_(sorted({postcode for _, postcode in wanted})),
        )
    )
    return [(row[0], row[1], row[2]) for row in conn.execute(stmt).all() if (row[0], row[1]) in wanted]


def birthday_counts(conn: Connection, org_id: uuid.UUID, days: Iterable[date]) -> dict[date, int]:
    """How many live customers were born on each of these days (through the birthday index)."""
    stmt = (
        sa.select(customer.c.birthday, sa.func.count())
        .where(
            customer.c.org_id == org_id,
            customer.c.deleted_at.is_(None),
            customer.c.birthday.is_not(None),
            customer.c.birthday.in_(sorted(set(days))),
        )
        .group_by(customer.c.birthday)
    )
    return {row[0]: int(row[1]) for row in conn.execute(stmt).all()}


def born_on(conn: Connection, org_id: uuid.UUID, days: Iterable[date]) -> list[Member]:
    """(birthday, id, name key) of the live named customers born on these days."""
    stmt = sa.select(customer.c.birthday, _hex(conn, customer.c.id), customer.c.name_key).where(
        *_live(customer, org_id),
        customer.c.birthday.is_not(None),
        customer.c.birthday.in_(sorted(set(days))),
        customer.c.name_key.is_not(None),
    )
    return _members(conn, stmt)


def name_counts(conn: Connection, org_id: uuid.UUID, keys: Iterable[str]) -> dict[str, int]:
    """How many live customers carry each of these name keys (through the name-key index)."""
    found: dict[str, int] = {}
    for part in _chunks(sorted(set(keys))):
        stmt = (
            sa.select(customer.c.name_key, sa.func.count())
            .where(customer.c.org_id == org_id, customer.c.deleted_at.is_(None), customer.c.name_key.in_(part))
            .group_by(customer.c.name_key)
        )
        found.update((row[0], int(row[1])) for row in conn.execute(stmt).all())
    return found


def dismissed(conn: Connection, org_id: uuid.UUID, ids: Iterable[Hex] | None = None) -> set[tuple[Hex, Hex]]:
    """Every pair staff dismissed, (low id, high id); with `ids`, those naming one of them."""
    stmt = sa.select(_hex(conn, dismissal.c.low_id), _hex(conn, dismissal.c.high_id)).where(
        dismissal.c.org_id == org_id
    )
    if ids is not None:
        some = _ids(ids)
        stmt = stmt.where(sa.or_(dismissal.c.low_id.in_(some), dismissal.c.high_id.in_(some)))
    return {(row[0], row[1]) for row in conn.execute(stmt)}


def existing(conn: Connection, org_id: uuid.UUID, ids: Sequence[uuid.UUID]) -> set[uuid.UUID]:
    """Which of these ids are customers of the organization (in any state)."""
    stmt = sa.select(customer.c.id).where(customer.c.org_id == org_id, customer.c.id.in_(ids))
    return set(conn.execute(stmt).scalars())


def get_dismissal(conn: Connection, org_id: uuid.UUID, low_id: uuid.UUID, high_id: uuid.UUID) -> datetime | None:
    stmt = sa.select(dismissal.c.created_at).where(
        dismissal.c.org_id == org_id, dismissal.c.low_id == low_id, dismissal.c.high_id == high_id
    )
    value: datetime | None = conn.execute(stmt).scalar_one_or_none()
    return value


def insert_dismissal(conn: Connection, values: dict[str, Any]) -> bool:
    """Store a dismissal; False when the pair was dismissed already (a concurrent request too)."""
    dialect = postgresql if conn.dialect.name == "postgresql" else sqlite
    stmt = dialect.insert(dismissal).values(values).on_conflict_do_nothing().returning(dismissal.c.low_id)
    return conn.execute(stmt).one_or_none() is not None
