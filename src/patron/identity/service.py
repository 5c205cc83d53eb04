"""Use cases for organizations, staff and API keys. Never commits: the caller owns the unit of work."""

from __future__ import annotations

import uuid
from typing import Any

import msgspec
from sqlalchemy.engine import Connection

from patron.db import counters
from patron.db.uow import UnitOfWork
from patron.identity import events, keys, passwords, rules
from patron.identity import repository as repo
from patron.identity.records import ApiKeyRecord, OrganizationRecord
from patron.identity.schemas import (
    ApiKeyCreate,
    ApiKeyCreated,
    ApiKeyPage,
    ApiKeyRead,
    OrganizationCreate,
    OrganizationCreated,
    OrganizationRead,
    OrganizationSettings,
    OrganizationUpdate,
    StaffCreate,
    StaffCreated,
    StaffPage,
    StaffRead,
    StaffUpdate,
)
from patron.kernel import clock, validators
from patron.kernel.errors import Conflict, InvalidValue, NotFound, ValidationFailed
from patron.kernel.ids import uuid7
from patron.kernel.messages import Message
from patron.kernel.tenancy import Principal, Role


def _organization_read(row: OrganizationRecord) -> OrganizationRead:
    settings = msgspec.structs.asdict(row.settings)
    return OrganizationRead(
        id=row.id, name=row.name, slug=row.slug, created_at=row.created_at, updated_at=row.updated_at, **settings
    )


def _api_key_read(row: ApiKeyRecord) -> ApiKeyRead:
    return ApiKeyRead(
        id=row.id,
        staff_id=row.staff_id,
        name=row.name,
        ends_with=row.prefix,
        created_at=row.created_at,
        revoked_at=row.revoked_at,
    )


def _email(value: str, field: str) -> str:
    try:
        return validators.normalise_email(value)
    except InvalidValue as exc:
        raise ValidationFailed.single(field, exc.message) from None


def create_organization(uow: UnitOfWork, *, data: OrganizationCreate) -> OrganizationCreated:
    """Create an organization with its owner and the owner's first API key."""
    owner_email = _email(data.owner_email, "owner_email")
    overrides = {k: v for k in ("locale", "region", "currency", "timezone") if (v := getattr(data, k)) is not None}
    if data.region is not None:
        # A Vietnamese shop means VND and Vietnamese unless it says otherwise, not USD and English.
        overrides = {**rules.region_defaults(data.region, on=clock.today()), **overrides}
    settings = rules.normalise_settings(OrganizationSettings(**overrides))
    conn = uow.conn
    if repo.slug_taken(conn, data.slug):
        raise Conflict(Message("organization.slug_taken", slug=repr(data.slug)), code="organization.slug_taken")
    now = clock.now()
    org = repo.insert_organization(
        conn,
        {
            "id": uuid7(),
            "name": data.name.strip(),
            "slug": data.slug,
            "settings": msgspec.to_builtins(settings),
            "created_at": now,
            "updated_at": now,
        },
    )
    counters.create_counters(conn, org.id)
    owner = _insert_staff(
        conn, org_id=org.id, email=owner_email, name=data.owner_name or owner_email, role=Role.OWNER, password=None
    )
    plaintext, _ = _insert_api_key(conn, org_id=org.id, staff_id=owner.id, name="owner")
    uow.record(events.OrganizationCreated(org.id, org.id, slug=org.slug, name=org.name))
    uow.record(events.StaffCreated(org.id, owner.id, email=owner.email, role=owner.role))
    return OrganizationCreated(organization=_organization_read(org), owner=owner, owner_api_key=plaintext)


def get_organization(uow: UnitOfWork, *, principal: Principal) -> OrganizationRead:
    """The caller's organization."""
    row = repo.get_organization(uow.conn, principal.org_id)
    if row is None:
        raise NotFound(Message("organization.not_found"))
    return _organization_read(row)


def update_organization(uow: UnitOfWork, *, principal: Principal, data: OrganizationUpdate) -> OrganizationRead:
    """Change the organization's name and settings (partial)."""
    conn = uow.conn
    row = repo.get_organization(conn, principal.org_id)
    if row is None:
        raise NotFound(Message("organization.not_found"))
    changes = {f: v for f in data.__struct_fields__ if (v := getattr(data, f)) is not msgspec.UNSET}
    name = changes.pop("name", row.name)
    merged = msgspec.structs.replace(row.settings, **changes)
    settings = rules.normalise_settings(merged)
    updated = repo.update_organization(
        conn,
        principal.org_id,
        {"name": name.strip(), "settings": msgspec.to_builtins(settings), "updated_at": clock.now()},
    )
    uow.record(events.OrganizationUpdated(principal.org_id, principal.org_id, fields=sorted([*changes, "name"])))
    return _organization_read(updated)


def find_organization(uow: UnitOfWork, *, slug: str) -> tuple[uuid.UUID, OrganizationSettings]:
    """The id and settings of the organization with this slug (public routes name it so)."""
    row = repo.get_organization_by_slug(uow.conn, slug)
    if row is None:
        raise NotFound(Message("organization.not_found"), code="organization.not_found")
    return row.id, row.settings


def organization_slug(uow: UnitOfWork, *, org_id: uuid.UUID) -> str:
    """The slug that names the organization outside (public routes, event subjects)."""
    slug = repo.organization_slug(uow.conn, org_id)
    if slug is None:
        raise NotFound(Message("organization.not_found"), code="organization.not_found")
    return slug


def load_settings(conn: Connection, org_id: uuid.UUID) -> OrganizationSettings:
    row = repo.get_organization(conn, org_id)
    if row is None:
        raise NotFound(Message("organization.not_found"))
    return row.settings


def _insert_staff(
    conn: Connection, *, org_id: uuid.UUID, email: str, name: str, role: Role | str, password: str | None
) -> StaffRead:
    now = clock.now()
    return repo.insert_staff(
        conn,
        {
            "org_id": org_id,
            "id": uuid7(),
            "email": email,
            "name": name.strip(),
            "role": str(role),
            "password_hash": passwords.hash_password(password) if password else None,
            "created_at": now,
            "updated_at": now,
            "deactivated_at": None,
        },
    )


def _insert_api_key(
    conn: Connection, *, org_id: uuid.UUID, staff_id: uuid.UUID, name: str | None
) -> tuple[str, ApiKeyRecord]:
    new_key = keys.generate(org_id)
    row = repo.insert_api_key(
        conn,
        {
            "org_id": org_id,
            "id": uuid7(),
            "staff_id": staff_id,
            "key_hash": new_key.key_hash,
            "prefix": new_key.display_prefix,
            "name": name,
            "created_at": clock.now(),
            "revoked_at": None,
        },
    )
    return new_key.plaintext, row


def create_staff(uow: UnitOfWork, *, principal: Principal, data: StaffCreate) -> StaffCreated:
    """Add a staff member with a role and give them an API key."""
    email = _email(data.email, "email")
    conn = uow.conn
    if repo.staff_email_taken(conn, principal.org_id, email):
        raise Conflict(Message("staff.email_taken"), code="staff.email_taken")
    row = _insert_staff(
        conn, org_id=principal.org_id, email=email, name=data.name, role=data.role, password=data.password
    )
    plaintext, key_row = _insert_api_key(conn, org_id=principal.org_id, staff_id=row.id, name=None)
    uow.record(events.StaffCreated(principal.org_id, row.id, email=email, role=row.role))
    return StaffCreated(staff=row, api_key=plaintext, key=_api_key_read(key_row))


def list_staff(uow: UnitOfWork, *, principal: Principal, limit: int, offset: int, cursor: str | None) -> StaffPage:
    """Active staff of the organization, oldest first."""
    page = repo.STAFF.request(limit=limit, offset=offset, cursor=cursor)
    rows, total = repo.list_staff(uow.conn, principal.org_id, page)
    items, next_cursor = page.split(rows)
    return StaffPage(items=items, total=total, limit=limit, offset=offset, next_cursor=next_cursor)


def list_api_keys(
    uow: UnitOfWork, *, principal: Principal, staff_id: uuid.UUID, limit: int, offset: int, cursor: str | None
) -> ApiKeyPage:
    """A staff member's keys, revoked ones included, oldest first (never the key or its hash)."""
    if repo.get_staff(uow.conn, principal.org_id, staff_id) is None:
        raise NotFound(Message("staff.not_found"))
    page = repo.API_KEYS.request(limit=limit, offset=offset, cursor=cursor, filters=[str(staff_id)])
    rows, total = repo.api_keys_of(uow.conn, principal.org_id, staff_id, page)
    items, next_cursor = page.split(rows)
    return ApiKeyPage(
        items=[_api_key_read(r) for r in items], total=total, limit=limit, offset=offset, next_cursor=next_cursor
    )


def get_staff(uow: UnitOfWork, *, principal: Principal, staff_id: uuid.UUID) -> StaffRead:
    row = repo.get_staff(uow.conn, principal.org_id, staff_id)
    if row is None:
        raise NotFound(Message("staff.not_found"))
    return row


def is_active_staff(uow: UnitOfWork, *, org_id: uuid.UUID, staff_id: uuid.UUID) -> bool:
    """Whether the staff member belongs to the organization and is not deactivated."""
    return repo.staff_exists(uow.conn, org_id, staff_id)


def _ensure_not_last_owner(conn: Connection, org_id: uuid.UUID, staff_id: uuid.UUID) -> None:
    owners = repo.lock_owners(conn, org_id)
    if owners == [staff_id]:
        raise Conflict(Message("staff.last_owner"), code="staff.last_owner")


def update_staff(uow: UnitOfWork, *, principal: Principal, staff_id: uuid.UUID, data: StaffUpdate) -> StaffRead:
    """Rename, change role or set the admin password of a staff member."""
    conn = uow.conn
    row = repo.get_staff_for_update(conn, principal.org_id, staff_id)
    if row is None:
        raise NotFound(Message("staff.not_found"))
    values: dict[str, Any] = {"updated_at": clock.now()}
    if data.name is not msgspec.UNSET:
        values["name"] = data.name.strip()
    if data.role is not msgspec.UNSET and data.role != row.role:
        if row.role == Role.OWNER.value:
            _ensure_not_last_owner(conn, principal.org_id, staff_id)
        values["role"] = data.role
    if data.password is not msgspec.UNSET:
        values["password_hash"] = passwords.hash_password(data.password)
    updated = repo.update_staff(conn, principal.org_id, staff_id, values)
    changed = sorted(k if k != "password_hash" else "password" for k in values if k != "updated_at")
    uow.record(events.StaffUpdated(principal.org_id, staff_id, fields=changed))
    return updated


def delete_staff(uow: UnitOfWork, *, principal: Principal, staff_id: uuid.UUID) -> list[bytes]:
    """Deactivate a staff member and revoke their keys; returns the revoked key hashes."""
    conn = uow.conn
    row = repo.get_staff_for_update(conn, principal.org_id, staff_id)
    if row is None:
        raise NotFound(Message("staff.not_found"))
    if row.role == Role.OWNER.value:
        _ensure_not_last_owner(conn, principal.org_id, staff_id)
    now = clock.now()
    repo.update_staff(conn, principal.org_id, staff_id, {"deactivated_at": now, "updated_at": now})
    revoked = repo.revoke_api_keys(conn, principal.org_id, now, staff_id=staff_id)
    uow.record(events.StaffDeleted(principal.org_id, staff_id, email=row.email))
    return revoked


def create_api_key(uow: UnitOfWork, *, principal: Principal, staff_id: uuid.UUID, data: ApiKeyCreate) -> ApiKeyCreated:
    """Issue another key for a staff member; the key is in this answer only."""
    conn = uow.conn
    if repo.get_staff(conn, principal.org_id, staff_id) is None:
        raise NotFound(Message("staff.not_found"))
    plaintext, key_row = _insert_api_key(conn, org_id=principal.org_id, staff_id=staff_id, name=data.name)
    uow.record(events.ApiKeyCreated(principal.org_id, key_row.id, staff_id=staff_id))
    return ApiKeyCreated(api_key=plaintext, key=_api_key_read(key_row))


def revoke_api_key(uow: UnitOfWork, *, principal: Principal, key_id: uuid.UUID) -> list[bytes]:
    """Revoke a key at once; returns its hash so caches can forget it."""
    conn = uow.conn
    if repo.get_api_key(conn, principal.org_id, key_id) is None:
        raise NotFound(Message("api_key.not_found"))
    revoked = repo.revoke_api_keys(conn, principal.org_id, clock.now(), key_id=key_id)
    uow.record(events.ApiKeyRevoked(principal.org_id, key_id))
    return revoked


def authenticate(conn: Connection, plaintext: str) -> tuple[Principal, OrganizationSettings] | None:
    """The principal and its organization's settings for a bearer key, or None."""
    parsed = keys.parse(plaintext)
    if parsed is None:
        return None
    row = repo.find_principal(conn, parsed.org_id, parsed.key_hash)
    if row is None:
        return None
    principal = Principal(org_id=parsed.org_id, staff_id=row.staff_id, role=row.role, api_key_id=row.api_key_id)
    return principal, row.settings
