"""Segment request and answer bodies."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated

from msgspec import UNSET, Meta, Struct, UnsetType

from patron.customers.schemas import CustomerRead
from patron.kernel.pagination import Page

# The query is checked by the segment parser (`language.parse`), so every fault of it, its
# length included, answers `segment.invalid_query` with a position.
Query = Annotated[
    str,
    Meta(
        description="a query of the segment language (README, Segments)",
        examples=["tier = 'pro' and (tags has 'wholesale' or credit > 100000) and created_at >= -90d"],
    ),
]


class SegmentPreview(Struct, forbid_unknown_fields=True):
    query: Query


class SegmentPreviewRead(Struct):
    count: Annotated[int, Meta(description="how many live customers the query selects")]
    items: Annotated[list[CustomerRead], Meta(description="the first 10 of them, newest first (the list's order)")]


SegmentName = Annotated[str, Meta(min_length=1, max_length=200, examples=["VIP wholesale, last 90 days"])]
Description = Annotated[str, Meta(max_length=2000)]


class SegmentCreate(Struct, forbid_unknown_fields=True):
    name: SegmentName
    query: Query
    description: Description | None = None


class SegmentUpdate(Struct, forbid_unknown_fields=True):
    name: SegmentName | UnsetType = UNSET
    query: Query | UnsetType = UNSET
    description: Description | UnsetType | None = UNSET


class QueryFault(Struct):
    """Why a saved query no longer runs (a custom field it names was removed or changed type)."""

    message: str
    position: Annotated[int, Meta(description="a character offset into the query")]


class SegmentRead(Struct):
    id: uuid.UUID
    name: str
    query: str
    description: str | None
    count: Annotated[
        int | None,
        Meta(description="how many live customers the query selects now; null when it no longer runs (see `error`)"),
    ]
    created_at: datetime
    updated_at: datetime
    error: Annotated[QueryFault | None, Meta(description="null unless the saved query no longer runs")] = None


class SegmentPage(Page):
    items: list[SegmentRead]
