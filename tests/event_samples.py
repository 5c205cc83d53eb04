"""An instance of any event class, with a value of the right type in every field, for round-trip tests."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime
from typing import Any

import msgspec
from msgspec import inspect

from patron.kernel.events import DomainEvent

ORG_ID = uuid.UUID("01900000-0000-7000-8000-000000000001")


def sample_event(cls: type[DomainEvent], *, optional: bool, org_id: uuid.UUID = ORG_ID) -> DomainEvent:
    """`cls` with every required field set; with `optional`, the optional (omitted when unset) fields too."""
    values = _fields(cls, optional=optional, skip=("org_id", "subject_id"))
    return cls(org_id, uuid.UUID("01900000-0000-7000-8000-0000000000aa"), **values)


def _fields(cls: type[msgspec.Struct], *, optional: bool, skip: tuple[str, ...] = ()) -> dict[str, Any]:
    info = inspect.type_info(cls)
    assert isinstance(info, inspect.StructType)
    return {
        field.name: _value(field.type)
        for field in info.fields
        if field.name not in skip and (field.required or optional)
    }


def _value(kind: inspect.Type) -> Any:
    match kind:
        case inspect.Metadata():
            return _value(kind.type)
        case inspect.UnionType():
            # The richest member: a list or object over text, a value over null.
            return _value(next(t for t in reversed(kind.types) if not isinstance(t, inspect.NoneType)))
        case inspect.LiteralType():
            return kind.values[-1]
        case inspect.ListType():
            return [_value(kind.item_type), _value(kind.item_type)]
        case inspect.DictType():
            return {"first_name": _value(kind.value_type)}
        case inspect.StructType():
            return kind.cls(**_fields(kind.cls, optional=True))
        case inspect.StrType():
            return "Nguyễn"
        case inspect.UUIDType():
            return uuid.UUID("01900000-0000-7000-8000-0000000000bb")
        case inspect.DateTimeType():
            return datetime(2026, 12, 1, 9, 30, 15, 123456, tzinfo=UTC)
        case inspect.DateType():
            return date(2026, 12, 1)
        case inspect.IntType():
            return -42
        case inspect.FloatType():
            return 1.5
        case inspect.BoolType():
            return True
        case inspect.AnyType():
            return {"nested": [1, "two", None]}
    raise TypeError(f"no sample for {kind!r}")
