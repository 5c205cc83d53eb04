"""Outbox reads, always within one organization."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Connection, Row

from patron.db.base import table
from patron.db.models import OrgCounter, OutboxCursor, OutboxEvent

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


def newest_for_subject(conn: Connection, org_id: uuid.UUID, subject_id: uuid.UUID, *, limit: int) -> list[Row[Any]]:
    stmt = (
        sa.select(outbox)
        .where(outbox.c.org_id == org_id, outbox.c.subject_id == subject_id)
        .order_by(outbox.c.occurred_at.desc(), outbox.c.seq.desc())
        .limit(limit)
    )
    return list(conn.execute(stmt))


def get_by_seq(conn: Connection, org_id: uuid.UUID, seq: int) -> Row[Any] | None:
    return conn.execute(sa.select(outbox).where(outbox.c.org_id == org_id, outbox.c.seq == seq)).one_or_none()


# Background consumers (confirmation mail, NATS). These scans span organizations on purpose.

_cursor = table(OutboxCursor)
_counter = table(OrgCounter)


def consumer_backlog(conn: Connection, consumer: str, *, limit: int) -> list[Row[Any]]:
    """(org_id, seq) of organizations with events past the consumer's cursor (0 when it has none)."""
    seq = sa.func.coalesce(_cursor.c.seq, 0)
    stmt = (
        sa.select(_counter.c.org_id, seq.label("seq"))
        .select_from(
            _counter.outerjoin(_cursor, sa.and_(_cursor.c.org_id == _counter.c.org_id, _cursor.c.consumer == consumer))
        )
        .where(_counter.c.name == "event_seq", _counter.c.value > seq)
        .limit(limit)
    )
    return list(conn.execute(stmt))


def advance_cursor(conn: Connection, org_id: uuid.UUID, consumer: str, seq: int, now: datetime) -> None:
    dialect = postgresql if conn.dialect.name == "postgresql" else sqlite
    stmt = dialect.insert(_cursor).values(org_id=org_id, consumer=consumer, seq=seq, updated_at=now)
    stmt = stmt.on_conflict_do_update(
        index_elements=["org_id", "consumer"],
        # Never move back (two workers may finish out of order); SQLite spells GREATEST as max().
        set_={
            "seq": sa.func.max(_cursor.c.seq, stmt.excluded.seq)
            if dialect is sqlite
            else sa.func.greatest(_cursor.c.seq, stmt.excluded.seq),
            "updated_at": now,
        },
    )
    conn.execute(stmt)
