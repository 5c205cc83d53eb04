"""Who is acting: the organization and the staff member (or platform, or the public)."""

from __future__ import annotations

import enum
import uuid
from dataclasses import dataclass


class Role(enum.StrEnum):
    OWNER = "owner"
    CASHIER = "cashier"
    MARKETING = "marketing"
    SALES = "sales"


class ActorType(enum.StrEnum):
    STAFF = "staff"
    API_KEY = "api_key"
    CUSTOMER = "customer"
    PUBLIC = "public"
    SYSTEM = "system"
    PLATFORM = "platform"
    # An import job (its id is the actor's id): the audit trail tells which import changed what.
    IMPORT = "import"


@dataclass(frozen=True, slots=True)
class Actor:
    """Recorded on every event: who made the change."""

    type: ActorType
    id: uuid.UUID | None = None


SYSTEM = Actor(ActorType.SYSTEM)


@dataclass(frozen=True, slots=True)
class Principal:
    """An authenticated staff request: its organization, staff member, role and key."""

    org_id: uuid.UUID
    staff_id: uuid.UUID
    role: Role
    api_key_id: uuid.UUID | None

    @property
    def actor(self) -> Actor:
        return Actor(ActorType.STAFF, self.staff_id)
