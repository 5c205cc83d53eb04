"""Every saved-segment query; each starts from the organization's rows."""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from patron.db import paging
from patron.db.base import table
from patron.db.models import Segment
from patron.db.records import record, record_or_none
from patron.kernel import pagination
from patron.segments.records import SegmentRecord

segment = table(Segment)
_COLUMNS = [c for c in segment.c if c.name != "org_id"]

BY_NAME = pagination.Keyset("segments", (pagination.Key("name", str), pagination.Key("id", uuid.UUID)))


def _of(org_id: uuid.UUID) -> sa.Select[Any]:
    return sa.select(*_COLUMNS).where(segment.c.org_id == org_id)


def get(
    conn: Connection, org_id: uuid.UUID, segment_id: uuid.UUID, *, for_update: bool = False
) -> SegmentRecord | None:
    stmt = _of(org_id).where(segment.c.id == segment_id)
    if for_update:
        stmt = stmt.with_for_update()
    return record_or_none(conn.execute(stmt).one_or_none(), SegmentRecord)


def name_holder(conn: Connection, org_id: uuid.UUID, name: str) -> uuid.UUID | None:
    stmt = _of(org_id).with_only_columns(segment.c.id).where(segment.c.name == name)
    return conn.execute(stmt).scalar_one_or_none()


def list_page(conn: Connection, org_id: uuid.UUID, page: pagination.PageRequest) -> tuple[list[SegmentRecord], int]:
    """A page of segments by name (up to limit + 1) and how many there are."""
    return paging.fetch(conn, _of(org_id), segment.c, page, SegmentRecord)


def insert(conn: Connection, values: Mapping[str, Any]) -> SegmentRecord:
    return record(conn.execute(sa.insert(segment).values(**values).returning(*_COLUMNS)).one(), SegmentRecord)


def update(conn: Connection, org_id: uuid.UUID, segment_id: uuid.UUID, values: Mapping[str, Any]) -> SegmentRecord:
    stmt = (
        sa.update(segment)
        .where(segment.c.org_id == org_id, segment.c.id == segment_id)
        .values(**values)
        .returning(*_COLUMNS)
    )
    return record(conn.execute(stmt).one(), SegmentRecord)


def delete(conn: Connection, org_id: uuid.UUID, segment_id: uuid.UUID) -> None:
    conn.execute(sa.delete(segment).where(segment.c.org_id == org_id, segment.c.id == segment_id))
