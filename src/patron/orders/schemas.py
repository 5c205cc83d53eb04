"""Wire shapes for orders (msgspec, unknown fields rejected)."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated

from msgspec import Meta, Struct

from patron.customers.schemas import CustomerRead
from patron.kernel.limits import MAX_ORDER_TOTAL
from patron.kernel.pagination import Page
from patron.orders.rules import OrderStatus

ExternalRef = Annotated[str, Meta(min_length=1, max_length=100, examples=["POS-2026-000123"])]
Total = Annotated[int, Meta(ge=0, le=MAX_ORDER_TOTAL, description="in minor units of `currency`", examples=[250_000])]
Currency = Annotated[str, Meta(min_length=3, max_length=3, examples=["VND"])]


class OrderCreate(Struct, forbid_unknown_fields=True):
    external_ref: ExternalRef
    total: Total
    currency: Currency
    customer_id: uuid.UUID | None = None
    placed_at: Annotated[datetime, Meta(tz=True)] | None = None


class OrderCustomerAttach(Struct, forbid_unknown_fields=True):
    customer_id: uuid.UUID


class OrderRead(Struct, omit_defaults=True):
    """`customer` is embedded when one is attached (not in lists)."""

    id: uuid.UUID
    external_ref: str
    total: int
    currency: str
    status: OrderStatus
    customer_id: uuid.UUID | None
    placed_at: datetime
    paid_at: datetime | None
    refunded_at: datetime | None
    cancelled_at: datetime | None
    created_at: datetime
    updated_at: datetime
    customer: CustomerRead | None = None


class OrderPage(Page):
    items: list[OrderRead]
