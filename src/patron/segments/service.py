"""Segment use cases: a query previewed against the organization's live customers, and saved
segments (a named query whose customers are found when it is read). Never commits."""

from __future__ import annotations

import uuid
from collections.abc import Mapping, Sequence
from contextlib import AbstractContextManager
from datetime import datetime
from typing import Any

import msgspec
import sqlalchemy as sa
from sqlalchemy.engine import Connection

from patron.customers import listing
from patron.customers import service as customers
from patron.customers.query import ListQuery
from patron.customers.repository import READ, customer, documents, live
from patron.customers.schemas import CustomerPage, CustomerRead
from patron.db.errors import raised_as
from patron.db.uow import UnitOfWork
from patron.identity.schemas import OrganizationSettings
from patron.kernel import clock
from patron.kernel.changes import field_changes, new_values
from patron.kernel.errors import Conflict, NotFound, ValidationFailed
from patron.kernel.events import changes_of
from patron.kernel.ids import uuid7
from patron.kernel.messages import Message
from patron.kernel.tenancy import Principal
from patron.segments import compiler, events, language
from patron.segments import repository as repo
from patron.segments.records import SegmentRecord
from patron.segments.schemas import (
    QueryFault,
    SegmentCreate,
    SegmentPage,
    SegmentPreviewRead,
    SegmentRead,
    SegmentUpdate,
)

PREVIEW_SIZE = 10


def compile_query(
    conn: Connection, settings: OrganizationSettings, query: str, *, now: datetime, org_id: uuid.UUID | None = None
) -> Any:
    """The query's WHERE clause for this connection's database (ValidationFailed if it is invalid);
    `org_id` is needed when the query names `rfm_segment`."""
    tree = language.parse(query, language.fields_of(settings.custom_fields), now=now)
    return compiler.where_clause(tree, conn.dialect.name, org_id=org_id, now=now)


def matching(conn: Connection, principal: Principal, where: sa.ColumnElement[bool]) -> sa.Select[Any]:
    """The organization's live customers the clause selects."""
    return live(principal.org_id).where(where)


def count(conn: Connection, principal: Principal, where: sa.ColumnElement[bool]) -> int:
    stmt = sa.select(sa.func.count()).select_from(
        matching(conn, principal, where).with_only_columns(customer.c.id).subquery()
    )
    return int(conn.execute(stmt).scalar_one())


def count_each(
    conn: Connection, principal: Principal, clauses: Mapping[uuid.UUID, sa.ColumnElement[bool]]
) -> dict[uuid.UUID, int]:
    """How many live customers each clause selects, in one pass: one statement whatever their number."""
    if not clauses:
        return {}
    if len(clauses) == 1:
        [(key, where)] = clauses.items()
        return {key: count(conn, principal, where)}
    keys = list(clauses)
    stmt = live(principal.org_id).with_only_columns(*(sa.func.count(sa.case((clauses[key], 1))) for key in keys))
    return {key: int(n) for key, n in zip(keys, conn.execute(stmt).one(), strict=True)}


def first(conn: Connection, principal: Principal, where: sa.ColumnElement[bool], size: int) -> list[CustomerRead]:
    """The first `size` customers selected, in the customer list's default order (newest first)."""
    ordered = matching(conn, principal, where).order_by(customer.c.created_at.desc(), customer.c.id.desc()).limit(size)
    rows = [dict(row) for row in conn.execute(documents(conn.dialect, ordered)).mappings()]
    return READ.read(rows)


def preview(
    uow: UnitOfWork, *, principal: Principal, settings: OrganizationSettings, query: str, now: datetime | None = None
) -> SegmentPreviewRead:
    """How many live customers of the organization the query selects, and the first 10 of them."""
    where = compile_query(uow.conn, settings, query, now=now or clock.now(), org_id=principal.org_id)
    return SegmentPreviewRead(
        count=count(uow.conn, principal, where), items=first(uow.conn, principal, where, PREVIEW_SIZE)
    )


# Saved segments ------------------------------------------------------------------------------

NAME_TAKEN = "segment.name_taken"


def _segment_or_404(uow: UnitOfWork, principal: Principal, segment_id: uuid.UUID, *, for_update: bool) -> SegmentRecord:
    row = repo.get(uow.conn, principal.org_id, segment_id, for_update=for_update)
    if row is None:
        raise NotFound(Message("segment.not_found"), code="segment.not_found")
    return row


def _name_race() -> AbstractContextManager[None]:
    return raised_as("uq_segment_org_id_name", Conflict(Message("segment.name_taken"), code=NAME_TAKEN))


def _prepared(
    uow: UnitOfWork,
    principal: Principal,
    settings: OrganizationSettings,
    given: dict[str, Any],
    *,
    other_than: uuid.UUID | None,
) -> dict[str, Any]:
    """Normalised values; 422 naming each bad field (the query's with its position), 409 `segment.name_taken`."""
    values = dict(given)
    if "name" in values:
        values["name"] = " ".join(values["name"].split())
        if not values["name"]:
            raise ValidationFailed.single("name", Message("field.blank"))
    if values.get("description") is not None:
        values["description"] = values["description"].strip() or None
    if "query" in values:
        compile_query(uow.conn, settings, values["query"], now=clock.now(), org_id=principal.org_id)
    if "name" in values:
        holder = repo.name_holder(uow.conn, principal.org_id, values["name"])
        if holder is not None and holder != other_than:
            raise Conflict(Message("segment.name_taken"), code=NAME_TAKEN)
    return values


def _read_all(
    uow: UnitOfWork, principal: Principal, settings: OrganizationSettings, rows: Sequence[SegmentRecord], locale: str
) -> list[SegmentRead]:
    """The segments with their live counts, counted in one pass over the organization's customers;
    a saved query that no longer parses (a custom field it names was removed or changed type)
    reads with `count: null` and the reason, never an error."""
    now = clock.now()
    faults: dict[uuid.UUID, QueryFault] = {}
    clauses: dict[uuid.UUID, sa.ColumnElement[bool]] = {}
    for row in rows:
        try:
            clauses[row.id] = compile_query(uow.conn, settings, row.query, now=now, org_id=principal.org_id)
        except ValidationFailed as exc:
            [first_error, *_] = exc.errors
            faults[row.id] = QueryFault(message=first_error.message.render(locale), position=first_error.position or 0)
    counts = count_each(uow.conn, principal, clauses)
    return [
        SegmentRead(
            id=row.id,
            name=row.name,
            query=row.query,
            description=row.description,
            count=counts.get(row.id),
            created_at=row.created_at,
            updated_at=row.updated_at,
            error=faults.get(row.id),
        )
        for row in rows
    ]


def _read(
    uow: UnitOfWork, principal: Principal, settings: OrganizationSettings, row: SegmentRecord, locale: str
) -> SegmentRead:
    [read] = _read_all(uow, principal, settings, [row], locale)
    return read


def create_segment(
    uow: UnitOfWork, *, principal: Principal, settings: OrganizationSettings, data: SegmentCreate, locale: str
) -> SegmentRead:
    """A new saved segment; its query is checked by parsing it, its name unique in the organization."""
    values = _prepared(uow, principal, settings, msgspec.structs.asdict(data), other_than=None)
    now = clock.now()
    with _name_race():
        row = repo.insert(
            uow.conn, {**values, "org_id": principal.org_id, "id": uuid7(), "created_at": now, "updated_at": now}
        )
    uow.record(events.SegmentCreated(principal.org_id, row.id, name=row.name, query=row.query))
    return _read(uow, principal, settings, row, locale)


def list_segments(
    uow: UnitOfWork,
    *,
    principal: Principal,
    settings: OrganizationSettings,
    limit: int,
    offset: int,
    cursor: str | None,
    locale: str,
) -> SegmentPage:
    """A page of segments by name, each with its live count."""
    page = repo.BY_NAME.request(limit=limit, offset=offset, cursor=cursor)
    rows, total = repo.list_page(uow.conn, principal.org_id, page)
    items, _ = page.split(rows)
    reads = {read.id: read for read in _read_all(uow, principal, settings, items, locale)}
    return page.answer(SegmentPage, rows, total, lambda row: reads[row.id])


def get_segment(
    uow: UnitOfWork, *, principal: Principal, settings: OrganizationSettings, segment_id: uuid.UUID, locale: str
) -> SegmentRead:
    """One segment by id, with its live count."""
    return _read(uow, principal, settings, _segment_or_404(uow, principal, segment_id, for_update=False), locale)


def update_segment(
    uow: UnitOfWork,
    *,
    principal: Principal,
    settings: OrganizationSettings,
    segment_id: uuid.UUID,
    data: SegmentUpdate,
    locale: str,
) -> SegmentRead:
    """Change the fields given; null clears the description."""
    given = {f: v for f in data.__struct_fields__ if (v := getattr(data, f)) is not msgspec.UNSET}
    row = _segment_or_404(uow, principal, segment_id, for_update=True)
    values = _prepared(uow, principal, settings, given, other_than=row.id)
    changes = field_changes(msgspec.structs.asdict(row), values)
    if changes:
        with _name_race():
            row = repo.update(uow.conn, principal.org_id, row.id, new_values(changes) | {"updated_at": clock.now()})
        uow.record(events.SegmentUpdated(principal.org_id, row.id, changes=changes_of(changes)))
    return _read(uow, principal, settings, row, locale)


def delete_segment(uow: UnitOfWork, *, principal: Principal, segment_id: uuid.UUID) -> None:
    """Delete a saved segment (its customers are untouched)."""
    row = _segment_or_404(uow, principal, segment_id, for_update=True)
    repo.delete(uow.conn, principal.org_id, row.id)
    uow.record(events.SegmentDeleted(principal.org_id, row.id, name=row.name))


def restrict(
    uow: UnitOfWork,
    *,
    principal: Principal,
    settings: OrganizationSettings,
    segment_id: uuid.UUID,
    query: ListQuery,
    cursor: str | None,
    given_as: str | None = None,
) -> ListQuery:
    """The customer list query restricted to the segment's customers (its cursor, if any, read as one
    of the restricted list). An unknown segment is 404 `segment.not_found`, or, when the id was
    given as a parameter `given_as` of another list, 422 naming that parameter. A saved query that
    no longer parses answers 422 `segment.invalid_query` naming `query`."""
    try:
        row = _segment_or_404(uow, principal, segment_id, for_update=False)
    except NotFound:
        if given_as is None:
            raise
        raise ValidationFailed.single(given_as, Message("segment.not_in_organization")) from None
    where = compile_query(uow.conn, settings, row.query, now=clock.now(), org_id=principal.org_id)
    return query.restricted(listing.restriction(uow.conn, f"segment:{row.id}", where), cursor=cursor)


def list_customers(
    uow: UnitOfWork,
    *,
    principal: Principal,
    settings: OrganizationSettings,
    segment_id: uuid.UUID,
    query: ListQuery,
    cursor: str | None,
    given_as: str | None = None,
) -> CustomerPage:
    """A page of the segment's customers, filtered, searched and sorted as `GET /customers` is."""
    restricted = restrict(
        uow,
        principal=principal,
        settings=settings,
        segment_id=segment_id,
        query=query,
        cursor=cursor,
        given_as=given_as,
    )
    return customers.list_customers(uow, principal=principal, query=restricted)
