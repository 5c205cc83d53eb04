"""One page of a list in SQL: keyset after the cursor's row, then offset and limit + 1.

The list's order is its `Keyset` (`patron.kernel.pagination`), and the same columns make the cursor's
condition, so the page starts exactly after the row the cursor was made from on both
databases (text compares in the column's collation in ORDER BY and in the condition alike).
The order columns are never NULL; the last one is the id, so the order is total.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, TypeVar

import msgspec
import sqlalchemy as sa
from sqlalchemy.engine import Connection
from sqlalchemy.sql.base import ColumnCollection

from patron.db.records import records
from patron.kernel.pagination import Before, PageRequest

R = TypeVar("R", bound=msgspec.Struct)


def _order(columns: ColumnCollection[str, Any], request: PageRequest) -> list[tuple[sa.ColumnElement[Any], bool]]:
    return [(columns[key.name], key.descending) for key in request.keyset.keys]


def after(order: Sequence[tuple[sa.ColumnElement[Any], bool]], values: Sequence[Any]) -> sa.ColumnElement[bool]:
    """Rows strictly after the row with these order-key values."""
    alternatives: list[sa.ColumnElement[bool]] = []
    equal: list[sa.ColumnElement[bool]] = []
    # Bound parameters of the column's type: SQLAlchemy compares a bare True or False only by `=`.
    values = [sa.bindparam(None, value, type_=column.type) for (column, _), value in zip(order, values, strict=True)]
    for (column, descending), value in zip(order, values, strict=True):
        beyond = column < value if descending else column > value
        alternatives.append(sa.and_(*equal, beyond))
        equal.append(column == value)
    (first, descending), value = order[0], values[0]
    # The same bound on the first key alone lets an index start at the cursor (an OR does not).
    start = first <= value if descending else first >= value
    return sa.and_(start, sa.or_(*alternatives))


def page(stmt: sa.Select[Any], columns: ColumnCollection[str, Any], request: PageRequest) -> sa.Select[Any]:
    """`stmt` in the list's order (its keys are `columns` of these names), after the request's
    cursor, offset, at most limit + 1 rows (the extra one says there is a next page)."""
    order = _order(columns, request)
    if request.after is not None:
        stmt = stmt.where(after(order, request.after))
    ordered = [column.desc() if descending else column.asc() for column, descending in order]
    return stmt.order_by(*ordered).limit(request.limit + 1).offset(request.offset)


def fetch(
    conn: Connection, stmt: sa.Select[Any], columns: ColumnCollection[str, Any], request: PageRequest, shape: type[R]
) -> tuple[list[R], int]:
    """The page of `stmt` as `shape` records (up to limit + 1, see `page`) and how many rows it has."""
    return records(conn.execute(page(stmt, columns, request)), shape), count(conn, stmt)


def count(conn: Connection, stmt: sa.Select[Any], *, up_to: int | None = None) -> int:
    """How many rows `stmt` selects (its order and limit dropped), counting no further than `up_to`."""
    rows = stmt.order_by(None).limit(up_to)
    return int(conn.execute(sa.select(sa.func.count()).select_from(rows.subquery())).scalar_one())


def before(at: sa.ColumnElement[Any], row_id: sa.ColumnElement[Any], bound: Before | None) -> sa.ColumnElement[bool]:
    """The rows of one source of a merged list that come after the cursor (see `Before`)."""
    if bound is None:
        return sa.true()
    if bound.ties == "all":
        return at <= bound.at
    if bound.ties == "none":
        return at < bound.at
    return sa.and_(at <= bound.at, sa.or_(at < bound.at, row_id < bound.id))
