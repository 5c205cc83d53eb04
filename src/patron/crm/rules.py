"""Pure CRM rules: merging the timeline."""

from __future__ import annotations

import heapq
from collections.abc import Iterable, Sequence
from datetime import datetime
from itertools import islice
from typing import Any

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
