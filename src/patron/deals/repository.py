"""Every pipeline and deal query; each starts from the organization's rows.

Pipelines and stages come back as records (`patron.deals.records`), deals as `DealRead`.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping, Sequence
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from patron.db import paging
from patron.db.base import table
from patron.db.models import Deal, Pipeline, PipelineStage
from patron.db.records import record, record_or_none, records
from patron.deals.records import PipelineRecord, StageRecord
from patron.deals.schemas import DealRead
from patron.kernel import pagination

pipeline = table(Pipeline)
stage = table(PipelineStage)
deal = table(Deal)


def _pipelines(org_id: uuid.UUID) -> sa.Select[Any]:
    return sa.select(pipeline).where(pipeline.c.org_id == org_id)


def get_pipeline(
    conn: Connection, org_id: uuid.UUID, pipeline_id: uuid.UUID, *, for_update: bool = False
) -> PipelineRecord | None:
    stmt = _pipelines(org_id).where(pipeline.c.id == pipeline_id)
    if for_update:
        stmt = stmt.with_for_update()
    return record_or_none(conn.execute(stmt).one_or_none(), PipelineRecord)


def default_pipeline(conn: Connection, org_id: uuid.UUID) -> PipelineRecord | None:
    row = conn.execute(_pipelines(org_id).where(pipeline.c.is_default.is_(True)).limit(1)).first()
    return record_or_none(row, PipelineRecord)


def pipeline_name_holder(conn: Connection, org_id: uuid.UUID, name: str) -> uuid.UUID | None:
    stmt = _pipelines(org_id).with_only_columns(pipeline.c.id).where(pipeline.c.name == name)
    return conn.execute(stmt).scalar_one_or_none()


PIPELINES = pagination.Keyset(
    "pipelines",
    (pagination.Key("is_default", bool, descending=True), pagination.Key("name", str), pagination.Key("id", uuid.UUID)),
)
DEALS = pagination.newest_first("deals")


def list_pipelines(
    conn: Connection, org_id: uuid.UUID, page: pagination.PageRequest
) -> tuple[list[PipelineRecord], int]:
    """A page of pipelines, the default first, then by name, and how many there are."""
    stmt = _pipelines(org_id)
    return paging.fetch(conn, stmt, pipeline.c, page, PipelineRecord)


def insert_pipeline(conn: Connection, values: Mapping[str, Any], stages: Sequence[Mapping[str, Any]]) -> PipelineRecord:
    row = conn.execute(sa.insert(pipeline).values(**values).returning(*pipeline.c)).one()
    conn.execute(sa.insert(stage), list(stages))
    return record(row, PipelineRecord)


def update_pipeline(
    conn: Connection, org_id: uuid.UUID, pipeline_id: uuid.UUID, values: Mapping[str, Any]
) -> PipelineRecord:
    stmt = (
        sa.update(pipeline)
        .where(pipeline.c.org_id == org_id, pipeline.c.id == pipeline_id)
        .values(**values)
        .returning(*pipeline.c)
    )
    return record(conn.execute(stmt).one(), PipelineRecord)


def delete_pipeline(conn: Connection, org_id: uuid.UUID, pipeline_id: uuid.UUID) -> None:
    conn.execute(sa.delete(stage).where(stage.c.org_id == org_id, stage.c.pipeline_id == pipeline_id))
    conn.execute(sa.delete(pipeline).where(pipeline.c.org_id == org_id, pipeline.c.id == pipeline_id))


def stages_of(conn: Connection, org_id: uuid.UUID, pipeline_ids: Sequence[uuid.UUID]) -> list[StageRecord]:
    """The stages of these pipelines, each pipeline's in order."""
    stmt = (
        sa.select(stage)
        .where(stage.c.org_id == org_id, stage.c.pipeline_id.in_(pipeline_ids))
        .order_by(stage.c.pipeline_id, stage.c.position)
    )
    return records(conn.execute(stmt), StageRecord)


def _deals(org_id: uuid.UUID) -> sa.Select[Any]:
    return sa.select(deal).where(deal.c.org_id == org_id)


def get_deal(conn: Connection, org_id: uuid.UUID, deal_id: uuid.UUID, *, for_update: bool = False) -> DealRead | None:
    stmt = _deals(org_id).where(deal.c.id == deal_id)
    if for_update:
        stmt = stmt.with_for_update()
    return record_or_none(conn.execute(stmt).one_or_none(), DealRead)


def _filtered(stmt: sa.Select[Any], filters: Mapping[str, Any]) -> sa.Select[Any]:
    for column, value in filters.items():
        if value is not None:
            stmt = stmt.where(deal.c[column] == value)
    return stmt


def list_deals(
    conn: Connection, org_id: uuid.UUID, filters: Mapping[str, Any], page: pagination.PageRequest
) -> tuple[list[DealRead], int]:
    """A page of the filtered deals, newest first (up to limit + 1), and how many match."""
    stmt = _filtered(_deals(org_id), filters)
    return paging.fetch(conn, stmt, deal.c, page, DealRead)


def count_deals(conn: Connection, org_id: uuid.UUID, filters: Mapping[str, Any]) -> int:
    return paging.count(conn, _filtered(_deals(org_id), filters))


def insert_deal(conn: Connection, values: Mapping[str, Any]) -> DealRead:
    return record(conn.execute(sa.insert(deal).values(**values).returning(*deal.c)).one(), DealRead)


def update_deal(conn: Connection, org_id: uuid.UUID, deal_id: uuid.UUID, values: Mapping[str, Any]) -> DealRead:
    stmt = (
        sa.update(deal)
        .where(deal.c.org_id == org_id, deal.c.id == deal_id)
        .values(**values, version=deal.c.version + 1)
        .returning(*deal.c)
    )
    return record(conn.execute(stmt).one(), DealRead)


def delete_deal(conn: Connection, org_id: uuid.UUID, deal_id: uuid.UUID) -> None:
    conn.execute(sa.delete(deal).where(deal.c.org_id == org_id, deal.c.id == deal_id))


def board_totals(conn: Connection, org_id: uuid.UUID, pipeline_id: uuid.UUID) -> list[tuple[uuid.UUID, str, int, int]]:
    """(stage_id, currency, count, sum of value) for the pipeline's deals."""
    stmt = (
        sa.select(deal.c.stage_id, deal.c.currency, sa.func.count(), sa.func.sum(deal.c.value))
        .where(deal.c.org_id == org_id, deal.c.pipeline_id == pipeline_id)
        .group_by(deal.c.stage_id, deal.c.currency)
    )
    return [(r[0], r[1], int(r[2]), int(r[3])) for r in conn.execute(stmt)]


def newest_in_stage(conn: Connection, org_id: uuid.UUID, stage_id: uuid.UUID, *, limit: int) -> list[DealRead]:
    stmt = _deals(org_id).where(deal.c.stage_id == stage_id).order_by(deal.c.updated_at.desc(), deal.c.id.desc())
    return records(conn.execute(stmt.limit(limit)), DealRead)
