"""Every list pages the same way: `{items, total, limit, offset, next_cursor}` (SPEC §8).

A list is read in a total order (its order keys end with the id). `next_cursor` holds the
order-key values of the page's last row, so the next page starts right after that row
however many rows were added or removed meanwhile (keyset paging), and a fingerprint of the
list and its filters, so a cursor is refused (422 naming `cursor`) on any other list.
A page is asked for by `offset` or by `cursor`, not both.
"""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Annotated, Any, Literal, TypeVar

import msgspec
from msgspec import Meta, Struct

from patron.kernel import b64
from patron.kernel.errors import ValidationFailed
from patron.kernel.messages import Message

MAX_LIMIT = 500
# Far inside int64 on both databases (OFFSET is a bigint on PostgreSQL, an int64 on SQLite), so a
# huge offset is a 422 and never an overflow; deep pages are what the cursor is for.
MAX_OFFSET = 1_000_000_000
MAX_CURSOR_LENGTH = 2000
T = TypeVar("T")
P = TypeVar("P", bound="Page")


def _same(row: T) -> T:
    return row


# Order-key types: timestamps as stored (UTC, aware) and integers that fit a bigint.
Timestamp = Annotated[datetime, Meta(tz=True)]
BigInt = Annotated[int, Meta(ge=-(2**63), le=2**63 - 1)]


class Page(Struct):
    """The fields every list answers besides its `items` (each list's page adds those)."""

    total: Annotated[int, Meta(description="how many rows match the list's filters")]
    limit: int
    offset: int
    next_cursor: Annotated[str | None, Meta(description="pass as `cursor` for the next page; null on the last")]


@dataclass(frozen=True, slots=True)
class Key:
    """One order key of a list: the row's attribute (and column), its type, its direction."""

    name: str
    kind: Any
    descending: bool = False


@dataclass(frozen=True, slots=True)
class Keyset:
    """How one list is ordered: its name and its order keys, the id last so the order is total."""

    name: str
    keys: tuple[Key, ...]
    # Decodes a cursor's payload to its typed values; made here, so a key type msgspec cannot
    # check fails at import, not as a 422 on every cursor.
    _payload: msgspec.json.Decoder[Any] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        values = tuple.__class_getitem__(tuple(key.kind for key in self.keys))
        object.__setattr__(self, "_payload", msgspec.json.Decoder(tuple[str, values]))  # type: ignore[valid-type]

    def request(
        self, *, limit: int, offset: int = 0, cursor: str | None = None, filters: Any = None, field: str = "cursor"
    ) -> PageRequest:
        """The page asked for; ValidationFailed names the cursor's parameter (`field`) when it is
        not one of this list with these filters, `offset` when both are given."""
        after = None
        if cursor:
            if offset:
                raise ValidationFailed.single("offset", Message("cursor.with_offset"))
            after = self.read(cursor, filters=filters, field=field)
        return PageRequest(self, limit=limit, offset=offset, after=after, filters=filters)

    def cursor(self, values: Sequence[Any], *, filters: Any = None) -> str:
        """The cursor to the rows after the row whose order-key values are `values`."""
        payload = [_fingerprint(self.name, filters), msgspec.to_builtins(list(values))]
        return b64.encode(msgspec.json.encode(payload))

    def read(self, cursor: str, *, filters: Any = None, field: str = "cursor") -> tuple[Any, ...]:
        """The order-key values a cursor of this list (with these filters) holds; ValidationFailed
        naming `field` for anything else."""
        invalid = ValidationFailed.single(field, Message("cursor.not_for_this_list"))
        scope = _fingerprint(self.name, filters)
        if len(cursor) > MAX_CURSOR_LENGTH:
            raise invalid
        try:
            fingerprint, after = self._payload.decode(b64.decode(cursor))
        except (ValueError, msgspec.DecodeError):  # not base64url (binascii.Error), not the payload
            raise invalid from None
        if fingerprint != scope:
            raise invalid
        # PostgreSQL refuses NUL in text; a made-up cursor must not reach it.
        if any(isinstance(value, str) and "\x00" in value for value in after):
            raise invalid
        return tuple(after)


@dataclass(frozen=True, slots=True)
class PageRequest:
    """Which page of a list: up to `limit` rows after the cursor's row (`after`), skipping `offset`."""

    keyset: Keyset
    limit: int
    offset: int
    after: tuple[Any, ...] | None
    filters: Any  # what a cursor is bound to besides the list

    def cursor_after(self, row: Any) -> str:
        """The cursor to the rows after `row` (a struct or record with the order keys' attributes)."""
        return self.keyset.cursor([getattr(row, key.name) for key in self.keyset.keys], filters=self.filters)

    def split(self, rows: Sequence[T]) -> tuple[list[T], str | None]:
        """The page's items and its `next_cursor`, from up to limit + 1 rows in the list's order
        (the extra one says there is a next page)."""
        items = list(rows[: self.limit])
        more = len(rows) > self.limit
        return items, self.cursor_after(items[-1]) if more and items else None

    def answer(self, page: Callable[..., P], rows: Sequence[Any], total: int, item: Callable[[Any], Any] = _same) -> P:
        """The list's page (`page` is its Page struct) from up to limit + 1 rows in the list's
        order and the total, each row shown as `item(row)`."""
        items, next_cursor = self.split(rows)
        return page(
            items=[item(row) for row in items],
            total=total,
            limit=self.limit,
            offset=self.offset,
            next_cursor=next_cursor,
        )


def _fingerprint(name: str, filters: Any) -> str:
    spec = msgspec.json.encode([name, msgspec.to_builtins(filters)], order="deterministic")
    return hashlib.sha256(spec).hexdigest()[:16]


def oldest_first(name: str, at: str = "created_at") -> Keyset:
    """A list in the order its rows were made (the timestamp `at`, then the id)."""
    return Keyset(name, (Key(at, Timestamp), Key("id", uuid.UUID)))


def newest_first(name: str, at: str = "created_at") -> Keyset:
    """A list newest first (the timestamp `at`, then the id, both descending)."""
    return Keyset(name, (Key(at, Timestamp, descending=True), Key("id", uuid.UUID, descending=True)))


def by_id(name: str) -> Keyset:
    """A list in the order of its ids (uuid7: the order they were made in)."""
    return Keyset(name, (Key("id", uuid.UUID),))


@dataclass(frozen=True, slots=True)
class Before:
    """Where one source of a merged list (newest first by time, then id) resumes after a cursor:
    rows earlier than `at`, and of the rows at `at` all of them, none, or those with a lower id
    than `id` (`ties`), as the cursor's place among the sources says."""

    at: datetime
    ties: Literal["all", "none", "lower_ids"]
    id: uuid.UUID | None = None
