"""The identity domain's rows as its repository returns them (see `patron.db.records`).

A staff member comes back as its read schema (`StaffRead`: every column but the tenant key,
the password hash and `deactivated_at`, which the service never reads back).
"""

from __future__ import annotations

import uuid
from datetime import datetime

import msgspec

from patron.identity.schemas import OrganizationSettings
from patron.kernel.tenancy import Role


class OrganizationRecord(msgspec.Struct, frozen=True):
    """An organization with its settings document already read as `OrganizationSettings`."""

    id: uuid.UUID
    name: str
    slug: str
    settings: OrganizationSettings
    created_at: datetime
    updated_at: datetime


class ApiKeyRecord(msgspec.Struct, frozen=True):
    """An API key as the service shows it: never its hash."""

    id: uuid.UUID
    staff_id: uuid.UUID
    name: str | None
    prefix: str
    created_at: datetime
    revoked_at: datetime | None


class PrincipalRecord(msgspec.Struct, frozen=True):
    """Who an active key speaks for, with the organization's settings (one row per authentication)."""

    api_key_id: uuid.UUID
    staff_id: uuid.UUID
    role: Role
    settings: OrganizationSettings
