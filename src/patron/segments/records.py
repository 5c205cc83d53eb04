"""What the segment repository hands its service: a saved segment as stored (its read adds the count)."""

from __future__ import annotations

import uuid
from datetime import datetime

from msgspec import Struct


class SegmentRecord(Struct, frozen=True):
    id: uuid.UUID
    name: str
    query: str
    description: str | None
    created_at: datetime
    updated_at: datetime
