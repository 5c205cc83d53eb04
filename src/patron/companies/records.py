"""What the company repository hands its service where no read schema is the row."""

from __future__ import annotations

import uuid
from datetime import datetime

from msgspec import Struct

from patron.companies.schemas import MemberRole


class JoinCodeRecord(Struct, frozen=True):
    """A join code as stored, without its hash: its read schema adds the status, computed at read time."""

    id: uuid.UUID
    company_id: uuid.UUID
    hint: str
    role: MemberRole
    created_at: datetime
    expires_at: datetime
    used_at: datetime | None
    used_by: uuid.UUID | None
    revoked_at: datetime | None
