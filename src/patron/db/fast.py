"""The fast path: Core statements compiled once and run on the driver's cursor.

For the hottest statements only: customer reads (by id, and every list, count and search
statement, cached by shape in `patron.db.shapes`), a create's email check and insert, and
the counter bump and outbox insert of every write. Nothing above the repositories sees it:
they answer typed values (customers' read schema), and errors arrive as storage's own.

What it skips of SQLAlchemy, and why:
- The execution context (`Connection.execute`: the compiled cache lookup, parameter
  processing per execution, the result's metadata and row objects). Statements are still
  built with SQLAlchemy Core, compiled once per kind of database by its dialect, and their
  parameters bound with its types' processors (a UUID to hex text, a bool to 0/1).
  Measured on SQLite: a get-by-id through `Connection.execute` 71 µs, on the driver's
  cursor 35 µs with processing.
- The per-row type processing (UUID objects, datetimes, JSON): fetching 26 customer rows
  took 485 µs, of which ~330 µs was that processing, against 158 µs here. Rows are plain
  dicts of the driver's values; msgspec reads those itself (a UUID from its 32 hex digits,
  a datetime from its ISO text, 0/1 as a bool), so only what it cannot read is fixed here:
  on SQLite, JSON text and the UTC datetimes stored without offset. PostgreSQL's driver
  already answers typed values. Customer reads come back as one JSON document per row
  (`Documents`), decoded by msgspec straight into the read schema.
- Its error translation: a unique violation is raised here as
  `patron.db.errors.UniqueViolation`, as the engine's hook does for `Connection.execute`;
  any other integrity error as SQLAlchemy's `IntegrityError`. Values a statement carries
  itself (a literal LIMIT) are bound with the caller's.
- Disconnect detection. Engines run with `pool_pre_ping=False`: a pre-ping is a round
  trip (`SELECT 1`) on every checkout, i.e. on every write request, to guard against
  something rare, and read-only units keep their connections checked out (patron.db.uow),
  so it would not even cover reads. Measured on local PostgreSQL (checkout + one statement
  + commit, best of 4 runs of 3,000): 121 µs without, 145 µs with (+24 µs wall, +20 µs CPU, ~20 %
  of the statement), and a network hop between hosts adds its round trip to each. What it
  buys: after a restart, the requests that meet a dead connection would be retried on a new
  one instead of answering 503; with the pool-wide invalidation below those are only the
  requests in flight at that moment (one, for a client that waits for each answer:
  tests/api/http/test_database_outage.py), not worth a round trip on every other request.
  Lost connections are handled when they fail instead: a driver error on this path goes
  through SQLAlchemy's own handling, as one through `Connection.execute` does, so the
  engine's hook answers `DatabaseUnavailable` (503, patron.db.errors) and a lost connection
  is invalidated together with the pool's older ones (a server restart took them all), and
  the kept readers are dropped (`Database`). The statements in flight fail with 503; the
  next checkout connects afresh. PostgreSQL connections are also replaced after 30 minutes
  (`pool_recycle`), before servers' and proxies' idle limits.
"""

from __future__ import annotations

import sqlite3
import typing
from collections.abc import Callable, Mapping, Sequence
from typing import Any

import msgspec
import psycopg
import sqlalchemy as sa
from sqlalchemy.engine import Connection

from patron.db.base import UTCDateTime
from patron.db.errors import unique_violation

Fixup = Callable[[Any], Any]


def _json(value: Any) -> Any:
    return None if value is None else msgspec.json.decode(value)


def _utc(value: Any) -> Any:
    # SQLAlchemy stores SQLite datetimes as "YYYY-MM-DD HH:MM:SS.ffffff", always UTC.
    return None if value is None else value + "Z"


def _autocommits(conn: Connection) -> bool:
    """A read-only unit's connection: each statement stands alone, there is nothing to begin."""
    options = conn.get_execution_options()
    return bool(options.get("patron_readonly")) or options.get("isolation_level") == "AUTOCOMMIT"


def _fixups(dialect: sa.Dialect, names: list[str], columns: Any) -> list[tuple[str, Fixup]]:
    """What msgspec cannot read of a driver's row: SQLite's JSON text and offset-less UTC datetimes."""
    if dialect.name != "sqlite":
        return []
    fixups: list[tuple[str, Fixup]] = []
    for name, column in zip(names, columns, strict=True):
        if isinstance(column.type, UTCDateTime):
            fixups.append((name, _utc))
        elif isinstance(column.type, sa.JSON):
            fixups.append((name, _json))
    return fixups


def _as_dicts(names: list[str], fetched: Any, fixups: list[tuple[str, Fixup]]) -> list[dict[str, Any]]:
    rows = [dict(zip(names, row, strict=True)) for row in fetched]
    for name, fixup in fixups:
        for row in rows:
            row[name] = fixup(row[name])
    return rows


# The drivers' integrity errors, raised here as SQLAlchemy's would be through `Connection.execute`.
_INTEGRITY = (sqlite3.IntegrityError, psycopg.IntegrityError)
_DRIVER_ERRORS = (sqlite3.Error, psycopg.Error)


def _driver_error(conn: Connection, exc: BaseException, sql: str, values: Any, cursor: Any) -> typing.NoReturn:
    """Any other driver error as `Connection.execute` would raise it, with the same consequences.

    SQLAlchemy's own handling (its one private method this module calls): the engine's
    `handle_error` hook translates it (a lost connection to `DatabaseUnavailable`), and a lost
    connection is invalidated together with the pool's older ones.
    """
    conn._handle_dbapi_exception(exc, sql, values, cursor, None)


def _storage_error(exc: BaseException, sql: str, values: Any) -> BaseException:
    """A unique violation as `UniqueViolation`, any other integrity error as SQLAlchemy's."""
    found = unique_violation(exc, statement=sql, params=values)
    return found if found is not None else sa.exc.IntegrityError(sql, values, exc)


class _Plan:
    __slots__ = ("defaults", "fixups", "names", "positions", "processors", "sql")

    def __init__(self, statement: Statement, dialect: sa.Dialect) -> None:
        compiled = statement.compile(dialect=dialect)
        self.sql = compiled.string
        returned = list(statement.exported_columns)
        self.names = [str(column.key) for column in returned]
        # qmark (SQLite) binds by position, pyformat (psycopg) by name.
        self.positions = compiled.positiontup
        self.processors = {
            name: processor
            for name, bind in compiled.binds.items()
            if (processor := bind.type.dialect_impl(dialect).bind_processor(dialect)) is not None
        }
        self.fixups = _fixups(dialect, self.names, returned)
        # Values the statement carries itself (a literal LIMIT, `literal(1)`): SQLAlchemy
        # would bind them as anonymous parameters on each execution.
        self.defaults = {name: bind.effective_value for name, bind in compiled.binds.items() if not bind.required}

    def parameters(self, values: Mapping[str, Any]) -> Any:
        if self.defaults:
            values = {**self.defaults, **values}
        processors = self.processors
        if self.positions is None:
            return {k: (processors[k](v) if k in processors else v) for k, v in values.items()}
        # In statement order, each through its type's processor (a UUID to hex text, a bool to 0/1).
        return tuple([processors[k](values[k]) if k in processors else values[k] for k in self.positions])


Statement = sa.Select[Any] | sa.Insert | sa.Update


class Prepared:
    """A statement with bound parameters (SELECT, or INSERT / UPDATE with RETURNING or none),
    compiled once per kind of database and run on the driver's cursor.

    Rows come back as dicts of msgspec-convertible values. An INSERT names every column it
    sets as a bound parameter (`sa.insert(table)` with all of them given each time). A
    statement that differs by database (one selecting `Documents`) is given as a function of
    the dialect, called once per kind of database.
    """

    __slots__ = ("_plans", "statement")

    def __init__(self, statement: Statement | Callable[[sa.Dialect], Statement]) -> None:
        self.statement = statement
        # Per dialect name: bind processors depend only on it and on create_engine's settings.
        self._plans: dict[str, _Plan] = {}

    def _plan(self, dialect: sa.Dialect) -> _Plan:
        plan = self._plans.get(dialect.name)
        if plan is None:
            given = self.statement
            statement = given if isinstance(given, sa.sql.ClauseElement) else given(dialect)
            plan = self._plans[dialect.name] = _Plan(statement, dialect)
        return plan

    def _cursor(self, conn: Connection) -> Any:
        if not conn.in_transaction() and not _autocommits(conn):
            # Begin as Connection.execute would, so a write transaction takes its lock
            # (BEGIN IMMEDIATE on SQLite) before this statement rather than after it.
            conn.begin()
        try:
            return conn.connection.dbapi_connection.cursor()  # type: ignore[union-attr]
        except _DRIVER_ERRORS as exc:  # psycopg: the connection is closed already
            _driver_error(conn, exc, "", None, None)

    def rows(self, conn: Connection, values: Mapping[str, Any]) -> list[dict[str, Any]]:
        plan = self._plan(conn.dialect)
        cursor = self._cursor(conn)
        try:
            cursor.execute(plan.sql, plan.parameters(values))
            fetched = cursor.fetchall()
        except _INTEGRITY as exc:
            raise _storage_error(exc, plan.sql, values) from exc
        except _DRIVER_ERRORS as exc:
            _driver_error(conn, exc, plan.sql, values, cursor)
        finally:
            cursor.close()
        return _as_dicts(plan.names, fetched, plan.fixups)

    def execute(self, conn: Connection, values: Sequence[Mapping[str, Any]]) -> None:
        """Run once per set of values, answering nothing (INSERT without RETURNING)."""
        plan = self._plan(conn.dialect)
        cursor = self._cursor(conn)
        try:
            if len(values) == 1:
                cursor.execute(plan.sql, plan.parameters(values[0]))
            else:
                cursor.executemany(plan.sql, [plan.parameters(v) for v in values])
        except _INTEGRITY as exc:
            raise _storage_error(exc, plan.sql, values) from exc
        except _DRIVER_ERRORS as exc:
            _driver_error(conn, exc, plan.sql, values, cursor)
        finally:
            cursor.close()


class Documents:
    """Rows of a table read as one JSON array each, built by the database and decoded by
    msgspec straight into a read schema (a Struct whose fields are columns of the table).

    Measured for a 26-row customer page: psycopg made the ~900 values into Python objects and
    msgspec converted their dicts in 550-920 µs of CPU, against 170-220 µs for the database's
    `json_build_array(...)::text` decoded by msgspec; on SQLite 444 -> 298 µs. The bytes sent
    are the same. SQLite's JSON is told what the stored text means: 0/1 are booleans, JSON
    columns are JSON, and UTC datetimes (stored without offset) get their `Z`.
    """

    LABEL = "document"

    def __init__(self, schema: type[msgspec.Struct], table: sa.Table) -> None:
        self.schema = schema
        fields = schema.__struct_fields__
        hints = typing.get_type_hints(schema)
        array = msgspec.defstruct(f"{schema.__name__}Array", [(f, hints[f]) for f in fields], array_like=True)
        self._decoder = msgspec.json.Decoder(list[array])  # type: ignore[valid-type]
        self._columns = [table.c[name] for name in fields]
        self._by_dialect: dict[str, sa.ColumnElement[Any]] = {}

    def column(self, dialect: sa.Dialect) -> sa.ColumnElement[Any]:
        """The SELECT column holding each row's JSON array (text), labelled `document`."""
        found = self._by_dialect.get(dialect.name)
        if found is None:
            if dialect.name == "sqlite":
                found = sa.func.json_array(*(_sqlite_json(column) for column in self._columns))
            else:
                found = sa.cast(sa.func.json_build_array(*self._columns), sa.Text)
            found = self._by_dialect[dialect.name] = found.label(self.LABEL)
        return found

    def read(self, rows: Sequence[Mapping[str, Any]]) -> list[Any]:
        """The documents of rows (`Prepared.rows` of a statement selecting `column`), in their
        order, as instances of the schema."""
        if not rows:
            return []
        arrays = self._decoder.decode("[" + ",".join(row[self.LABEL] for row in rows) + "]")
        schema, astuple = self.schema, msgspec.structs.astuple
        return [schema(*astuple(array)) for array in arrays]


def _sqlite_json(column: sa.Column[Any]) -> sa.ColumnElement[Any]:
    if isinstance(column.type, sa.Boolean):
        true, false = sa.func.json(sa.literal_column("'true'")), sa.func.json(sa.literal_column("'false'"))
        return sa.case((column.is_(None), sa.null()), (column == sa.true(), true), else_=false)
    if isinstance(column.type, sa.JSON):
        return sa.func.json(column)
    if isinstance(column.type, UTCDateTime):
        return sa.type_coerce(column, sa.Text).concat(sa.literal_column("'Z'"))
    return column
