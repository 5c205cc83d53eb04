"""Pipeline and deal events (past tense), written to the outbox with the change."""

from __future__ import annotations

from typing import Annotated

from msgspec import Meta

from patron.deals.schemas import DealStatus, StageKind
from patron.kernel.events import Changes, DomainEvent


class PipelineCreated(DomainEvent, frozen=True, kw_only=True):
    """A sales pipeline was created (the first deal of an organization creates the default one)."""

    type = "pipeline.created"
    subject = "pipeline"
    name: str
    stages: Annotated[list[str], Meta(description="the stage names in order, the won and lost stages last")]


class PipelineUpdated(DomainEvent, frozen=True, kw_only=True):
    """A pipeline was renamed."""

    type = "pipeline.updated"
    subject = "pipeline"
    changes: Changes


class PipelineDeleted(DomainEvent, frozen=True, kw_only=True):
    """A pipeline without deals was deleted."""

    type = "pipeline.deleted"
    subject = "pipeline"
    name: str


class DealCreated(DomainEvent, frozen=True, kw_only=True):
    """A deal was opened."""

    type = "deal.created"
    subject = "deal"
    title: str
    value: Annotated[int, Meta(description="in minor units of `currency`")]
    currency: str
    stage: Annotated[str, Meta(description="the name of the stage it starts in")]


class DealUpdated(DomainEvent, frozen=True, kw_only=True):
    """Fields of a deal changed (its stage changes with `deal.stage_changed`)."""

    type = "deal.updated"
    subject = "deal"
    changes: Changes


class DealStageChanged(DomainEvent, frozen=True, kw_only=True):
    """A deal moved to another stage: won and lost stages close it, reopening moves it back."""

    type = "deal.stage_changed"
    subject = "deal"
    from_stage: str
    to_stage: str
    from_status: DealStatus
    to_status: StageKind
    reopened: Annotated[bool, Meta(description="true when the deal was closed (won or lost) before")]


class DealDeleted(DomainEvent, frozen=True, kw_only=True):
    """A deal was deleted."""

    type = "deal.deleted"
    subject = "deal"
    title: str


EVENTS = (PipelineCreated, PipelineUpdated, PipelineDeleted, DealCreated, DealUpdated, DealStageChanged, DealDeleted)
