"""Saved-segment events (past tense), written to the outbox with the change; the subject is the segment."""

from __future__ import annotations

from patron.kernel.events import Changes, DomainEvent


class SegmentCreated(DomainEvent, frozen=True, kw_only=True):
    """A segment (a saved query of the segment language) was created."""

    type = "segment.created"
    subject = "segment"
    name: str
    query: str


class SegmentUpdated(DomainEvent, frozen=True, kw_only=True):
    """The segment's name, query or description changed."""

    type = "segment.updated"
    subject = "segment"
    changes: Changes


class SegmentDeleted(DomainEvent, frozen=True, kw_only=True):
    """A segment was deleted (its customers are untouched)."""

    type = "segment.deleted"
    subject = "segment"
    name: str


EVENTS = (SegmentCreated, SegmentUpdated, SegmentDeleted)
