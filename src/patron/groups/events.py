"""Customer group events (past tense), written to the outbox with the change."""

from __future__ import annotations

from dataclasses import dataclass

from patron.kernel.events import DomainEvent


@dataclass(frozen=True, slots=True)
class CustomerGroupCreated(DomainEvent):
    type = "customer_group.created"


@dataclass(frozen=True, slots=True)
class CustomerGroupUpdated(DomainEvent):
    """`data` holds `changes` ({field: {old, new}})."""

    type = "customer_group.updated"


@dataclass(frozen=True, slots=True)
class CustomerGroupDeleted(DomainEvent):
    type = "customer_group.deleted"


@dataclass(frozen=True, slots=True)
class GroupProductRestrictionsChanged(DomainEvent):
    """`data` holds the old and new `allow` and `deny` lists; the subject is the group."""

    type = "customer_group.product_restrictions_changed"


@dataclass(frozen=True, slots=True)
class CustomerProductRestrictionsChanged(DomainEvent):
    """`data` holds the old and new `allow` and `deny` lists; the subject is the customer."""

    type = "customer.product_restrictions_changed"
