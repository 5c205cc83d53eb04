"""Customer group events (past tense), written to the outbox with the change."""

from __future__ import annotations

import msgspec

from patron.kernel.events import Changes, DomainEvent


class CustomerGroupCreated(DomainEvent, frozen=True, kw_only=True):
    """A customer group was created; members of a merchant group are merchants."""

    type = "customer_group.created"
    subject = "customer group"
    name: str
    is_merchant: bool


class CustomerGroupUpdated(DomainEvent, frozen=True, kw_only=True):
    """Fields of a group changed (members of a group made a merchant group get `customer.updated`)."""

    type = "customer_group.updated"
    subject = "customer group"
    changes: Changes


class CustomerGroupDeleted(DomainEvent, frozen=True, kw_only=True):
    """A group without members was deleted."""

    type = "customer_group.deleted"
    subject = "customer group"
    name: str


class ProductLists(msgspec.Struct, frozen=True):
    """Product references allowed and denied."""

    allow: list[str]
    deny: list[str]


class GroupProductRestrictionsChanged(DomainEvent, frozen=True, kw_only=True):
    """The group's allow and deny lists were replaced."""

    type = "customer_group.product_restrictions_changed"
    subject = "customer group"
    old: ProductLists
    new: ProductLists


class CustomerProductRestrictionsChanged(DomainEvent, frozen=True, kw_only=True):
    """The customer's own allow and deny lists were replaced."""

    type = "customer.product_restrictions_changed"
    subject = "customer"
    old: ProductLists
    new: ProductLists


EVENTS = (
    CustomerGroupCreated,
    CustomerGroupUpdated,
    CustomerGroupDeleted,
    GroupProductRestrictionsChanged,
    CustomerProductRestrictionsChanged,
)
