"""Per-organization counters, bumped atomically inside the caller's transaction."""

from __future__ import annotations

import uuid

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from patron.db.base import table
from patron.db.fast import Prepared
from patron.db.models import OrgCounter

COUNTER_NAMES = ("customer_number", "event_seq")

_counter = table(OrgCounter)


def create_counters(conn: Connection, org_id: uuid.UUID) -> None:
    conn.execute(sa.insert(_counter), [{"org_id": org_id, "name": name, "value": 0} for name in COUNTER_NAMES])


# Every write bumps a counter (the event sequence), so it takes the fast path (patron.db.fast).
_BUMP = Prepared(
    sa.update(_counter)
    .where(_counter.c.org_id == sa.bindparam("b_org_id"), _counter.c.name == sa.bindparam("b_name"))
    .values(value=_counter.c.value + sa.bindparam("b_by", type_=sa.Integer()))
    .returning(_counter.c.value)
)


def bump(conn: Connection, org_id: uuid.UUID, name: str, by: int = 1) -> int:
    """Add `by` to the counter and return its new value; holds the row lock until commit."""
    [row] = _BUMP.rows(conn, {"b_org_id": org_id, "b_name": name, "b_by": by})
    return int(row["value"])
