"""The live stream: follows the outbox by polling, so it works across any number of server processes.

Each poll is one indexed query (`org_id = ? AND seq > ?`) on a connection taken from the pool
and given back at once; nothing is held between polls.
"""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator

import anyio

from patron.db.uow import Database
from patron.events import repository as repo
from patron.events.records import EventRecord
from patron.events.schemas import EventRead
from patron.events.service import decode_cursor, to_read
from patron.identity import permissions
from patron.kernel.tenancy import SYSTEM, Principal

_BATCH = 500


def start_seq(database: Database, *, principal: Principal, cursor: str | None) -> int:
    """Where a stream starts: after the client's cursor (Last-Event-ID), else after the newest event."""
    if cursor:
        return decode_cursor(cursor, field="after")
    with database.unit_of_work(actor=SYSTEM, readonly=True) as uow:
        return repo.last_seq(uow.conn, principal.org_id)


def _poll(database: Database, org_id: uuid.UUID, after_seq: int) -> list[EventRecord]:
    with database.unit_of_work(actor=SYSTEM, readonly=True) as uow:
        return repo.page_after(uow.conn, org_id, after_seq=after_seq, limit=_BATCH, types=None)


async def follow(
    database: Database,
    *,
    principal: Principal,
    after_seq: int,
    poll_seconds: float,
    keepalive_seconds: float = 15.0,
) -> AsyncIterator[EventRead | None]:
    """Events the principal's role may see, as they commit; None now and then to keep the line open.

    Ends when the consumer stops iterating (the client went away).
    """
    prefixes = permissions.visible_event_types(principal.role)
    last = after_seq
    quiet = 0.0
    while True:
        rows = await database.run(_poll, database, principal.org_id, last)
        sent = False
        for row in rows:
            last = row.seq
            if prefixes is None or row.type.startswith(prefixes):
                sent = True
                yield to_read(row)
        if len(rows) == _BATCH:
            continue
        quiet = 0.0 if sent else quiet + poll_seconds
        if quiet >= keepalive_seconds:
            quiet = 0.0
            yield None
        await anyio.sleep(poll_seconds)
