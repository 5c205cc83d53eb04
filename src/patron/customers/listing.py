"""The customer list engine: every list, count and search statement, built once per shape.

A query (`patron.customers.query.ListQuery`) becomes a statement of bound parameters, built
once per shape of query (which fields, operators and sort, how many `in` values and search
terms, which cursor values are empty) and compiled once per database (`patron.db.shapes`),
then run with the query's values. Every statement starts from the organization's live
customers (`repository.live`).
"""

from __future__ import annotations

import dataclasses
import uuid
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection
from sqlalchemy.sql import visitors
from sqlalchemy.sql.elements import BindParameter

from patron.customers.query import Condition, Field, ListQuery, Restriction, SortKey
from patron.customers.repository import ORG, READ, customer, documents, live
from patron.customers.schemas import CustomerRead
from patron.db import shapes
from patron.db.fast import Prepared, Statement

# Every list, count and search statement by its shape (see `patron.db.shapes` for the cost).
_SHAPES = shapes.ShapeCache(kept=256)


# Counting stops here: past it a list answers `total_is_capped` instead of scanning every match.
COUNT_CAP = 1_000
# A search counts no further: its matches are found through the search index and counting
# 1,000 of a common word read up to ~16,000 rows on PostgreSQL (`ngo1` at 100,000 customers
# per organization: 9.9 ms, 1.3 ms for 100); one page of results is what a search is for.
# So does a segment's list: its query tests each row (no index answers it), and the segment's
# exact count is `GET /segments/{id}`'s.
SEARCH_COUNT_CAP = 100


def count_cap(query: ListQuery) -> int:
    """How far the query's matches are counted; more answers `total_is_capped`."""
    return SEARCH_COUNT_CAP if query.terms or query.restriction is not None else COUNT_CAP


_fts = sa.table("customer_fts", sa.column("rowid"))


def _is_postgres(conn: Connection) -> bool:
    return conn.dialect.name == "postgresql"


def _key(conn: Connection, field: Field) -> sa.ColumnElement[Any]:
    """The column; text compares by code point on both databases (SQLite's BINARY, PostgreSQL's "C")."""
    column: sa.ColumnElement[Any] = customer.c[field.column]
    if field.kind in ("text", "enum") and _is_postgres(conn):
        column = sa.collate(column, "C")
    return column


def _like_pattern(value: str) -> str:
    escaped = value.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return escaped.replace("*", "%")


def _condition(conn: Connection, cond: Condition) -> sa.ColumnElement[bool]:
    """The condition's SQL over bound parameters (`_template`): a `like` value is the pattern,
    an `in` value a tuple of parameters."""
    column: sa.ColumnElement[Any] = customer.c[cond.field.column]
    op, value = cond.op, cond.value
    if op == "eq":
        equal: sa.ColumnElement[bool] = column == value
        return equal
    if op == "in":
        return column.in_(value)
    if op == "null":
        return column.is_(None) if value else column.is_not(None)
    if op == "like":
        # ASCII letters match in any case on both databases (SQLite LIKE; ILIKE under "C").
        if _is_postgres(conn):
            return sa.collate(column, "C").ilike(value, escape="\\")
        return column.like(value, escape="\\")
    if op == "has":
        if _is_postgres(conn):
            return column.op("@>")(sa.func.jsonb_build_array(sa.cast(value, sa.Text)))
        each = sa.func.json_each(column).table_valued("value")
        return sa.exists(sa.select(sa.literal(1)).select_from(each).where(each.c.value == value))
    key = _key(conn, cond.field)
    comparisons: dict[str, sa.ColumnElement[bool]] = {
        "lt": key < value,
        "lte": key <= value,
        "gt": key > value,
        "gte": key >= value,
    }
    return comparisons[op]


def _fts_match_text(org_id: uuid.UUID, terms: Sequence[str]) -> str:
    """The FTS5 query: every term as a token prefix, within the organization.

    The FTS index holds each token prefixed with the organization's id as stored (32 hex
    digits), so a prefix query reads only that organization's tokens (see the migration).
    """
    return " ".join(f'"{org_id.hex}{term}"*' for term in terms)


def _fts_match(match: BindParameter[Any]) -> sa.Select[Any]:
    """Rowids of the organization's live customers matching the FTS5 query `match`."""
    return sa.select(_fts.c.rowid).where(sa.literal_column("customer_fts").op("MATCH")(match))


_FTS_COUNT = Prepared(
    sa.select(sa.func.count().label("n")).select_from(
        _fts_match(sa.bindparam("fts", type_=sa.String())).limit(sa.bindparam("up_to", type_=sa.Integer())).subquery()
    )
)


def _fts_count(conn: Connection, org_id: uuid.UUID, terms: Sequence[str], *, up_to: int) -> int:
    """How many live customers match the terms, up to `up_to`, from the FTS index alone."""
    return int(_FTS_COUNT.rows(conn, {"fts": _fts_match_text(org_id, terms), "up_to": up_to})[0]["n"])


# SQLite orders a search's matches one of two ways: look each match up and sort them (cost
# grows with the matches), or walk the list order index and keep the rows that match (cost
# grows with the rows passed per match found). Measured at 100,000 customers per organization,
# walking wins from a few hundred matches on: 579 matches 1.0 vs 1.5 ms, 6,324 matches 1.9 vs
# 34 ms, 13 matches 32 vs 0.9 ms.
_SORT_MATCHES_UP_TO = 300


def _search(conn: Connection, terms: Sequence[Any], *, walk_list_order: bool) -> sa.ColumnElement[bool]:
    """Every term is a prefix of a token of the customer's folded search text (`terms` are
    bound parameters: on PostgreSQL one LIKE pattern per term, on SQLite one FTS5 query)."""
    if _is_postgres(conn):
        return sa.and_(*(customer.c.search_text.like(term) for term in terms))
    # A unary `+` keeps SQLite from driving the query by rowid lookups of the matches, so it
    # walks the list order index and tests each row against the matches instead.
    rowid = "+customer.rowid" if walk_list_order else "customer.rowid"
    [match] = terms
    return sa.literal_column(rowid).in_(_fts_match(match))


@contextmanager
def _planned_for_its_values(conn: Connection, query: ListQuery) -> Iterator[None]:
    """On PostgreSQL, run a search unprepared, so each is planned for its own pattern.

    psycopg prepares a statement after 5 runs, and PostgreSQL then settles on one generic plan
    for every pattern: measured at 10 x 100,000 customers, `ngo1` took 22 ms by it (the bitmap
    over 6,000 matches) instead of 3.3 ms (walking the list order index); p50 over the
    benchmark's searches 10.7 -> 6.4 ms.
    """
    if not (query.terms and _is_postgres(conn)):
        yield
        return
    driver = conn.connection.driver_connection
    assert driver is not None
    threshold = driver.prepare_threshold
    driver.prepare_threshold = None
    try:
        yield
    finally:
        driver.prepare_threshold = threshold


def _order(conn: Connection, key: SortKey) -> sa.ColumnElement[Any]:
    """Ascending puts NULLs last and descending first, the same on both databases."""
    column = _key(conn, key.field)
    if not key.field.nullable:
        return column.desc() if key.descending else column.asc()
    return column.desc().nulls_first() if key.descending else column.asc().nulls_last()


def _after(conn: Connection, sort: Sequence[SortKey], values: Sequence[Any]) -> sa.ColumnElement[bool]:
    """Rows strictly after the cursor's row in the sort order (keyset), NULLs included.
    `values` are bound parameters, None where the cursor's row holds NULL."""
    alternatives: list[sa.ColumnElement[bool]] = []
    equal: list[sa.ColumnElement[bool]] = []
    for key, value in zip(sort, values, strict=True):
        column = _key(conn, key.field)
        if value is None:
            # NULLs are last ascending, first descending: only non-NULLs follow a NULL when descending.
            beyond: sa.ColumnElement[bool] | None = column.is_not(None) if key.descending else None
            same: sa.ColumnElement[bool] = column.is_(None)
        else:
            beyond = column < value if key.descending else column > value
            if key.field.nullable and not key.descending:
                beyond = sa.or_(beyond, column.is_(None))
            same = column == value
        if beyond is not None:
            alternatives.append(sa.and_(*equal, beyond))
        equal.append(same)
    after = sa.or_(*alternatives) if alternatives else sa.false()
    # The same bound on the first key alone lets the index start at the cursor (an OR does not).
    first, value = sort[0], values[0]
    if value is None or (first.field.nullable and not first.descending):
        return after
    column = _key(conn, first.field)
    return sa.and_(column <= value if first.descending else column >= value, after)


def _matching(conn: Connection, template: ListQuery, *, walk_list_order: bool = False) -> sa.Select[Any]:
    """The organization's live customers matching a query of bound parameters (`_template`)."""
    stmt = live(ORG)
    if template.conditions:
        stmt = stmt.where(*(_condition(conn, c) for c in template.conditions))
    if template.restriction is not None:
        stmt = stmt.where(template.restriction.clause)
    if template.terms:
        stmt = stmt.where(_search(conn, template.terms, walk_list_order=walk_list_order))
    return stmt


def _capped_count(conn: Connection, template: ListQuery, *, walk_list_order: bool = False) -> sa.Select[Any]:
    """SELECT how many live customers match, counting no further than count_cap(query) + 1.

    Counted in the order of the organization's list index, whatever the list's order: without
    an order PostgreSQL may pick a sequential scan for the LIMIT, reading past every other
    organization's rows (57 ms instead of < 1 ms measured), and in another order both
    databases sort every match to count the first 1,001 (SQLite, 50,000 customers, tier=pro
    sorted by last_name: 16.3 ms against 0.46 ms).
    """
    matching = (
        _matching(conn, template, walk_list_order=walk_list_order)
        .with_only_columns(customer.c.id)
        .order_by(customer.c.created_at.desc(), customer.c.id.desc())
        .limit(count_cap(template) + 1)
        .subquery()
    )
    return sa.select(sa.func.count().label("n")).select_from(matching)


_TOTAL = "matching_total"


def _shape(conn: Connection, query: ListQuery) -> tuple[Any, ...]:
    conditions = tuple(
        (c.field.name, c.op, c.value if c.op == "null" else shapes.arity(len(c.value)) if c.op == "in" else None)
        for c in query.conditions
    )
    after = None if query.after is None else tuple(value is None for value in query.after)
    terms = len(query.terms) if _is_postgres(conn) else bool(query.terms)
    restriction = None if query.restriction is None else query.restriction.shape
    sort = tuple((k.field.name, k.descending) for k in query.sort)
    return (conn.dialect.name, conditions, sort, after, terms, restriction)


def _template(conn: Connection, query: ListQuery) -> ListQuery:
    """The query with each value replaced by a bound parameter named by its place (`_values`)."""

    def parameter(i: int, c: Condition) -> Any:
        if c.op == "in":
            return shapes.in_parameters(f"c{i}_", customer.c[c.field.column].type, len(c.value))
        # A tag is one element of the JSON list column: text, not JSON.
        value_type = sa.String() if c.op in ("has", "like") else customer.c[c.field.column].type
        return sa.bindparam(f"c{i}", type_=value_type)

    conditions = tuple(
        c if c.op == "null" else dataclasses.replace(c, value=parameter(i, c)) for i, c in enumerate(query.conditions)
    )
    after = None
    if query.after is not None:
        after = tuple(
            None if value is None else sa.bindparam(f"a{j}", type_=customer.c[key.field.column].type)
            for j, (key, value) in enumerate(zip(query.sort, query.after, strict=True))
        )
    terms: tuple[Any, ...] = ()
    if query.terms:
        count = len(query.terms) if _is_postgres(conn) else 1
        terms = tuple(sa.bindparam(f"t{k}", type_=sa.String()) for k in range(count))
    return dataclasses.replace(query, conditions=conditions, after=after, terms=terms)


def _values(conn: Connection, org_id: uuid.UUID, query: ListQuery) -> dict[str, Any]:
    values: dict[str, Any] = {"org_id": org_id, "page_limit": query.limit + 1, "page_offset": query.offset}
    for i, c in enumerate(query.conditions):
        if c.op == "in":
            values.update(shapes.in_values(f"c{i}_", c.value))
        elif c.op != "null":
            values[f"c{i}"] = _like_pattern(c.value) if c.op == "like" else c.value
    for j, value in enumerate(query.after or ()):
        if value is not None:
            values[f"a{j}"] = value
    if query.terms:
        if _is_postgres(conn):
            values.update((f"t{k}", f"% {term}%") for k, term in enumerate(query.terms))
        else:
            values["t0"] = _fts_match_text(org_id, query.terms)
    if query.restriction is not None:
        values.update(query.restriction.values)
    return values


def restriction(conn: Connection, name: str, clause: sa.ColumnElement[bool]) -> Restriction:
    """A WHERE clause over `customer` (its values bound in it, as `patron.segments.compiler` builds
    one) as a restriction of the list: its parameters renamed `s0`, `s1`, ... in the order they
    appear, their values kept beside it, so that the list's statement is built once per shape
    (the clause's SQL and parameter types) and run with each request's values (a relative date
    is another value every day)."""
    values: dict[str, Any] = {}
    types: list[str] = []
    renamed: dict[int, BindParameter[Any]] = {}

    def rename(element: Any, **kw: Any) -> Any:
        if not isinstance(element, BindParameter):
            return None
        if element.expanding:
            # An `in` list of values (one parameter expanded when run): one parameter each here,
            # since a cached statement runs as compiled.
            return sa.tuple_(*(parameter(element.type, value) for value in element.effective_value or ()))
        found = renamed.get(id(element))
        if found is None:
            found = renamed[id(element)] = parameter(element.type, element.effective_value)
        return found

    def parameter(type_: Any, value: Any) -> BindParameter[Any]:
        key = f"s{len(values)}"
        values[key] = value
        bind = sa.bindparam(key, type_=type_)
        types.append(type(type_).__name__)
        return bind

    named = visitors.replacement_traverse(clause, {}, rename)
    sql = str(named.compile(dialect=conn.dialect))
    return Restriction(name=name, clause=named, shape=(sql, tuple(types)), values=values)


def _page(
    conn: Connection, template: ListQuery, *, walk_list_order: bool = False, with_total: bool = False
) -> sa.Select[Any]:
    """The page's SELECT for a query of bound parameters (`_template`; values from `_values`),
    each customer as its read document, with its capped count as the column `matching_total`
    if asked."""
    order = [_order(conn, key) for key in template.sort]
    # PostgreSQL builds the documents of the rows its LIMIT keeps. SQLite would build one for
    # every row it sorts (up to 300 matches of a search, a whole organization sorted by name):
    # there the page's rowids come first, then their documents.
    postgres = _is_postgres(conn)
    rowid: sa.ColumnElement[Any] = sa.literal_column("customer.rowid")
    selected = READ.column(conn.dialect) if postgres else rowid.label("page_rowid")
    stmt = _matching(conn, template, walk_list_order=walk_list_order).with_only_columns(selected)
    if with_total:
        stmt = stmt.add_columns(_capped_count(conn, template).scalar_subquery().label(_TOTAL))
    if template.after is not None:
        stmt = stmt.where(_after(conn, template.sort, template.after))
    stmt = stmt.order_by(*order).limit(sa.bindparam("page_limit", type_=sa.Integer()))
    stmt = stmt.offset(sa.bindparam("page_offset", type_=sa.Integer()))
    if postgres:
        return stmt
    page = stmt.subquery("page")
    documents = sa.select(READ.column(conn.dialect), *([page.c[_TOTAL]] if with_total else []))
    joined = customer.join(page, rowid == page.c.page_rowid)
    # The page's few rows put in its order again (the join promises none).
    return documents.select_from(joined).order_by(*order)


def _run(
    conn: Connection, org_id: uuid.UUID, query: ListQuery, kind: str, build: Callable[[ListQuery], Statement]
) -> list[dict[str, Any]]:
    """The query's statement of this kind, built for its shape, run with its values."""
    prepared = _SHAPES.prepared((kind, *_shape(conn, query)), lambda: build(_template(conn, query)))
    with _planned_for_its_values(conn, query):
        return prepared.rows(conn, _values(conn, org_id, query))


def list_page(
    conn: Connection, org_id: uuid.UUID, query: ListQuery, *, walk_list_order: bool = False
) -> list[CustomerRead]:
    """Up to limit + 1 live customers of the query, in its order (the extra one says there is more)."""
    kind = "page, walking" if walk_list_order else "page"
    rows = _run(conn, org_id, query, kind, lambda t: _page(conn, t, walk_list_order=walk_list_order))
    return READ.read(rows)


def count_matching(conn: Connection, org_id: uuid.UUID, query: ListQuery, *, walk_list_order: bool = False) -> int:
    """How many live customers match, counting no further than count_cap(query) + 1."""
    kind = "count, walking" if walk_list_order else "count"
    rows = _run(conn, org_id, query, kind, lambda t: _capped_count(conn, t, walk_list_order=walk_list_order))
    return int(rows[0]["n"])


def _page_with_total(conn: Connection, org_id: uuid.UUID, query: ListQuery) -> tuple[list[CustomerRead], int]:
    """A list page and its capped count in one statement: the count rides along as an
    uncorrelated scalar subquery (evaluated once), saving a statement and, on PostgreSQL,
    a round trip. A page past the end has no row to carry it: then it is counted alone."""
    rows = _run(conn, org_id, query, "page and total", lambda t: _page(conn, t, with_total=True))
    if not rows:
        return [], count_matching(conn, org_id, query)
    return READ.read(rows), int(rows[0][_TOTAL])


def page_and_total(conn: Connection, org_id: uuid.UUID, query: ListQuery) -> tuple[list[CustomerRead], int]:
    """Up to limit + 1 customers of the query in its order (the extra one says there is more),
    and how many match, counted no further than count_cap(query) + 1."""
    if query.terms and _is_postgres(conn) and query.after is None:
        return _search_page_and_total(conn, org_id, query)
    if query.terms and not _is_postgres(conn):
        return _sqlite_search_page_and_total(conn, org_id, query)
    return _page_with_total(conn, org_id, query)


def _sqlite_search_page_and_total(
    conn: Connection, org_id: uuid.UUID, query: ListQuery
) -> tuple[list[CustomerRead], int]:
    """SQLite, a search: one count in the FTS index (it holds live rows only) picks the plan
    and, without filters, is the total."""
    matches = _fts_count(conn, org_id, query.terms, up_to=max(_SORT_MATCHES_UP_TO, count_cap(query)) + 1)
    walk = matches > _SORT_MATCHES_UP_TO and query.sort[0].field.name == "created_at"
    rows = list_page(conn, org_id, query, walk_list_order=walk)
    if not query.conditions and query.restriction is None:
        return rows, matches
    if query.offset == 0 and query.after is None and len(rows) <= query.limit:
        return rows, len(rows)
    return rows, count_matching(conn, org_id, query, walk_list_order=walk)


def _search_page_and_total(conn: Connection, org_id: uuid.UUID, query: ListQuery) -> tuple[list[CustomerRead], int]:
    """PostgreSQL, a search without cursor: its matches are found once, for the page and the count.

    Finding them (the trigram bitmap and a heap visit per match, or a walk of the list index)
    is what a search costs; a separate count query did it all again.
    """
    found = max(count_cap(query) + 1, query.offset + query.limit + 1)

    def matches(template: ListQuery) -> Statement:
        stmt = _matching(conn, template).with_only_columns(customer.c.id)
        return stmt.order_by(*(_order(conn, key) for key in template.sort)).limit(sa.bindparam("found"))

    prepared = _SHAPES.prepared(("search ids", *_shape(conn, query)), lambda: matches(_template(conn, query)))
    with _planned_for_its_values(conn, query):
        ids = [row["id"] for row in prepared.rows(conn, {**_values(conn, org_id, query), "found": found})]
    wanted = ids[query.offset : query.offset + query.limit + 1]
    if not wanted:
        return [], len(ids)
    by_id = {match.id: match for match in _by_ids(conn, org_id, wanted)}
    # A customer deleted between the two statements is left out, as a moment later it would be.
    return [by_id[i] for i in wanted if i in by_id], len(ids)


def _by_ids(conn: Connection, org_id: uuid.UUID, ids: Sequence[uuid.UUID]) -> list[CustomerRead]:
    """The organization's live customers with these ids."""

    def build() -> Statement:
        wanted = shapes.in_parameters("id", customer.c.id.type, len(ids))
        return documents(conn.dialect, live(ORG).where(customer.c.id.in_(wanted)))

    prepared = _SHAPES.prepared(("by ids", conn.dialect.name, shapes.arity(len(ids))), build)
    return READ.read(prepared.rows(conn, {"org_id": org_id, **shapes.in_values("id", ids)}))
