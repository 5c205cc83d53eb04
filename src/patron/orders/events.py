"""Order events (past tense); the subject is the order."""

from __future__ import annotations

import uuid
from typing import Annotated

from msgspec import Meta

from patron.kernel.events import DomainEvent

_TOTAL = Meta(description="in minor units of `currency`")


class OrderCreated(DomainEvent, frozen=True, kw_only=True):
    """An order of the commerce system was recorded."""

    type = "order.created"
    subject = "order"
    external_ref: str
    total: Annotated[int, _TOTAL]
    currency: str
    customer_id: uuid.UUID | None


class OrderCustomerAttached(DomainEvent, frozen=True, kw_only=True):
    """A customer was attached to an order without one (at checkout)."""

    type = "order.customer_attached"
    subject = "order"
    customer_id: uuid.UUID


class OrderPaid(DomainEvent, frozen=True, kw_only=True):
    """The order was paid (its points are awarded with `points.awarded`)."""

    type = "order.paid"
    subject = "order"
    total: Annotated[int, _TOTAL]
    currency: str
    customer_id: uuid.UUID | None


class OrderRefunded(DomainEvent, frozen=True, kw_only=True):
    """A paid order was refunded (its points are taken back with `points.reversed`)."""

    type = "order.refunded"
    subject = "order"
    total: Annotated[int, _TOTAL]
    currency: str


class OrderCancelled(DomainEvent, frozen=True, kw_only=True):
    """An open order was cancelled."""

    type = "order.cancelled"
    subject = "order"


EVENTS = (OrderCreated, OrderCustomerAttached, OrderPaid, OrderRefunded, OrderCancelled)
