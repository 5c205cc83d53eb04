"""The rate windows' counters; each statement is the organization's."""

from __future__ import annotations

import uuid
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Connection

from patron.db.base import table
from patron.db.models import InquiryRateWindow

rate = table(InquiryRateWindow)


def hit(conn: Connection, org_id: uuid.UUID, key: str, window_start: datetime) -> int:
    """Count one request against `key` in the window starting at `window_start`; the window's count.

    One atomic upsert: concurrent requests (in any process) never both see the same count.
    """
    dialect = postgresql if conn.dialect.name == "postgresql" else sqlite
    stmt = dialect.insert(rate).values(org_id=org_id, key=key, window_start=window_start, hits=1)
    same_window = stmt.table.c.window_start == stmt.excluded.window_start
    stmt = stmt.on_conflict_do_update(
        index_elements=["org_id", "key"],
        set_={
            "hits": sa.case((same_window, stmt.table.c.hits + 1), else_=1),
            "window_start": stmt.excluded.window_start,
        },
    )
    return int(conn.execute(stmt.returning(rate.c.hits)).scalar_one())


def forget_windows_before(conn: Connection, org_id: uuid.UUID, window_start: datetime) -> None:
    conn.execute(sa.delete(rate).where(rate.c.org_id == org_id, rate.c.window_start < window_start))


def forget_keys_ending(conn: Connection, org_id: uuid.UUID, suffixes: list[str]) -> None:
    """Drop the windows whose key ends with one of these (`email:<address>` of every scope)."""
    if suffixes:
        ends = [rate.c.key.endswith(suffix, autoescape=True) for suffix in suffixes]
        conn.execute(sa.delete(rate).where(rate.c.org_id == org_id, sa.or_(*ends)))
