"""Every inquiry query; each starts from the organization's rows.

Inquiries come back as `InquiryRead` (every column but the tenant key and the submitter's
address and user agent, which are stored with it but never read back), replies as
`InquiryReplyRead`.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from patron.db import paging
from patron.db.base import table
from patron.db.models import Inquiry, InquiryReply
from patron.db.records import record, record_or_none, records
from patron.inquiries.schemas import InquiryRead, InquiryReplyRead
from patron.kernel import pagination

inquiry = table(Inquiry)
reply = table(InquiryReply)


def _of(org_id: uuid.UUID) -> sa.Select[Any]:
    return sa.select(inquiry).where(inquiry.c.org_id == org_id)


def insert(conn: Connection, values: Mapping[str, Any]) -> InquiryRead:
    return record(conn.execute(sa.insert(inquiry).values(**values).returning(*inquiry.c)).one(), InquiryRead)


def get(conn: Connection, org_id: uuid.UUID, inquiry_id: uuid.UUID, *, for_update: bool = False) -> InquiryRead | None:
    stmt = _of(org_id).where(inquiry.c.id == inquiry_id)
    if for_update:
        stmt = stmt.with_for_update()
    return record_or_none(conn.execute(stmt).one_or_none(), InquiryRead)


def update(conn: Connection, org_id: uuid.UUID, inquiry_id: uuid.UUID, values: Mapping[str, Any]) -> InquiryRead:
    stmt = (
        sa.update(inquiry)
        .where(inquiry.c.org_id == org_id, inquiry.c.id == inquiry_id)
        .values(**values)
        .returning(*inquiry.c)
    )
    return record(conn.execute(stmt).one(), InquiryRead)


def insert_reply(conn: Connection, values: Mapping[str, Any]) -> None:
    conn.execute(sa.insert(reply).values(**values))


def replies(conn: Connection, org_id: uuid.UUID, inquiry_id: uuid.UUID) -> list[InquiryReplyRead]:
    """The inquiry's replies, oldest first."""
    stmt = (
        sa.select(reply)
        .where(reply.c.org_id == org_id, reply.c.inquiry_id == inquiry_id)
        .order_by(reply.c.created_at, reply.c.id)
    )
    return records(conn.execute(stmt), InquiryReplyRead)


def _filtered(
    stmt: sa.Select[Any], *, status: str | None, assigned_to: uuid.UUID | None, email: str | None
) -> sa.Select[Any]:
    if status is not None:
        stmt = stmt.where(inquiry.c.status == status)
    if assigned_to is not None:
        stmt = stmt.where(inquiry.c.assigned_to == assigned_to)
    if email is not None:
        stmt = stmt.where(inquiry.c.email == email)
    return stmt


NEWEST_FIRST = pagination.newest_first("inquiries")


def list_page(
    conn: Connection,
    org_id: uuid.UUID,
    *,
    status: str | None,
    assigned_to: uuid.UUID | None,
    email: str | None,
    page: pagination.PageRequest,
) -> tuple[list[InquiryRead], int]:
    """A page of the filtered inquiries, newest first (up to limit + 1), and how many match."""
    stmt = _filtered(_of(org_id), status=status, assigned_to=assigned_to, email=email)
    return paging.fetch(conn, stmt, inquiry.c, page, InquiryRead)
