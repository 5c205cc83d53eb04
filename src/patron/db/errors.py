"""Driver errors as storage's own, so nothing above `db/` reads a driver's message.

A unique violation is raised as `UniqueViolation` carrying the constraint's (or unique
index's) name, whichever path ran the statement: `Connection.execute` (through the
engine's `handle_error` hook, see `patron.db.engine`) or the fast path (`patron.db.fast`).
PostgreSQL names the constraint (`diag.constraint_name`); SQLite names the columns
("UNIQUE constraint failed: customer.org_id, customer.email"), mapped back to the name
through the metadata.
"""

from __future__ import annotations

import functools
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import psycopg
import sqlalchemy as sa

from patron.db.base import Base
from patron.kernel.errors import PatronError
from patron.kernel.messages import Message

# Seconds a client is told to wait when the database is out of reach: a PostgreSQL restart
# or failover takes a few; the pool has dropped its dead connections by then.
RETRY_AFTER_SECONDS = 2


class DatabaseUnavailable(PatronError):
    """503: the database cannot be reached (connection lost or refused, server shutting down or
    starting up, a SQLite file that cannot be opened or stays locked). Nothing was written."""

    status = 503
    code = "database.unavailable"
    title = Message("title.service_unavailable")

    def __init__(self) -> None:
        super().__init__(Message("database.unavailable"), extra={"retry_after": RETRY_AFTER_SECONDS})


# PostgreSQL's SQLSTATEs of a server that is going away or not there yet (class 08 is
# "connection exception"): admin_shutdown (pg_terminate_backend, a restart), crash_shutdown,
# cannot_connect_now (starting up, or a failover in progress).
_PG_UNAVAILABLE = frozenset({"57P01", "57P02", "57P03"})
# SQLite's: the file cannot be opened or read, or another process keeps it locked past the
# busy timeout.
_SQLITE_UNAVAILABLE = ("SQLITE_BUSY", "SQLITE_LOCKED", "SQLITE_CANTOPEN", "SQLITE_IOERR")


def is_unavailable(orig: BaseException, *, is_disconnect: bool) -> bool:
    """Whether a driver's error means the database is out of reach (rather than a bad statement)."""
    if is_disconnect:
        return True
    if isinstance(orig, psycopg.OperationalError):
        state = orig.sqlstate
        # No SQLSTATE: the connection itself failed (refused, reset, closed by the server).
        return state is None or state.startswith("08") or state in _PG_UNAVAILABLE
    if isinstance(orig, sqlite3.OperationalError):
        return str(getattr(orig, "sqlite_errorname", "")).startswith(_SQLITE_UNAVAILABLE)
    return False


class UniqueViolation(sa.exc.IntegrityError):
    """A row broke the unique constraint or unique index named `constraint`.

    An `IntegrityError` still, so code that catches those (a savepoint's caller) keeps working.
    """

    def __init__(self, constraint: str, *, statement: str | None, params: Any, orig: BaseException) -> None:
        super().__init__(statement, params, orig)
        self.constraint = constraint


def unique_violation(orig: BaseException, *, statement: str | None, params: Any) -> UniqueViolation | None:
    """The `UniqueViolation` a driver's error stands for, None when it is another error."""
    name: str | None = None
    if isinstance(orig, psycopg.errors.UniqueViolation):
        name = orig.diag.constraint_name
    elif isinstance(orig, sqlite3.IntegrityError) and orig.sqlite_errorname in _SQLITE_UNIQUE:
        name = _sqlite_constraint(str(orig))
    if name is None:
        return None
    return UniqueViolation(name, statement=statement, params=params, orig=orig)


_SQLITE_UNIQUE = frozenset({"SQLITE_CONSTRAINT_UNIQUE", "SQLITE_CONSTRAINT_PRIMARYKEY"})
_SQLITE_PREFIX = "UNIQUE constraint failed: "


def _sqlite_constraint(message: str) -> str | None:
    """The constraint SQLite's message stands for: "index 'name'" for an index on expressions,
    otherwise the columns ("table.a, table.b") looked up in the metadata."""
    if not message.startswith(_SQLITE_PREFIX):
        return None
    detail = message[len(_SQLITE_PREFIX) :]
    if detail.startswith("index '"):
        return detail[len("index '") : -1]
    qualified = [part.strip() for part in detail.split(",")]
    table = qualified[0].partition(".")[0]
    columns = frozenset(part.partition(".")[2] for part in qualified)
    return _unique_keys().get((table, columns))


@functools.cache
def _unique_keys() -> dict[tuple[str, frozenset[str]], str]:
    """Each table's primary key, unique constraints and unique indexes by their columns.

    Two partial unique indexes over the same columns (an address's default shipping and
    billing) read alike in SQLite's message: the first by name stands for both, and callers
    that care match either.
    """
    import patron.db.models  # noqa: F401  (every table in the metadata)

    keys: dict[tuple[str, frozenset[str]], str] = {}
    for table in Base.metadata.sorted_tables:
        named: list[tuple[frozenset[str], str]] = []
        for constraint in table.constraints:
            if isinstance(constraint, sa.PrimaryKeyConstraint | sa.UniqueConstraint) and constraint.name:
                named.append((frozenset(c.name for c in constraint.columns), str(constraint.name)))
        for index in table.indexes:
            if index.unique and index.name:
                named.append((frozenset(c.name for c in index.columns), str(index.name)))
        for columns, name in sorted(named, key=lambda found: found[1], reverse=True):
            keys[(table.name, columns)] = name
    return keys


@contextmanager
def raised_as(constraint: str, error: Exception) -> Iterator[None]:
    """A unique violation of `constraint` inside the block raised as `error` instead (the answer
    to a lost race, a 409 say); any other error as it was."""
    try:
        yield
    except UniqueViolation as exc:
        if exc.constraint != constraint:
            raise
        raise error from None
