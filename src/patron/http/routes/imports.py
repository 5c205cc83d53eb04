"""Import routes: upload a file as a job, follow it, download its reports (SPEC §13.1)."""

from __future__ import annotations

import csv
import hashlib
import io
from collections.abc import Callable, Iterator
from typing import Annotated, Any

import msgspec
from litestar import Request, Response
from litestar.datastructures import UploadFile
from litestar.params import Parameter
from litestar.response import Stream

from patron.db.uow import UnitOfWork
from patron.http.deps import RequestContext
from patron.http.guards import requires
from patron.http.i18n import request_locale
from patron.http.openapi import OPENAPI_REQUEST_BODY
from patron.http.routes._shared import Cursor, Limit, Offset, path_id
from patron.http.routing import get, post
from patron.http.wire import PatronRequest, UnsupportedMediaType
from patron.identity.permissions import Permission
from patron.imports import service as imports
from patron.imports.schemas import ImportDetail, ImportPage, ImportRead
from patron.kernel.errors import PatronError, ValidationFailed
from patron.kernel.messages import Message

MANAGE = requires(Permission.IMPORTS_MANAGE)
TAGS = ["imports"]
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# What a file may be sent as: a form with a `file` part, or the file itself (CSV, XLSX, or bytes).
_FILE_TYPES = frozenset(
    {"multipart/form-data", "text/csv", "application/csv", "text/plain", XLSX, "application/octet-stream"}
)
# Room for a multipart body's boundaries and option fields around a file of the largest size.
_MULTIPART_SLACK = 64 * 1024


class ImportTooLarge(PatronError):
    status = 413
    code = "import.too_large"
    title = Message("title.content_too_large")


class _Fingerprint(msgspec.Struct):
    """What an Idempotency-Key is bound to: the file's digest and the options."""

    sha256: str
    file_name: str | None
    dry_run: bool
    match_on: list[str]
    on_match: str
    mapping: dict[str, str | None]


_REQUEST_BODY = {
    "required": True,
    "description": "The file: as the `file` part of a form (other parts may carry the options), or as the "
    "whole body with its type (`text/csv`, or the XLSX type with `?file_name=`).",
    "content": {
        "multipart/form-data": {
            "schema": {
                "type": "object",
                "required": ["file"],
                "properties": {
                    "file": {"type": "string", "format": "binary"},
                    "dry_run": {"type": "boolean"},
                    "match_on": {"type": "string", "examples": ["email,phone"]},
                    "on_match": {"type": "string", "enum": ["update", "skip"]},
                    "mapping": {"type": "string", "description": 'JSON: {"column header": "field"}'},
                },
            }
        },
        "text/csv": {"schema": {"type": "string", "format": "binary"}},
        XLSX: {"schema": {"type": "string", "format": "binary"}},
    },
}


def _locale(request: Request[Any, Any, Any]) -> str:
    return request_locale(request.headers.get("accept-language", ""))


def _flag(value: str | bool | None, name: str) -> bool:
    if value is None or isinstance(value, bool):
        return bool(value)
    lowered = value.strip().lower()
    if lowered in ("true", "1", "yes"):
        return True
    if lowered in ("false", "0", "no", ""):
        return False
    raise ValidationFailed.single(name, Message("import.not_boolean"))


def _mapping(raw: str | None) -> dict[str, str | None]:
    if raw is None or not raw.strip():
        return {}
    try:
        return msgspec.json.decode(raw, type=dict[str, str | None])
    except (msgspec.DecodeError, msgspec.ValidationError):
        raise ValidationFailed.single("mapping", Message("import.mapping_not_json")) from None


def _on_match(raw: str | None) -> str:
    value = (raw or "update").strip()
    if value not in ("update", "skip"):
        raise ValidationFailed.single("on_match", Message("enum.invalid", value=value, allowed="update, skip"))
    return value


@post(
    "/imports",
    opt={**MANAGE, OPENAPI_REQUEST_BODY: _REQUEST_BODY},
    tags=TAGS,
    status_code=202,
    summary="Import customers from a CSV or XLSX file (a background job)",
    request_max_body_size=None,  # the limit is a setting (PATRON_IMPORT_MAX_BYTES), checked below
)
async def create_import(
    request: PatronRequest,
    ctx: RequestContext,
    dry_run: Annotated[bool | None, Parameter(description="report what would happen, write no customer")] = None,
    match_on: Annotated[
        str | None,
        Parameter(max_length=100, description="ordered keys: customer_number,email,phone,vat_id (the default)"),
    ] = None,
    on_match: Annotated[str | None, Parameter(description="`update` (default) or `skip` a matched customer")] = None,
    mapping: Annotated[str | None, Parameter(max_length=20_000, description='JSON {"column header": "field"}')] = None,
    file_name: Annotated[str | None, Parameter(max_length=255, description="the file's name, for a raw body")] = None,
) -> Response[ImportRead]:
    """202 with the queued job; follow it with `GET /imports/{id}`. Columns are the customer fields by
    name (any case, spaces and dashes as `_`), `tags` (`;`-separated) and `custom.<key>`; each row
    is validated as `POST /customers` validates. A file over PATRON_IMPORT_MAX_BYTES answers 413."""
    limit: int = request.app.state.settings.import_max_bytes
    content_type, _ = request.content_type
    if content_type not in _FILE_TYPES:
        raise UnsupportedMediaType(Message("import.unsupported_media_type", allowed=", ".join(sorted(_FILE_TYPES))))
    body = await request.body_up_to(limit + (_MULTIPART_SLACK if content_type == "multipart/form-data" else 0))
    if body is None:
        raise ImportTooLarge(Message("import.too_large", limit=limit))
    options: dict[str, Any] = {
        "dry_run": dry_run,
        "match_on": match_on,
        "on_match": on_match,
        "mapping": mapping,
        "file_name": file_name,
    }
    if content_type == "multipart/form-data":
        form = await request.form()
        upload = form.get("file")
        if not isinstance(upload, UploadFile):
            raise ValidationFailed.single("file", Message("import.file_missing_in_form"))
        content = await upload.read()
        options["file_name"] = options["file_name"] or upload.filename or None
        upload_type = upload.content_type
        for name in ("dry_run", "match_on", "on_match", "mapping"):
            value = form.get(name)
            if isinstance(value, str) and options[name] is None:
                options[name] = value
    else:
        content, upload_type = body, content_type
    if len(content) > limit:
        raise ImportTooLarge(Message("import.too_large", limit=limit))
    chosen = imports.ImportOptions(
        dry_run=_flag(options["dry_run"], "dry_run"),
        match_on=imports.parse_match_on(options["match_on"]),
        on_match=_on_match(options["on_match"]),
        mapping=_mapping(options["mapping"]),
    )
    fingerprint = _Fingerprint(
        sha256=hashlib.sha256(content).hexdigest(),
        file_name=options["file_name"],
        dry_run=chosen.dry_run,
        match_on=list(chosen.match_on),
        on_match=chosen.on_match,
        mapping=dict(chosen.mapping),
    )
    locale = _locale(request)

    def produce(uow: UnitOfWork) -> Response[ImportRead]:
        job = imports.create_import(
            uow,
            principal=ctx.principal,
            content=content,
            file_name=options["file_name"],
            content_type=upload_type,
            options=chosen,
            created_by=ctx.principal.staff_id,
            locale=locale,
        )
        return Response(job, status_code=202, headers={"Location": f"/api/v1/imports/{job.id}"})

    return await ctx.run_idempotent(fingerprint, produce)


@get("/imports", opt=MANAGE, tags=TAGS, summary="List import jobs, newest first")
async def list_imports(
    request: Request[Any, Any, Any], ctx: RequestContext, limit: Limit = 25, offset: Offset = 0, cursor: Cursor = None
) -> ImportPage:
    return await ctx.run(
        imports.list_imports,
        principal=ctx.principal,
        limit=limit,
        offset=offset,
        cursor=cursor,
        locale=_locale(request),
    )


@get("/imports/{import_id:str}", opt=MANAGE, tags=TAGS, summary="An import job: totals, progress, first errors")
async def get_import(import_id: str, request: Request[Any, Any, Any], ctx: RequestContext) -> ImportDetail:
    """`errors` holds the first 1,000 rejections (`errors_total` counts them all); every one is in
    `GET /imports/{id}/errors.csv`."""
    target = path_id(import_id, "import")
    return await ctx.run(imports.get_import, principal=ctx.principal, job_id=target, locale=_locale(request))


def _csv_lines(header: list[str], rows: Iterator[list[Any]]) -> Iterator[str]:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(header)
    for row in rows:
        writer.writerow(row)
        if buffer.tell() > 64 * 1024:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue()


async def _csv_download(ctx: RequestContext, report: Callable[[UnitOfWork], list[str]], filename: str) -> Stream:
    """The report is read whole inside the unit of work (a problem answers before any byte is sent)."""
    chunks = await ctx.run(report)
    return Stream(
        iter(chunks),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )


@get(
    "/imports/{import_id:str}/errors.csv",
    opt=MANAGE,
    tags=TAGS,
    summary="Every rejected row with its reasons, as CSV to fix and import again",
    media_type="text/csv",
)
async def import_errors(import_id: str, request: Request[Any, Any, Any], ctx: RequestContext) -> Stream:
    """The file's own columns, then `row` (its number in the file) and `reasons`."""
    target = path_id(import_id, "import")
    locale = _locale(request)

    def report(uow: UnitOfWork) -> list[str]:
        header, rows = imports.error_report(uow, principal=ctx.principal, job_id=target, locale=locale)
        return list(_csv_lines(header, rows))

    return await _csv_download(ctx, report, f"import-{target}-errors.csv")


@get(
    "/imports/{import_id:str}/rows.csv",
    opt=MANAGE,
    tags=TAGS,
    summary="What each row did (created, updated, unchanged, merged, rejected), as CSV",
    media_type="text/csv",
)
async def import_rows(import_id: str, ctx: RequestContext) -> Stream:
    """One line per committed row: `row`, `outcome`, `customer_id` (none for a dry run's creations)."""
    target = path_id(import_id, "import")

    def report(uow: UnitOfWork) -> list[str]:
        rows = imports.outcome_report(uow, principal=ctx.principal, job_id=target)
        return list(_csv_lines(["row", "outcome", "customer_id"], ([r, o, c or ""] for r, o, c in rows)))

    return await _csv_download(ctx, report, f"import-{target}-rows.csv")


ROUTES = [create_import, list_imports, get_import, import_errors, import_rows]
