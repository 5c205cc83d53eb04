"""Every query of the identity domain; tenant-owned statements start from the org filter.

Rows come back as records (`patron.identity.records`) or, for staff, as `StaffRead`.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from patron.db import paging
from patron.db.base import table
from patron.db.models import ApiKey, Organization, StaffUser
from patron.db.records import record, record_or_none
from patron.identity.records import ApiKeyRecord, OrganizationRecord, PrincipalRecord
from patron.identity.schemas import StaffRead
from patron.kernel import pagination

organization = table(Organization)
staff = table(StaffUser)
api_key = table(ApiKey)


def insert_organization(conn: Connection, values: Mapping[str, Any]) -> OrganizationRecord:
    row = conn.execute(sa.insert(organization).values(**values).returning(*organization.c)).one()
    return record(row, OrganizationRecord)


def get_organization(conn: Connection, org_id: uuid.UUID) -> OrganizationRecord | None:
    row = conn.execute(sa.select(organization).where(organization.c.id == org_id)).one_or_none()
    return record_or_none(row, OrganizationRecord)


def get_organization_by_slug(conn: Connection, slug: str) -> OrganizationRecord | None:
    row = conn.execute(sa.select(organization).where(organization.c.slug == slug)).one_or_none()
    return record_or_none(row, OrganizationRecord)


def organization_slug(conn: Connection, org_id: uuid.UUID) -> str | None:
    """The organization's slug alone (its settings document is not read)."""
    slug: str | None = conn.execute(sa.select(organization.c.slug).where(organization.c.id == org_id)).scalar()
    return slug


def slug_taken(conn: Connection, slug: str) -> bool:
    return conn.execute(sa.select(organization.c.id).where(organization.c.slug == slug)).first() is not None


def update_organization(conn: Connection, org_id: uuid.UUID, values: Mapping[str, Any]) -> OrganizationRecord:
    stmt = sa.update(organization).where(organization.c.id == org_id).values(**values).returning(*organization.c)
    return record(conn.execute(stmt).one(), OrganizationRecord)


def _staff_of(org_id: uuid.UUID) -> sa.Select[Any]:
    return sa.select(staff).where(staff.c.org_id == org_id, staff.c.deactivated_at.is_(None))


def insert_staff(conn: Connection, values: Mapping[str, Any]) -> StaffRead:
    return record(conn.execute(sa.insert(staff).values(**values).returning(*staff.c)).one(), StaffRead)


def get_staff(conn: Connection, org_id: uuid.UUID, staff_id: uuid.UUID) -> StaffRead | None:
    return record_or_none(conn.execute(_staff_of(org_id).where(staff.c.id == staff_id)).one_or_none(), StaffRead)


def staff_exists(conn: Connection, org_id: uuid.UUID, staff_id: uuid.UUID) -> bool:
    """Whether the organization has this active (not deactivated) staff member."""
    return (
        conn.execute(_staff_of(org_id).with_only_columns(staff.c.id).where(staff.c.id == staff_id)).first() is not None
    )


def get_staff_for_update(conn: Connection, org_id: uuid.UUID, staff_id: uuid.UUID) -> StaffRead | None:
    row = conn.execute(_staff_of(org_id).where(staff.c.id == staff_id).with_for_update()).one_or_none()
    return record_or_none(row, StaffRead)


def staff_email_taken(conn: Connection, org_id: uuid.UUID, email: str) -> bool:
    stmt = sa.select(staff.c.id).where(staff.c.org_id == org_id, staff.c.email == email)
    return conn.execute(stmt).first() is not None


STAFF = pagination.Keyset(
    "staff", (pagination.Key("created_at", pagination.Timestamp), pagination.Key("id", uuid.UUID))
)
API_KEYS = pagination.Keyset(
    "api keys", (pagination.Key("created_at", pagination.Timestamp), pagination.Key("id", uuid.UUID))
)


def list_staff(conn: Connection, org_id: uuid.UUID, page: pagination.PageRequest) -> tuple[list[StaffRead], int]:
    """A page of active staff, oldest first (up to limit + 1), and how many there are."""
    stmt = _staff_of(org_id)
    return paging.fetch(conn, stmt, staff.c, page, StaffRead)


def api_keys_of(
    conn: Connection, org_id: uuid.UUID, staff_id: uuid.UUID, page: pagination.PageRequest
) -> tuple[list[ApiKeyRecord], int]:
    """A page of a staff member's keys, revoked ones included, oldest first, and how many there are."""
    stmt = sa.select(api_key).where(api_key.c.org_id == org_id, api_key.c.staff_id == staff_id)
    return paging.fetch(conn, stmt, api_key.c, page, ApiKeyRecord)


def lock_owners(conn: Connection, org_id: uuid.UUID) -> list[uuid.UUID]:
    """Ids of active owners, locked so two concurrent demotions cannot both pass the last-owner check."""
    stmt = _staff_of(org_id).where(staff.c.role == "owner").with_only_columns(staff.c.id).with_for_update()
    return list(conn.execute(stmt).scalars())


def update_staff(conn: Connection, org_id: uuid.UUID, staff_id: uuid.UUID, values: Mapping[str, Any]) -> StaffRead:
    stmt = sa.update(staff).where(staff.c.org_id == org_id, staff.c.id == staff_id).values(**values).returning(*staff.c)
    return record(conn.execute(stmt).one(), StaffRead)


def insert_api_key(conn: Connection, values: Mapping[str, Any]) -> ApiKeyRecord:
    return record(conn.execute(sa.insert(api_key).values(**values).returning(*api_key.c)).one(), ApiKeyRecord)


def get_api_key(conn: Connection, org_id: uuid.UUID, key_id: uuid.UUID) -> ApiKeyRecord | None:
    stmt = sa.select(api_key).where(api_key.c.org_id == org_id, api_key.c.id == key_id)
    return record_or_none(conn.execute(stmt).one_or_none(), ApiKeyRecord)


def revoke_api_keys(
    conn: Connection,
    org_id: uuid.UUID,
    revoked_at: datetime,
    *,
    key_id: uuid.UUID | None = None,
    staff_id: uuid.UUID | None = None,
) -> list[bytes]:
    """Revoke one key or all of a staff member's keys; returns the revoked hashes."""
    stmt = sa.update(api_key).where(api_key.c.org_id == org_id, api_key.c.revoked_at.is_(None))
    if key_id is not None:
        stmt = stmt.where(api_key.c.id == key_id)
    if staff_id is not None:
        stmt = stmt.where(api_key.c.staff_id == staff_id)
    return list(conn.execute(stmt.values(revoked_at=revoked_at).returning(api_key.c.key_hash)).scalars())


def find_principal(conn: Connection, org_id: uuid.UUID, key_hash: bytes) -> PrincipalRecord | None:
    """The active key's staff member, role and organization settings, in one round trip (and one
    conversion: the settings document is read into its struct with the row)."""
    stmt: sa.Select[Any] = (
        sa.select(api_key.c.id.label("api_key_id"), staff.c.id.label("staff_id"), staff.c.role, organization.c.settings)
        .join(staff, sa.and_(staff.c.org_id == api_key.c.org_id, staff.c.id == api_key.c.staff_id))
        .join(organization, organization.c.id == api_key.c.org_id)
        .where(
            api_key.c.org_id == org_id,
            api_key.c.key_hash == key_hash,
            api_key.c.revoked_at.is_(None),
            staff.c.deactivated_at.is_(None),
        )
    )
    return record_or_none(conn.execute(stmt).one_or_none(), PrincipalRecord)
