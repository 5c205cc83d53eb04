"""Segment routes: thin wrappers over patron.segments.service."""

from __future__ import annotations

from patron.http.deps import RequestContext
from patron.http.guards import requires
from patron.http.routing import post
from patron.identity.permissions import Permission
from patron.segments import service as segments
from patron.segments.schemas import SegmentPreview, SegmentPreviewRead

TAGS = ["segments"]


@post(
    "/segments/preview",
    opt=requires(Permission.SEGMENTS_READ),
    tags=TAGS,
    status_code=200,
    summary="Preview a segment query",
)
async def preview_segment(data: SegmentPreview, ctx: RequestContext) -> SegmentPreviewRead:
    """How many live customers the query selects and the first 10, newest first, shaped like the
    items of `GET /customers`. An invalid query answers 422 `segment.invalid_query` with
    `errors: [{field: "query", message, position}]` (a character offset into the query)."""
    return await ctx.run(segments.preview, principal=ctx.principal, settings=ctx.org_settings, query=data.query)


ROUTES = [preview_segment]
