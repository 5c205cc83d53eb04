"""Address events (past tense); the subject is the customer, so they join its history."""

from __future__ import annotations

from dataclasses import dataclass

from patron.kernel.events import DomainEvent


@dataclass(frozen=True, slots=True)
class AddressCreated(DomainEvent):
    type = "address.created"


@dataclass(frozen=True, slots=True)
class AddressUpdated(DomainEvent):
    """`data` holds `address_id` and `changes` ({field: {old, new}})."""

    type = "address.updated"


@dataclass(frozen=True, slots=True)
class AddressDeleted(DomainEvent):
    type = "address.deleted"
