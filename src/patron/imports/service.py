"""Import use cases: queue a file, read jobs and their reports. Never commits.

The work itself runs in a worker (`patron.imports.runner`), chunk by chunk.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from patron.db.uow import UnitOfWork
from patron.imports import reading
from patron.imports import repository as repo
from patron.imports.rows import MATCH_KEYS, MatchKey
from patron.imports.schemas import (
    ImportDetail,
    ImportFailure,
    ImportPage,
    ImportProblem,
    ImportRead,
    ImportTotals,
    ImportWarningRead,
)
from patron.kernel import clock
from patron.kernel.errors import NotFound, ValidationFailed
from patron.kernel.ids import uuid7
from patron.kernel.messages import Message
from patron.kernel.tenancy import Principal


@dataclass(frozen=True, slots=True)
class ImportOptions:
    """How to import a file (SPEC §13.1)."""

    dry_run: bool = False
    match_on: tuple[MatchKey, ...] = MATCH_KEYS
    on_match: str = "update"
    mapping: Mapping[str, str | None] = field(default_factory=dict)


def parse_match_on(raw: str | Sequence[str] | None) -> tuple[MatchKey, ...]:
    """`customer_number,email` as the keys in that order; ValidationFailed names `match_on`."""
    if raw is None:
        return MATCH_KEYS
    parts = [p.strip() for p in raw.split(",")] if isinstance(raw, str) else [p.strip() for p in raw]
    keys: list[MatchKey] = []
    for part in parts:
        if not part:
            continue
        if part not in MATCH_KEYS:
            raise ValidationFailed.single(
                "match_on", Message("import.unknown_match_key", value=part, allowed=", ".join(MATCH_KEYS))
            )
        if part in keys:
            raise ValidationFailed.single("match_on", Message("import.repeated_match_key", value=part))
        keys.append(part)
    if not keys:
        raise ValidationFailed.single("match_on", Message("import.no_match_key", allowed=", ".join(MATCH_KEYS)))
    return tuple(keys)


def _warning_record(warning: Any) -> dict[str, Any]:
    return {
        "code": warning.code,
        "message_id": warning.message.id,
        "message_params": warning.message.params,
        "columns": list(warning.columns),
    }


def create_import(
    uow: UnitOfWork,
    *,
    principal: Principal,
    content: bytes,
    file_name: str | None,
    content_type: str | None,
    options: ImportOptions,
    created_by: uuid.UUID | None,
    held_by: tuple[uuid.UUID, datetime] | None = None,
    locale: str = "en",
) -> ImportRead:
    """Queue a file for import; its header is read now, so an unreadable file is a 422 at once.

    `held_by` (owner, lease end) queues it already taken by that worker (the CLI runs it itself).
    """
    sheet = reading.read(content, file_name=file_name, content_type=content_type, mapping=options.mapping)
    now = clock.now()
    values: dict[str, Any] = {
        "org_id": principal.org_id,
        "id": uuid7(),
        "status": "queued" if held_by is None else "running",
        "dry_run": options.dry_run,
        "file_name": file_name,
        "file_format": sheet.format,
        "file_bytes": len(content),
        "header": [column.header for column in sheet.columns],
        "match_on": list(options.match_on),
        "on_match": options.on_match,
        "mapping": dict(options.mapping),
        "created_by": created_by,
        "created_by_role": principal.role.value,
        "rows": None,
        "processed": 0,
        "created": 0,
        "updated": 0,
        "unchanged": 0,
        "merged": 0,
        "rejected": 0,
        "next_item": 0,
        "chunks": 0,
        "warnings": [_warning_record(w) for w in sheet.warnings],
        "failure": None,
        "attempts": 0 if held_by is None else 1,
        "lease_owner": None if held_by is None else held_by[0],
        "lease_expires_at": None if held_by is None else held_by[1],
        "created_at": now,
        "started_at": None if held_by is None else now,
        "finished_at": None,
    }
    repo.insert_job(uow.conn, values, content)
    job = repo.get(uow.conn, principal.org_id, values["id"])
    assert job is not None
    return read_of(job, locale)


def _render(message_id: str, params: Mapping[str, Any], locale: str) -> str:
    return Message.stored(message_id, params).render(locale)


def read_of(job: repo.JobRecord, locale: str) -> ImportRead:
    return ImportRead(**_fields(job, locale))


def _fields(job: repo.JobRecord, locale: str) -> dict[str, Any]:
    failure = None
    if job.failure is not None:
        failure = ImportFailure(
            code=job.failure["code"],
            message=_render(job.failure["message_id"], job.failure.get("message_params", {}), locale),
        )
    return {
        "id": job.id,
        "status": job.status,
        "dry_run": job.dry_run,
        "file_name": job.file_name,
        "file_format": job.file_format,
        "match_on": job.match_on,
        "on_match": job.on_match,
        "totals": ImportTotals(
            rows=job.rows,
            processed=job.processed,
            created=job.created,
            updated=job.updated,
            unchanged=job.unchanged,
            merged=job.merged,
            rejected=job.rejected,
        ),
        "progress": round(job.processed / job.rows, 4) if job.rows else (1.0 if job.status == "succeeded" else 0.0),
        "warnings": [
            ImportWarningRead(
                code=w["code"], message=_render(w["message_id"], w["message_params"], locale), columns=w["columns"]
            )
            for w in job.warnings
        ],
        "failure": failure,
        "created_at": job.created_at,
        "started_at": job.started_at,
        "finished_at": job.finished_at,
    }


def _job_or_404(uow: UnitOfWork, principal: Principal, job_id: uuid.UUID) -> repo.JobRecord:
    job = repo.get(uow.conn, principal.org_id, job_id)
    if job is None:
        raise NotFound(Message("import.not_found"), code="import.not_found")
    return job


def get_import(uow: UnitOfWork, *, principal: Principal, job_id: uuid.UUID, locale: str = "en") -> ImportDetail:
    """The job with its totals, progress, warnings and first 1,000 rejections."""
    job = _job_or_404(uow, principal, job_id)
    errors, total = repo.first_errors(uow.conn, principal.org_id, job_id)
    return ImportDetail(
        **_fields(job, locale),
        errors=[
            ImportProblem(
                row=e.row,
                column=e.column,
                field=e.field,
                code=e.code,
                message=_render(e.message_id, e.message_params, locale),
            )
            for e in errors
        ],
        errors_total=total,
    )


def list_imports(
    uow: UnitOfWork, *, principal: Principal, limit: int, offset: int, cursor: str | None, locale: str = "en"
) -> ImportPage:
    """The organization's import jobs, newest first."""
    page = repo.JOBS.request(limit=limit, offset=offset, cursor=cursor)
    rows, total = repo.page_of(uow.conn, principal.org_id, page)
    return page.answer(ImportPage, rows, total, lambda job: read_of(job, locale))


def error_report(
    uow: UnitOfWork, *, principal: Principal, job_id: uuid.UUID, locale: str = "en"
) -> tuple[list[str], Iterator[list[str]]]:
    """Every rejected row as the file had it, with its reasons: a header and the rows (read lazily).

    The header is the file's own (as it was read) plus `row` and `reasons`, so the report can be
    fixed and imported again.
    """
    job = _job_or_404(uow, principal, job_id)
    header = job.header

    def rows() -> Iterator[list[str]]:
        current: int | None = None
        cells: list[str] = []
        reasons: list[str] = []
        for error in repo.all_errors(uow.conn, principal.org_id, job_id):
            if error.row != current:
                if current is not None:
                    yield [*cells, str(current), "; ".join(reasons)]
                current, cells, reasons = error.row, [str(c) for c in (error.cells or [])], []
                cells += [""] * (len(header) - len(cells))
            where = f"{error.column or error.field}: " if (error.column or error.field) else ""
            reasons.append(where + _render(error.message_id, error.message_params, locale))
        if current is not None:
            yield [*cells, str(current), "; ".join(reasons)]

    return [*header, "row", "reasons"], rows()


def outcome_report(uow: UnitOfWork, *, principal: Principal, job_id: uuid.UUID) -> Iterator[list[Any]]:
    """What each committed row did: [row, outcome, customer id]; a dry run's creations have no id."""
    _job_or_404(uow, principal, job_id)
    return repo.outcomes(uow.conn, principal.org_id, job_id)
