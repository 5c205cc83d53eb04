"""Segment request and answer bodies."""

from __future__ import annotations

from typing import Annotated

from msgspec import Meta, Struct

from patron.customers.schemas import CustomerRead

# The query is checked by the segment parser (`language.parse`), so every fault of it, its
# length included, answers `segment.invalid_query` with a position.
Query = Annotated[
    str,
    Meta(
        description="a query of the segment language (README, Segments)",
        examples=["tier = 'vip' and (tags has 'wholesale' or credit > 100000) and created_at >= -90d"],
    ),
]


class SegmentPreview(Struct, forbid_unknown_fields=True):
    query: Query


class SegmentPreviewRead(Struct):
    count: Annotated[int, Meta(description="how many live customers the query selects")]
    items: Annotated[list[CustomerRead], Meta(description="the first 10 of them, newest first (the list's order)")]
