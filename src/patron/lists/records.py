"""Lists as their repository hands them to the service (items come as `ItemRead`, the row itself)."""

from __future__ import annotations

import uuid
from datetime import datetime

import msgspec

from patron.lists.schemas import ListKind


class ListRecord(msgspec.Struct, frozen=True):
    """A stored list: `ListRead` is built from it with its items; `org_id` names the
    organization of a list found by its share link."""

    org_id: uuid.UUID
    id: uuid.UUID
    customer_id: uuid.UUID
    name: str
    kind: ListKind
    share_token_hash: bytes | None
    shared_at: datetime | None
    created_at: datetime
    updated_at: datetime
