"""Duplicate routes: thin wrappers over patron.duplicates.service."""

from __future__ import annotations

from typing import Annotated

from litestar.params import Parameter

from patron.duplicates import service as duplicates
from patron.duplicates.schemas import DismissalCreate, DismissalRead, DuplicatePage
from patron.http.deps import RequestContext
from patron.http.guards import requires
from patron.http.routes._shared import Cursor, Limit
from patron.http.routing import get, post
from patron.identity.permissions import Permission

TAGS = ["duplicates"]

MinScore = Annotated[float, Parameter(ge=0, le=1, description="the lowest score listed")]


@get("/duplicates", opt=requires(Permission.DUPLICATES_READ), tags=TAGS, summary="Likely duplicate customers")
async def list_duplicates(
    ctx: RequestContext, min_score: MinScore = 0.5, limit: Limit = 25, cursor: Cursor = None
) -> DuplicatePage:
    """Pairs of live customers (guests included) that are likely one person, highest score first.
    Reasons: `same_email` (primary or other emails), `same_phone` (primary or other phones),
    `same_vat_id`, `similar_name` (accent-folded fuzzy name backed by the same birthday, company
    or address postcode). Dismissed pairs, deleted, erased and merged customers are left out.
    A cursor belongs to its `min_score`; with another it answers 422 naming `cursor`."""
    return await ctx.run(
        duplicates.list_duplicates, principal=ctx.principal, min_score=min_score, limit=limit, cursor=cursor
    )


@post(
    "/duplicates/dismiss",
    opt=requires(Permission.DUPLICATES_DISMISS),
    tags=TAGS,
    status_code=200,
    summary="Dismiss a pair",
)
async def dismiss_pair(data: DismissalCreate, ctx: RequestContext) -> DismissalRead:
    """Staff say the two are different people: the pair stays out of the list. Dismissing it
    again answers the first dismissal. 422 naming `customer_ids[i]` for an id that is not a
    customer of the organization, or the same id twice."""
    return await ctx.run(duplicates.dismiss, principal=ctx.principal, data=data)


ROUTES = [list_duplicates, dismiss_pair]
