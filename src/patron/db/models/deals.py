from __future__ import annotations

import uuid
from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from patron.db.base import Base, org_id_column


class Pipeline(Base):
    """A sales pipeline: ordered stages ending in won and lost."""

    __tablename__ = "pipeline"
    __table_args__ = (sa.UniqueConstraint("org_id", "name"),)

    org_id: Mapped[uuid.UUID] = org_id_column()
    id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(100))
    is_default: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]


class PipelineStage(Base):
    """One stage; `kind` is open, won or lost; `position` orders the stages of a pipeline."""

    __tablename__ = "pipeline_stage"
    __table_args__ = (
        sa.ForeignKeyConstraint(["org_id", "pipeline_id"], ["pipeline.org_id", "pipeline.id"], ondelete="CASCADE"),
        sa.UniqueConstraint("org_id", "pipeline_id", "name"),
        # The target of deal's foreign key: a deal's stage belongs to the deal's pipeline.
        sa.UniqueConstraint("org_id", "pipeline_id", "id"),
    )

    org_id: Mapped[uuid.UUID] = org_id_column()
    id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    pipeline_id: Mapped[uuid.UUID]
    name: Mapped[str] = mapped_column(sa.String(60))
    kind: Mapped[str] = mapped_column(sa.String(10))
    position: Mapped[int]


class Deal(Base):
    """A sales opportunity: value in minor units with its currency, in one stage of one pipeline."""

    __tablename__ = "deal"
    __table_args__ = (
        sa.ForeignKeyConstraint(
            ["org_id", "pipeline_id", "stage_id"],
            ["pipeline_stage.org_id", "pipeline_stage.pipeline_id", "pipeline_stage.id"],
        ),
        sa.ForeignKeyConstraint(["org_id", "owner_id"], ["staff_user.org_id", "staff_user.id"]),
        sa.ForeignKeyConstraint(["org_id", "customer_id"], ["customer.org_id", "customer.id"]),
        sa.ForeignKeyConstraint(["org_id", "company_id"], ["company.org_id", "company.id"]),
        sa.Index("ix_deal_org_id_pipeline_id_stage_id", "org_id", "pipeline_id", "stage_id"),
        sa.Index("ix_deal_org_id_customer_id", "org_id", "customer_id"),
    )

    org_id: Mapped[uuid.UUID] = org_id_column()
    id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    pipeline_id: Mapped[uuid.UUID]
    stage_id: Mapped[uuid.UUID]
    status: Mapped[str] = mapped_column(sa.String(10))
    title: Mapped[str] = mapped_column(sa.String(200))
    value: Mapped[int] = mapped_column(sa.BigInteger)
    currency: Mapped[str] = mapped_column(sa.String(3))
    owner_id: Mapped[uuid.UUID]
    expected_close_on: Mapped[date | None]
    customer_id: Mapped[uuid.UUID | None]
    company_id: Mapped[uuid.UUID | None]
    closed_at: Mapped[datetime | None]
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]
    version: Mapped[int] = mapped_column(default=1)
