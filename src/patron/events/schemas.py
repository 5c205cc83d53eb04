from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from msgspec import Struct


class EventActor(Struct):
    type: str
    id: uuid.UUID | None


class EventRead(Struct):
    id: uuid.UUID
    cursor: str
    type: str
    occurred_at: datetime
    actor: EventActor
    subject_id: uuid.UUID
    data: dict[str, Any]


class EventPage(Struct):
    items: list[EventRead]
    next_cursor: str | None
