"""Wire shapes for duplicates (msgspec, unknown fields rejected)."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated

from msgspec import Meta, Struct

from patron.duplicates.rules import Reason

Score = Annotated[float, Meta(ge=0, le=1, description="how likely the two are one person, 0-1", examples=[0.85])]


class DuplicatePair(Struct):
    customer_ids: Annotated[list[uuid.UUID], Meta(description="the two customers, lower id first")]
    score: Score
    reasons: Annotated[list[Reason], Meta(description="the evidence found, strongest kinds first")]


class DuplicatePage(Struct):
    """Pairs, highest score first (ties by ids); `next_cursor` reads on with the same `min_score`."""

    items: list[DuplicatePair]
    next_cursor: Annotated[str | None, Meta(description="pass as `cursor` for the next page; null on the last")]


class DismissalCreate(Struct, forbid_unknown_fields=True):
    customer_ids: Annotated[
        list[uuid.UUID],
        Meta(min_length=2, max_length=2, description="the two customers staff say are different people"),
    ]


class DismissalRead(Struct):
    customer_ids: Annotated[list[uuid.UUID], Meta(description="the pair, lower id first")]
    dismissed_at: datetime
