"""Customer group and product restriction use cases. Never commits: the request owns the unit of work."""

from __future__ import annotations

import uuid
from contextlib import AbstractContextManager
from typing import Any

import msgspec

from patron.customers import memberships
from patron.customers import service as customers
from patron.db.errors import raised_as
from patron.db.uow import UnitOfWork
from patron.groups import events, rules
from patron.groups import repository as repo
from patron.groups.schemas import (
    AccessRule,
    GroupCreate,
    GroupPage,
    GroupRead,
    GroupUpdate,
    ProductAccess,
    ProductRestrictions,
)
from patron.kernel import clock
from patron.kernel.changes import field_changes, new_values
from patron.kernel.errors import Conflict, FieldError, InvalidValue, NotFound, ValidationFailed
from patron.kernel.events import changes_of
from patron.kernel.ids import uuid7
from patron.kernel.messages import Message
from patron.kernel.tenancy import Principal

NAME_TAKEN = "customer_group.name_taken"


def _group_or_404(uow: UnitOfWork, principal: Principal, group_id: uuid.UUID, *, for_update: bool) -> GroupRead:
    row = repo.get(uow.conn, principal.org_id, group_id, for_update=for_update)
    if row is None:
        raise NotFound(Message("customer_group.not_found"), code="customer_group.not_found")
    return row


def _name_race() -> AbstractContextManager[None]:
    """A concurrent create of the same name loses on the unique key: answer as the pre-check does."""
    return raised_as(
        "uq_customer_group_org_id_name", Conflict(Message("customer_group.name_taken_meanwhile"), code=NAME_TAKEN)
    )


def _check_name_free(uow: UnitOfWork, principal: Principal, name: str, *, other_than: uuid.UUID | None) -> None:
    holder = repo.name_holder(uow.conn, principal.org_id, name)
    if holder is not None and holder != other_than:
        raise Conflict(Message("customer_group.name_taken"), code=NAME_TAKEN)


def create_group(uow: UnitOfWork, *, principal: Principal, data: GroupCreate) -> GroupRead:
    """A new group; its name is unique in the organization (409 `customer_group.name_taken`)."""
    name = rules.normalise_name(data.name)
    _check_name_free(uow, principal, name, other_than=None)
    now = clock.now()
    values = {
        "org_id": principal.org_id,
        "id": uuid7(),
        "name": name,
        "is_merchant": data.is_merchant,
        "created_at": now,
        "updated_at": now,
    }
    with _name_race():
        row = repo.insert(uow.conn, values)
    uow.record(events.CustomerGroupCreated(principal.org_id, row.id, name=name, is_merchant=data.is_merchant))
    return row


def list_groups(uow: UnitOfWork, *, principal: Principal, limit: int, offset: int, cursor: str | None) -> GroupPage:
    """The organization's groups, by name."""
    page = repo.BY_NAME.request(limit=limit, offset=offset, cursor=cursor)
    return page.answer(GroupPage, *repo.list_page(uow.conn, principal.org_id, page))


def get_group(uow: UnitOfWork, *, principal: Principal, group_id: uuid.UUID) -> GroupRead:
    """One group by id."""
    return _group_or_404(uow, principal, group_id, for_update=False)


def update_group(uow: UnitOfWork, *, principal: Principal, group_id: uuid.UUID, data: GroupUpdate) -> GroupRead:
    """Rename or (un)flag as merchant group; becoming one makes every member a merchant.

    A group that stops being a merchant group leaves its members' `is_merchant` as it is.
    """
    row = _group_or_404(uow, principal, group_id, for_update=True)
    values: dict[str, Any] = {}
    if data.name is not msgspec.UNSET:
        values["name"] = rules.normalise_name(data.name)
        _check_name_free(uow, principal, values["name"], other_than=row.id)
    if data.is_merchant is not msgspec.UNSET:
        values["is_merchant"] = data.is_merchant
    changes = field_changes(msgspec.structs.asdict(row), values)
    if not changes:
        return row
    with _name_race():
        updated = repo.update(uow.conn, principal.org_id, row.id, new_values(changes) | {"updated_at": clock.now()})
    uow.record(events.CustomerGroupUpdated(principal.org_id, row.id, changes=changes_of(changes)))
    if changes.get("is_merchant", {}).get("new") is True:
        memberships.make_group_members_merchants(uow, principal=principal, group_id=row.id)
    return updated


def delete_group(uow: UnitOfWork, *, principal: Principal, group_id: uuid.UUID) -> None:
    """Delete a group without members (deleted customers count: they can be restored)."""
    row = _group_or_404(uow, principal, group_id, for_update=True)
    members = memberships.count_group_members(uow, principal=principal, group_id=row.id)
    if members:
        raise Conflict(
            Message("customer_group.in_use", members=members),
            code="customer_group.in_use",
            extra={"members": members},
        )
    repo.delete(uow.conn, principal.org_id, row.id)
    uow.record(events.CustomerGroupDeleted(principal.org_id, row.id, name=row.name))


def _lists(data: ProductRestrictions) -> dict[str, list[str]]:
    errors: list[FieldError] = []
    lists: dict[str, list[str]] = {}
    for kind in ("allow", "deny"):
        try:
            lists[kind] = rules.normalise_refs(getattr(data, kind), kind)
        except ValidationFailed as exc:
            errors.extend(exc.errors)
    if errors:
        raise ValidationFailed(errors)
    return lists


def get_group_restrictions(uow: UnitOfWork, *, principal: Principal, group_id: uuid.UUID) -> ProductRestrictions:
    """The group's allow and deny lists."""
    row = _group_or_404(uow, principal, group_id, for_update=False)
    return ProductRestrictions(**repo.group_rules(uow.conn, principal.org_id, row.id))


def set_group_restrictions(
    uow: UnitOfWork, *, principal: Principal, group_id: uuid.UUID, data: ProductRestrictions
) -> ProductRestrictions:
    """Replace the group's allow and deny lists."""
    lists = _lists(data)
    row = _group_or_404(uow, principal, group_id, for_update=True)
    old = repo.group_rules(uow.conn, principal.org_id, row.id)
    if old != lists:
        repo.replace_group_rules(uow.conn, principal.org_id, row.id, lists)
        changed = events.GroupProductRestrictionsChanged(
            principal.org_id, row.id, old=events.ProductLists(**old), new=events.ProductLists(**lists)
        )
        uow.record(changed)
    return ProductRestrictions(**lists)


def get_customer_restrictions(uow: UnitOfWork, *, principal: Principal, customer_id: uuid.UUID) -> ProductRestrictions:
    """The customer's own allow and deny lists (its group's are separate)."""
    customer = customers.get_customer(uow, principal=principal, customer_id=customer_id)
    return ProductRestrictions(**repo.customer_rules(uow.conn, principal.org_id, customer.id))


def set_customer_restrictions(
    uow: UnitOfWork, *, principal: Principal, customer_id: uuid.UUID, data: ProductRestrictions
) -> ProductRestrictions:
    """Replace the customer's own allow and deny lists."""
    lists = _lists(data)
    customer = customers.get_customer(uow, principal=principal, customer_id=customer_id, lock=True)
    old = repo.customer_rules(uow.conn, principal.org_id, customer.id)
    if old != lists:
        repo.replace_customer_rules(uow.conn, principal.org_id, customer.id, lists)
        changed = events.CustomerProductRestrictionsChanged(
            principal.org_id, customer.id, old=events.ProductLists(**old), new=events.ProductLists(**lists)
        )
        uow.record(changed)
    return ProductRestrictions(**lists)


def _frozen(lists: dict[str, list[str]]) -> rules.Lists:
    return rules.Lists(allow=frozenset(lists["allow"]), deny=frozenset(lists["deny"]))


def product_access(uow: UnitOfWork, *, principal: Principal, customer_id: uuid.UUID, product_ref: str) -> ProductAccess:
    """May the customer buy the product? The answer names the rule that decided (see groups.rules)."""
    try:
        ref = rules.normalise_ref(product_ref)
    except InvalidValue as exc:
        raise ValidationFailed.single("product_ref", exc.message) from None
    customer = customers.get_customer(uow, principal=principal, customer_id=customer_id)
    conn = uow.conn
    own = _frozen(repo.customer_rules(conn, principal.org_id, customer.id))
    group = None
    if customer.group_id is not None:
        group = _frozen(repo.group_rules(conn, principal.org_id, customer.group_id))
    decision = rules.decide(ref, customer=own, group=group)
    decided_by = AccessRule(
        level=decision.level,
        rule=decision.rule,
        group_id=customer.group_id if decision.level == "group" else None,
    )
    return ProductAccess(product_ref=ref, allowed=decision.allowed, decided_by=decided_by)


def is_merchant_group(uow: UnitOfWork, *, org_id: uuid.UUID, group_id: uuid.UUID) -> bool | None:
    """Whether the organization's group is a merchant group; None when it has no such group
    (`patron.customers.affiliations.Groups`)."""
    row = repo.get(uow.conn, org_id, group_id)
    return None if row is None else row.is_merchant
