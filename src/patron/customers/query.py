"""The customer list query language: `filter[<field>]=<op>|<value>`, `sort=`, `q=`, `cursor=`.

Pure Python: raw query-string values in, a typed `ListQuery` out (or ValidationFailed
naming the parameter). The repository turns a ListQuery into SQL with bound values only.
"""

from __future__ import annotations

import dataclasses
import hashlib
import re
import uuid
from collections.abc import Callable, Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any, get_args

import msgspec

from patron.customers import search
from patron.customers.schemas import Gender, Source, Status, Tier
from patron.kernel import pagination
from patron.kernel.errors import ValidationFailed
from patron.kernel.messages import Message

MAX_IN_VALUES = 500
MAX_SORT_KEYS = 5
DEFAULT_SORT = "-created_at"

TEXT_OPS = ("eq", "like", "lt", "lte", "gt", "gte", "in")
ORDERED_OPS = ("eq", "lt", "lte", "gt", "gte", "in")


@dataclass(frozen=True, slots=True)
class Field:
    """A filterable and sortable field: its wire name, column, value kind and operators."""

    name: str
    column: str
    kind: str  # text | enum | date | datetime | int | bool | uuid | tags
    nullable: bool
    ops: tuple[str, ...]
    choices: tuple[str, ...] = ()


def _field(name: str, kind: str, *, nullable: bool = False, column: str | None = None, choices: Any = None) -> Field:
    ops: tuple[str, ...] = {
        "text": TEXT_OPS,
        "enum": ("eq", "in"),
        "date": ORDERED_OPS,
        "datetime": ("eq", "lt", "lte", "gt", "gte"),
        "int": ORDERED_OPS,
        "bool": ("eq",),
        "uuid": ("eq", "in"),
        "tags": ("has",),
    }[kind]
    if nullable:
        ops = (*ops, "null")
    return Field(name, column or name, kind, nullable, ops, tuple(get_args(choices)) if choices else ())


FIELDS: dict[str, Field] = {
    f.name: f
    for f in (
        _field("first_name", "text", nullable=True),
        _field("last_name", "text", nullable=True),
        _field("email", "text"),
        _field("phone", "text", nullable=True),
        _field("customer_number", "text"),
        _field("company_name", "text", nullable=True),
        _field("vat_id", "text", nullable=True),
        _field("gender", "enum", nullable=True, choices=Gender),
        _field("birthday", "date", nullable=True),
        _field("locale", "text"),
        _field("status", "enum", choices=Status),
        _field("tier", "enum", choices=Tier),
        _field("source", "enum", nullable=True, choices=Source),
        _field("tags", "tags"),
        _field("group", "uuid", nullable=True, column="group_id"),
        _field("assigned_to", "uuid", nullable=True),
        _field("is_guest", "bool"),
        _field("is_merchant", "bool"),
        _field("is_favorite", "bool"),
        _field("credit", "int"),
        _field("created_at", "datetime"),
        _field("updated_at", "datetime"),
    )
}
SORTABLE = frozenset(name for name, f in FIELDS.items() if f.kind != "tags")
ID_FIELD = Field("id", "id", "uuid", False, ())


@dataclass(frozen=True, slots=True)
class Condition:
    field: Field
    op: str
    value: Any  # one parsed value; a tuple for `in`; a bool for `null`


@dataclass(frozen=True, slots=True)
class SortKey:
    field: Field
    descending: bool


@dataclass(frozen=True, slots=True)
class Restriction:
    """One more condition of the list from outside its parameters (a saved segment's query):
    a WHERE clause over `customer` whose parameters are named `s0`, `s1`, ... and given in
    `values` (`listing.restriction` builds it), so the list's statements stay cached by shape."""

    name: str  # what a cursor is bound to (`segment:<id>`)
    clause: Any  # sa.ColumnElement[bool]; this module stays free of SQLAlchemy
    shape: Hashable  # the clause's SQL and parameter types: equal shapes share a statement
    values: Mapping[str, Any]


@dataclass(frozen=True, slots=True)
class ListQuery:
    conditions: tuple[Condition, ...]
    sort: tuple[SortKey, ...]  # always ends with id, so the order is total
    terms: tuple[str, ...]  # search terms of `q`, folded
    limit: int
    offset: int
    after: tuple[Any, ...] | None  # the sort-key values of the row a cursor points past
    restriction: Restriction | None = None

    def cursor_after(self, row: Mapping[Any, Any]) -> str:
        """An opaque cursor to the rows after `row` in this query's order (the shared cursor of
        `patron.kernel.pagination`, bound to the filters, restriction, sort and search)."""
        values = [row[key.field.column] for key in self.sort]
        return _keyset(self.sort).cursor(values, filters=self.fingerprint())

    def fingerprint(self) -> str:
        restricted = None if self.restriction is None else self.restriction.name
        return _fingerprint(self.conditions, self.sort, self.terms, restricted)

    def restricted(self, restriction: Restriction, *, cursor: str | None) -> ListQuery:
        """The query restricted further, its cursor (if any) read again as one of the restricted list."""
        query = dataclasses.replace(self, restriction=restriction, after=None)
        if cursor:
            if self.offset:
                raise ValidationFailed.single("offset", Message("cursor.with_offset"))
            query = dataclasses.replace(query, after=_keyset(self.sort).read(cursor, filters=query.fingerprint()))
        return query


_OP_PREFIX = re.compile(r"^([a-z]+)\|(.*)$", re.DOTALL)
_FILTER_KEY = re.compile(r"^filter\[([^\]]*)\]$")
_INT = re.compile(r"^[+-]?\d{1,19}$")
_INT64 = 2**63
MAX_VALUE_LENGTH = 1000


def _parse_datetime(raw: str) -> datetime:
    value = datetime.fromisoformat(raw)
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def _parse_bool(raw: str) -> bool:
    if raw not in ("true", "false"):
        raise ValueError
    return raw == "true"


def _parse_int(raw: str) -> int:
    if not _INT.match(raw) or not -_INT64 <= int(raw) < _INT64:
        raise ValueError
    return int(raw)


def _value_parser(field: Field) -> Callable[[str], Any]:
    if field.kind == "enum":

        def enum(raw: str) -> str:
            if raw not in field.choices:
                raise ValueError
            return raw

        return enum
    if field.name == "email":
        return lambda raw: raw.strip().lower()
    parsers: dict[str, Callable[[str], Any]] = {
        "text": lambda raw: raw,
        "date": date.fromisoformat,
        "datetime": _parse_datetime,
        "int": _parse_int,
        "bool": _parse_bool,
        "uuid": uuid.UUID,
        "tags": lambda raw: raw.strip().lower(),
    }
    return parsers[field.kind]


def _parse_value(field: Field, raw: str, param: str) -> Any:
    try:
        return _value_parser(field)(raw)
    except (ValueError, OverflowError):
        got = repr(raw)
        if field.kind == "enum":
            message = Message("filter.not_one_of", allowed=", ".join(field.choices), value=got)
        else:
            message = _kind_message(field.kind, got)
        raise ValidationFailed.single(param, message) from None


def _kind_message(kind: str, got: str) -> Message:
    # One literal id per kind, so the catalog test sees every id this module can raise.
    if kind == "date":
        return Message("filter.not_date", value=got)
    if kind == "datetime":
        return Message("filter.not_datetime", value=got)
    if kind == "int":
        return Message("filter.not_int64", value=got)
    if kind == "bool":
        return Message("filter.not_bool", value=got)
    return Message("filter.not_uuid", value=got)


def bare_op(field: Field, raw: str) -> str:
    """The operator of a value given without one: a tag is looked for among the tags and, as in
    the shop's filter service, a value with `*` is a `like` pattern where the field takes one
    (`eq|Do*` compares literally); anything else is `eq`."""
    if field.kind == "tags":
        return "has"
    if "*" in raw and "like" in field.ops:
        return "like"
    return "eq"


def parse_condition(key: str, raw: str) -> Condition:
    """One `filter[<field>]=<op>|<value>` parameter."""
    match = _FILTER_KEY.match(key)
    if match is None:
        raise ValidationFailed.single(key, Message("filter.bad_key"))
    if len(raw) > MAX_VALUE_LENGTH or "\x00" in raw:
        raise ValidationFailed.single(key, Message("filter.value_too_long", limit=MAX_VALUE_LENGTH))
    name = match.group(1)
    field = FIELDS.get(name)
    if field is None:
        raise ValidationFailed.single(key, Message("filter.unknown_field", name=repr(name), allowed=", ".join(FIELDS)))
    op_match = _OP_PREFIX.match(raw)
    op, value = (op_match.group(1), op_match.group(2)) if op_match else (bare_op(field, raw), raw)
    if op not in field.ops:
        raise ValidationFailed.single(
            key, Message("filter.unsupported_operator", op=repr(op), allowed=", ".join(field.ops))
        )
    if op == "null":
        if value not in ("true", "false"):
            raise ValidationFailed.single(key, Message("filter.null_takes_bool", value=repr(value)))
        return Condition(field, op, value == "true")
    if op == "in":
        items = value.split(",")
        if len(items) > MAX_IN_VALUES or any(item == "" for item in items):
            raise ValidationFailed.single(key, Message("filter.in_values", limit=MAX_IN_VALUES))
        return Condition(field, op, tuple(_parse_value(field, item, key) for item in items))
    if op == "like":
        return Condition(field, op, value)
    return Condition(field, op, _parse_value(field, value, key))


def parse_sort(raw: str | None) -> tuple[SortKey, ...]:
    """`-created_at,last_name`: `-` sorts descending; id ends every order so it is total."""
    keys: list[SortKey] = []
    seen: set[str] = set()
    for part in (raw or DEFAULT_SORT).split(","):
        part = part.strip()
        descending = part.startswith("-")
        name = part.removeprefix("-")
        if name not in SORTABLE:
            raise ValidationFailed.single(
                "sort", Message("sort.unknown_field", name=repr(name), allowed=", ".join(SORTABLE))
            )
        if name in seen:
            raise ValidationFailed.single("sort", Message("sort.repeated", name=repr(name)))
        seen.add(name)
        keys.append(SortKey(FIELDS[name], descending))
    if len(keys) > MAX_SORT_KEYS:
        raise ValidationFailed.single("sort", Message("sort.too_many", limit=MAX_SORT_KEYS))
    return (*keys, SortKey(ID_FIELD, keys[-1].descending))


def _fingerprint(
    conditions: Iterable[Condition], sort: Iterable[SortKey], terms: Iterable[str], restricted: str | None = None
) -> str:
    """What a cursor is bound to: the same filters, sort and search (and segment)."""
    spec: list[Any] = [
        sorted([c.field.name, c.op, msgspec.to_builtins(c.value)] for c in conditions),
        [[k.field.name, k.descending] for k in sort],
        list(terms),
    ]
    if restricted is not None:
        # Appended only when there is one, so the cursors of unrestricted lists stay as they were.
        spec.append(restricted)
    return hashlib.sha256(msgspec.json.encode(spec)).hexdigest()[:16]


# A cursor value's type by the field's kind (None where the field is nullable).
_CURSOR_KINDS: dict[str, Any] = {
    "text": str,
    "enum": str,
    "date": date,
    "datetime": pagination.Timestamp,
    "int": pagination.BigInt,
    "bool": bool,
    "uuid": uuid.UUID,
}


def _keyset(sort: Sequence[SortKey]) -> pagination.Keyset:
    """The list's order as the shared cursor holds it."""
    keys = []
    for key in sort:
        kind = _CURSOR_KINDS[key.field.kind]
        keys.append(pagination.Key(key.field.column, kind | None if key.field.nullable else kind, key.descending))
    return pagination.Keyset("customers", tuple(keys))


def _parse_cursor(raw: str, conditions: tuple[Condition, ...], sort: tuple[SortKey, ...], terms: Sequence[str]) -> Any:
    return _keyset(sort).read(raw, filters=_fingerprint(conditions, sort, terms))


def parse(
    *,
    filters: Iterable[tuple[str, str]],
    sort: str | None,
    q: str | None,
    limit: int,
    offset: int,
    cursor: str | None,
) -> ListQuery:
    """A typed list query from the raw parameters; ValidationFailed names each bad one."""
    conditions = tuple(parse_condition(key, raw) for key, raw in filters)
    keys = parse_sort(sort)
    terms = tuple(search.query_terms(q)) if q else ()
    after = None
    if cursor:
        if offset:
            raise ValidationFailed.single("offset", Message("cursor.with_offset"))
        after = _parse_cursor(cursor, conditions, keys, terms)
    return ListQuery(conditions, keys, terms, limit, offset, after)
