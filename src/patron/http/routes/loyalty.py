"""Points routes: thin wrappers over patron.loyalty.service."""

from __future__ import annotations

from typing import Annotated

from litestar import Response
from litestar.params import Parameter

from patron.db.uow import UnitOfWork
from patron.http.deps import RequestContext
from patron.http.guards import requires
from patron.http.routes._shared import Cursor, Limit, Offset, path_id
from patron.http.routing import get, post
from patron.identity.permissions import Permission
from patron.loyalty import service as loyalty
from patron.loyalty.schemas import AdjustCreate, LedgerEntryRead, PointsRead, RedeemCreate

TAGS = ["loyalty"]


@get(
    "/customers/{customer_id:str}/points",
    opt=requires(Permission.POINTS_READ),
    tags=TAGS,
    summary="A customer's balance, tier and points ledger",
)
async def get_points(
    customer_id: str,
    ctx: RequestContext,
    limit: Limit = 50,
    offset: Offset = 0,
    cursor: Cursor = None,
    after: Annotated[str | None, Parameter(max_length=2000, description="the same as `cursor`")] = None,
) -> PointsRead:
    """Entries newest first; pass `next_cursor` as `cursor` to read older ones."""
    return await ctx.run(
        loyalty.get_points,
        principal=ctx.principal,
        settings=ctx.org_settings.loyalty,
        customer_id=path_id(customer_id, "customer"),
        limit=limit,
        offset=offset,
        cursor=cursor or after,
        cursor_field="cursor" if cursor else "after",
    )


@post(
    "/customers/{customer_id:str}/points/redeem",
    opt=requires(Permission.POINTS_REDEEM),
    tags=TAGS,
    status_code=200,
    summary="Spend points",
)
async def redeem_points(customer_id: str, data: RedeemCreate, ctx: RequestContext) -> Response[LedgerEntryRead]:
    """200 with the ledger entry; 409 `loyalty.insufficient_points` when the balance is short."""
    target = path_id(customer_id, "customer")

    def produce(uow: UnitOfWork) -> Response[LedgerEntryRead]:
        entry = loyalty.redeem_points(uow, principal=ctx.principal, customer_id=target, data=data)
        return Response(entry, status_code=200)

    return await ctx.run_idempotent(data, produce)


@post(
    "/customers/{customer_id:str}/points/adjust",
    opt=requires(Permission.POINTS_ADJUST),
    tags=TAGS,
    status_code=200,
    summary="Add or remove points by hand, with a reason",
)
async def adjust_points(
    customer_id: str,
    data: AdjustCreate,
    ctx: RequestContext,
) -> Response[LedgerEntryRead]:
    """200 with the ledger entry; 409 `loyalty.insufficient_points` when a removal exceeds the balance."""
    target = path_id(customer_id, "customer")

    def produce(uow: UnitOfWork) -> Response[LedgerEntryRead]:
        entry = loyalty.adjust_points(
            uow, principal=ctx.principal, settings=ctx.org_settings.loyalty, customer_id=target, data=data
        )
        return Response(entry, status_code=200)

    return await ctx.run_idempotent(data, produce)


ROUTES = [get_points, redeem_points, adjust_points]
