"""Reading the organization's durable event feed."""

from __future__ import annotations

import uuid
from collections.abc import Collection

from patron.db.uow import UnitOfWork
from patron.events import repository as repo
from patron.events.records import EventRecord
from patron.events.schemas import EventActor, EventPage, EventRead
from patron.events.webhook_rules import names_known_types
from patron.identity import permissions
from patron.kernel import pagination
from patron.kernel.errors import ValidationFailed
from patron.kernel.messages import Message
from patron.kernel.tenancy import Principal

# The feed in commit order; an event's cursor is the same whatever filter listed it, so the
# stream's `Last-Event-ID` and a webhook delivery's `event_cursor` page the list too.
FEED = pagination.Keyset("events", (pagination.Key("seq", pagination.BigInt),))
COUNT_CAP = 1_000


def encode_cursor(seq: int) -> str:
    return FEED.cursor([seq])


def decode_cursor(cursor: str, *, field: str = "cursor") -> int:
    [seq] = FEED.read(cursor, field=field)
    return int(seq)


def _type_patterns(types: list[str] | None, known_types: Collection[str]) -> list[str] | None:
    """The `type` filters, as webhooks take them: a type, `customer.*` (a prefix) or `*`, each naming
    some of `known_types`; ValidationFailed names `type` otherwise."""
    for pattern in types or ():
        if not names_known_types(pattern, known_types):
            raise ValidationFailed.single("type", Message("event_type.unknown", pattern=pattern))
    return types or None


def to_read(row: EventRecord) -> EventRead:
    return EventRead(
        id=row.id,
        cursor=encode_cursor(row.seq),
        type=row.type,
        occurred_at=row.occurred_at,
        actor=EventActor(type=row.actor_type, id=row.actor_id),
        subject_id=row.subject_id,
        data=row.data,
    )


def list_events(
    uow: UnitOfWork,
    *,
    principal: Principal,
    cursor: str | None,
    limit: int,
    offset: int = 0,
    types: list[str] | None,
    known_types: Collection[str],
    cursor_field: str = "cursor",
) -> EventPage:
    """Events the caller's role may see, in commit order after the cursor; poll again with `next_cursor`."""
    patterns = _type_patterns(types, known_types)
    if cursor and offset:
        raise ValidationFailed.single("offset", Message("cursor.with_offset"))
    after_seq = decode_cursor(cursor, field=cursor_field) if cursor else 0
    prefixes = permissions.visible_event_types(principal.role)
    conn, org_id = uow.conn, principal.org_id
    rows = repo.page_after(
        conn, org_id, after_seq=after_seq, limit=limit, offset=offset, types=patterns, prefixes=prefixes
    )
    items = [to_read(row) for row in rows]
    total = repo.count(conn, org_id, types=patterns, prefixes=prefixes, up_to=COUNT_CAP + 1)
    return EventPage(
        items=items,
        total=min(total, COUNT_CAP),
        limit=limit,
        offset=offset,
        next_cursor=items[-1].cursor if items else (cursor or None),
        total_is_capped=total > COUNT_CAP,
    )


def newest_for_subject(
    uow: UnitOfWork,
    *,
    principal: Principal,
    subject_id: uuid.UUID,
    limit: int,
    before: pagination.Before | None = None,
) -> list[EventRead]:
    """The newest `limit` events about one subject (a customer's history), newest first by time
    and id, after a timeline cursor when `before` is given."""
    rows = repo.newest_for_subject(uow.conn, principal.org_id, subject_id, limit=limit, before=before)
    return [to_read(row) for row in rows]


def count_for_subject(uow: UnitOfWork, *, principal: Principal, subject_id: uuid.UUID) -> int:
    """How many events there are about one subject."""
    return repo.count_for_subject(uow.conn, principal.org_id, subject_id)
