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
    conn: Connection, org_id: uuid.UUID, *, after_seq: int, limit: int, types: list[str] | None
) -> list[Row[Any]]:
    stmt = sa.select(outbox).where(outbox.c.org_id == org_id, outbox.c.seq > after_seq)
    if types:
        stmt = stmt.where(outbox.c.type.in_(types))
    return list(conn.execute(stmt.order_by(outbox.c.seq).limit(limit)))


def for_subject(conn: Connection, org_id: uuid.UUID, subject_id: uuid.UUID) -> list[Row[Any]]:
    stmt = sa.select(outbox).where(outbox.c.org_id == org_id, outbox.c.subject_id == subject_id)
    return list(conn.execute(stmt.order_by(outbox.c.seq)))


def newest_for_subject(conn: Connection, org_id: uuid.UUID, subject_id: uuid.UUID, *, limit: int) -> list[Row[Any]]:
    stmt = (
        sa.select(outbox)
        .where(outbox.c.org_id == org_id, outbox.c.subject_id == subject_id)
        .order_by(outbox.c.occurred_at.desc(), outbox.c.seq.desc())
        .limit(limit)
    )
    return list(conn.execute(stmt))
