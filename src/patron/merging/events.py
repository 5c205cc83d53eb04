"""Merge events (past tense); the subject is the survivor, so they join its history."""

from __future__ import annotations

import uuid
from typing import Annotated

from msgspec import Meta

from patron.kernel.events import DomainEvent


class CustomerMerged(DomainEvent, frozen=True, kw_only=True):
    """Other customers were merged into this one: their records moved to it and they were deleted."""

    type = "customer.merged"
    subject = "customer"
    merge_id: Annotated[uuid.UUID, Meta(description="the journal entry (GET /merges/{id}, its undo)")]
    source_ids: Annotated[list[uuid.UUID], Meta(description="the merged customers, now deleted with merged_into")]
    moved: Annotated[dict[str, int], Meta(description="rows moved onto this customer, by table")]


class CustomerUnmerged(DomainEvent, frozen=True, kw_only=True):
    """A merge into this customer was undone: the sources are back with the records that were theirs."""

    type = "customer.unmerged"
    subject = "customer"
    merge_id: uuid.UUID
    source_ids: list[uuid.UUID]


EVENTS = (CustomerMerged, CustomerUnmerged)
