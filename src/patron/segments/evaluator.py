"""The segment language answered in Python over customer dicts: the reference the SQL is tested against.

A customer is a dict of the customer table's columns (`custom_fields` a dict, `tags` a list, times
aware datetimes) plus `newsletter_status` (`subscribed`, `pending`, `unsubscribed` or `none`).
The semantics are those of `language`: every predicate true or false, empty fields fail a test.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

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
