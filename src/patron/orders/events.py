"""Order events (past tense); the subject is the order."""

from __future__ import annotations

from dataclasses import dataclass

from patron.kernel.events import DomainEvent


@dataclass(frozen=True, slots=True)
class OrderCreated(DomainEvent):
    type = "order.created"


@dataclass(frozen=True, slots=True)
class OrderCustomerAttached(DomainEvent):
    type = "order.customer_attached"


@dataclass(frozen=True, slots=True)
class OrderPaid(DomainEvent):
    type = "order.paid"


@dataclass(frozen=True, slots=True)
class OrderRefunded(DomainEvent):
    type = "order.refunded"


@dataclass(frozen=True, slots=True)
class OrderCancelled(DomainEvent):
    type = "order.cancelled"
