"""Message ids for the texts msgspec writes when a value does not fit its type.

A decode or conversion error arrives as msgspec's English sentence; each known shape is
matched here once and turned into an id with its parameters (the HTTP layer and the import
of files both report these).
"""

from __future__ import annotations

import enum
import re
from collections.abc import Callable
from typing import Any

import msgspec

from patron.kernel.messages import Message

_DECODE_MESSAGES: list[tuple[re.Pattern[str], Callable[[re.Match[str]], Message]]] = [
    (
        re.compile(r"^Expected `([^`]+)`, got `([^`]+)`$"),
        lambda m: Message("field.wrong_type", expected=m[1], got=m[2]),
    ),
    (
        re.compile(r"^Expected `([^`]+)` of length (>=|<=|>|<) (\d+)$"),
        lambda m: Message("field.length_bound", expected=m[1], op=m[2], limit=m[3]),
    ),
    (
        re.compile(r"^Expected `([^`]+)` (>=|<=|>|<) (\S+)$"),
        lambda m: Message("field.value_bound", expected=m[1], op=m[2], limit=m[3]),
    ),
    (
        re.compile(r"^Expected `([^`]+)` matching regex (.+)$"),
        lambda m: Message("field.pattern", expected=m[1], pattern=m[2]),
    ),
    (
        re.compile(r"^Expected `datetime` with a timezone component$"),
        lambda m: Message("field.needs_timezone"),
    ),
    (
        re.compile(r"^Invalid RFC3339 encoded (datetime|date|time)$"),
        lambda m: Message("field.not_rfc3339", kind=m[1]),
    ),
    (re.compile(r"^Invalid UUID$"), lambda m: Message("field.not_uuid")),
    (re.compile(r"^Number out of range$"), lambda m: Message("field.number_out_of_range")),
    (re.compile(r"^Invalid enum value (.+)$"), lambda m: Message("enum.invalid_value", value=m[1])),
]


def decode_message(text: str) -> Message:
    """The message id of one of msgspec's decode errors; unknown shapes keep their text as a parameter."""
    for pattern, build in _DECODE_MESSAGES:
        if match := pattern.match(text):
            return build(match)
    return Message("field.invalid", reason=text)


def allowed_values(annotation: Any, path: str) -> list[str] | None:
    """The values an enum or Literal field at `path` (`customers[0].status`) of `annotation` accepts."""
    try:
        info = msgspec.inspect.type_info(annotation)
    except (TypeError, ValueError):
        return None
    for part in re.findall(r"[^.\[\]]+", path):
        info = _unwrap(info)
        if isinstance(info, msgspec.inspect.StructType):
            fields = {f.encode_name: f.type for f in info.fields}
            if part not in fields:
                return None
            info = fields[part]
        elif isinstance(info, msgspec.inspect.ListType | msgspec.inspect.SetType | msgspec.inspect.FrozenSetType):
            info = info.item_type
        elif isinstance(info, msgspec.inspect.DictType):
            info = info.value_type
        else:
            return None
    info = _unwrap(info)
    if isinstance(info, msgspec.inspect.ListType | msgspec.inspect.SetType | msgspec.inspect.FrozenSetType):
        info = _unwrap(info.item_type)
    if isinstance(info, msgspec.inspect.LiteralType):
        return [str(v) for v in info.values]
    if isinstance(info, msgspec.inspect.EnumType) and issubclass(info.cls, enum.Enum):
        return [str(member.value) for member in info.cls]
    return None


def _unwrap(info: msgspec.inspect.Type) -> msgspec.inspect.Type:
    """`X | None` as X (msgspec drops UnsetType from the union already)."""
    if isinstance(info, msgspec.inspect.UnionType):
        kept = [t for t in info.types if not isinstance(t, msgspec.inspect.NoneType)]
        if len(kept) == 1:
            return kept[0]
    return info
