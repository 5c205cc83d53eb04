"""The segment language answered in Python over customer dicts: the reference the SQL is tested against.

A customer is a dict of the customer table's columns (`custom_fields` a dict, `tags` a list, times
aware datetimes) plus `newsletter_status` (`subscribed`, `pending`, `unsubscribed` or `none`).
The semantics are those of `language`: every predicate true or false, empty fields fail a test.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date, datetime
from typing import Any

from patron.analytics import rules
from patron.segments.language import And, Between, Compare, Has, In, IsNull, Node, Not, Or, Target

_ASCII_LOWER = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ", "abcdefghijklmnopqrstuvwxyz")


def _custom(target: Target, value: Any) -> Any:
    """The custom value if it is of the field's type, else None (as the SQL reads it)."""
    kind = target.kind
    if kind in ("int", "number"):
        return value if isinstance(value, int | float) and not isinstance(value, bool) else None
    if kind == "bool":
        return value if isinstance(value, bool) else None
    return value if isinstance(value, str) else None


def _value(target: Target, customer: Mapping[str, Any]) -> Any:
    if target.kind == "newsletter":
        return customer["newsletter_status"]
    if target.computed == "rfm_segment":
        return customer["rfm_segment"]
    if target.computed == "average_order_value":
        count = customer["orders_count"]
        return customer["total_spent"] // count if count > 0 else None
    if target.custom_key is not None:
        return _custom(target, (customer.get("custom_fields") or {}).get(target.custom_key))
    assert target.column is not None
    return customer[target.column]


def _operand(target: Target, value: Any) -> Any:
    # A custom date is stored as its ISO text, compared so.
    return value.isoformat() if target.custom_key is not None and isinstance(value, date) else value


def with_rfm_segments(customers: Sequence[Mapping[str, Any]], now: datetime) -> list[dict[str, Any]]:
    """The customers with their `rfm_segment` (None without orders), scored among the live ones by
    the rules /analytics/rfm uses (analytics.rules.rfm_segments)."""
    buyers = [
        rules.Buyer(c["id"], c["last_order_at"], c["orders_count"], c["total_spent"])
        for c in customers
        if c.get("deleted_at") is None and c["orders_count"] > 0 and c["last_order_at"] is not None
    ]
    segments = rules.rfm_segments(buyers, now)
    return [{**c, "rfm_segment": segments.get(c["id"])} for c in customers]


def matches(node: Node, customer: Mapping[str, Any]) -> bool:
    """Whether the customer is in the query's segment."""
    if isinstance(node, And):
        return all(matches(item, customer) for item in node.items)
    if isinstance(node, Or):
        return any(matches(item, customer) for item in node.items)
    if isinstance(node, Not):
        return not matches(node.item, customer)
    value = _value(node.target, customer)
    if isinstance(node, IsNull):
        return (value is not None) if node.negated else (value is None)
    if isinstance(node, Compare) and node.op == "!=":
        return not matches(Compare(node.target, "=", node.value), customer)
    if isinstance(node, In) and node.negated:
        return not matches(In(node.target, node.values, negated=False), customer)
    if value is None:
        return False
    target = node.target
    if isinstance(node, Has):
        if target.kind == "tags":
            return node.value in value
        return node.value.translate(_ASCII_LOWER) in value.translate(_ASCII_LOWER)
    if isinstance(node, In):
        return any(value == _operand(target, v) for v in node.values)
    if isinstance(node, Between):
        return bool(_operand(target, node.low) <= value <= _operand(target, node.high))
    right = _operand(target, node.value)
    results = {
        "=": lambda: value == right,
        "<": lambda: value < right,
        "<=": lambda: value <= right,
        ">": lambda: value > right,
        ">=": lambda: value >= right,
    }
    return bool(results[node.op]())
