"""Company use cases: accounts, contacts, members, join codes. Never commits."""

from __future__ import annotations

import uuid
from contextlib import AbstractContextManager
from datetime import timedelta
from typing import Any

import msgspec

from patron.companies import events, rules
from patron.companies import repository as repo
from patron.companies.records import JoinCodeRecord
from patron.companies.schemas import (
    CompanyCreate,
    CompanyPage,
    CompanyRead,
    CompanyUpdate,
    ContactPage,
    JoinCodeCreate,
    JoinCodeCreated,
    JoinCodePage,
    JoinCodeRead,
    JoinCodeRedeem,
    MemberAdd,
    MemberPage,
    MemberRead,
    MemberRole,
    MemberUpdate,
)
from patron.customers import memberships
from patron.db.errors import raised_as
from patron.db.uow import UnitOfWork
from patron.identity import service as identity
from patron.identity.schemas import OrganizationSettings
from patron.kernel import clock, validators
from patron.kernel.changes import field_changes, new_values
from patron.kernel.errors import Conflict, InvalidValue, NotFound, ValidationFailed
from patron.kernel.events import changes_of
from patron.kernel.ids import uuid7
from patron.kernel.messages import Message
from patron.kernel.tenancy import Principal

VAT_TAKEN = "company.vat_id_taken"


def _code_read(code: JoinCodeRecord) -> JoinCodeRead:
    return JoinCodeRead(
        id=code.id,
        company_id=code.company_id,
        hint=code.hint,
        role=code.role,
        status=rules.status(
            expires_at=code.expires_at, used_at=code.used_at, revoked_at=code.revoked_at, now=clock.now()
        ),
        created_at=code.created_at,
        expires_at=code.expires_at,
        used_at=code.used_at,
        used_by=code.used_by,
        revoked_at=code.revoked_at,
    )


def _company_or_404(uow: UnitOfWork, principal: Principal, company_id: uuid.UUID, *, for_update: bool) -> CompanyRead:
    row = repo.get(uow.conn, principal.org_id, company_id, for_update=for_update)
    if row is None:
        raise NotFound(Message("company.not_found"), code="company.not_found")
    return row


def _vat_race() -> AbstractContextManager[None]:
    return raised_as("uq_company_org_id_vat_id", Conflict(Message("company.vat_id_taken_meanwhile"), code=VAT_TAKEN))


def _prepared(
    uow: UnitOfWork,
    principal: Principal,
    settings: OrganizationSettings,
    given: dict[str, Any],
    *,
    other_than: uuid.UUID | None,
) -> dict[str, Any]:
    """Normalised values; 422 naming each bad field, 409 `company.vat_id_taken`."""
    values = dict(given)
    if "name" in values:
        values["name"] = " ".join(values["name"].split())
        if not values["name"]:
            raise ValidationFailed.single("name", Message("field.blank"))
    if values.get("vat_id") is not None:
        vat = values["vat_id"].strip()
        try:
            values["vat_id"] = validators.normalise_vat_id(vat, settings.region) if vat else None
        except InvalidValue as exc:
            raise ValidationFailed.single("vat_id", exc.message) from None
    if values.get("account_manager_id") is not None:
        try:
            identity.get_staff(uow, principal=principal, staff_id=values["account_manager_id"])
        except NotFound:
            raise ValidationFailed.single("account_manager_id", Message("staff.not_in_organization")) from None
    if values.get("vat_id"):
        holder = repo.vat_holder(uow.conn, principal.org_id, values["vat_id"])
        if holder is not None and holder != other_than:
            raise Conflict(Message("company.vat_id_taken"), code=VAT_TAKEN)
    return values


def create_company(
    uow: UnitOfWork, *, principal: Principal, settings: OrganizationSettings, data: CompanyCreate
) -> CompanyRead:
    """A new company; its VAT id is checked for its country and unique in the organization."""
    values = _prepared(uow, principal, settings, msgspec.structs.asdict(data), other_than=None)
    now = clock.now()
    with _vat_race():
        row = repo.insert(
            uow.conn, {**values, "org_id": principal.org_id, "id": uuid7(), "created_at": now, "updated_at": now}
        )
    uow.record(events.CompanyCreated(principal.org_id, row.id, name=row.name, vat_id=row.vat_id))
    return row


def list_companies(
    uow: UnitOfWork, *, principal: Principal, limit: int, offset: int, cursor: str | None
) -> CompanyPage:
    """A page of companies, by name."""
    page = repo.BY_NAME.request(limit=limit, offset=offset, cursor=cursor)
    return page.answer(CompanyPage, *repo.list_page(uow.conn, principal.org_id, page))


def get_company(uow: UnitOfWork, *, principal: Principal, company_id: uuid.UUID) -> CompanyRead:
    """One company by id."""
    return _company_or_404(uow, principal, company_id, for_update=False)


def update_company(
    uow: UnitOfWork,
    *,
    principal: Principal,
    settings: OrganizationSettings,
    company_id: uuid.UUID,
    data: CompanyUpdate,
) -> CompanyRead:
    """Change the fields given; null clears the VAT id or the account manager."""
    given = {f: v for f in data.__struct_fields__ if (v := getattr(data, f)) is not msgspec.UNSET}
    row = _company_or_404(uow, principal, company_id, for_update=True)
    values = _prepared(uow, principal, settings, given, other_than=row.id)
    changes = field_changes(msgspec.structs.asdict(row), values)
    if not changes:
        return row
    with _vat_race():
        updated = repo.update(uow.conn, principal.org_id, row.id, new_values(changes) | {"updated_at": clock.now()})
    uow.record(events.CompanyUpdated(principal.org_id, row.id, changes=changes_of(changes)))
    return updated


def delete_company(uow: UnitOfWork, *, principal: Principal, company_id: uuid.UUID) -> None:
    """Delete a company without contacts, deals or interactions; its join codes go with it."""
    row = _company_or_404(uow, principal, company_id, for_update=True)
    linked = {"contacts": memberships.count_company_contacts(uow, principal=principal, company_id=row.id)}
    linked |= repo.linked_records(uow.conn, principal.org_id, row.id)
    if any(linked.values()):
        still = Message(
            "company.in_use", contacts=linked["contacts"], deals=linked["deals"], interactions=linked["interactions"]
        )
        raise Conflict(still, code="company.in_use", extra=linked)
    repo.delete(uow.conn, principal.org_id, row.id)
    uow.record(events.CompanyDeleted(principal.org_id, row.id, name=row.name))


def list_contacts(
    uow: UnitOfWork, *, principal: Principal, company_id: uuid.UUID, limit: int, offset: int, cursor: str | None
) -> ContactPage:
    """The company's contacts: live customers whose `company_id` names it, oldest first."""
    row = _company_or_404(uow, principal, company_id, for_update=False)
    page = memberships.CONTACTS.request(limit=limit, offset=offset, cursor=cursor, filters=[str(row.id)])
    rows, total = memberships.list_company_contacts(uow, principal=principal, company_id=row.id, page=page)
    return page.answer(ContactPage, rows, total)


def list_members(
    uow: UnitOfWork, *, principal: Principal, company_id: uuid.UUID, limit: int, offset: int, cursor: str | None
) -> MemberPage:
    """The company's members and their roles, in the order they joined."""
    row = _company_or_404(uow, principal, company_id, for_update=False)
    page = repo.MEMBERS.request(limit=limit, offset=offset, cursor=cursor, filters=[str(row.id)])
    return page.answer(MemberPage, *repo.members(uow.conn, principal.org_id, row.id, page))


def _add_member(
    uow: UnitOfWork,
    principal: Principal,
    company: CompanyRead,
    customer_id: uuid.UUID,
    role: MemberRole,
    code_id: uuid.UUID | None,
) -> MemberRead:
    memberships.join_company(
        uow, principal=principal, customer_id=customer_id, company_id=company.id, field="customer_id"
    )
    if repo.membership(uow.conn, principal.org_id, customer_id) is not None:
        raise Conflict(Message("company.already_member"), code="company.already_member")
    row = repo.insert_member(
        uow.conn,
        {
            "org_id": principal.org_id,
            "company_id": company.id,
            "customer_id": customer_id,
            "role": role,
            "joined_at": clock.now(),
            "join_code_id": code_id,
        },
    )
    added = events.CompanyMemberAdded(
        principal.org_id, company.id, customer_id=customer_id, role=role, join_code_id=code_id
    )
    uow.record(added)
    return row


def add_member(uow: UnitOfWork, *, principal: Principal, company_id: uuid.UUID, data: MemberAdd) -> MemberRead:
    """Give a customer a role in the company; it becomes a contact if it was not one.

    409 `customer.other_company` when it is another company's contact, `company.already_member` when a member.
    """
    company = _company_or_404(uow, principal, company_id, for_update=True)
    return _add_member(uow, principal, company, data.customer_id, data.role, None)


def _member_or_404(uow: UnitOfWork, principal: Principal, company_id: uuid.UUID, customer_id: uuid.UUID) -> MemberRead:
    company = _company_or_404(uow, principal, company_id, for_update=True)
    row = repo.get_member(uow.conn, principal.org_id, company.id, customer_id)
    if row is None:
        raise NotFound(Message("company.member_not_found"), code="company.member_not_found")
    return row


def update_member(
    uow: UnitOfWork, *, principal: Principal, company_id: uuid.UUID, customer_id: uuid.UUID, data: MemberUpdate
) -> MemberRead:
    """Change a member's role."""
    row = _member_or_404(uow, principal, company_id, customer_id)
    if row.role == data.role:
        return row
    updated = repo.update_member(uow.conn, principal.org_id, company_id, customer_id, {"role": data.role})
    change = events.MemberRoleChange(old=row.role, new=data.role)
    uow.record(events.CompanyMemberUpdated(principal.org_id, company_id, customer_id=customer_id, role=change))
    return updated


def remove_member(uow: UnitOfWork, *, principal: Principal, company_id: uuid.UUID, customer_id: uuid.UUID) -> None:
    """Take the member role away; the customer stays a contact of the company."""
    row = _member_or_404(uow, principal, company_id, customer_id)
    repo.delete_member(uow.conn, principal.org_id, company_id, customer_id)
    uow.record(events.CompanyMemberRemoved(principal.org_id, company_id, customer_id=customer_id, role=row.role))


def create_join_code(
    uow: UnitOfWork, *, principal: Principal, company_id: uuid.UUID, data: JoinCodeCreate
) -> JoinCodeCreated:
    """A single-use code joining one customer with `role`; the code is returned this once."""
    company = _company_or_404(uow, principal, company_id, for_update=False)
    code = rules.generate_code()
    now = clock.now()
    row = repo.insert_code(
        uow.conn,
        {
            "org_id": principal.org_id,
            "id": uuid7(),
            "company_id": company.id,
            "code_hash": rules.hash_code(code),
            "hint": rules.hint(code),
            "role": data.role,
            "created_by": principal.staff_id,
            "created_at": now,
            "expires_at": now + timedelta(hours=data.expires_in_hours),
            "used_at": None,
            "used_by": None,
            "revoked_at": None,
        },
    )
    event = events.CompanyJoinCodeCreated(
        principal.org_id, company.id, join_code_id=row.id, role=row.role, expires_at=row.expires_at
    )
    uow.record(event)
    return JoinCodeCreated(code=code, join_code=_code_read(row))


def list_join_codes(
    uow: UnitOfWork, *, principal: Principal, company_id: uuid.UUID, limit: int, offset: int, cursor: str | None
) -> JoinCodePage:
    """The company's join codes, newest first, with their status (never the codes themselves)."""
    company = _company_or_404(uow, principal, company_id, for_update=False)
    page = repo.JOIN_CODES.request(limit=limit, offset=offset, cursor=cursor, filters=[str(company.id)])
    return page.answer(JoinCodePage, *repo.codes(uow.conn, principal.org_id, company.id, page), item=_code_read)


def revoke_join_code(uow: UnitOfWork, *, principal: Principal, company_id: uuid.UUID, code_id: uuid.UUID) -> None:
    """Revoke an unused code; revoking twice changes nothing, a used code answers 409."""
    company = _company_or_404(uow, principal, company_id, for_update=False)
    row = repo.get_code(uow.conn, principal.org_id, company.id, code_id)
    if row is None:
        raise NotFound(Message("company.join_code_not_found"), code="company.join_code_not_found")
    if row.used_at is not None:
        raise Conflict(Message("company.join_code_used"), code="company.join_code_used")
    if row.revoked_at is not None:
        return
    repo.update_code(uow.conn, principal.org_id, row.id, {"revoked_at": clock.now()})
    uow.record(events.CompanyJoinCodeRevoked(principal.org_id, company.id, join_code_id=row.id))


def redeem_join_code(uow: UnitOfWork, *, principal: Principal, data: JoinCodeRedeem) -> MemberRead:
    """Join the customer to the code's company with the code's role; a code works once, until it expires.

    422 naming `code` for a code this organization never issued; 409 `company.join_code_used`,
    `company.join_code_expired` or `company.join_code_revoked`.
    """
    code = rules.normalise_code(data.code)
    row = repo.code_by_hash(uow.conn, principal.org_id, rules.hash_code(code)) if code else None
    if row is None:
        raise ValidationFailed.single("code", Message("company.join_code_unknown"))
    state = rules.status(expires_at=row.expires_at, used_at=row.used_at, revoked_at=row.revoked_at, now=clock.now())
    if state != "active":
        raise Conflict(Message("company.join_code_unusable", state=state), code=f"company.join_code_{state}")
    company = _company_or_404(uow, principal, row.company_id, for_update=True)
    member = _add_member(uow, principal, company, data.customer_id, row.role, row.id)
    repo.update_code(uow.conn, principal.org_id, row.id, {"used_at": clock.now(), "used_by": data.customer_id})
    return member


def company_exists(uow: UnitOfWork, *, org_id: uuid.UUID, company_id: uuid.UUID) -> bool:
    """Whether the organization has this company (`patron.customers.affiliations.Companies`)."""
    return repo.get(uow.conn, org_id, company_id) is not None


def member_company(uow: UnitOfWork, *, org_id: uuid.UUID, customer_id: uuid.UUID) -> uuid.UUID | None:
    """The company in which the customer holds a member role, if any
    (`patron.customers.affiliations.Companies`)."""
    row = repo.membership(uow.conn, org_id, customer_id)
    return None if row is None else row.company_id
