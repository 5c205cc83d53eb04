"""Outbox reads, always within one organization."""

from __future__ import annotations

import uuid
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Row

from patron.db.base import table
from patron.db.models import OutboxEvent

outbox = table(OutboxEvent)


def page_after(
    conn: Connection,
    org_id: uuid.UUID,
    *,
    after_seq: int,
    limit: int,
    types: list[str] | None,
    prefixes: tuple[str, ...] | None = None,
) -> list[Row[Any]]:
    stmt = sa.select(outbox).where(outbox.c.org_id == org_id, outbox.c.seq > after_seq)
    if types:
        stmt = stmt.where(outbox.c.type.in_(types))
    if prefixes is not None:
        stmt = stmt.where(sa.or_(sa.false(), *(outbox.c.type.startswith(p, autoescape=True) for p in prefixes)))
    return list(conn.execute(stmt.order_by(outbox.c.seq).limit(limit)))


def last_seq(conn: Connection, org_id: uuid.UUID) -> int:
    stmt = sa.select(sa.func.max(outbox.c.seq)).where(outbox.c.org_id == org_id)
    return int(conn.execute(stmt).scalar_one_or_none() or 0)


def for_subject(conn: Connection, org_id: uuid.UUID, subject_id: uuid.UUID) -> list[Row[Any]]:
    stmt = sa.select(outbox).where(outbox.c.org_id == org_id, outbox.c.subject_id == subject_id)
    return list(conn.execute(stmt.order_by(outbox.c.seq)))


def get_by_seq(conn: Connection, org_id: uuid.UUID, seq: int) -> Row[Any] | None:
    return conn.execute(sa.select(outbox).where(outbox.c.org_id == org_id, outbox.c.seq == seq)).one_or_none()
