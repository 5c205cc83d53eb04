"""Wire shapes for pipelines, deals and the board (msgspec, unknown fields rejected)."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Annotated, Literal

from msgspec import UNSET, Meta, Struct, UnsetType

from patron.kernel import validators
from patron.kernel.pagination import Page

StageKind = Literal["open", "won", "lost"]
DealStatus = Literal["open", "won", "lost"]
PipelineName = Annotated[str, Meta(min_length=1, max_length=100, examples=["Sales"])]
StageName = Annotated[str, Meta(min_length=1, max_length=60, examples=["proposal"])]
Title = Annotated[str, Meta(min_length=1, max_length=200, examples=["50 seats, annual"])]
Value = Annotated[int, Meta(ge=0, le=10**15, description="in minor units of `currency`", examples=[1250000])]
Currency = Annotated[
    str, Meta(min_length=3, max_length=3, description="ISO 4217", examples=["EUR"]), validators.CURRENCY
]


class StageSpec(Struct, forbid_unknown_fields=True):
    name: StageName
    kind: StageKind = "open"


class PipelineCreate(Struct, forbid_unknown_fields=True):
    """Stages in order; at least one open stage, then exactly one won and one lost stage at the end.
    Left out, the stages are new, qualified, proposal, negotiation, won, lost."""

    name: PipelineName
    stages: Annotated[list[StageSpec], Meta(min_length=3, max_length=30)] | None = None


class PipelineUpdate(Struct, forbid_unknown_fields=True):
    name: PipelineName


class StageRead(Struct):
    id: uuid.UUID
    name: str
    kind: StageKind
    position: int


class PipelineRead(Struct):
    id: uuid.UUID
    name: str
    is_default: bool
    stages: list[StageRead]
    created_at: datetime
    updated_at: datetime


class PipelinePage(Page):
    items: list[PipelineRead]


class DealCreate(Struct, forbid_unknown_fields=True):
    """Linked to a customer, a company or both. Without `pipeline_id` the deal goes to the default
    pipeline (created with the first such deal); without `stage_id` to its first stage."""

    title: Title
    value: Value
    currency: Currency
    customer_id: uuid.UUID | None = None
    company_id: uuid.UUID | None = None
    owner_id: Annotated[uuid.UUID, Meta(description="a staff member; default: the caller")] | None = None
    expected_close_on: date | None = None
    pipeline_id: uuid.UUID | None = None
    stage_id: uuid.UUID | None = None


class DealUpdate(Struct, forbid_unknown_fields=True):
    title: Title | UnsetType = UNSET
    value: Value | UnsetType = UNSET
    currency: Currency | UnsetType = UNSET
    customer_id: uuid.UUID | UnsetType | None = UNSET
    company_id: uuid.UUID | UnsetType | None = UNSET
    owner_id: uuid.UUID | UnsetType = UNSET
    expected_close_on: date | UnsetType | None = UNSET


class DealMove(Struct, forbid_unknown_fields=True):
    stage_id: uuid.UUID


class DealReopen(Struct, forbid_unknown_fields=True):
    """Without `stage_id` the deal goes back to the last open stage."""

    stage_id: uuid.UUID | None = None


class DealRead(Struct):
    id: uuid.UUID
    pipeline_id: uuid.UUID
    stage_id: uuid.UUID
    status: DealStatus
    title: str
    value: int
    currency: str
    owner_id: uuid.UUID
    expected_close_on: date | None
    customer_id: uuid.UUID | None
    company_id: uuid.UUID | None
    closed_at: datetime | None
    created_at: datetime
    updated_at: datetime
    version: int


class DealPage(Page):
    items: list[DealRead]


class BoardColumn(Struct):
    stage: StageRead
    count: int
    value_by_currency: dict[str, int]
    deals: list[DealRead]


class Board(Struct):
    """Every stage in order with its deal count, value sums per currency and its newest deals."""

    pipeline_id: uuid.UUID
    columns: list[BoardColumn]
