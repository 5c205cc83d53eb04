"""Background consumers of the outbox: each keeps a per-organization cursor and sees every event
at least once, after it committed (a handler that fails stops its organization's progress until
the next round, so nothing is skipped)."""

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


def consume(
    database: Database, consumer: str, handle: Callable[[uuid.UUID, EventRead], None], *, batch: int = 200
) -> int:
    """Hand the events past `consumer`'s cursors to `handle`, in order per organization; returns how many.

    No transaction is open while `handle` runs (it may send mail or publish).
    """
    reader = database.unit_of_work(actor=SYSTEM, readonly=True)
    try:
        backlog = repo.consumer_backlog(reader.conn, consumer, limit=100)
        pages = [
            (row.org_id, repo.page_after(reader.conn, row.org_id, after_seq=row.seq, limit=batch, types=None))
            for row in backlog
        ]
    finally:
        reader.close()
    handled = 0
    for org_id, rows in pages:
        last = None
        for row in rows:
            try:
                handle(org_id, to_read(row))
            except Exception:
                log.exception("%s failed on event %s of organization %s; retrying later", consumer, row.seq, org_id)
                break
            last = row.seq
            handled += 1
        if last is not None:
            writer = database.unit_of_work(actor=SYSTEM)
            try:
                repo.advance_cursor(writer.conn, org_id, consumer, last, clock.now())
            except BaseException:
                writer.rollback()
                raise
            writer.commit()
    return handled
