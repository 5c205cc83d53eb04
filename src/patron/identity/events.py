"""Identity events (past tense), written to the outbox."""

from __future__ import annotations

import uuid
from typing import Annotated

from msgspec import Meta

from patron.identity.schemas import RoleName
from patron.kernel.events import DomainEvent

_CHANGED = Meta(description="the names of the changed fields, sorted")


class OrganizationCreated(DomainEvent, frozen=True, kw_only=True):
    """An organization was created with its owner (followed by the owner's `staff.created`)."""

    type = "organization.created"
    subject = "organization"
    slug: str
    name: str


class OrganizationUpdated(DomainEvent, frozen=True, kw_only=True):
    """The organization's name or settings changed."""

    type = "organization.updated"
    subject = "organization"
    fields: Annotated[list[str], _CHANGED]


class StaffCreated(DomainEvent, frozen=True, kw_only=True):
    """A staff member was added (with a first API key)."""

    type = "staff.created"
    subject = "staff member"
    email: str
    role: RoleName


class StaffUpdated(DomainEvent, frozen=True, kw_only=True):
    """A staff member's name, role or password changed (`password`, never the password itself)."""

    type = "staff.updated"
    subject = "staff member"
    fields: Annotated[list[str], _CHANGED]


class StaffDeleted(DomainEvent, frozen=True, kw_only=True):
    """A staff member was deactivated and their API keys revoked."""

    type = "staff.deleted"
    subject = "staff member"
    email: str


class ApiKeyCreated(DomainEvent, frozen=True, kw_only=True):
    """Another API key was issued for a staff member (never the key itself)."""

    type = "api_key.created"
    subject = "API key"
    staff_id: uuid.UUID


class ApiKeyRevoked(DomainEvent, frozen=True, kw_only=True):
    """An API key was revoked."""

    type = "api_key.revoked"
    subject = "API key"


EVENTS = (
    OrganizationCreated,
    OrganizationUpdated,
    StaffCreated,
    StaffUpdated,
    StaffDeleted,
    ApiKeyCreated,
    ApiKeyRevoked,
)
