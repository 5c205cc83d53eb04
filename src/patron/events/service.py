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
from patron.kernel import b64
from patron.kernel.errors import ValidationFailed
from patron.kernel.messages import Message
from patron.kernel.tenancy import Principal

_CURSOR_PREFIX = "ev1:"


def encode_cursor(seq: int) -> str:
    return b64.encode(f"{_CURSOR_PREFIX}{seq}".encode())


def decode_cursor(cursor: str) -> int:
    try:
        raw = b64.decode(cursor).decode()
    except (ValueError, UnicodeDecodeError):
        raw = ""
    number = raw.removeprefix(_CURSOR_PREFIX)
    if not raw.startswith(_CURSOR_PREFIX) or not number.isdigit():
        raise ValidationFailed.single("after", Message("cursor.invalid"))
    return int(number)


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
    after: str | None,
    limit: int,
    types: list[str] | None,
    known_types: Collection[str],
) -> EventPage:
    """Events the caller's role may see, in commit order after the cursor; poll again with `next_cursor`.

    `types` are the patterns a webhook takes (`customer.created`, `customer.*`, `*`), each one
    naming some of `known_types`; 422 on `type` otherwise.
    """
    after_seq = decode_cursor(after) if after else 0
    for pattern in types or ():
        if not names_known_types(pattern, known_types):
            raise ValidationFailed.single("type", Message("event_type.unknown", pattern=pattern))
    wanted = None if not types or "*" in types else types
    prefixes = permissions.visible_event_types(principal.role)
    rows = repo.page_after(
        uow.conn, principal.org_id, after_seq=after_seq, limit=limit, types=wanted, prefixes=prefixes
    )
    items = [to_read(row) for row in rows]
    next_cursor = items[-1].cursor if items else (after or None)
    return EventPage(items=items, next_cursor=next_cursor)


def newest_for_subject(uow: UnitOfWork, *, principal: Principal, subject_id: uuid.UUID, limit: int) -> list[EventRead]:
    """The newest `limit` events about one subject (a customer's history), newest first."""
    rows = repo.newest_for_subject(uow.conn, principal.org_id, subject_id, limit=limit)
    return [to_read(row) for row in rows]
