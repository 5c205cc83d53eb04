"""Pure CRM rules: merging the timeline."""

from __future__ import annotations

import heapq
import uuid
from collections.abc import Iterable, Sequence
from datetime import datetime
from itertools import islice
from typing import Any

from patron.kernel import pagination

# Same instant: events before memos before interactions (newest first is by time, then this order).
SOURCE_ORDER = {"event": 0, "memo": 1, "interaction": 2}


def merge_newest_first(
    sources: Sequence[tuple[str, Iterable[tuple[datetime, Any, Any]]]], *, offset: int, limit: int
) -> list[tuple[str, Any]]:
    """Merge sources each sorted newest first by (at, tiebreak) into one page, ordered the same way.

    Items compare by time, then source, then their tiebreak (the id), all descending, so a
    page boundary never splits ties differently between two requests.
    """

    def keyed(source: str, items: Iterable[tuple[datetime, Any, Any]]) -> Iterable[tuple[Any, ...]]:
        for at, tiebreak, item in items:
            # Negated: the merge is descending, and the first source in SOURCE_ORDER comes first.
            yield (at, -SOURCE_ORDER[source], tiebreak, source, item)

    merged = heapq.merge(*(keyed(name, items) for name, items in sources), key=lambda k: k[:3], reverse=True)
    return [(entry[3], entry[4]) for entry in islice(merged, offset, offset + limit)]


def place(source: str) -> int:
    """Where a source's entries go among entries of the same instant (higher first)."""
    return -SOURCE_ORDER[source]


# The timeline's order, as its cursor holds it: time, place of the source, id, all descending.
TIMELINE = pagination.Keyset(
    "timeline",
    (
        pagination.Key("at", pagination.Timestamp, descending=True),
        pagination.Key("place", int, descending=True),
        pagination.Key("id", uuid.UUID, descending=True),
    ),
)


def resume_after(source: str, cursor: tuple[Any, ...] | None) -> pagination.Before | None:
    """Which entries of `source` follow the timeline entry a cursor points past: the merged order
    puts, at one instant, a source of a higher place first."""
    if cursor is None:
        return None
    at, cursor_place, entry_id = cursor
    mine = place(source)
    if mine < cursor_place:
        return pagination.Before(at, "all")
    if mine > cursor_place:
        return pagination.Before(at, "none")
    return pagination.Before(at, "lower_ids", entry_id)
