"""The base of every domain event: past tense, immutable, written to the outbox.

An event is a frozen msgspec struct. `org_id` and `subject_id` are its envelope (columns
of the outbox row); the fields each event declares are its payload, the row's `data`,
which `GET /events`, the stream, webhooks and NATS carry as they are. docs/events.md is
generated from these classes (`patron events-doc`).
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Mapping
from typing import Annotated, Any, ClassVar

import msgspec
from msgspec import Meta

# Any JSON value, one level deep: msgspec cannot decode a recursive alias.
JSON = str | int | float | bool | list[Any] | dict[str, Any] | None


class DomainEvent(msgspec.Struct, frozen=True):
    """A fact about one subject in one organization; `type` is its wire name."""

    type: ClassVar[str]
    # What `subject_id` names ("customer", "order", ...), for the documentation.
    subject: ClassVar[str]
    org_id: uuid.UUID
    subject_id: uuid.UUID

    def payload(self) -> dict[str, Any]:
        """The outbox row's `data`: the fields by their wire names, but the envelope and unset optional ones."""
        cls = type(self)
        if cls.__struct_encode_fields__ is cls.__struct_fields__:
            # No field renamed on the wire: asdict is ~2x cheaper than to_builtins here.
            data = msgspec.structs.asdict(self)
        else:
            data = dict(zip(cls.__struct_encode_fields__, msgspec.structs.astuple(self), strict=True))
        del data["org_id"], data["subject_id"]
        if msgspec.UNSET in data.values():
            return {name: value for name, value in data.items() if value is not msgspec.UNSET}
        return data


class FieldChange(msgspec.Struct, frozen=True):
    """One changed field of an update: its value before and after, as JSON."""

    old: JSON
    new: JSON


# The `changes` of every update event.
Changes = Annotated[dict[str, FieldChange], Meta(description="each changed field, by name: its old and new value")]


def changes_of(changes: Mapping[str, Mapping[str, Any]]) -> dict[str, FieldChange]:
    """`kernel.changes.field_changes(...)` as an event carries it: dates, ids and the like as their JSON text."""
    jsonable: dict[str, dict[str, JSON]] = msgspec.to_builtins(changes)
    return {field: FieldChange(old=change["old"], new=change["new"]) for field, change in jsonable.items()}


def registry(*groups: Iterable[type[DomainEvent]]) -> dict[str, type[DomainEvent]]:
    """Event classes by wire type; a type named twice is a mistake caught at import."""
    found: dict[str, type[DomainEvent]] = {}
    for group in groups:
        for cls in group:
            if cls.type in found:
                raise ValueError(f"event type {cls.type} is declared by {found[cls.type].__name__} and {cls.__name__}")
            found[cls.type] = cls
    return found
