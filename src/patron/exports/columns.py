"""The columns an export may hold, and each cell as CSV text or as an XLSX value.

Pure: a column reads its value from a customer (and its newsletter status); the CSV form is
what `POST /imports` reads back (SPEC §13.2), so it is written exactly one way.
"""

from __future__ import annotations

import types
import uuid
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any, get_args, get_origin, get_type_hints

from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from patron.customers.schemas import CustomerRead
from patron.identity.schemas import CustomFieldDefinition
from patron.kernel.errors import ValidationFailed
from patron.kernel.messages import Message

NEWSLETTER_STATUS = "newsletter_status"
CUSTOM_PREFIX = "custom."
CUSTOM_FIELDS = "custom_fields"
MAX_COLUMNS_LENGTH = 4000

Cell = Any
Row = tuple[Cell, ...]


def _kind(annotation: Any) -> str:
    if isinstance(annotation, types.UnionType):  # `X | None`
        [annotation] = [arg for arg in get_args(annotation) if arg is not type(None)]
    if get_origin(annotation) is list:
        return "list"
    kinds = {bool: "bool", int: "int", datetime: "datetime", date: "date", uuid.UUID: "uuid"}
    return kinds.get(annotation, "text")


# Every CustomerRead field but custom_fields, in its order, by the kind of its value.
FIELD_KINDS: dict[str, str] = {
    name: _kind(annotation) for name, annotation in get_type_hints(CustomerRead).items() if name != CUSTOM_FIELDS
}
DEFAULT_COLUMNS: tuple[str, ...] = (*FIELD_KINDS, NEWSLETTER_STATUS)


@dataclass(frozen=True, slots=True)
class Column:
    """One column: its header, where its value comes from (a field, a custom field or the
    newsletter) and the kind of that value."""

    name: str
    kind: str  # text | bool | int | date | datetime | uuid | list | any (a custom field's value)
    source: str  # field | custom | newsletter
    key: str


def parse_columns(raw: str | None, definitions: Mapping[str, CustomFieldDefinition]) -> tuple[Column, ...]:
    """The `columns` parameter (a comma list) as columns; ValidationFailed names `columns`."""
    if raw is None:
        names: list[str] = list(DEFAULT_COLUMNS)
    else:
        if len(raw) > MAX_COLUMNS_LENGTH:
            raise ValidationFailed.single("columns", Message("export.columns_too_long", limit=MAX_COLUMNS_LENGTH))
        names = [part.strip() for part in raw.split(",")]
    columns: list[Column] = []
    for name in names:
        if name == CUSTOM_FIELDS:
            columns.extend(Column(CUSTOM_PREFIX + key, "any", "custom", key) for key in definitions)
        elif name == NEWSLETTER_STATUS:
            columns.append(Column(name, "text", "newsletter", name))
        elif name in FIELD_KINDS:
            columns.append(Column(name, FIELD_KINDS[name], "field", name))
        elif name.startswith(CUSTOM_PREFIX) and name.removeprefix(CUSTOM_PREFIX) in definitions:
            columns.append(Column(name, "any", "custom", name.removeprefix(CUSTOM_PREFIX)))
        else:
            allowed = ", ".join((*DEFAULT_COLUMNS, CUSTOM_FIELDS, *(CUSTOM_PREFIX + key for key in definitions)))
            raise ValidationFailed.single("columns", Message("export.unknown_column", name=repr(name), allowed=allowed))
    seen: set[str] = set()
    for column in columns:
        if column.name in seen:
            raise ValidationFailed.single("columns", Message("export.column_repeated", name=repr(column.name)))
        seen.add(column.name)
    return tuple(columns)


def _getter(column: Column) -> Callable[[CustomerRead, Mapping[Any, str]], Cell]:
    name = column.key
    if column.source == "field":
        return lambda customer, _: getattr(customer, name)
    if column.source == "custom":
        return lambda customer, _: customer.custom_fields.get(name)
    return lambda customer, statuses: statuses.get(customer.id)


def reader(columns: Sequence[Column]) -> Callable[[CustomerRead, Mapping[Any, str]], Row]:
    """A function from a customer and the newsletter statuses (by customer id) to its row of values."""
    getters: list[Callable[[CustomerRead, Mapping[Any, str]], Cell]] = [_getter(column) for column in columns]

    def read(customer: CustomerRead, statuses: Mapping[Any, str]) -> Row:
        return tuple(get(customer, statuses) for get in getters)

    return read


# A spreadsheet runs a cell starting with these as a formula (CSV injection). `+` and `-`
# count only when no digit follows, so phone numbers (+84912345678) and negative numbers stay.
_FORMULA_STARTS = frozenset("=@\t\r")
_SIGNS = frozenset("+-")
_DIGITS = frozenset("0123456789")


def guard(text: str) -> str:
    """Text a spreadsheet will not run: a leading `'` where it would start a formula."""
    first = text[:1]
    if first in _FORMULA_STARTS or (first in _SIGNS and text[1:2] not in _DIGITS):
        return "'" + text
    return text


def _datetime_text(value: datetime) -> str:
    if value.tzinfo is not None:
        value = value.astimezone(UTC).replace(tzinfo=None)
    return value.isoformat() + "Z"


def _any_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return guard(value)
    if isinstance(value, datetime):
        return _datetime_text(value)
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def _optional(format_: Callable[[Any], str]) -> Callable[[Any], str]:
    return lambda value: "" if value is None else format_(value)


_TEXT: dict[str, Callable[[Any], str]] = {
    "text": _optional(guard),
    "bool": _optional(lambda value: "true" if value else "false"),
    "int": _optional(str),
    "date": _optional(date.isoformat),
    "datetime": _optional(_datetime_text),
    "uuid": _optional(str),
    "list": _optional(lambda value: guard(";".join(value))),
    "any": _any_text,
}


def csv_formatter(columns: Sequence[Column]) -> Callable[[Row], list[str]]:
    """A function from a row of values to its CSV cells (see SPEC §13.2 and the import)."""
    formats = [_TEXT[column.kind] for column in columns]

    def format_row(row: Row) -> list[str]:
        return [format_(value) for format_, value in zip(formats, row, strict=True)]

    return format_row


def xlsx_value(value: Any) -> Any:
    """The value as an XLSX cell takes it: text stays text (`is_text` keeps a leading `=` from
    becoming a formula), datetimes naive UTC, lists `;`-joined."""
    if isinstance(value, str):
        return ILLEGAL_CHARACTERS_RE.sub("", value)
    if isinstance(value, datetime):
        return value.astimezone(UTC).replace(tzinfo=None) if value.tzinfo is not None else value
    if isinstance(value, list):
        return ILLEGAL_CHARACTERS_RE.sub("", ";".join(value))
    if value is None or isinstance(value, (bool, int, float, date)):
        return value
    return str(value)
