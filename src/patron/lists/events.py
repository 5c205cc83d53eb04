"""List events (past tense); the subject is the customer who owns the list."""

from __future__ import annotations

import uuid

from patron.kernel.events import Changes, DomainEvent
from patron.lists.schemas import ListKind


class ListCreated(DomainEvent, frozen=True, kw_only=True):
    """The customer got a new list (a wishlist or another list of products)."""

    type = "list.created"
    subject = "customer"
    list_id: uuid.UUID
    kind: ListKind


class ListUpdated(DomainEvent, frozen=True, kw_only=True):
    """Fields of one of the customer's lists changed."""

    type = "list.updated"
    subject = "customer"
    list_id: uuid.UUID
    changes: Changes


class ListDeleted(DomainEvent, frozen=True, kw_only=True):
    """A list was removed with its items."""

    type = "list.deleted"
    subject = "customer"
    list_id: uuid.UUID


class ListItemAdded(DomainEvent, frozen=True, kw_only=True):
    """A product was put on a list."""

    type = "list.item_added"
    subject = "customer"
    list_id: uuid.UUID
    product_ref: str
    quantity: int


class ListItemChanged(DomainEvent, frozen=True, kw_only=True):
    """A list item's quantity or note changed."""

    type = "list.item_changed"
    subject = "customer"
    list_id: uuid.UUID
    product_ref: str
    changes: Changes


class ListItemRemoved(DomainEvent, frozen=True, kw_only=True):
    """A product was taken off a list."""

    type = "list.item_removed"
    subject = "customer"
    list_id: uuid.UUID
    product_ref: str


class ListShared(DomainEvent, frozen=True, kw_only=True):
    """A new share link was made for a list (an earlier one stops working)."""

    type = "list.shared"
    subject = "customer"
    list_id: uuid.UUID


class ListUnshared(DomainEvent, frozen=True, kw_only=True):
    """A list's share link was revoked."""

    type = "list.unshared"
    subject = "customer"
    list_id: uuid.UUID


EVENTS = (
    ListCreated,
    ListUpdated,
    ListDeleted,
    ListItemAdded,
    ListItemChanged,
    ListItemRemoved,
    ListShared,
    ListUnshared,
)
