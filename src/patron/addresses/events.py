"""Address events (past tense); the subject is the customer, so they join its history."""

from __future__ import annotations

import uuid

from patron.kernel.events import Changes, DomainEvent


class AddressCreated(DomainEvent, frozen=True, kw_only=True):
    """An address was added to the customer's address book."""

    type = "address.created"
    subject = "customer"
    address_id: uuid.UUID


class AddressUpdated(DomainEvent, frozen=True, kw_only=True):
    """Fields of one of the customer's addresses changed."""

    type = "address.updated"
    subject = "customer"
    address_id: uuid.UUID
    changes: Changes


class AddressDeleted(DomainEvent, frozen=True, kw_only=True):
    """An address was removed from the customer's address book."""

    type = "address.deleted"
    subject = "customer"
    address_id: uuid.UUID


EVENTS = (AddressCreated, AddressUpdated, AddressDeleted)
