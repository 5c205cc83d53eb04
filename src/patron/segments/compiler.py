"""A segment's tree (`language`) as one WHERE clause over the customer table, of bound parameters only.

Every value of the query, a custom field's key and a `has` pattern (escaped) included, is a bound
parameter: nothing written by the user reaches the SQL text. Every predicate is two-valued (see
`language`): a positive test on a field that may be empty is guarded by `IS NOT NULL`, so `not`
is the plain complement on both databases.
"""

from __future__ import annotations

import re
import uuid
from datetime import datetime
from typing import Any

import sqlalchemy as sa

from patron.analytics import repository as rfm
from patron.customers.repository import customer
from patron.db.base import table
from patron.db.models import NewsletterSubscriber
from patron.segments.language import And, Between, Compare, Has, In, IsNull, Node, Not, Or, Target

subscriber = table(NewsletterSubscriber)

# A customer's newsletter status is the nearest consent among their subscriptions (as the
# export shows it, newsletter.service.statuses_of_customers): subscribed, then pending, then unsubscribed.
# Tags whose JSON string is themselves in quotes, whatever the encoder (see `has_tag`).
_PLAIN = re.compile(r"[\x20\x21\x23-\x2e\x30-\x5b\x5d-\x7e]+")  # no " / \\
_NEARER = {"subscribed": (), "pending": ("subscribed",), "unsubscribed": ("subscribed", "pending")}


def escape_like(value: str) -> str:
    """`value` as a LIKE pattern matching itself (escape character `\\`)."""
    return value.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


class _Compiler:
    def __init__(self, dialect: str, org_id: uuid.UUID | None, now: datetime | None) -> None:
        self.postgres = dialect == "postgresql"
        self.org_id, self.now = org_id, now

    def node(self, node: Node) -> sa.ColumnElement[bool]:
        if isinstance(node, And):
            return sa.and_(*(self.node(item) for item in node.items))
        if isinstance(node, Or):
            return sa.or_(*(self.node(item) for item in node.items))
        if isinstance(node, Not):
            return sa.not_(self.node(node.item))
        if node.target.kind == "newsletter":
            return self.newsletter(node)
        if node.target.computed == "rfm_segment":
            return self.rfm_segment(node)
        if isinstance(node, IsNull):
            value = self.value(node.target)
            return value.is_not(None) if node.negated else value.is_(None)
        if isinstance(node, Compare) and node.op == "!=":
            return sa.not_(self.positive(Compare(node.target, "=", node.value)))
        if isinstance(node, In) and node.negated:
            return sa.not_(self.positive(In(node.target, node.values, negated=False)))
        return self.positive(node)

    def positive(self, node: Compare | In | Between | Has) -> sa.ColumnElement[bool]:
        target = node.target
        value = self.value(target)
        test = self.test(node, value)
        return sa.and_(value.is_not(None), test) if target.nullable else test

    def test(self, node: Compare | In | Between | Has, value: sa.ColumnElement[Any]) -> sa.ColumnElement[bool]:
        target = node.target
        if isinstance(node, Has):
            if target.kind == "tags":
                return self.has_tag(value, node.value)
            pattern = f"%{escape_like(node.value)}%"
            # ASCII letters match in any case on both databases (SQLite LIKE; ILIKE under "C").
            if self.postgres:
                return sa.collate(value, "C").ilike(sa.bindparam(None, pattern, type_=sa.String()), escape="\\")
            return value.like(sa.bindparam(None, pattern, type_=sa.String()), escape="\\")
        ordered = self.ordered(target, value)
        if isinstance(node, In):
            return ordered.in_([self.parameter(target, v) for v in node.values])
        if isinstance(node, Between):
            return ordered.between(self.parameter(target, node.low), self.parameter(target, node.high))
        right = self.parameter(target, node.value)
        comparisons = {
            "=": lambda: ordered == right,
            "<": lambda: ordered < right,
            "<=": lambda: ordered <= right,
            ">": lambda: ordered > right,
            ">=": lambda: ordered >= right,
        }
        result: sa.ColumnElement[bool] = comparisons[node.op]()
        return result

    def ordered(self, target: Target, value: sa.ColumnElement[Any]) -> sa.ColumnElement[Any]:
        """Text compares by code point on both databases (SQLite's BINARY, PostgreSQL's "C")."""
        text = target.kind in ("text", "enum") or (target.kind == "date" and target.custom_key is not None)
        if self.postgres and text:
            return sa.collate(value, "C")
        return value

    def parameter(self, target: Target, value: Any) -> Any:
        if target.computed is not None or target.kind == "int":
            # 64-bit whatever the column's width (the parser admits any int64; PostgreSQL compares
            # an integer column with a bigint parameter through the same index).
            return sa.bindparam(None, value, type_=sa.BigInteger())
        if target.custom_key is not None:
            # A custom date is stored as its ISO text, which orders as the date does.
            if target.kind == "date":
                return sa.bindparam(None, value.isoformat(), type_=sa.String())
            if target.kind == "bool":
                return sa.bindparam(None, value, type_=sa.Boolean())
            if target.kind in ("int", "number"):
                return sa.bindparam(None, value, type_=sa.BigInteger())
            return sa.bindparam(None, value, type_=sa.String())
        assert target.column is not None
        return sa.bindparam(None, value, type_=customer.c[target.column].type)

    def value(self, target: Target) -> sa.ColumnElement[Any]:
        if target.computed == "average_order_value":
            # Integer division on both databases (figures are never negative).
            return sa.case((customer.c.orders_count > 0, customer.c.total_spent // customer.c.orders_count))
        if target.custom_key is None:
            assert target.column is not None
            return customer.c[target.column]
        return self.custom(target)

    def custom(self, target: Target) -> sa.ColumnElement[Any]:
        """The custom value when it is of the field's type, else NULL (a value written before its
        definition changed type is empty, never an error)."""
        key = target.custom_key
        assert key is not None
        column = customer.c.custom_fields
        if self.postgres:
            name = sa.bindparam(None, key, type_=sa.Text())
            kind = sa.func.jsonb_typeof(column.op("->")(name))
            text = column.op("->>", return_type=sa.Text())(name)
            if target.kind in ("int", "number"):
                return sa.case((kind == "number", sa.cast(text, sa.Numeric())))
            if target.kind == "bool":
                return sa.case((kind == "boolean", sa.cast(text, sa.Boolean())))
            return sa.case((kind == "string", text))
        path = sa.bindparam(None, '$."' + key + '"', type_=sa.String())
        kind = sa.func.json_type(column, path)
        extracted = sa.func.json_extract(column, path)
        if target.kind in ("int", "number"):
            return sa.case((kind.in_(["integer", "real"]), extracted))
        if target.kind == "bool":
            return sa.case((kind.in_(["true", "false"]), extracted))
        return sa.case((kind == "text", extracted))

    def has_tag(self, tags: sa.ColumnElement[Any], tag: str) -> sa.ColumnElement[bool]:
        value = sa.bindparam(None, tag, type_=sa.String())
        if self.postgres:
            return tags.op("@>", is_comparison=True)(sa.func.jsonb_build_array(sa.cast(value, sa.Text)))
        each = sa.func.json_each(tags).table_valued("value")
        exact = sa.exists(sa.select(sa.literal(1)).select_from(each).where(each.c.value == value))
        if not _PLAIN.fullmatch(tag):
            return exact
        # A tag of printable ASCII without quotes or backslashes is written "tag" in the stored
        # JSON text by any JSON encoder: a substring test first (cheap) leaves json_each to the
        # few rows that may hold it.
        token = sa.bindparam(None, f'"{tag}"', type_=sa.String())
        return sa.and_(sa.func.instr(tags, token) > 0, exact)

    def rfm_segment(self, node: Node) -> sa.ColumnElement[bool]:
        """`customer.id IN (SELECT id FROM <the /analytics/rfm statement> WHERE segment ...)`: the
        organization's buyers scored once, as of the query's now; the names are bound parameters."""
        if self.org_id is None or self.now is None:
            raise ValueError("rfm_segment compiles only for one organization at one moment (org_id, now)")
        scored = rfm.rfm_scored(self.org_id, self.now, monetary=False)
        if isinstance(node, IsNull):
            found = customer.c.id.in_(sa.select(scored.c.id))
            return found if node.negated else sa.not_(found)
        if isinstance(node, Compare):
            name = sa.bindparam(None, node.value, type_=sa.String())
            found = customer.c.id.in_(sa.select(scored.c.id).where(scored.c.segment == name))
            return sa.not_(found) if node.op == "!=" else found
        assert isinstance(node, In)
        names = [sa.bindparam(None, value, type_=sa.String()) for value in node.values]
        found = customer.c.id.in_(sa.select(scored.c.id).where(scored.c.segment.in_(names)))
        return sa.not_(found) if node.negated else found

    def newsletter(self, node: Node) -> sa.ColumnElement[bool]:
        if isinstance(node, Compare):
            found = self.status_is(node.value)
            return sa.not_(found) if node.op == "!=" else found
        assert isinstance(node, In)
        found = sa.or_(*(self.status_is(value) for value in node.values))
        return sa.not_(found) if node.negated else found

    def status_is(self, status: str) -> sa.ColumnElement[bool]:
        if status == "none":
            return sa.not_(self.subscriptions())
        found = self.subscriptions(subscriber.c.status == sa.bindparam(None, status, type_=sa.String()))
        nearer = _NEARER[status]
        if not nearer:
            return found
        return sa.and_(found, sa.not_(self.subscriptions(subscriber.c.status.in_(list(nearer)))))

    @staticmethod
    def subscriptions(*where: sa.ColumnElement[bool]) -> sa.Exists:
        """EXISTS a subscription of the customer (read through (org_id, customer_id))."""
        return sa.exists(
            sa.select(sa.literal(1))
            .select_from(subscriber)
            .where(subscriber.c.org_id == customer.c.org_id, subscriber.c.customer_id == customer.c.id, *where)
            .correlate(customer)
        )


def where_clause(
    node: Node, dialect: str, *, org_id: uuid.UUID | None = None, now: datetime | None = None
) -> sa.ColumnElement[bool]:
    """The tree as one WHERE clause over `customer` for this dialect (`sqlite` or `postgresql`);
    `rfm_segment` needs the organization and the moment it is scored at."""
    return _Compiler(dialect, org_id, now).node(node)
