"""The segment language of SPEC §13.5: a query's text in, a typed tree out (or ValidationFailed).

A small recursive-descent parser rather than a grammar library: the grammar is a dozen rules,
every error must name its character position and what was expected there, and every value is
typed against its field while it is read (`credit > 'abc'` fails here, never in the database).
The tree holds only checked Python values; `compiler` turns it into one WHERE clause of bound
parameters, `evaluator` answers it over customer dicts.

Semantics, the same in SQL and in Python: every predicate is true or false. A comparison, `in`,
`between` or `has` on an empty field (NULL, a missing custom value, a custom value of another
type) is false; `!=` and `not in` are `not` of `=` and `in`, so they hold for an empty field.
Text compares by code point; `has` on text is a substring test, ASCII letters in any case.
"""

from __future__ import annotations

import calendar
import re
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from patron.analytics.rules import SEGMENTS as RFM_SEGMENTS
from patron.customers.query import FIELDS as LIST_FIELDS
from patron.identity.schemas import CustomFieldDefinition
from patron.kernel.errors import ValidationFailed
from patron.kernel.messages import Message

CODE = "segment.invalid_query"
MAX_LENGTH = 4_000
MAX_DEPTH = 32
MAX_IN_VALUES = 500
MAX_PREDICATES = 100
_INT64 = 2**63

NEWSLETTER_STATUSES = ("subscribed", "pending", "unsubscribed", "none")
_ORDERED = ("=", "!=", "<", "<=", ">", ">=", "in", "between")
_OPS_BY_KIND: dict[str, tuple[str, ...]] = {
    "text": (*_ORDERED, "has"),
    "enum": ("=", "!=", "in"),
    "uuid": ("=", "!=", "in"),
    "int": _ORDERED,
    "number": _ORDERED,
    "date": _ORDERED,
    "datetime": _ORDERED,
    "bool": ("=", "!="),
    "tags": ("has",),
    "newsletter": ("=", "!=", "in"),
}


@dataclass(frozen=True, slots=True)
class Target:
    """A field a query names: where its value is (`column`, `custom` key or the newsletter) and its kind."""

    name: str
    kind: str  # text | enum | uuid | int | number | date | datetime | bool | tags | newsletter
    nullable: bool
    column: str | None = None
    custom_key: str | None = None
    computed: str | None = None  # a value computed from columns (COMPUTED)
    choices: tuple[str, ...] = ()

    @property
    def ops(self) -> tuple[str, ...]:
        ops = _OPS_BY_KIND[self.kind]
        return (*ops, "is null") if self.nullable else ops


def _column(name: str, kind: str, nullable: bool, column: str, choices: tuple[str, ...] = ()) -> Target:
    return Target(name, kind, nullable, column=column, choices=choices)


def _builtin_fields() -> dict[str, Target]:
    fields = {
        name: _column(name, field.kind, field.nullable, field.column, field.choices)
        for name, field in LIST_FIELDS.items()
    }
    group = LIST_FIELDS["group"]
    fields["group_id"] = _column("group_id", group.kind, group.nullable, group.column)
    fields["company_id"] = _column("company_id", "uuid", True, "company_id")
    fields["points_balance"] = _column("points_balance", "int", False, "points_balance")
    fields["loyalty_tier"] = _column("loyalty_tier", "text", True, "loyalty_tier")
    # Order figures kept on the customer (patron.orders.figures) and lifetime points.
    for name in ("orders_count", "total_spent", "lifetime_points"):
        fields[name] = _column(name, "int", False, name)
    for name in ("first_order_at", "last_order_at"):
        fields[name] = _column(name, "datetime", True, name)
    fields["average_order_value"] = Target("average_order_value", "int", True, computed="average_order_value")
    fields["newsletter_status"] = Target("newsletter_status", "newsletter", False, choices=NEWSLETTER_STATUSES)
    # The customer's RFM segment as of now (patron.analytics, SPEC §13.6); empty without orders.
    fields["rfm_segment"] = Target("rfm_segment", "enum", True, computed="rfm_segment", choices=RFM_SEGMENTS)
    return fields


# Computed fields: average_order_value is total_spent // orders_count (minor units, rounded down),
# empty for a customer without paid orders; rfm_segment is the segment of /analytics/rfm.
COMPUTED = ("average_order_value", "rfm_segment")
BUILTIN_FIELDS: dict[str, Target] = _builtin_fields()
_CUSTOM_KINDS = {"string": "text", "integer": "int", "number": "number", "boolean": "bool", "date": "date"}
CUSTOM_PREFIX = "custom."


def fields_of(definitions: Mapping[str, CustomFieldDefinition]) -> dict[str, Target]:
    """Every field a query may name in an organization with these custom field definitions."""
    custom = {
        f"{CUSTOM_PREFIX}{key}": Target(f"{CUSTOM_PREFIX}{key}", _CUSTOM_KINDS[d.type], True, custom_key=key)
        for key, d in definitions.items()
    }
    return {**BUILTIN_FIELDS, **custom}


# The tree. Values are checked Python values: str, int, bool, date, datetime, uuid.UUID.


@dataclass(frozen=True, slots=True)
class Compare:
    target: Target
    op: str  # = != < <= > >=
    value: Any


@dataclass(frozen=True, slots=True)
class In:
    target: Target
    values: tuple[Any, ...]
    negated: bool


@dataclass(frozen=True, slots=True)
class Between:
    target: Target
    low: Any
    high: Any


@dataclass(frozen=True, slots=True)
class Has:
    target: Target
    value: str


@dataclass(frozen=True, slots=True)
class IsNull:
    target: Target
    negated: bool


@dataclass(frozen=True, slots=True)
class And:
    items: tuple[Node, ...]


@dataclass(frozen=True, slots=True)
class Or:
    items: tuple[Node, ...]


@dataclass(frozen=True, slots=True)
class Not:
    item: Node


Node = Compare | In | Between | Has | IsNull | And | Or | Not


# Tokens.

KEYWORDS = frozenset({"and", "or", "not", "in", "has", "is", "null", "between", "true", "false"})


@dataclass(frozen=True, slots=True)
class Token:
    kind: str  # word | keyword | string | int | date | relative | op | ( | ) | , | end
    text: str
    position: int
    value: Any = None


_SPACE = re.compile(r"\s+")
# A custom field's key is a Python identifier (identity.rules), so a word is one too, dotted.
_WORD = re.compile(r"[^\W\d]\w*(?:\.\w+)*")
_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}(?!\w)")
_RELATIVE = re.compile(r"-([0-9]{1,6})([dmyDMY])(?!\w)")
_INT = re.compile(r"[+-]?[0-9]+(?![\w.])")
_OP = re.compile(r"<=|>=|!=|<>|=|<|>")


def _fail(position: int, message: Message) -> ValidationFailed:
    return ValidationFailed.at("query", position, message, code=CODE)


def _describe(token: Token) -> str:
    return "the end of the query" if token.kind == "end" else repr(token.text[:40])


def tokenize(text: str) -> list[Token]:
    tokens: list[Token] = []
    i, n = 0, len(text)
    while i < n:
        if match := _SPACE.match(text, i):
            i = match.end()
            continue
        char = text[i]
        if char == "'":
            parts: list[str] = []
            j = i + 1
            while True:
                k = text.find("'", j)
                if k < 0:
                    raise _fail(i, Message("segment.unterminated_string"))
                parts.append(text[j:k])
                if text.startswith("''", k):
                    parts.append("'")
                    j = k + 2
                    continue
                j = k + 1
                break
            tokens.append(Token("string", text[i:j], i, "".join(parts)))
            i = j
        elif char in "(),":
            tokens.append(Token(char, char, i))
            i += 1
        elif match := _DATE.match(text, i):
            try:
                day = date.fromisoformat(match.group())
            except ValueError:
                raise _fail(i, Message("segment.bad_date", value=repr(match.group()))) from None
            tokens.append(Token("date", match.group(), i, day))
            i = match.end()
        elif match := _RELATIVE.match(text, i):
            tokens.append(Token("relative", match.group(), i, (int(match.group(1)), match.group(2).lower())))
            i = match.end()
        elif match := _INT.match(text, i):
            number = int(match.group())
            if not -_INT64 <= number < _INT64:
                raise _fail(i, Message("segment.int_out_of_range", value=match.group()[:40]))
            tokens.append(Token("int", match.group(), i, number))
            i = match.end()
        elif match := _OP.match(text, i):
            op = "!=" if match.group() == "<>" else match.group()
            tokens.append(Token("op", match.group(), i, op))
            i = match.end()
        elif match := _WORD.match(text, i):
            word = match.group()
            if word.lower() in KEYWORDS:
                tokens.append(Token("keyword", word, i, word.lower()))
            else:
                tokens.append(Token("word", word, i, word))
            i = match.end()
        else:
            raise _fail(i, Message("segment.unexpected_character", character=repr(char)))
    tokens.append(Token("end", "", n))
    return tokens


def _months_before(day: date, months: int) -> date:
    total = day.year * 12 + day.month - 1 - months
    year, month = divmod(total, 12)
    month += 1
    if year < 1:
        raise OverflowError
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def relative_to(now: datetime, amount: int, unit: str) -> datetime:
    """`amount` days, months or years before `now` (a month back from 31 March is 28/29 February)."""
    if unit == "d":
        return now - timedelta(days=amount)
    months = amount if unit == "m" else amount * 12
    return datetime.combine(_months_before(now.date(), months), now.timetz())


class _Parser:
    def __init__(self, text: str, fields: Mapping[str, Target], now: datetime) -> None:
        self.tokens = tokenize(text)
        self.at = 0
        self.fields = fields
        self.now = now.astimezone(UTC)
        self.depth = 0
        self.predicates = 0

    @property
    def token(self) -> Token:
        return self.tokens[self.at]

    def keyword(self, word: str) -> bool:
        token = self.token
        if token.kind == "keyword" and token.value == word:
            self.at += 1
            return True
        return False

    def expect(self, kind: str, expected: str) -> Token:
        token = self.token
        if token.kind != kind:
            raise self.expected(expected)
        self.at += 1
        return token

    def expected(self, what: str) -> ValidationFailed:
        return _fail(self.token.position, Message("segment.expected", expected=what, found=_describe(self.token)))

    def query(self) -> Node:
        node = self.or_expr()
        if self.token.kind != "end":
            raise self.expected("'and', 'or' or the end of the query")
        return node

    def or_expr(self) -> Node:
        items = [self.and_expr()]
        while self.keyword("or"):
            items.append(self.and_expr())
        return items[0] if len(items) == 1 else Or(tuple(items))

    def and_expr(self) -> Node:
        items = [self.not_expr()]
        while self.keyword("and"):
            items.append(self.not_expr())
        return items[0] if len(items) == 1 else And(tuple(items))

    def not_expr(self) -> Node:
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise _fail(self.token.position, Message("segment.too_deep", limit=MAX_DEPTH))
        try:
            if self.keyword("not"):
                return Not(self.not_expr())
            if self.token.kind == "(":
                self.at += 1
                node = self.or_expr()
                self.expect(")", "')'")
                return node
            return self.predicate()
        finally:
            self.depth -= 1

    def predicate(self) -> Node:
        token = self.token
        if token.kind != "word":
            raise self.expected("a field name, 'not' or '('")
        target = self.fields.get(token.text)
        if target is None:
            raise _fail(
                token.position,
                Message("segment.unknown_field", name=repr(token.text[:60]), allowed=", ".join(self.fields)),
            )
        self.at += 1
        self.predicates += 1
        if self.predicates > MAX_PREDICATES:
            raise _fail(token.position, Message("segment.too_many_predicates", limit=MAX_PREDICATES))
        op_token = self.token
        if op_token.kind == "op":
            self.at += 1
            self.allowed(target, op_token.value, op_token)
            return Compare(target, op_token.value, self.value(target))
        if self.keyword("not"):
            if not self.keyword("in"):
                raise self.expected("'in'")
            self.allowed(target, "in", op_token)
            return In(target, self.values(target), negated=True)
        if self.keyword("in"):
            self.allowed(target, "in", op_token)
            return In(target, self.values(target), negated=False)
        if self.keyword("has"):
            self.allowed(target, "has", op_token)
            string = self.expect("string", "a quoted string")
            return Has(target, _text_value(target, string.value))
        if self.keyword("is"):
            negated = self.keyword("not")
            if not self.keyword("null"):
                raise self.expected("'null'")
            self.allowed(target, "is null", op_token)
            return IsNull(target, negated)
        if self.keyword("between"):
            self.allowed(target, "between", op_token)
            low = self.value(target)
            if not self.keyword("and"):
                raise self.expected("'and'")
            return Between(target, low, self.value(target))
        raise self.expected("an operator (=, !=, <, <=, >, >=, in, not in, has, is null, between)")

    def allowed(self, target: Target, op: str, token: Token) -> None:
        if op not in target.ops:
            raise _fail(
                token.position,
                Message(
                    "segment.operator_not_allowed",
                    op=op,
                    field=target.name,
                    allowed=", ".join(target.ops),
                ),
            )

    def values(self, target: Target) -> tuple[Any, ...]:
        self.expect("(", "'('")
        values = [self.value(target)]
        while self.token.kind == ",":
            self.at += 1
            if len(values) >= MAX_IN_VALUES:
                raise _fail(self.token.position, Message("segment.too_many_values", limit=MAX_IN_VALUES))
            values.append(self.value(target))
        self.expect(")", "',' or ')'")
        return tuple(values)

    def value(self, target: Target) -> Any:
        token = self.token
        if token.kind not in ("string", "int", "date", "relative", "keyword") or (
            token.kind == "keyword" and token.value not in ("true", "false")
        ):
            raise self.expected(_EXPECTED[target.kind])
        value = _typed(target, token, self.now)
        if value is None:
            raise _fail(
                token.position,
                Message(
                    "segment.wrong_value", field=target.name, expected=_EXPECTED[target.kind], found=_describe(token)
                ),
            )
        self.at += 1
        return value


_EXPECTED = {
    "text": "a quoted string",
    "enum": "one of its values in quotes",
    "uuid": "an id in quotes",
    "int": "an integer",
    "number": "an integer",
    "date": "a date (2026-01-31) or a relative date (-90d, -6m, -1y)",
    "datetime": "a date (2026-01-31) or a relative date (-90d, -6m, -1y)",
    "bool": "true or false",
    "tags": "a quoted string",
    "newsletter": "one of its values in quotes",
}


def _text_value(target: Target, value: str) -> str:
    # Stored lowercased: emails and tags (see customers.rules); compared so.
    if target.name == "email" or target.kind == "tags":
        return value.strip().lower()
    return value


def _typed(target: Target, token: Token, now: datetime) -> Any:
    """The token's value for this field, or None when the field takes no such value."""
    kind = target.kind
    if kind in ("text", "tags"):
        return _text_value(target, token.value) if token.kind == "string" else None
    if kind in ("enum", "newsletter"):
        return token.value if token.kind == "string" and token.value in target.choices else None
    if kind == "uuid":
        if token.kind != "string":
            return None
        try:
            return uuid.UUID(token.value)
        except ValueError:
            return None
    if kind in ("int", "number"):
        return token.value if token.kind == "int" else None
    if kind == "bool":
        return token.value == "true" if token.kind == "keyword" else None
    if kind in ("date", "datetime"):
        if token.kind == "date":
            day: date = token.value
            return datetime.combine(day, time(), UTC) if kind == "datetime" else day
        if token.kind == "relative":
            try:
                moment = relative_to(now, *token.value)
            except (OverflowError, ValueError):
                return None
            return moment if kind == "datetime" else moment.date()
    return None


def parse(text: str, fields: Mapping[str, Target], *, now: datetime) -> Node:
    """The query's tree over these fields; relative dates count back from `now`.
    Every error is a 422 `segment.invalid_query` naming `query` and a character position."""
    if not isinstance(text, str) or not text.strip():
        raise _fail(0, Message("segment.empty_query"))
    if len(text) > MAX_LENGTH:
        raise _fail(MAX_LENGTH, Message("segment.too_long", limit=MAX_LENGTH))
    if "\x00" in text:
        raise _fail(text.index("\x00"), Message("segment.unexpected_character", character=repr("\x00")))
    return _Parser(text, fields, now).query()
