"""List events (past tense); the subject is the customer who owns the list."""

from __future__ import annotations

from dataclasses import dataclass

from patron.kernel.events import DomainEvent


@dataclass(frozen=True, slots=True)
class ListCreated(DomainEvent):
    type = "list.created"


@dataclass(frozen=True, slots=True)
class ListUpdated(DomainEvent):
    type = "list.updated"


@dataclass(frozen=True, slots=True)
class ListDeleted(DomainEvent):
    type = "list.deleted"


@dataclass(frozen=True, slots=True)
class ListItemAdded(DomainEvent):
    type = "list.item_added"


@dataclass(frozen=True, slots=True)
class ListItemChanged(DomainEvent):
    type = "list.item_changed"


@dataclass(frozen=True, slots=True)
class ListItemRemoved(DomainEvent):
    type = "list.item_removed"


@dataclass(frozen=True, slots=True)
class ListShared(DomainEvent):
    type = "list.shared"


@dataclass(frozen=True, slots=True)
class ListUnshared(DomainEvent):
    type = "list.unshared"
