"""What a write changes, field by field: the audit trail every `*.updated` event carries (SPEC §9)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any


def field_changes(current: Mapping[Any, Any], values: Mapping[str, Any]) -> dict[str, dict[str, Any]]:
    """`{field: {"old", "new"}}` for each of `values` that differs from `current`."""
    return {field: {"old": current[field], "new": value} for field, value in values.items() if current[field] != value}


def new_values(changes: Mapping[str, Mapping[str, Any]]) -> dict[str, Any]:
    """The values to write for a set of changes."""
    return {field: change["new"] for field, change in changes.items()}
