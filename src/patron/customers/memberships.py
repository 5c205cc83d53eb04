"""A customer's memberships: its customer group (merchant groups make merchants) and the company
it is a contact of; the counts and pages the groups and companies use cases read."""

from __future__ import annotations

import uuid
from typing import Any

from patron.customers import affiliations
from patron.customers import repository as repo
from patron.customers.changes import apply_changes
from patron.customers.schemas import CustomerRead
from patron.db.uow import UnitOfWork
from patron.kernel import pagination
from patron.kernel.errors import Conflict, ValidationFailed
from patron.kernel.messages import Message
from patron.kernel.tenancy import Principal


def check_group(uow: UnitOfWork, org_id: uuid.UUID, values: dict[str, Any]) -> None:
    """Check `group_id` names a group of the organization; in a merchant group `is_merchant` is true."""
    group_id = values.get("group_id")
    if group_id is None:
        return
    merchant = affiliations.groups().is_merchant_group(uow, org_id=org_id, group_id=group_id)
    if merchant is None:
        raise ValidationFailed.single("group_id", Message("customer_group.not_in_organization"))
    if merchant:
        if values.get("is_merchant") is False:
            raise ValidationFailed.single("is_merchant", Message("customer.merchant_group_member"))
        values["is_merchant"] = True


def in_merchant_group(uow: UnitOfWork, *, org_id: uuid.UUID, group_id: uuid.UUID | None) -> bool:
    """Whether `group_id` names a merchant group of the organization (whose members are merchants)."""
    if group_id is None:
        return False
    return bool(affiliations.groups().is_merchant_group(uow, org_id=org_id, group_id=group_id))


def check_company(uow: UnitOfWork, org_id: uuid.UUID, company_id: uuid.UUID | None) -> None:
    """Check `company_id` (if any) names a company of the organization; 422 naming it otherwise."""
    if company_id is None:
        return
    if not affiliations.companies().company_exists(uow, org_id=org_id, company_id=company_id):
        raise ValidationFailed.single("company_id", Message("company.not_in_organization"))


def count_group_members(uow: UnitOfWork, *, principal: Principal, group_id: uuid.UUID) -> int:
    """How many customers (deleted ones included) belong to the group."""
    return repo.count_in_group(uow.conn, principal.org_id, group_id)


def make_group_members_merchants(uow: UnitOfWork, *, principal: Principal, group_id: uuid.UUID) -> int:
    """Members of a group that became a merchant group become merchants; one `customer.updated` each."""
    rows = repo.non_merchants_in_group(uow.conn, principal.org_id, group_id)
    for row in rows:
        apply_changes(uow, principal, row, {"is_merchant": True}, reason="merchant_group")
    return len(rows)


def check_company_change(uow: UnitOfWork, org_id: uuid.UUID, row: CustomerRead, company_id: uuid.UUID | None) -> None:
    """A contact links to one company of the organization, never beside a sign-in account (SPEC §3)."""
    check_company(uow, org_id, company_id)
    if company_id is not None and row.user_id is not None:
        raise ValidationFailed.single("company_id", Message("customer.company_with_account"))
    if affiliations.companies().member_company(uow, org_id=org_id, customer_id=row.id) is not None:
        raise Conflict(
            Message("customer.company_member"),
            code="customer.company_member",
        )


def join_company(
    uow: UnitOfWork, *, principal: Principal, customer_id: uuid.UUID, company_id: uuid.UUID, field: str
) -> CustomerRead:
    """Make the customer a contact of the company (no change when it is one already).

    422 naming `field` when the customer does not exist or has a sign-in account;
    409 `customer.other_company` when it is a contact of another company.
    """
    row = repo.get(uow.conn, principal.org_id, customer_id, for_update=True)
    if row is None or row.deleted_at is not None:
        raise ValidationFailed.single(field, Message("customer.not_in_organization"))
    if row.company_id == company_id:
        return row
    if row.company_id is not None:
        raise Conflict(Message("customer.other_company"), code="customer.other_company")
    if row.user_id is not None:
        raise ValidationFailed.single(field, Message("customer.contact_with_account"))
    return apply_changes(uow, principal, row, {"company_id": company_id})


def count_company_contacts(uow: UnitOfWork, *, principal: Principal, company_id: uuid.UUID) -> int:
    """How many customers (deleted ones included) are contacts of the company."""
    return repo.count_in_company(uow.conn, principal.org_id, company_id)


CONTACTS = pagination.oldest_first("company contacts")


def list_company_contacts(
    uow: UnitOfWork, *, principal: Principal, company_id: uuid.UUID, page: pagination.PageRequest
) -> tuple[list[CustomerRead], int]:
    """A page of the company's live contacts, oldest first (`CONTACTS`), and how many there are."""
    return repo.company_contacts(uow.conn, principal.org_id, company_id, page)
