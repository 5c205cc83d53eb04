"""Segment routes: thin wrappers over patron.segments.service."""

from __future__ import annotations

from typing import Any

from litestar import Request, Response

from patron.customers.query import parse as parse_list_query
from patron.customers.schemas import CustomerPage
from patron.db.uow import UnitOfWork
from patron.http.deps import RequestContext
from patron.http.guards import requires
from patron.http.i18n import request_locale
from patron.http.openapi import OPENAPI_PARAMETERS
from patron.http.routes._shared import Cursor, Limit, Offset, path_id
from patron.http.routes.customers import FILTER_PARAMETER, Search, Sort, filter_parameters
from patron.http.routing import delete, get, patch, post
from patron.identity.permissions import Permission
from patron.segments import service as segments
from patron.segments.schemas import (
    SegmentCreate,
    SegmentPage,
    SegmentPreview,
    SegmentPreviewRead,
    SegmentRead,
    SegmentUpdate,
)

READ = requires(Permission.SEGMENTS_READ)
MANAGE = requires(Permission.SEGMENTS_MANAGE)
TAGS = ["segments"]
ONE = "/segments/{segment_id:str}"


def _locale(ctx: RequestContext) -> str:
    """The language of a saved query's `error.message` (as of the problem answers)."""
    return request_locale(ctx.request.headers.get("accept-language", ""))


@post("/segments/preview", opt=READ, tags=TAGS, status_code=200, summary="Preview a segment query")
async def preview_segment(data: SegmentPreview, ctx: RequestContext) -> SegmentPreviewRead:
    """How many live customers the query selects and the first 10, newest first, shaped like the
    items of `GET /customers`. An invalid query answers 422 `segment.invalid_query` with
    `errors: [{field: "query", message, position}]` (a character offset into the query)."""
    return await ctx.run(segments.preview, principal=ctx.principal, settings=ctx.org_settings, query=data.query)


@post("/segments", opt=MANAGE, tags=TAGS, summary="Save a segment")
async def create_segment(data: SegmentCreate, ctx: RequestContext) -> Response[SegmentRead]:
    """201 with the segment and its live count; an invalid query answers 422
    `segment.invalid_query` with its position, and 409 `segment.name_taken` when another segment
    of the organization has the name."""
    locale = _locale(ctx)

    def produce(uow: UnitOfWork) -> Response[SegmentRead]:
        created = segments.create_segment(
            uow, principal=ctx.principal, settings=ctx.org_settings, data=data, locale=locale
        )
        return Response(created, status_code=201, headers={"Location": f"/api/v1/segments/{created.id}"})

    return await ctx.run_idempotent(data, produce)


@get("/segments", opt=READ, tags=TAGS, summary="List saved segments by name, each with its live count")
async def list_segments(
    ctx: RequestContext, limit: Limit = 25, offset: Offset = 0, cursor: Cursor = None
) -> SegmentPage:
    return await ctx.run(
        segments.list_segments,
        principal=ctx.principal,
        settings=ctx.org_settings,
        limit=limit,
        offset=offset,
        cursor=cursor,
        locale=_locale(ctx),
    )


@get(ONE, opt=READ, tags=TAGS, summary="Get a saved segment with its live count")
async def get_segment(segment_id: str, ctx: RequestContext) -> SegmentRead:
    """A saved query that no longer runs (a custom field it names was removed or changed type)
    reads with `count: null` and `error: {message, position}`."""
    return await ctx.run(
        segments.get_segment,
        principal=ctx.principal,
        settings=ctx.org_settings,
        segment_id=path_id(segment_id, "segment"),
        locale=_locale(ctx),
    )


@patch(ONE, opt=MANAGE, tags=TAGS, summary="Change a segment's name, query or description")
async def update_segment(segment_id: str, data: SegmentUpdate, ctx: RequestContext) -> SegmentRead:
    """`description: null` clears it; 409 `segment.name_taken` as for a new segment."""
    return await ctx.run(
        segments.update_segment,
        principal=ctx.principal,
        settings=ctx.org_settings,
        segment_id=path_id(segment_id, "segment"),
        data=data,
        locale=_locale(ctx),
    )


@delete(ONE, opt=MANAGE, tags=TAGS, summary="Delete a segment (its customers are untouched)")
async def delete_segment(segment_id: str, ctx: RequestContext) -> None:
    await ctx.run(segments.delete_segment, principal=ctx.principal, segment_id=path_id(segment_id, "segment"))


@get(
    ONE + "/customers",
    opt={**READ, OPENAPI_PARAMETERS: [FILTER_PARAMETER]},
    tags=TAGS,
    summary="The segment's customers, as a page of the customer list",
)
async def list_segment_customers(
    segment_id: str,
    request: Request[Any, Any, Any],
    ctx: RequestContext,
    limit: Limit = 25,
    offset: Offset = 0,
    sort: Sort = None,
    q: Search = None,
    cursor: Cursor = None,
) -> CustomerPage:
    """Takes the filters, `q`, `sort` and paging of `GET /customers`, applied within the segment
    (its query as of now: a relative date moves with the clock). A saved query that no longer
    runs answers 422 `segment.invalid_query` naming `query`."""
    target = path_id(segment_id, "segment")
    query = parse_list_query(
        filters=filter_parameters(request), sort=sort, q=q, limit=limit, offset=offset, cursor=None
    )
    return await ctx.run(
        segments.list_customers,
        principal=ctx.principal,
        settings=ctx.org_settings,
        segment_id=target,
        query=query,
        cursor=cursor,
    )


ROUTES = [
    preview_segment,
    create_segment,
    list_segments,
    get_segment,
    update_segment,
    delete_segment,
    list_segment_customers,
]
