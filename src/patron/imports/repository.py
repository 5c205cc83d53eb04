"""Every query of the import tables; each starts from the organization's rows, but the workers'
scan for jobs to run, which looks at every organization (as the webhook dispatcher does)."""

from __future__ import annotations

import uuid
from collections.abc import Iterator, Mapping, Sequence
from datetime import datetime
from typing import Any

import msgspec
import sqlalchemy as sa
from sqlalchemy.engine import Connection

from patron.db import paging
from patron.db.base import table
from patron.db.models import ImportChunk, ImportFile, ImportJob, ImportRowError
from patron.db.records import record_or_none, records
from patron.kernel import pagination

job = table(ImportJob)
file = table(ImportFile)
row_error = table(ImportRowError)
chunk = table(ImportChunk)

JOBS = pagination.newest_first("imports")
FIRST_ERRORS = 1_000


class JobRecord(msgspec.Struct):
    """An import job as stored (the file aside)."""

    org_id: uuid.UUID
    id: uuid.UUID
    status: str
    dry_run: bool
    file_name: str | None
    file_format: str
    file_bytes: int
    header: list[str]
    match_on: list[str]
    on_match: str
    mapping: dict[str, Any]
    created_by: uuid.UUID | None
    created_by_role: str
    rows: int | None
    processed: int
    created: int
    updated: int
    unchanged: int
    merged: int
    rejected: int
    next_item: int
    chunks: int
    warnings: list[Any]
    failure: dict[str, Any] | None
    attempts: int
    lease_owner: uuid.UUID | None
    lease_expires_at: datetime | None
    created_at: datetime
    started_at: datetime | None
    finished_at: datetime | None


class ErrorRecord(msgspec.Struct):
    row: int
    n: int
    column: str | None
    field: str | None
    code: str
    message_id: str
    message_params: dict[str, Any]
    cells: list[Any] | None


def insert_job(conn: Connection, values: Mapping[str, Any], content: bytes) -> None:
    conn.execute(sa.insert(job), dict(values))
    conn.execute(sa.insert(file), {"org_id": values["org_id"], "job_id": values["id"], "content": content})


def get(conn: Connection, org_id: uuid.UUID, job_id: uuid.UUID) -> JobRecord | None:
    stmt = sa.select(job).where(job.c.org_id == org_id, job.c.id == job_id)
    return record_or_none(conn.execute(stmt).one_or_none(), JobRecord)


def page_of(conn: Connection, org_id: uuid.UUID, page: pagination.PageRequest) -> tuple[list[JobRecord], int]:
    return paging.fetch(conn, sa.select(job).where(job.c.org_id == org_id), job.c, page, JobRecord)


def content(conn: Connection, org_id: uuid.UUID, job_id: uuid.UUID) -> bytes | None:
    stmt = sa.select(file.c.content).where(file.c.org_id == org_id, file.c.job_id == job_id)
    found = conn.execute(stmt).scalar_one_or_none()
    return None if found is None else bytes(found)


def first_errors(conn: Connection, org_id: uuid.UUID, job_id: uuid.UUID) -> tuple[list[ErrorRecord], int]:
    """The first `FIRST_ERRORS` rejections by row, and how many there are."""
    of_job = sa.select(row_error).where(row_error.c.org_id == org_id, row_error.c.job_id == job_id)
    stmt = of_job.order_by(row_error.c.row, row_error.c.n).limit(FIRST_ERRORS)
    total = conn.execute(sa.select(sa.func.count()).select_from(of_job.subquery())).scalar_one()
    return records(conn.execute(stmt), ErrorRecord), int(total)


def all_errors(conn: Connection, org_id: uuid.UUID, job_id: uuid.UUID, *, batch: int = 2_000) -> Iterator[ErrorRecord]:
    """Every rejection by row, read in batches."""
    after: tuple[int, int] = (-1, -1)
    while True:
        stmt = (
            sa.select(row_error)
            .where(
                row_error.c.org_id == org_id,
                row_error.c.job_id == job_id,
                sa.tuple_(row_error.c.row, row_error.c.n) > sa.tuple_(*after),
            )
            .order_by(row_error.c.row, row_error.c.n)
            .limit(batch)
        )
        found = records(conn.execute(stmt), ErrorRecord)
        yield from found
        if len(found) < batch:
            return
        after = (found[-1].row, found[-1].n)


def outcomes(conn: Connection, org_id: uuid.UUID, job_id: uuid.UUID) -> Iterator[list[Any]]:
    """Every committed chunk's outcomes, in row order."""
    stmt = sa.select(chunk.c.outcomes).where(chunk.c.org_id == org_id, chunk.c.job_id == job_id).order_by(chunk.c.seq)
    for (found,) in conn.execute(stmt):
        yield from found


def claim(
    conn: Connection, *, owner: uuid.UUID, now: datetime, until: datetime, job_id: uuid.UUID | None
) -> JobRecord | None:
    """Take a job to run: queued, or running with an expired lease (its worker died); oldest first."""
    free = sa.or_(job.c.lease_expires_at.is_(None), job.c.lease_expires_at < now)
    pending = sa.and_(job.c.status.in_(("queued", "running")), free)
    pick = sa.select(job.c.org_id, job.c.id).where(pending)
    pick = pick.where(job.c.id == job_id) if job_id is not None else pick.order_by(job.c.created_at, job.c.id)
    found = conn.execute(pick.limit(1)).one_or_none()
    if found is None:
        return None
    stmt = (
        sa.update(job)
        .where(job.c.org_id == found.org_id, job.c.id == found.id, pending)
        .values(
            status="running",
            lease_owner=owner,
            lease_expires_at=until,
            attempts=job.c.attempts + 1,
            started_at=sa.func.coalesce(job.c.started_at, now),
        )
        .returning(*job.c)
    )
    # Another worker may have taken it between the two statements: then nothing is updated.
    return record_or_none(conn.execute(stmt).one_or_none(), JobRecord)


def advance(
    conn: Connection,
    held: JobRecord,
    *,
    owner: uuid.UUID,
    until: datetime,
    values: Mapping[str, Any],
) -> bool:
    """Move the job on (its checkpoint, totals, lease) if this worker still holds it at the checkpoint
    it started the chunk from; False when another worker took it over meanwhile."""
    stmt = (
        sa.update(job)
        .where(
            job.c.org_id == held.org_id,
            job.c.id == held.id,
            job.c.lease_owner == owner,
            job.c.next_item == held.next_item,
            job.c.status == "running",
        )
        .values(**values, lease_expires_at=until)
    )
    return conn.execute(stmt).rowcount == 1


def release(conn: Connection, held: JobRecord, *, owner: uuid.UUID, now: datetime) -> None:
    """Give the job back (a worker stopping): another may take it at once."""
    conn.execute(
        sa.update(job)
        .where(job.c.org_id == held.org_id, job.c.id == held.id, job.c.lease_owner == owner)
        .values(lease_owner=None, lease_expires_at=now)
    )


def drop_file(conn: Connection, org_id: uuid.UUID, job_id: uuid.UUID) -> None:
    conn.execute(sa.delete(file).where(file.c.org_id == org_id, file.c.job_id == job_id))


def insert_errors(conn: Connection, rows: Sequence[Mapping[str, Any]]) -> None:
    if rows:
        conn.execute(sa.insert(row_error), list(rows))


def insert_chunk(conn: Connection, values: Mapping[str, Any]) -> None:
    conn.execute(sa.insert(chunk), dict(values))
