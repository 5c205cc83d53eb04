"""One unit of work per request or command: one connection, one transaction, its events."""

from __future__ import annotations

import uuid
from collections import defaultdict, deque
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from types import TracebackType
from typing import Any, TypeVar, TypeVarTuple

import anyio
import anyio.lowlevel
import anyio.to_thread
import sqlalchemy as sa
from sqlalchemy import event as sa_event
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.pool import QueuePool

from patron.db import counters
from patron.db.base import table
from patron.db.errors import DatabaseUnavailable
from patron.db.fast import Prepared
from patron.db.models import OutboxEvent
from patron.kernel import clock
from patron.kernel.events import DomainEvent
from patron.kernel.ids import uuid7
from patron.kernel.tenancy import Actor

_outbox = table(OutboxEvent)
# Every write inserts its events: the fast path (patron.db.fast).
_INSERT_EVENT = Prepared(sa.insert(_outbox))


# Read-only connections kept checked out between units: a unit takes one and gives it back.
# Checking a connection out of SQLAlchemy's pool and back (events, reset-on-return) and
# wrapping it in a new Connection cost ~35 µs of a ~200 µs get-by-id request (SQLite).
_IDLE_READERS_KEPT = 8

T = TypeVar("T")
Ts = TypeVarTuple("Ts")


class Database:
    """The engine and what kind it is; hands out units of work."""

    def __init__(self, engine: Engine, *, io_threads: int = 4) -> None:
        self.engine = engine
        self.is_sqlite = engine.dialect.name == "sqlite"
        # Read-only units connect through an engine that carries their options: copying a
        # connection with execution_options() on every read cost ~10 µs of a ~60 µs get.
        # SQLite: no BEGIN at all (the engine's begin hook skips it), each statement on its
        # own, without switching the isolation level and resetting it afterwards.
        self._readonly_engine = (
            engine.execution_options(patron_readonly=True)
            if self.is_sqlite
            else engine.execution_options(isolation_level="AUTOCOMMIT")
        )
        self._idle_readers: deque[Connection] = deque()
        # Threads `run` waits on the database in (0: on the event loop itself).
        self.io_threads = io_threads
        # One limiter per event loop (a limiter belongs to one): the server's, a worker's, a test's.
        self._limiter: anyio.lowlevel.RunVar[anyio.CapacityLimiter] = anyio.lowlevel.RunVar("patron.db.threads")
        # Kept readers are checked out, so the pool's invalidation after a lost connection does not
        # reach them: drop them too, or each would fail one request after a database restart.
        sa_event.listen(engine, "handle_error", self._on_storage_error)

    def _on_storage_error(self, context: sa.engine.ExceptionContext) -> None:
        if context.is_disconnect:
            while self._idle_readers:
                try:
                    reader = self._idle_readers.pop()
                except IndexError:
                    return
                reader.invalidate()

    def unit_of_work(self, *, actor: Actor, readonly: bool = False) -> UnitOfWork:
        return UnitOfWork(self, actor=actor, readonly=readonly)

    async def run(self, fn: Callable[[*Ts], T], /, *args: *Ts) -> T:
        """`fn(*args)`, database work, from async code: inline on SQLite, in a thread on PostgreSQL.

        A SQLite call is microseconds, less than the hop to a thread: inline. PostgreSQL waits
        on the network: a thread, but few, because every thread that finishes its wait queues
        for the GIL behind the event loop: measured, get-by-id at 32 connections ran ~20 %
        faster with 4 threads than with anyio's default 40, and with 0 (inline) faster still,
        at the price of one slow query holding up the others. `PATRON_DB_THREADS` chooses.
        Network work (DNS, SMTP) is not for this: it goes to a thread on any database.
        """
        if self.is_sqlite or self.io_threads == 0:
            return fn(*args)
        limiter = self._limiter.get(None)
        if limiter is None:
            limiter = anyio.CapacityLimiter(self.io_threads)
            self._limiter.set(limiter)
        return await anyio.to_thread.run_sync(fn, *args, limiter=limiter)

    def reader(self) -> Connection:
        """A read-only connection (no transaction: each statement stands alone), for one unit."""
        try:
            return self._idle_readers.pop()
        except IndexError:
            return self._readonly_engine.connect()

    def give_back(self, reader: Connection) -> None:
        """Keep a reader for the next read-only unit (deque appends and pops are atomic)."""
        if reader.closed or reader.invalidated:
            return
        if reader.in_transaction():
            reader.rollback()  # SQLAlchemy's own bookkeeping: the database began nothing
        if len(self._idle_readers) < _IDLE_READERS_KEPT:
            self._idle_readers.append(reader)
        else:
            reader.close()

    def connections(self) -> tuple[int, int]:
        """(in use by a unit, idle): SQLAlchemy's pool counts kept readers as checked out."""
        pool = self.engine.pool
        if not isinstance(pool, QueuePool):
            return 0, 0
        kept = len(self._idle_readers)
        # Not atomic: a reader taken or given back in between must not make a count negative.
        return max(0, pool.checkedout() - kept), pool.checkedin() + kept

    def dispose(self) -> None:
        while self._idle_readers:
            self._idle_readers.pop().close()
        self.engine.dispose()


class UnitOfWork:
    """Opens its connection on first use; commit() writes collected events to the outbox.

    The request or command boundary owns the transaction, as a context manager (services
    never commit)::

        with database.unit_of_work(actor=actor) as uow:
            ...

    commits, writing the outbox, when the block ends normally; on any exception
    (BaseException too: a cancellation, Ctrl+C) it rolls back and drops the events. Either
    way the connection is released. Read-only units run in autocommit mode: one round trip
    per statement and no BEGIN/COMMIT around a read.
    """

    def __init__(self, database: Database, *, actor: Actor, readonly: bool) -> None:
        self.database = database
        self.actor = actor
        self.readonly = readonly
        self._conn: Connection | None = None
        self._events: list[DomainEvent] = []

    # Methods, not contextlib.contextmanager: a generator per unit costs more, and this runs
    # on every request (http/deps.py).
    def __enter__(self) -> UnitOfWork:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, traceback: TracebackType | None
    ) -> None:
        if exc_type is None:
            self.commit()
        else:
            self.rollback()

    @property
    def is_sqlite(self) -> bool:
        return self.database.is_sqlite

    @property
    def conn(self) -> Connection:
        if self._conn is None:
            try:
                self._conn = self.database.reader() if self.readonly else self.database.engine.connect()
            except sa.exc.TimeoutError:  # every pooled connection busy past the pool's timeout
                raise DatabaseUnavailable() from None
        return self._conn

    def record(self, event: DomainEvent) -> None:
        """Keep an event to be written to the outbox with this transaction."""
        if self.readonly:
            raise RuntimeError("a read-only unit of work cannot record events")
        self._events.append(event)

    @contextmanager
    def savepoint(self) -> Iterator[None]:
        """A part of the unit that can fail alone: on an exception its writes and its events are
        undone and the exception goes on; the rest of the unit stays (an import's bad row)."""
        kept = len(self._events)
        nested = self.conn.begin_nested()
        try:
            yield
        except BaseException:
            nested.rollback()
            del self._events[kept:]
            raise
        nested.commit()

    def commit(self) -> None:
        if self._conn is None:
            return
        if self.readonly:
            # Autocommit mode: nothing to commit, so skip the round trip.
            self.close()
            return
        try:
            if self._events:
                self._write_outbox()
            self._conn.commit()
        finally:
            self.close()

    def rollback(self) -> None:
        if self._conn is None:
            return
        conn, self._conn = self._conn, None
        self._events.clear()
        try:
            conn.rollback()
        finally:
            # After an error even a reader goes back to the pool, whose reset on return
            # finds (and drops) a connection the error broke.
            conn.close()

    def close(self) -> None:
        """End the unit without committing; a reader is kept for the next read-only unit."""
        self._events.clear()
        conn, self._conn = self._conn, None
        if conn is None:
            return
        if self.readonly:
            self.database.give_back(conn)
        else:
            conn.close()

    def _write_outbox(self) -> None:
        assert self._conn is not None
        by_org: dict[uuid.UUID, list[DomainEvent]] = defaultdict(list)
        for event in self._events:
            by_org[event.org_id].append(event)
        occurred_at = clock.now()
        rows: list[dict[str, Any]] = []
        # The counter is bumped last, just before COMMIT, so its row lock is held briefly.
        for org_id, events in by_org.items():
            last = counters.bump(self._conn, org_id, "event_seq", len(events))
            first = last - len(events) + 1
            for offset, event in enumerate(events):
                rows.append(
                    {
                        "org_id": org_id,
                        "seq": first + offset,
                        "id": uuid7(),
                        "type": event.type,
                        "occurred_at": occurred_at,
                        "actor_type": self.actor.type.value,
                        "actor_id": self.actor.id,
                        "subject_id": event.subject_id,
                        "data": event.payload(),
                    }
                )
        _INSERT_EVENT.execute(self._conn, rows)
        self._events.clear()
