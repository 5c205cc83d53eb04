"""Background consumers of the outbox: each keeps a per-organization cursor and sees every event
at least once, after it committed (a handler that fails stops its organization's progress until
the next round, so nothing is skipped). No transaction is open while a handler runs."""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable

from patron.db.uow import Database
from patron.events import repository as repo
from patron.events.schemas import EventRead
from patron.events.service import to_read
from patron.kernel import clock
from patron.kernel.tenancy import SYSTEM

log = logging.getLogger("patron.events")

Page = tuple[uuid.UUID, list[tuple[int, EventRead]]]


def pending(database: Database, consumer: str, *, batch: int = 200) -> list[Page]:
    """For organizations with events past `consumer`'s cursor: the next events, as (seq, event)."""
    with database.unit_of_work(actor=SYSTEM, readonly=True) as reader:
        pages = []
        for org in repo.consumer_backlog(reader.conn, consumer, limit=100):
            rows = repo.page_after(reader.conn, org.org_id, after_seq=org.seq, limit=batch, types=None)
            pages.append((org.org_id, [(row.seq, to_read(row)) for row in rows]))
        return pages


def advance(database: Database, org_id: uuid.UUID, consumer: str, seq: int) -> None:
    """Record that `consumer` is done with the organization's events up to `seq`."""
    with database.unit_of_work(actor=SYSTEM) as writer:
        repo.advance_cursor(writer.conn, org_id, consumer, seq, clock.now())


def consume(database: Database, consumer: str, handle: Callable[[uuid.UUID, EventRead], None]) -> int:
    """Hand the events past `consumer`'s cursors to `handle`, in order per organization; returns how many."""
    handled = 0
    for org_id, events in pending(database, consumer):
        last = None
        for seq, event in events:
            try:
                handle(org_id, event)
            except Exception:
                log.exception("%s failed on event %s of organization %s; retrying later", consumer, seq, org_id)
                break
            last = seq
            handled += 1
        if last is not None:
            advance(database, org_id, consumer, last)
    return handled
