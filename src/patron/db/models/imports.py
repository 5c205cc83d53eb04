from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from patron.db.base import Base, org_id_column


class ImportJob(Base):
    """One uploaded file being imported (or dry-run) into the organization's customers.

    `next_item` is the checkpoint: the file's items (a customer's merged rows, or a rejected
    row) before it were applied and committed together with it, chunk by chunk. A worker holds
    the job by its lease (`lease_owner` until `lease_expires_at`); each chunk's commit renews
    it and checks it still holds it, so a job taken over after its worker died is never
    applied twice.
    """

    __tablename__ = "import_job"
    __table_args__ = (
        # The workers' scan for jobs to run (queued, or running with an expired lease), every organization.
        sa.Index("ix_import_job_status_lease_expires_at", "status", "lease_expires_at"),
        sa.Index("ix_import_job_org_id_created_at_id", "org_id", "created_at", "id"),
        sa.ForeignKeyConstraint(["org_id", "created_by"], ["staff_user.org_id", "staff_user.id"]),
    )

    org_id: Mapped[uuid.UUID] = org_id_column()
    id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    status: Mapped[str] = mapped_column(sa.String(20))
    dry_run: Mapped[bool]
    file_name: Mapped[str | None] = mapped_column(sa.String(255))
    file_format: Mapped[str] = mapped_column(sa.String(10))
    file_bytes: Mapped[int] = mapped_column(sa.BigInteger)
    # The file's header as written, for the error report (its rows keep their cells).
    header: Mapped[list[str]]
    match_on: Mapped[list[str]]
    on_match: Mapped[str] = mapped_column(sa.String(10))
    mapping: Mapped[dict[str, Any]]
    created_by: Mapped[uuid.UUID | None]
    created_by_role: Mapped[str] = mapped_column(sa.String(20))
    rows: Mapped[int | None]
    processed: Mapped[int] = mapped_column(default=0)
    created: Mapped[int] = mapped_column(default=0)
    updated: Mapped[int] = mapped_column(default=0)
    unchanged: Mapped[int] = mapped_column(default=0)
    merged: Mapped[int] = mapped_column(default=0)
    rejected: Mapped[int] = mapped_column(default=0)
    next_item: Mapped[int] = mapped_column(default=0)
    chunks: Mapped[int] = mapped_column(default=0)
    warnings: Mapped[list[Any]]
    failure: Mapped[dict[str, Any] | None]
    attempts: Mapped[int] = mapped_column(default=0)
    lease_owner: Mapped[uuid.UUID | None]
    lease_expires_at: Mapped[datetime | None]
    created_at: Mapped[datetime]
    started_at: Mapped[datetime | None]
    finished_at: Mapped[datetime | None]


class ImportFile(Base):
    """The uploaded bytes, kept apart from the job so lists do not read them; dropped when the job ends."""

    __tablename__ = "import_file"
    __table_args__ = (sa.ForeignKeyConstraint(["org_id", "job_id"], ["import_job.org_id", "import_job.id"]),)

    org_id: Mapped[uuid.UUID] = org_id_column()
    job_id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    content: Mapped[bytes] = mapped_column(sa.LargeBinary)


class ImportRowError(Base):
    """Why one row of a file was rejected (one row per reason), with the row's cells for the error report."""

    __tablename__ = "import_row_error"
    __table_args__ = (sa.ForeignKeyConstraint(["org_id", "job_id"], ["import_job.org_id", "import_job.id"]),)

    org_id: Mapped[uuid.UUID] = org_id_column()
    job_id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    row: Mapped[int] = mapped_column(primary_key=True)
    n: Mapped[int] = mapped_column(primary_key=True)
    column: Mapped[str | None] = mapped_column(sa.String(200))
    field: Mapped[str | None] = mapped_column(sa.String(200))
    code: Mapped[str] = mapped_column(sa.String(100))
    message_id: Mapped[str] = mapped_column(sa.String(100))
    message_params: Mapped[dict[str, Any]]
    cells: Mapped[list[Any] | None]


class ImportChunk(Base):
    """What one committed chunk did, row for row: `outcomes` is [[row, outcome, customer id or null], ...]."""

    __tablename__ = "import_chunk"
    __table_args__ = (sa.ForeignKeyConstraint(["org_id", "job_id"], ["import_job.org_id", "import_job.id"]),)

    org_id: Mapped[uuid.UUID] = org_id_column()
    job_id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    seq: Mapped[int] = mapped_column(primary_key=True)
    first_row: Mapped[int]
    outcomes: Mapped[list[Any]]
