"""From a file's text cells to customers: typed and normalised rows, and the plan of a whole file.

Pure Python. A row's cells are typed by the very annotations of `CustomerCreate` (msgspec, with
its lengths, patterns and choices) and normalised by `patron.customers.rules`, the rules every
`POST /customers` runs; the rules that need the database (a taken email, a group of the
organization) run when the row is written, through the customers service.

The plan groups the rows of one file that share a natural key (SPEC §13.1): they are one
customer, their non-empty cells merged with later rows winning, so that the file's outcome does
not depend on its order or on how it is cut into chunks, and re-importing it changes nothing.
"""

from __future__ import annotations

import types as types_module
import typing
import uuid
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

import msgspec

from patron.customers import rules
from patron.customers.schemas import CustomerCreate
from patron.identity.schemas import OrganizationSettings
from patron.imports.reading import Column
from patron.kernel.decode_errors import decode_message
from patron.kernel.errors import ValidationFailed
from patron.kernel.messages import Message

MatchKey = Literal["customer_number", "email", "phone", "vat_id"]
MATCH_KEYS: tuple[MatchKey, ...] = ("customer_number", "email", "phone", "vat_id")
LIST_SEPARATOR = ";"
_LISTS = frozenset({"tags", "other_emails", "other_phones"})
_TRUE = frozenset({"true", "yes", "y", "1", "x"})
_FALSE = frozenset({"false", "no", "n", "0"})
# An export writes `'` before a cell that a spreadsheet would run as a formula; it is not data.
_FORMULA_STARTS = ("=", "@", "+", "-", "\t", "\r")


def _field_types() -> dict[str, Any]:
    """Each field's type in `CustomerCreate`, without `| None` (an empty cell is no value)."""
    types: dict[str, Any] = {}
    for name, hint in typing.get_type_hints(CustomerCreate, include_extras=True).items():
        if typing.get_origin(hint) in (typing.Union, types_module.UnionType):
            kept = [a for a in typing.get_args(hint) if a not in (type(None), msgspec.UnsetType)]
            hint = kept[0]
        types[name] = hint
    return types


def _is_bool(hint: Any) -> bool:
    return hint is bool or (typing.get_origin(hint) is typing.Annotated and hint.__origin__ is bool)


_TYPES = _field_types()
_BOOLS = frozenset(name for name, hint in _TYPES.items() if _is_bool(hint))


@dataclass(frozen=True, slots=True)
class Problem:
    """Why a row is rejected: the column and field it is about (None for the row as a whole)."""

    row: int
    column: str | None
    field: str | None
    code: str
    message: Message


@dataclass(slots=True)
class Row:
    """One valid row: its normalised values (non-empty cells only; custom fields under `custom_fields`)."""

    number: int
    values: dict[str, Any]
    cells: list[str]


@dataclass(slots=True)
class Rejected:
    """A row refused before it reached the database, with every reason found."""

    number: int
    problems: list[Problem]
    cells: list[str]

    @property
    def first_row(self) -> int:
        return self.number


@dataclass(slots=True)
class Unit:
    """One customer of the file: its rows (in file order) and their values merged, later cells winning."""

    rows: list[Row]
    values: dict[str, Any] = field(default_factory=dict)

    @property
    def first_row(self) -> int:
        return self.rows[0].number

    def key(self, name: str) -> str | None:
        value = self.values.get(name)
        return value if isinstance(value, str) else None


Item = Unit | Rejected


def _boolean(text: str) -> bool | str:
    lowered = text.lower()
    if lowered in _TRUE:
        return True
    return False if lowered in _FALSE else text


def _unformula(text: str) -> str:
    if len(text) > 1 and text[0] == "'" and text[1:].startswith(_FORMULA_STARTS):
        return text[1:]
    return text


def _typed(name: str, text: str) -> Any:
    """The cell as the value `CustomerCreate` holds (msgspec's lax conversion of text)."""
    raw: Any = text
    if name in _LISTS:
        raw = [part.strip() for part in text.split(LIST_SEPARATOR) if part.strip()]
    elif name in _BOOLS:
        raw = _boolean(text)
    return msgspec.convert(raw, _TYPES[name], strict=False)


def _conversion_message(exc: msgspec.ValidationError) -> Message:
    text = str(exc)
    at = text.find(" - at `")
    return decode_message(text[:at] if at >= 0 else text)


def parse_row(
    number: int, cells: list[str], columns: Sequence[Column], settings: OrganizationSettings
) -> Row | Rejected:
    """The row's cells typed and normalised, or every reason it cannot be."""
    values: dict[str, Any] = {}
    custom: dict[str, Any] = {}
    header_of: dict[str, str] = {}
    problems: list[Problem] = []
    for column, cell in zip(columns, cells, strict=False):
        if column.field is None or not cell:
            continue
        text = _unformula(cell)
        name = column.field
        header_of[name] = column.header
        if name.startswith("custom."):
            custom[name.removeprefix("custom.")] = _custom_text(name.removeprefix("custom."), text, settings)
            continue
        try:
            values[name] = _typed(name, text)
        except msgspec.ValidationError as exc:
            message = _conversion_message(exc)
            problems.append(Problem(number, column.header, name, message.id, message))
    try:
        normalised = rules.normalise_fields(values, settings)
    except ValidationFailed as exc:
        normalised = {}
        for error in exc.errors:
            name = error.field.split(".")[0].split("[")[0]
            problems.append(Problem(number, header_of.get(name), error.field, error.message.id, error.message))
    if custom:
        try:
            normalised["custom_fields"] = rules.normalise_custom_values(custom, settings.custom_fields)
        except ValidationFailed as exc:
            for error in exc.errors:
                name = f"custom.{error.field}"
                problems.append(Problem(number, header_of.get(name), name, error.message.id, error.message))
    if problems:
        return Rejected(number, problems, cells)
    return Row(number, normalised, cells)


def _custom_text(key: str, text: str, settings: OrganizationSettings) -> Any:
    """A custom field's cell as its definition's type (left as text when it is none: the rules say why)."""
    definition = settings.custom_fields.get(key)
    if definition is None:
        return text
    kind = definition.type
    try:
        if kind == "integer":
            return int(text)
        if kind == "number":
            number = float(text)
            return int(number) if number.is_integer() and "." not in text and "e" not in text.lower() else number
        if kind == "boolean":
            return _boolean(text)
    except ValueError:
        return text
    return text


class _Keys:
    """Union-find over rows: rows sharing any natural key are one customer."""

    def __init__(self) -> None:
        self.parent: list[int] = []
        self.owner: dict[tuple[str, str], int] = {}

    def add(self, keys: Iterable[tuple[str, str]]) -> int:
        me = len(self.parent)
        self.parent.append(me)
        for key in keys:
            other = self.owner.setdefault(key, me)
            if other != me:
                self._union(other, me)
        return me

    def find(self, i: int) -> int:
        parent = self.parent
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    def _union(self, a: int, b: int) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            # The earlier row stays the root: a unit sits where its first row is.
            self.parent[max(ra, rb)] = min(ra, rb)


def merge(rows: Sequence[Row]) -> dict[str, Any]:
    """The rows' values, later non-empty cells winning; custom fields merged key by key."""
    merged: dict[str, Any] = {}
    for row in rows:
        for name, value in row.values.items():
            if name == "custom_fields":
                merged["custom_fields"] = {**merged.get("custom_fields", {}), **value}
            elif value is not None:
                merged[name] = value
    return merged


def _no_pause() -> None:
    pass


def plan(
    parsed: Iterable[Row | Rejected], match_on: Sequence[MatchKey], *, pause: Callable[[], None] = _no_pause
) -> list[Item]:
    """The file as items in the order of their first rows: each customer once, each rejected row once.

    Two customers of the file may not claim the same customer number or registered email
    (whatever `match_on` says): the later is rejected, as a batch would reject it.
    """
    rows: list[Row] = []
    rejected: list[Rejected] = []
    keys = _Keys()
    for item in parsed:
        if isinstance(item, Rejected):
            rejected.append(item)
            continue
        rows.append(item)
        keys.add((name, value) for name in match_on if isinstance(value := item.values.get(name), str) and value)
    groups: dict[int, list[Row]] = {}
    for i, row in enumerate(rows):
        if i % 256 == 0:
            pause()
        groups.setdefault(keys.find(i), []).append(row)
    items: list[Item] = []
    taken: dict[tuple[str, str], int] = {}
    for n, members in enumerate(groups.values()):
        if n % 256 == 0:
            pause()
        unit = Unit(members, merge(members))
        clash = _claims(unit, taken)
        if clash is not None:
            rejected.extend(clash)
            continue
        items.append(unit)
    items.extend(rejected)
    items.sort(key=lambda item: item.first_row)
    return items


def _claims(unit: Unit, taken: dict[tuple[str, str], int]) -> list[Rejected] | None:
    claims: list[tuple[str, str]] = []
    if number := unit.key("customer_number"):
        claims.append(("customer_number", number))
    if (email := unit.key("email")) and not unit.values.get("is_guest", False):
        claims.append(("email", email))
    for claim in claims:
        if (first := taken.get(claim)) is not None:
            message = Message("import.repeats_row", field=claim[0], row=first)
            return [
                Rejected(row.number, [Problem(row.number, None, claim[0], "import.repeats_row", message)], row.cells)
                for row in unit.rows
            ]
    for claim in claims:
        taken[claim] = unit.first_row
    return None


def changes(existing: dict[str, Any], values: dict[str, Any]) -> dict[str, Any]:
    """What a matched row would change: its non-empty cells that differ; custom fields merged into
    the customer's; the lifecycle status only changes through its transitions (SPEC §4)."""
    changed: dict[str, Any] = {}
    for name, value in values.items():
        if name == "status":
            continue
        if name == "custom_fields":
            merged = {**existing.get("custom_fields", {}), **value}
            if merged != existing.get("custom_fields", {}):
                changed["custom_fields"] = merged
            continue
        current = existing.get(name)
        if isinstance(current, uuid.UUID) or isinstance(value, uuid.UUID):
            if str(current) != str(value):
                changed[name] = value
        elif current != value:
            changed[name] = value
    return changed
