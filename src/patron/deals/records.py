"""Pipelines and their stages as the deals repository returns them (see `patron.db.records`).

A deal comes back as its read schema (`DealRead`: every column but the tenant key).
"""

from __future__ import annotations

import uuid
from datetime import datetime

import msgspec

from patron.deals.schemas import StageKind


class PipelineRecord(msgspec.Struct, frozen=True):
    """A pipeline without its stages (`stages_of` reads them)."""

    id: uuid.UUID
    name: str
    is_default: bool
    created_at: datetime
    updated_at: datetime


class StageRecord(msgspec.Struct, frozen=True):
    """A stage with the pipeline it belongs to."""

    id: uuid.UUID
    pipeline_id: uuid.UUID
    name: str
    kind: StageKind
    position: int
