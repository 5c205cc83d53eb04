"""Engines for the embedded SQLite default and for PostgreSQL, tuned for short transactions."""

from __future__ import annotations

import contextlib
import sqlite3
import threading
import time
from collections.abc import Iterator
from typing import Any

import msgspec
import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.engine import Connection, Engine

from patron.db.errors import DatabaseUnavailable, is_unavailable, unique_violation


def normalise_url(url: str) -> str:
    """Accept plain postgresql:// URLs and use psycopg 3 for them."""
    if url.startswith("postgres://"):
        url = "postgresql://" + url[len("postgres://") :]
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url[len("postgresql://") :]
    return url


def _json_text(value: Any) -> str:
    return msgspec.json.encode(value).decode()


# JSON columns through msgspec: decoding tags, custom fields and the like took ~1.6 µs a value
# with the standard library against ~0.13 µs, four values a customer row.
JSON_CODEC: dict[str, Any] = {"json_serializer": _json_text, "json_deserializer": msgspec.json.decode}


def _storage_errors(context: sa.engine.ExceptionContext) -> BaseException | None:
    """Driver errors as storage's own: a unique violation as `UniqueViolation`, a database out of
    reach as `DatabaseUnavailable` (503). Every statement's errors come here, the fast path's
    too (`patron.db.fast`), and connecting's.

    A lost connection is still invalidated, and with it the pool's older connections (a
    server restart took them all): SQLAlchemy does that after this hook, from
    `context.is_disconnect`, which this leaves as it is.
    """
    orig = context.original_exception
    found = unique_violation(orig, statement=context.statement, params=context.parameters)
    if found is not None:
        return found
    if is_unavailable(orig, is_disconnect=context.is_disconnect):
        return DatabaseUnavailable()
    return None


def create_engine(url: str, *, pool_size: int = 20) -> Engine:
    url = normalise_url(url)
    engine = _sqlite_engine(url, pool_size=pool_size) if url.startswith("sqlite") else _postgres_engine(url, pool_size)
    event.listen(engine, "handle_error", _storage_errors, retval=True)
    return engine


def _postgres_engine(url: str, pool_size: int) -> Engine:
    return sa.create_engine(
        url,
        **JSON_CODEC,
        pool_size=pool_size,
        max_overflow=pool_size,
        pool_pre_ping=False,
        pool_recycle=1800,
    )


def _sqlite_engine(url: str, *, pool_size: int) -> Engine:
    engine = sa.create_engine(
        url,
        connect_args={"check_same_thread": False, "timeout": 30},
        **JSON_CODEC,
        pool_size=pool_size,
        max_overflow=pool_size,
    )

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # Take transaction control from the driver so we can BEGIN IMMEDIATE ourselves.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA busy_timeout=30000")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Connection) -> None:
        options = connection.get_execution_options()
        if options.get("patron_readonly") or options.get("isolation_level") == "AUTOCOMMIT":
            return
        # Writers take the write lock up front: a deferred transaction that later
        # upgrades can fail with SQLITE_BUSY instead of waiting its turn.
        # Straight to the driver: through exec_driver_sql this took ~80 µs of every write.
        with WRITERS.waiting():
            _begin_immediate(connection.connection.driver_connection)

    return engine


_LOCK_WAIT_SECONDS = 30.0
_LOCK_POLL_SECONDS = 0.0005


def _begin_immediate(driver: Any) -> None:
    """Take the write lock, waiting for it in short steps.

    SQLite's own busy handler sleeps 1, 2, 5, 10 … up to 100 ms between tries (178 ms in all
    after ten), so a writer that finds the lock taken waits long after it is free: measured, a
    single create waited 230 ms behind an import committing every 40 ms. Here a writer tries
    again every half millisecond (up to the same 30 s); the other statements keep the busy timeout.
    """
    driver.execute("PRAGMA busy_timeout=0")
    try:
        deadline: float | None = None
        while True:
            try:
                driver.execute("BEGIN IMMEDIATE")
                return
            except sqlite3.OperationalError as exc:
                if "locked" not in str(exc) and "busy" not in str(exc):
                    raise
                now = time.monotonic()
                deadline = deadline or now + _LOCK_WAIT_SECONDS
                if now > deadline:
                    raise
                time.sleep(_LOCK_POLL_SECONDS)
    finally:
        driver.execute("PRAGMA busy_timeout=30000")


class _Writers:
    """How many of this process's SQLite writers are waiting for the write lock.

    SQLite's busy handler is not fair: a waiter sleeps up to 100 ms between tries, and a
    writer that commits and begins again at once (an import's chunks) takes the lock back
    every time; measured, a single create waited 4.2 s behind a 20,000-row import. A long
    writer asks `yield_to_waiting` between its transactions and lets the others go first.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._count = 0

    @contextlib.contextmanager
    def waiting(self) -> Iterator[None]:
        with self._lock:
            self._count += 1
        try:
            yield
        finally:
            with self._lock:
                self._count -= 1

    def yield_to_waiting(self, *, up_to: float = 1.0) -> None:
        """Wait (at most `up_to` seconds) until no other writer of this process waits for the lock."""
        deadline = time.monotonic() + up_to
        while self._count and time.monotonic() < deadline:
            time.sleep(0.001)


WRITERS = _Writers()
