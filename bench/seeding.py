"""Bulk seeding for the benchmark: generated customers written in their stored form.

The customers are what the app would store: the same columns, the search text that
`patron.customers.search.document` gives, and on SQLite the very text SQLAlchemy's types
write (`check_stored_form` compares a sample through the types' own bind processors,
`check_read_back` reads customers back through the service). Secondary indexes, the FTS5
triggers and foreign keys are taken off during the load and put back from the database's own
definitions (sqlite_master, pg_indexes, pg_constraint), so the schema after a seed is the
migrated one; rebuilding them is part of the timed seed.
"""

from __future__ import annotations

import contextlib
import dataclasses
import functools
import multiprocessing
import random
import sqlite3
import time
import uuid
from collections.abc import Callable, Iterator, Sequence
from datetime import UTC, date, datetime, timedelta
from typing import Any

from phonenumbers.phonemetadata import PhoneMetadata

from patron.customers import search
from patron.customers import service as customers_service
from patron.db import counters
from patron.db.base import table
from patron.db.engine import JSON_CODEC
from patron.db.models import Customer
from patron.db.uow import Database
from patron.kernel.ids import uuid7
from patron.kernel.tenancy import SYSTEM, Principal, Role

FIRST = ["Lan", "Minh", "Thảo", "Hùng", "Ngọc", "Anh", "Bảo", "Chi", "Dũng", "Giang", "Jürgen", "Chloé", "Sara", "Tom"]
LAST = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Võ", "Đặng", "Bùi", "Đỗ", "Müller", "Lefèvre", "Smith"]
FIRST += [f"{name}{suffix}" for name in ("Khoa", "Linh", "Mai", "Phúc", "Quân") for suffix in ("", "a", "n", "ng")]
LAST += [f"{name}{i}" for name in ("Ngô", "Dương", "Lý", "Tô") for i in range(40)]
TIERS = ["free", "basic", "pro", "enterprise"]
STATUSES = ["lead", "prospect", "customer", "churned"]
SOURCES = ["website", "referral", "cold-call", "event", "pos", "import", "other", None]
TAGS = ["vip", "b2b", "newsletter", "pos", "wholesale"]
GENDERS = ["female", "male", "diverse", None]
CREDITS = [0, 0, 0, 5000, 20000, 150000]
# rng.sample(TAGS, k) for k drawn from [0, 0, 1, 1, 2], as one weighted list: 2/5 no tag, 2/5 one tag,
# 1/5 an ordered pair of two different tags.
TAG_SETS = [()] * 40 + [(t,) for t in TAGS] * 8 + [(a, b) for a in TAGS for b in TAGS if a != b]

COLUMNS = [c.name for c in table(Customer).columns]

# --------------------------------------------------------------------------- search text

# The bench's names repeat, so their tokens are folded once per distinct name.
_name_tokens = functools.cache(search.tokens)


@functools.cache
def _name_key(first: str, last: str) -> str | None:
    """The folded-name blocking key the app keeps on every write (`search.name_key`)."""
    return search.name_key({"first_name": first, "last_name": last})


def _vn_mobile_national_digits_rule() -> None:
    """Why `+849` + 8 digits has the national digits `09` + the same 8 digits, checked on the metadata.

    `format_number(NATIONAL)` uses the first VN format whose leading-digits pattern matches the
    national number and whose pattern matches all of it. For a 9-digit number starting with 9,
    the formats before `[1357-9]` all need a first digit of 1, 6 or 7, and `(\\d{3})(\\d{3})(\\d{3})`
    matches any 9 digits; its rule `0\\1` puts the national prefix 0 in front. Fails if a
    phonenumbers update changed that, instead of seeding text the app would not write.
    """
    metadata = PhoneMetadata.metadata_for_region("VN")
    formats = [
        (f.leading_digits_pattern[-1], f.pattern, f.national_prefix_formatting_rule) for f in metadata.number_format
    ]
    chosen = [leading for leading, _, _ in formats].index("[1357-9]")
    # The leading-digit patterns the proof above reads (none starts with 9), and the chosen format.
    assert [leading for leading, _, _ in formats[:chosen]] == ["[17]99", "69", "1(?:2[02]|[89])", "1[26]|6"]
    assert formats[chosen][1:] == (r"(\d{3})(\d{3})(\d{3})", r"0\1"), formats[chosen]
    assert metadata.national_prefix == "0"
    assert search._phone_forms("+84900000000") == ["84900000000", "0900000000"]


def _phone_forms(phone: str) -> list[str]:
    """search._phone_forms for the bench's `+849dddddddd` numbers, without parsing (see the rule above)."""
    return [phone[1:], "0" + phone[3:]]


_fold = functools.cache(search.fold)


def document(first: str, last: str, company: str | None, number: str, email: str, phone: str | None) -> str:
    """search.document for a generated customer (no other emails or phones), names folded once."""
    parts = [*_name_tokens(first), *_name_tokens(last)]
    if company:
        parts += _name_tokens(company)
    parts += search.tokens(number)
    parts += search.tokens(email)
    if phone:
        parts += _phone_forms(phone)
    return " " + " ".join(dict.fromkeys(parts))


# --------------------------------------------------------------------------- generated customers


@dataclasses.dataclass(slots=True)
class Draw:
    """What is random about one customer; the rest of the row is the service's defaults."""

    org_id: uuid.UUID
    id: uuid.UUID
    number: str
    is_guest: bool
    gender: str | None
    first: str
    last: str
    birthday: date | None
    email: str
    phone: str | None
    company: str | None
    is_merchant: bool
    credit: int
    is_favorite: bool
    status: str
    tier: str
    source: str | None
    tags: tuple[str, ...]
    created: datetime  # UTC
    search_text: str
    name_key: str | None


@dataclasses.dataclass(frozen=True, slots=True)
class Chunk:
    """Customers `start` to `start + count` of an organization of `per_org`, drawn with their own
    random stream, so worker processes draw chunks independently and reproducibly."""

    org_id: uuid.UUID
    org_n: int
    start: int
    count: int
    per_org: int


def chunks(org_ids: list[uuid.UUID], per_org: int, size: int = 10_000) -> list[Chunk]:
    return [
        Chunk(org_id, n, start, min(size, per_org - start), per_org)
        for n, org_id in enumerate(org_ids)
        for start in range(0, per_org, size)
    ]


def draws(chunk: Chunk) -> Iterator[Draw]:
    """The chunk's customers in creation order."""
    rng = random.Random(f"42:{chunk.org_n}:{chunk.start}")
    org_id = chunk.org_id
    start = datetime(2024, 1, 1, tzinfo=UTC)
    step = timedelta(days=730) / max(chunk.per_org, 1)
    birth_origin = date(1950, 1, 1)
    rand, randrange = rng.random, rng.randrange

    def choice(items: Sequence[Any]) -> Any:  # rng.choice's distribution, without its bookkeeping
        return items[int(rand() * len(items))]

    for i in range(chunk.start, chunk.start + chunk.count):
        first, last = choice(FIRST), choice(LAST)
        created = start + step * i + timedelta(microseconds=randrange(1000))
        phone = f"+849{randrange(10**8):08d}" if rand() < 0.8 else None
        number = f"C-{i + 1:06d}"
        email = f"{_fold(first)}.{_fold(last)}.{i}@example.com".replace(" ", "")
        is_guest = rand() < 0.1
        gender = choice(GENDERS)
        birthday = birth_origin + timedelta(days=randrange(20000)) if rand() < 0.6 else None
        company = f"{last} Trading" if rand() < 0.15 else None
        yield Draw(
            org_id,
            uuid7(),
            number,
            is_guest,
            gender,
            first,
            last,
            birthday,
            email,
            phone,
            company,
            rand() < 0.05,
            choice(CREDITS),
            rand() < 0.02,
            choice(STATUSES),
            choice(TIERS),
            choice(SOURCES),
            choice(TAG_SETS),
            created,
            document(first, last, company, number, email, phone),
            _name_key(first, last),
        )


def values(d: Draw) -> dict[str, Any]:
    """The customer as the service would insert it (Python values)."""
    return {
        "org_id": d.org_id,
        "id": d.id,
        "customer_number": d.number,
        "is_guest": d.is_guest,
        "gender": d.gender,
        "first_name": d.first,
        "last_name": d.last,
        "birthday": d.birthday,
        "locale": "vi",
        "email": d.email,
        "other_emails": [],
        "phone": d.phone,
        "other_phones": [],
        "fax": None,
        "company_name": d.company,
        "vat_id": None,
        "is_merchant": d.is_merchant,
        "company_id": None,
        "user_id": None,
        "credit": d.credit,
        "is_favorite": d.is_favorite,
        "group_id": None,
        "status": d.status,
        "tier": d.tier,
        "source": d.source,
        "assigned_to": None,
        "tags": list(d.tags),
        "custom_fields": {},
        "points_balance": 0,
        "loyalty_tier": None,
        "lifetime_points": 0,
        "orders_count": 0,
        "total_spent": 0,
        "first_order_at": None,
        "last_order_at": None,
        "created_at": d.created,
        "updated_at": d.created,
        "churned_at": None,
        "deleted_at": None,
        "erased_at": None,
        "merged_into": None,
        "version": 1,
        "search_text": d.search_text,
        "name_key": d.name_key,
    }


# --------------------------------------------------------------------------- stored forms

# The stored forms below list the columns in the table's order; check_stored_form compares a
# sample, value by value, with what SQLAlchemy's column types bind for `values()`.
# As the engine writes JSON (patron.db.engine.JSON_CODEC), so stored rows are byte-identical.
_json_list = functools.cache(lambda items: JSON_CODEC["json_serializer"](list(items)))


def sqlite_row(d: Draw) -> tuple[Any, ...]:
    """The row as SQLAlchemy writes it to SQLite: hex UUIDs, naive UTC datetimes as text, JSON text."""
    created = d.created.replace(tzinfo=None).isoformat(" ", "microseconds")
    birthday = d.birthday.isoformat() if d.birthday else None
    # fmt: off
    return (
        d.org_id.hex, d.id.hex, d.number, d.is_guest, d.gender, d.first, d.last, birthday, "vi", d.email,
        "[]", d.phone, "[]", None, d.company, None, d.is_merchant, None, None, d.credit, d.is_favorite, None,
        d.status, d.tier, d.source, None, _json_list(d.tags), "{}", 0, None, 0, 0, 0, None, None, created, created,
        None, None, None, None, 1, d.search_text, d.name_key,
    )
    # fmt: on


def _copy_text(value: str | None) -> str:
    if value is None:
        return "\\N"
    if "\\" in value or "\t" in value or "\n" in value or "\r" in value:
        value = value.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")
    return value


def copy_line(d: Draw) -> str:
    """The row in COPY's text format."""
    created = d.created.isoformat(" ", "microseconds")
    birthday = d.birthday.isoformat() if d.birthday else "\\N"
    t, f, null = "t", "f", "\\N"
    fields = (
        str(d.org_id), str(d.id), _copy_text(d.number), t if d.is_guest else f, _copy_text(d.gender),
        _copy_text(d.first), _copy_text(d.last), birthday, "vi", _copy_text(d.email), "[]", _copy_text(d.phone),
        "[]", null, _copy_text(d.company), null, t if d.is_merchant else f, null, null, str(d.credit),
        t if d.is_favorite else f, null, d.status, d.tier, _copy_text(d.source), null,
        _copy_text(_json_list(d.tags)), "{}", "0", null, "0", "0", "0", null, null, created, created, null, null,
        null, null, "1",
        _copy_text(d.search_text), _copy_text(d.name_key),
    )  # fmt: skip
    return "\t".join(fields) + "\n"


def check_stored_form(database: Database, sample: Sequence[Draw]) -> None:
    """The sample's search text is what the app computes, and on SQLite its stored row is what
    SQLAlchemy's column types bind, value for value."""
    dialect = database.engine.dialect
    customer = table(Customer)
    for d in sample:
        row = values(d)
        assert d.search_text == search.document(row), row
        assert d.name_key == search.name_key(row), row
        if dialect.name != "sqlite":
            continue
        expected = []
        for column in customer.columns:
            process = column.type._cached_bind_processor(dialect)
            expected.append(process(row[column.name]) if process else row[column.name])
        assert sqlite_row(d) == tuple(expected), (sqlite_row(d), expected)


def check_read_back(database: Database, sample: Sequence[Draw]) -> None:
    """Seeded customers read through the service equal what was generated."""
    uow = database.unit_of_work(actor=SYSTEM, readonly=True)
    try:
        for d in sample:
            principal = Principal(d.org_id, uuid.uuid4(), Role.OWNER, None)
            read = customers_service.get_customer(uow, principal=principal, customer_id=d.id)
            for name, value in values(d).items():
                if hasattr(read, name):
                    assert getattr(read, name) == value, (name, getattr(read, name), value)
    finally:
        uow.close()


# --------------------------------------------------------------------------- loading

# Customers are drawn in worker processes (the Python side costs more than the database's);
# every 997th is kept as the sample the checks look at.
WORKERS = 2
SAMPLE_EVERY = 997


def _sqlite_chunk(chunk: Chunk) -> tuple[bytes, list[Draw]]:
    """The chunk's stored rows as an in-memory SQLite database image (a table without types, so
    values keep the form they were given), for the writer to copy with one INSERT ... SELECT."""
    rows = list(draws(chunk))
    image = sqlite3.connect(":memory:")
    image.execute(f"CREATE TABLE customer ({', '.join(COLUMNS)})")
    image.executemany(_INSERT, map(sqlite_row, rows))
    image.commit()
    return image.serialize(), rows[::SAMPLE_EVERY]


def _copy_chunk(chunk: Chunk) -> tuple[str, list[Draw]]:
    rows = list(draws(chunk))
    return "".join(map(copy_line, rows)), rows[::SAMPLE_EVERY]


def _drawn(work: Callable[[Chunk], tuple[Any, list[Draw]]], todo: list[Chunk]) -> Iterator[tuple[Any, list[Draw]]]:
    with multiprocessing.get_context("fork").Pool(WORKERS) as pool:
        yield from pool.imap(work, todo)


_INSERT = f"INSERT INTO customer ({', '.join(COLUMNS)}) VALUES ({', '.join('?' * len(COLUMNS))})"


def seed_sqlite(database: Database, todo: list[Chunk], phases: dict[str, float]) -> list[Draw]:
    """Triggers and secondary indexes off; each chunk drawn by a worker as a database image and
    copied in C (INSERT ... SELECT, 4x cheaper for the one writer than executemany); then the
    indexes and triggers back from sqlite_master's own SQL and one FTS5 rebuild.

    One transaction per step (ATTACH cannot run inside one): a seed that fails halfway leaves a
    database to throw away, as the benchmark's always is.
    """
    sample: list[Draw] = []
    raw = database.engine.raw_connection()
    try:
        db = raw.driver_connection
        # For this connection's index builds: 256 MB of cache, a second sorter thread (-20%).
        db.execute("PRAGMA cache_size=-262144")
        db.execute("PRAGMA threads=2")
        db.execute("BEGIN IMMEDIATE")
        kept = db.execute(
            "SELECT type, name, sql FROM sqlite_master WHERE tbl_name = 'customer' "
            "AND type IN ('index', 'trigger') AND sql IS NOT NULL ORDER BY type"
        ).fetchall()
        for kind, name, _ in kept:
            db.execute(f'DROP {kind.upper()} "{name}"')
        db.execute("COMMIT")
        db.execute("ATTACH ':memory:' AS chunk")
        copy = f"INSERT INTO main.customer ({', '.join(COLUMNS)}) SELECT {', '.join(COLUMNS)} FROM chunk.customer"
        with _phase(phases, "insert"):
            for image, drawn in _drawn(_sqlite_chunk, todo):
                db.deserialize(image, name="chunk")
                db.execute("BEGIN IMMEDIATE")
                db.execute(copy)
                db.execute("COMMIT")
                sample += drawn
        db.execute("DETACH chunk")
        db.execute("BEGIN IMMEDIATE")
        with _phase(phases, "indexes"):
            for _, _, sql in kept:
                db.execute(sql)
        with _phase(phases, "fts_rebuild"):
            db.execute("INSERT INTO customer_fts(customer_fts) VALUES ('rebuild')")
        with _phase(phases, "commit"):
            db.execute("COMMIT")
    except BaseException:
        raw.rollback()
        raise
    finally:
        raw.invalidate()  # its bulk-load settings must not serve the reads measured next
    return sample


def seed_postgresql(database: Database, todo: list[Chunk], phases: dict[str, float]) -> list[Draw]:
    """One transaction: secondary indexes and the customer's foreign keys off, COPY in text
    format, then the indexes and constraints back from the catalog's own definitions."""
    sample: list[Draw] = []
    raw = database.engine.raw_connection()
    try:
        cursor = raw.cursor()
        cursor.execute("SET maintenance_work_mem = '1GB'")
        indexes = cursor.execute(
            "SELECT i.indexname, i.indexdef FROM pg_indexes i WHERE i.tablename = 'customer' "
            "AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conname = i.indexname)"
        ).fetchall()
        foreign_keys = cursor.execute(
            "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint "
            "WHERE conrelid = 'customer'::regclass AND contype = 'f'"
        ).fetchall()
        for name, _ in indexes:
            cursor.execute(f'DROP INDEX "{name}"')
        for name, _ in foreign_keys:
            cursor.execute(f'ALTER TABLE customer DROP CONSTRAINT "{name}"')
        copy_rows = f"COPY customer ({', '.join(COLUMNS)}) FROM STDIN"
        with _phase(phases, "copy"), cursor.copy(copy_rows) as copy:  # type: ignore[attr-defined]
            for text, drawn in _drawn(_copy_chunk, todo):
                copy.write(text)
                sample += drawn
        for name, definition in indexes:
            with _phase(phases, name):
                cursor.execute(definition)
        with _phase(phases, "foreign_keys"):
            for name, definition in foreign_keys:
                cursor.execute(f'ALTER TABLE customer ADD CONSTRAINT "{name}" {definition}')
        with _phase(phases, "commit"):
            raw.commit()
    except BaseException:
        raw.rollback()
        raise
    finally:
        raw.invalidate()  # its bulk-load settings must not serve the reads measured next
    return sample


@contextlib.contextmanager
def _phase(phases: dict[str, float], name: str) -> Iterator[None]:
    began = time.perf_counter()
    yield
    phases[name] = time.perf_counter() - began


def seed(database: Database, org_ids: list[uuid.UUID], per_org: int, phases: dict[str, float]) -> list[Draw]:
    """Bulk-load per_org customers into each organization; answers a sample of what was written
    and records the seconds of each phase in `phases`.

    Everything a bulk load needs before the data is queryable happens here: the counters,
    indexes and FTS rebuilt, statistics (and on PostgreSQL the visibility map) refreshed.
    """
    _vn_mobile_national_digits_rule()
    todo = chunks(org_ids, per_org)
    load = seed_sqlite if database.is_sqlite else seed_postgresql
    sample = load(database, todo, phases)
    with database.engine.begin() as conn:
        for org_id in org_ids:
            counters.bump(conn, org_id, "customer_number", per_org)
    with _phase(phases, "analyze"), database.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.exec_driver_sql("ANALYZE" if database.is_sqlite else "VACUUM ANALYZE customer")
    return sample
