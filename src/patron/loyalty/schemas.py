"""Wire shapes for the points ledger (msgspec, unknown fields rejected)."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated, Literal

from msgspec import Meta, Struct

from patron.kernel.pagination import Page

EntryKind = Literal["award", "reversal", "redemption", "adjustment"]
MAX_POINTS = 10**12


class LedgerEntryRead(Struct):
    id: uuid.UUID
    customer_id: uuid.UUID
    kind: EntryKind
    points: int
    lifetime_points: int
    shortfall: int
    order_id: uuid.UUID | None
    reason: str | None
    created_at: datetime


class PointsRead(Page):
    """The balance and tier with a page of the ledger: `entries` are its items, paged as every list
    is (`total`, `limit`, `offset`, `next_cursor`)."""

    customer_id: uuid.UUID
    balance: int
    lifetime_earned: int
    tier: str | None
    entries: list[LedgerEntryRead]


class RedeemCreate(Struct, forbid_unknown_fields=True):
    points: Annotated[int, Meta(ge=1, le=MAX_POINTS, examples=[100])]
    order_id: uuid.UUID | None = None


class AdjustCreate(Struct, forbid_unknown_fields=True):
    """A positive adjustment also counts towards lifetime points (the tier); a negative one does not."""

    points: Annotated[int, Meta(ge=-MAX_POINTS, le=MAX_POINTS, examples=[250])]
    reason: Annotated[str, Meta(min_length=1, max_length=500, examples=["goodwill after a late delivery"])]
