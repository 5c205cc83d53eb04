"""Random queries of the segment grammar over random customers: the compiled SQL selects exactly the
customers the pure-Python evaluator selects, on both databases (live customers of one organization,
their newsletter subscriptions, custom fields of every type and of the wrong type)."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime, timedelta
from typing import Any

import sqlalchemy as sa
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from patron.customers.repository import customer, live
from patron.db.base import table
from patron.db.models import NewsletterSubscriber, Organization
from patron.db.uow import Database
from patron.identity.schemas import CustomFieldDefinition
from patron.segments import compiler, evaluator, language
from patron.segments.language import Target

NOW = datetime(2026, 3, 31, 12, 0, 0, tzinfo=UTC)
DEFINITIONS = {
    "size": CustomFieldDefinition(type="integer"),
    "score": CustomFieldDefinition(type="number"),
    "vip": CustomFieldDefinition(type="boolean"),
    "since": CustomFieldDefinition(type="date"),
    "note": CustomFieldDefinition(type="string"),
}
FIELDS = language.fields_of(DEFINITIONS)
_organization = table(Organization)
_subscriber = table(NewsletterSubscriber)

TEXTS = ["An", "an", "AN", "Bình", "bình", "O'Neil", "50%", "a_b", "Zed", "", "ăn"]
TAGS = ["vip", "new", "wholesale"]
EMAILS = [f"u{i}@ex.com" for i in range(6)]
NUMBERS = [f"C-{i}" for i in range(6)]
INTS = st.integers(-5, 5) | st.sampled_from([0, 100, -(2**62), 2**62])
DAYS = st.dates(date(2025, 1, 1), date(2026, 6, 30))
MOMENTS = st.integers(0, 500 * 24).map(lambda h: NOW - timedelta(hours=h))
STATUSES = ["subscribed", "pending", "unsubscribed"]


def _texts(nullable: bool = True) -> st.SearchStrategy[str | None]:
    values = st.sampled_from(TEXTS)
    return (st.none() | values) if nullable else values


_custom_value = {
    "size": st.integers(-3, 3) | st.just("3") | st.booleans(),
    "score": st.sampled_from([-1.5, 0.5, 2, 2.0, 3]) | st.just(True),
    "vip": st.booleans() | st.just(1),
    "since": DAYS.map(date.isoformat) | st.just(5),
    "note": _texts(False) | st.just(7),
}
CUSTOM = st.fixed_dictionaries({}, optional=_custom_value)  # type: ignore[arg-type]


@st.composite
def _figures(draw: st.DrawFn) -> dict[str, Any]:
    """Order figures as patron.orders.figures keeps them: none without paid orders."""
    count = draw(st.integers(0, 4))
    if count == 0:
        return {"orders_count": 0, "total_spent": 0, "first_order_at": None, "last_order_at": None}
    first, last = sorted([draw(MOMENTS), draw(MOMENTS)])
    return {
        "orders_count": count,
        "total_spent": draw(st.integers(0, 9) | st.integers(0, 10**9)),
        "first_order_at": first,
        "last_order_at": last if count > 1 else first,
    }


@st.composite
def _customer(draw: st.DrawFn, i: int) -> dict[str, Any]:
    created = draw(MOMENTS)
    return {
        **draw(_figures()),
        "lifetime_points": draw(st.integers(0, 3) | st.integers(0, 10**6)),
        "id": uuid.uuid4(),
        "customer_number": NUMBERS[i] if i < len(NUMBERS) else f"C-{i}",
        "email": EMAILS[i] if i < len(EMAILS) else f"u{i}@ex.com",
        "is_guest": draw(st.booleans()),
        "gender": draw(st.none() | st.sampled_from(FIELDS["gender"].choices)),
        "first_name": draw(_texts()),
        "last_name": draw(_texts()),
        "birthday": draw(st.none() | DAYS),
        "locale": draw(st.sampled_from(["en", "vi"])),
        "phone": draw(st.none() | st.sampled_from(["+84912345678", "+84987654321"])),
        "company_name": draw(_texts()),
        "vat_id": draw(st.none() | st.just("VN123")),
        "is_merchant": draw(st.booleans()),
        "is_favorite": draw(st.booleans()),
        "credit": draw(INTS),
        "points_balance": draw(INTS),
        "loyalty_tier": draw(st.none() | st.sampled_from(["gold", "silver"])),
        "status": draw(st.sampled_from(FIELDS["status"].choices)),
        "tier": draw(st.sampled_from(FIELDS["tier"].choices)),
        "source": draw(st.none() | st.sampled_from(FIELDS["source"].choices)),
        "tags": draw(st.lists(st.sampled_from(TAGS), unique=True, max_size=3)),
        "custom_fields": draw(CUSTOM),
        "created_at": created,
        "updated_at": created + timedelta(hours=draw(st.integers(0, 48))),
        "deleted_at": draw(st.none() | st.just(NOW)) if draw(st.integers(0, 5)) == 0 else None,
        "subscriptions": draw(st.lists(st.sampled_from(STATUSES), max_size=2)),
        "group_id": None,
        "assigned_to": None,
        "company_id": None,
    }


CUSTOMERS = st.integers(0, 12).flatmap(lambda n: st.tuples(*(_customer(i) for i in range(n))))


def _quoted(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _literal(draw: st.DrawFn, target: Target) -> str:
    kind = target.kind
    if kind in ("text", "tags"):
        pool = [*TAGS, "VIP", "x"] if kind == "tags" else [*TEXTS, *EMAILS, *NUMBERS, "U1@EX.COM", "n"]
        return _quoted(draw(st.sampled_from(pool)))
    if kind in ("enum", "newsletter"):
        return _quoted(draw(st.sampled_from(target.choices)))
    if kind == "uuid":
        return _quoted(str(uuid.UUID(int=draw(st.integers(0, 3)))))
    if kind in ("int", "number"):
        return str(draw(INTS))
    if kind == "bool":
        return draw(st.sampled_from(["true", "false", "TRUE", "False"]))
    if draw(st.booleans()):
        return draw(DAYS).isoformat()
    return f"-{draw(st.integers(0, 400))}{draw(st.sampled_from('dmyD'))}"


def _keyword(draw: st.DrawFn, word: str) -> str:
    return draw(st.sampled_from([word, word.upper(), word.capitalize()]))


@st.composite
def _predicate(draw: st.DrawFn) -> str:
    name = draw(st.sampled_from(sorted(FIELDS)))
    target = FIELDS[name]
    op = draw(st.sampled_from(target.ops + (("not in",) if "in" in target.ops else ())))
    if op in ("=", "!=", "<", "<=", ">", ">="):
        return f"{name} {op} {_literal(draw, target)}"
    if op in ("in", "not in"):
        values = ", ".join(_literal(draw, target) for _ in range(draw(st.integers(1, 3))))
        word = " ".join(_keyword(draw, w) for w in op.split())
        return f"{name} {word} ({values})"
    if op == "has":
        pool = [*TAGS, "VIP", "x"] if target.kind == "tags" else ["n", "N", "%", "_", "'", "ình", "@EX", ""]
        return f"{name} {_keyword(draw, 'has')} {_quoted(draw(st.sampled_from(pool)))}"
    if op == "is null":
        middle = " not" if draw(st.booleans()) else ""
        return f"{name} {_keyword(draw, 'is')}{middle} {_keyword(draw, 'null')}"
    low, high = _literal(draw, target), _literal(draw, target)
    return f"{name} {_keyword(draw, 'between')} {low} {_keyword(draw, 'and')} {high}"


def _combine(children: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    return st.one_of(
        st.tuples(children, st.sampled_from(["and", "OR", "And", "or"]), children).map(" ".join),
        children.map(lambda c: f"NOT {c}"),
        children.map(lambda c: f"({c})"),
    )


QUERIES = st.recursive(_predicate(), _combine, max_leaves=6)


def _org(database: Database) -> uuid.UUID:
    org_id = uuid.uuid4()
    with database.engine.begin() as conn:
        conn.execute(
            sa.insert(_organization).values(
                id=org_id, name="Segments", slug=f"seg-{org_id.hex[:10]}", settings={}, created_at=NOW, updated_at=NOW
            )
        )
    return org_id


def _nearest(statuses: list[str]) -> str:
    return next((s for s in STATUSES if s in statuses), "none")


def _rows(org_id: uuid.UUID, customers: tuple[dict[str, Any], ...]) -> tuple[list[dict[str, Any]], list[Any]]:
    rows, subscriptions = [], []
    for c in customers:
        row = {k: v for k, v in c.items() if k != "subscriptions"}
        base = {col.name: None for col in customer.c}
        rows.append(
            {**base, **row, "org_id": org_id, "other_emails": [], "other_phones": [], "version": 1, "search_text": ""}
        )
        for j, status in enumerate(c["subscriptions"]):
            subscriptions.append(
                {
                    "org_id": org_id,
                    "id": uuid.uuid4(),
                    "email": f"s{j}.{c['email']}",
                    "status": status,
                    "topics": [],
                    "customer_id": c["id"],
                    "opt_in_level": "single",
                    "token_version": 1,
                    "created_at": NOW,
                    "updated_at": NOW,
                }
            )
    return rows, subscriptions


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(customers=CUSTOMERS, query=QUERIES)
def test_sql_selects_what_the_evaluator_selects(database: Database, customers: Any, query: str) -> None:
    dialect = database.engine.dialect.name
    if dialect not in _ORG:
        _ORG[dialect] = _org(database)
    org_id = _ORG[dialect]
    tree = language.parse(query, FIELDS, now=NOW)
    scored = evaluator.with_rfm_segments(customers, NOW)
    expected = {
        c["id"]
        for c in scored
        if c["deleted_at"] is None and evaluator.matches(tree, {**c, "newsletter_status": _nearest(c["subscriptions"])})
    }
    rows, subscriptions = _rows(org_id, customers)
    where = compiler.where_clause(tree, dialect, org_id=org_id, now=NOW)
    with database.engine.connect() as conn:
        transaction = conn.begin()
        try:
            if rows:
                conn.execute(sa.insert(customer), rows)
            if subscriptions:
                conn.execute(sa.insert(_subscriber), subscriptions)
            found = set(conn.execute(live(org_id).where(where).with_only_columns(customer.c.id)).scalars())
        finally:
            transaction.rollback()
    assert found == expected, query


_ORG: dict[str, uuid.UUID] = {}
