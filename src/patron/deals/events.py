"""Pipeline and deal events (past tense), written to the outbox with the change."""

from __future__ import annotations

from dataclasses import dataclass

from patron.kernel.events import DomainEvent


@dataclass(frozen=True, slots=True)
class PipelineCreated(DomainEvent):
    type = "pipeline.created"


@dataclass(frozen=True, slots=True)
class PipelineUpdated(DomainEvent):
    type = "pipeline.updated"


@dataclass(frozen=True, slots=True)
class PipelineDeleted(DomainEvent):
    type = "pipeline.deleted"


@dataclass(frozen=True, slots=True)
class DealCreated(DomainEvent):
    type = "deal.created"


@dataclass(frozen=True, slots=True)
class DealUpdated(DomainEvent):
    """`data` holds `changes` ({field: {old, new}})."""

    type = "deal.updated"


@dataclass(frozen=True, slots=True)
class DealStageChanged(DomainEvent):
    """`data` holds `from_stage`, `to_stage`, `from_status`, `to_status` and `reopened`."""

    type = "deal.stage_changed"


@dataclass(frozen=True, slots=True)
class DealDeleted(DomainEvent):
    type = "deal.deleted"
