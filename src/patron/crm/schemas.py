"""Wire shapes for interactions, memos and the timeline (msgspec, unknown fields rejected)."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated, Literal

from msgspec import UNSET, Meta, Struct, UnsetType

from patron.events.schemas import EventRead
from patron.kernel.pagination import Page

InteractionKind = Literal["call", "email", "meeting", "note"]
Summary = Annotated[str, Meta(min_length=1, max_length=5000, examples=["Discussed the renewal; wants a quote"])]
Outcome = Annotated[str, Meta(max_length=200, examples=["quote requested"])]
MemoBody = Annotated[str, Meta(min_length=1, max_length=10000, examples=["Prefers calls after 5 pm"])]


class InteractionCreate(Struct, forbid_unknown_fields=True):
    """`staff_id` (who) defaults to the caller, `occurred_at` (when) to now."""

    kind: InteractionKind
    summary: Summary
    outcome: Outcome | None = None
    occurred_at: datetime | None = None
    staff_id: uuid.UUID | None = None


class InteractionUpdate(Struct, forbid_unknown_fields=True):
    kind: InteractionKind | UnsetType = UNSET
    summary: Summary | UnsetType = UNSET
    outcome: Outcome | UnsetType | None = UNSET
    occurred_at: datetime | UnsetType = UNSET
    staff_id: uuid.UUID | UnsetType = UNSET


class InteractionRead(Struct):
    id: uuid.UUID
    kind: InteractionKind
    customer_id: uuid.UUID | None
    company_id: uuid.UUID | None
    staff_id: uuid.UUID
    occurred_at: datetime
    summary: str
    outcome: str | None
    created_at: datetime
    updated_at: datetime


class InteractionPage(Page):
    items: list[InteractionRead]


class MemoCreate(Struct, forbid_unknown_fields=True):
    body: MemoBody


class MemoRead(Struct):
    id: uuid.UUID
    customer_id: uuid.UUID
    author_id: uuid.UUID
    body: str
    created_at: datetime
    updated_at: datetime


class MemoPage(Page):
    items: list[MemoRead]


class TimelineEntry(Struct):
    """One entry: `kind` says which of `interaction`, `memo` or `event` is set; `at` orders them."""

    kind: Literal["interaction", "memo", "event"]
    at: datetime
    id: uuid.UUID
    interaction: InteractionRead | None = None
    memo: MemoRead | None = None
    event: EventRead | None = None


class Timeline(Page):
    items: list[TimelineEntry]


class MemoUpdate(Struct, forbid_unknown_fields=True):
    body: MemoBody
