"""Wire shapes of the access export and the erasure (msgspec, unknown fields rejected).

The export's records are rows as stored, every column by its name: the document's promise is
"everything", so it follows the tables rather than the API's read shapes (which leave columns out).
"""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated, Any

from msgspec import Meta, Struct

from patron.privacy.rules import REASON_MAX

# One stored row, column by column (JSON values as stored, binary as base64).
Record = dict[str, Any]


class PointsExport(Struct):
    balance: int
    lifetime_earned: int
    entries: Annotated[list[Record], Meta(description="the whole points ledger, oldest first")]


class AccessExport(Struct):
    """Everything stored about one customer (SPEC §13.3), soft-deleted or erased customers too."""

    generated_at: datetime
    customer: Record
    merged: Annotated[list[Record], Meta(description="customers merged into this one (their rows, as stored)")]
    addresses: list[Record]
    orders: list[Record]
    points: PointsExport
    lists: Annotated[list[Record], Meta(description="each list with its `items`")]
    subscriptions: Annotated[
        list[Record], Meta(description="newsletter subscribers linked to the customer, each with its `consents`")
    ]
    inquiries: Annotated[list[Record], Meta(description="each inquiry with its `replies`")]
    interactions: list[Record]
    memos: list[Record]
    deals: list[Record]
    companies: Annotated[
        list[Record], Meta(description="company memberships (`role`, `joined_at`) with the company's `name`")
    ]
    product_restrictions: list[Record]
    merges: Annotated[list[Record], Meta(description="merge journals naming the customer as survivor or source")]
    duplicate_dismissals: list[Record]
    events: Annotated[list[Record], Meta(description="the audit trail: every event whose subject is one of the above")]


class ErasureCreate(Struct, forbid_unknown_fields=True):
    reason: Annotated[str, Meta(min_length=1, max_length=REASON_MAX, examples=["the customer asked to be forgotten"])]


class ErasureRead(Struct):
    id: uuid.UUID
    erased_at: datetime
