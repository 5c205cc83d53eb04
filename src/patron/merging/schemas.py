"""Wire shapes for merges (msgspec, unknown fields rejected)."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated

import msgspec
from msgspec import Meta, Struct

from patron.customers.schemas import CustomerRead

# A merge names a handful of duplicates; the journal keeps every moved row's key.
MAX_SOURCES = 20


class MergeCreate(Struct, forbid_unknown_fields=True):
    from_ids: Annotated[
        list[uuid.UUID], Meta(max_length=MAX_SOURCES, description="the customers merged into this one, then deleted")
    ]
    prefer: Annotated[
        dict[str, uuid.UUID],
        Meta(description="a field of the customer and the source (one of from_ids) whose value wins for it"),
    ] = msgspec.field(default_factory=dict)


class MergeResult(Struct):
    customer: CustomerRead
    merge_id: uuid.UUID


class MergeActor(Struct):
    type: str
    id: uuid.UUID | None


class MergeRead(Struct):
    id: uuid.UUID
    survivor_id: uuid.UUID
    source_ids: list[uuid.UUID]
    moved: Annotated[dict[str, int], Meta(description="rows moved onto the survivor, by table")]
    changed_fields: Annotated[list[str], Meta(description="the survivor's fields the merge changed")]
    created_at: datetime
    actor: MergeActor
    undone_at: datetime | None


class UndoResult(Struct):
    customers: Annotated[list[CustomerRead], Meta(description="the survivor, then the restored sources")]
