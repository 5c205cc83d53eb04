"""Export routes (SPEC §13.2): every matching customer as CSV or XLSX, streamed."""

from __future__ import annotations

import os
import tempfile
import uuid
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Annotated, Any

from litestar import Request
from litestar.openapi.datastructures import ResponseSpec
from litestar.openapi.spec import Example
from litestar.params import Parameter
from litestar.response import Stream

from patron.customers.query import parse as parse_list_query
from patron.db.uow import UnitOfWork
from patron.exports import service as exports
from patron.exports import writers
from patron.exports.columns import MAX_COLUMNS_LENGTH
from patron.http.deps import RequestContext
from patron.http.guards import requires
from patron.http.openapi import OPENAPI_PARAMETERS
from patron.http.routes.customers import FILTER_PARAMETER, Search, SegmentId, Sort, filter_parameters
from patron.http.routing import get
from patron.identity.permissions import Permission
from patron.segments import service as segments

READ = requires(Permission.EXPORTS_READ)
TAGS = ["exports"]

# A column is a customer field's name or `custom.<key>`; which ones exist is checked by the service.
_COLUMN = r"([a-z_]+|custom\.[^,\u0000-\u001f]{1,60})"
Columns = Annotated[
    str | None,
    Parameter(
        max_length=MAX_COLUMNS_LENGTH,
        pattern=f"^{_COLUMN}(,{_COLUMN})*$",
        description="comma list of columns: customer fields, `newsletter_status`, `custom.<key>` of a defined "
        "custom field, or `custom_fields` for one column per defined field; default every field but "
        "`custom_fields`, then `newsletter_status`",
        examples=[Example(value="customer_number,email,tags,custom_fields")],
    ),
]
Consent = Annotated[
    str | None,
    Parameter(
        pattern="^newsletter$",
        description="`newsletter`: only customers subscribed to the newsletter",
        examples=[Example(value="newsletter")],
    ),
]
_DESCRIPTION = """Takes the filters, `q`, `sort` and `segment_id` of `GET /customers` (no paging: every
matching customer), `columns` and `consent`. A bad parameter answers 422 naming it, before anything is sent."""


async def _export(
    request: Request[Any, Any, Any],
    ctx: RequestContext,
    sort: str | None,
    q: str | None,
    columns: str | None,
    consent: str | None,
    segment_id: str | None,
) -> exports.Export:
    query = parse_list_query(filters=filter_parameters(request), sort=sort, q=q, limit=1, offset=0, cursor=None)

    def prepare(uow: UnitOfWork) -> exports.Export:
        chosen = query
        if segment_id is not None:
            chosen = segments.restrict(
                uow,
                principal=ctx.principal,
                settings=ctx.org_settings,
                segment_id=uuid.UUID(segment_id),
                query=query,
                cursor=None,
                given_as="segment_id",
            )
        return exports.prepare_export(
            uow, principal=ctx.principal, settings=ctx.org_settings, query=chosen, columns=columns, consent=consent
        )

    return await ctx.run(prepare)


def _disposition(filename: str) -> dict[str, str]:
    return {"Content-Disposition": f'attachment; filename="{filename}"', "Cache-Control": "no-store"}


@get(
    "/exports/customers.csv",
    opt={**READ, OPENAPI_PARAMETERS: [FILTER_PARAMETER]},
    tags=TAGS,
    summary="Export customers as CSV",
    description=_DESCRIPTION,
    responses={
        200: ResponseSpec(
            data_container=str, generate_examples=False, media_type=writers.CSV_MEDIA_TYPE, description="The CSV file"
        )
    },
)
async def export_customers_csv(
    request: Request[Any, Any, Any],
    ctx: RequestContext,
    sort: Sort = None,
    q: Search = None,
    columns: Columns = None,
    consent: Consent = None,
    segment_id: SegmentId = None,
) -> Stream:
    """UTF-8 CSV with a header row, streamed as the customers are read; `POST /imports` reads it back."""
    export = await _export(request, ctx, sort, q, columns, consent, segment_id)
    rows = exports.export_rows(ctx.database, actor=ctx.actor, principal=ctx.principal, export=export)
    return Stream(
        writers.csv_chunks(export.columns, rows),
        media_type=writers.CSV_MEDIA_TYPE,
        headers=_disposition(f"{export.name}.csv"),
    )


@get(
    "/exports/customers.xlsx",
    opt={**READ, OPENAPI_PARAMETERS: [FILTER_PARAMETER]},
    tags=TAGS,
    summary="Export customers as XLSX",
    description=_DESCRIPTION,
    responses={
        200: ResponseSpec(
            data_container=bytes,
            generate_examples=False,
            media_type=writers.XLSX_MEDIA_TYPE,
            description="The XLSX workbook",
        )
    },
)
async def export_customers_xlsx(
    request: Request[Any, Any, Any],
    ctx: RequestContext,
    sort: Sort = None,
    q: Search = None,
    columns: Columns = None,
    consent: Consent = None,
    segment_id: SegmentId = None,
) -> Stream:
    """One sheet `customers`, written to a temporary file and streamed from it (then deleted)."""
    export = await _export(request, ctx, sort, q, columns, consent, segment_id)
    rows = exports.export_rows(ctx.database, actor=ctx.actor, principal=ctx.principal, export=export)

    async def content() -> AsyncIterator[bytes]:
        handle, name = tempfile.mkstemp(prefix="patron-export-", suffix=".xlsx")
        os.close(handle)
        path = Path(name)
        try:
            await writers.write_xlsx(export.columns, rows, path)
        except BaseException:
            path.unlink(missing_ok=True)
            raise
        async for chunk in writers.file_chunks(path):
            yield chunk

    return Stream(content(), media_type=writers.XLSX_MEDIA_TYPE, headers=_disposition(f"{export.name}.xlsx"))


ROUTES = [export_customers_csv, export_customers_xlsx]
