"""Segment use cases: a query previewed against the organization's live customers."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from patron.customers.repository import READ, customer, documents, live
from patron.customers.schemas import CustomerRead
from patron.db.uow import UnitOfWork
from patron.identity.schemas import OrganizationSettings
from patron.kernel import clock
from patron.kernel.tenancy import Principal
from patron.segments import compiler, language
from patron.segments.schemas import SegmentPreviewRead

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
