"""Customer events (past tense), written to the outbox with the change."""

from __future__ import annotations

from dataclasses import dataclass

from patron.kernel.events import DomainEvent


@dataclass(frozen=True, slots=True)
class CustomerCreated(DomainEvent):
    type = "customer.created"


@dataclass(frozen=True, slots=True)
class CustomerUpdated(DomainEvent):
    """`data` holds `sections` and `changes` ({field: {old, new}}): the audit trail."""

    type = "customer.updated"


@dataclass(frozen=True, slots=True)
class CustomerDeleted(DomainEvent):
    type = "customer.deleted"


@dataclass(frozen=True, slots=True)
class CustomerRestored(DomainEvent):
    type = "customer.restored"


@dataclass(frozen=True, slots=True)
class CustomerPurged(DomainEvent):
    type = "customer.purged"


@dataclass(frozen=True, slots=True)
class CustomerStatusChanged(DomainEvent):
    """`data` holds `action`, `from` and `to`: one lifecycle transition."""

    type = "customer.status_changed"
