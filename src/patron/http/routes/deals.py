"""Pipeline and deal routes: thin wrappers over patron.deals.service."""

from __future__ import annotations

import uuid
from typing import Annotated

from litestar import Response
from litestar.params import Parameter

from patron.db.uow import UnitOfWork
from patron.deals import service as deals
from patron.deals.schemas import (
    Board,
    DealCreate,
    DealMove,
    DealPage,
    DealRead,
    DealReopen,
    DealStatus,
    DealUpdate,
    PipelineCreate,
    PipelinePage,
    PipelineRead,
    PipelineUpdate,
)
from patron.http.deps import RequestContext
from patron.http.guards import requires
from patron.http.routes._shared import Cursor, Limit, Offset, path_id
from patron.http.routing import delete, get, patch, post
from patron.identity.permissions import Permission

READ = requires(Permission.DEALS_READ)
MANAGE = requires(Permission.DEALS_MANAGE)
REOPEN = requires(Permission.DEALS_REOPEN)
PIPELINES = requires(Permission.PIPELINES_MANAGE)
TAGS = ["deals"]


def _pipeline(value: str) -> uuid.UUID:
    return path_id(value, "pipeline")


def _deal(value: str) -> uuid.UUID:
    return path_id(value, "deal")


@post("/pipelines", opt=PIPELINES, tags=TAGS, summary="Create a pipeline with ordered stages")
async def create_pipeline(data: PipelineCreate, ctx: RequestContext) -> Response[PipelineRead]:
    """The organization's first pipeline becomes its default."""

    def produce(uow: UnitOfWork) -> Response[PipelineRead]:
        created = deals.create_pipeline(uow, principal=ctx.principal, data=data)
        return Response(created, status_code=201, headers={"Location": f"/api/v1/pipelines/{created.id}"})

    return await ctx.run_idempotent(data, produce)


@get("/pipelines", opt=READ, tags=TAGS, summary="List pipelines with their stages")
async def list_pipelines(
    ctx: RequestContext, limit: Limit = 25, offset: Offset = 0, cursor: Cursor = None
) -> PipelinePage:
    """The default pipeline (new, qualified, proposal, negotiation, won, lost) appears with the first
    deal created without a `pipeline_id`, or is the first pipeline an owner creates. The default
    comes first, then by name."""
    return await ctx.run(deals.list_pipelines, principal=ctx.principal, limit=limit, offset=offset, cursor=cursor)


@get("/pipelines/{pipeline_id:str}", opt=READ, tags=TAGS, summary="Get a pipeline")
async def get_pipeline(pipeline_id: str, ctx: RequestContext) -> PipelineRead:
    return await ctx.run(deals.get_pipeline, principal=ctx.principal, pipeline_id=_pipeline(pipeline_id))


@patch("/pipelines/{pipeline_id:str}", opt=PIPELINES, tags=TAGS, summary="Rename a pipeline")
async def update_pipeline(pipeline_id: str, data: PipelineUpdate, ctx: RequestContext) -> PipelineRead:
    return await ctx.run(deals.update_pipeline, principal=ctx.principal, pipeline_id=_pipeline(pipeline_id), data=data)


@delete("/pipelines/{pipeline_id:str}", opt=PIPELINES, tags=TAGS, summary="Delete a pipeline without deals")
async def delete_pipeline(pipeline_id: str, ctx: RequestContext) -> None:
    """409 `pipeline.in_use` while it has deals, `pipeline.default` for the default pipeline."""
    await ctx.run(deals.delete_pipeline, principal=ctx.principal, pipeline_id=_pipeline(pipeline_id))


@get("/pipelines/{pipeline_id:str}/board", opt=READ, tags=TAGS, summary="The deals board of a pipeline")
async def board(
    pipeline_id: str,
    ctx: RequestContext,
    per_stage: Annotated[int, Parameter(ge=0, le=200)] = 20,
) -> Board:
    """Stages in order with their deal counts, value sums per currency and up to `per_stage` newest deals."""
    target = _pipeline(pipeline_id)
    return await ctx.run(deals.board, principal=ctx.principal, pipeline_id=target, per_stage=per_stage)


@post("/deals", opt=MANAGE, tags=TAGS, summary="Create a deal")
async def create_deal(data: DealCreate, ctx: RequestContext) -> Response[DealRead]:
    def produce(uow: UnitOfWork) -> Response[DealRead]:
        created = deals.create_deal(uow, principal=ctx.principal, data=data)
        return Response(created, status_code=201, headers={"Location": f"/api/v1/deals/{created.id}"})

    return await ctx.run_idempotent(data, produce)


@get("/deals", opt=READ, tags=TAGS, summary="List deals, newest first")
async def list_deals(
    ctx: RequestContext,
    pipeline_id: uuid.UUID | None = None,
    stage_id: uuid.UUID | None = None,
    status: DealStatus | None = None,
    owner_id: uuid.UUID | None = None,
    customer_id: uuid.UUID | None = None,
    company_id: uuid.UUID | None = None,
    limit: Limit = 25,
    offset: Offset = 0,
    cursor: Cursor = None,
) -> DealPage:
    filters = {
        "pipeline_id": pipeline_id,
        "stage_id": stage_id,
        "status": status,
        "owner_id": owner_id,
        "customer_id": customer_id,
        "company_id": company_id,
    }
    return await ctx.run(
        deals.list_deals, principal=ctx.principal, filters=filters, limit=limit, offset=offset, cursor=cursor
    )


@get("/deals/{deal_id:str}", opt=READ, tags=TAGS, summary="Get a deal")
async def get_deal(deal_id: str, ctx: RequestContext) -> DealRead:
    return await ctx.run(deals.get_deal, principal=ctx.principal, deal_id=_deal(deal_id))


@patch("/deals/{deal_id:str}", opt=MANAGE, tags=TAGS, summary="Change some fields of a deal")
async def update_deal(deal_id: str, data: DealUpdate, ctx: RequestContext) -> DealRead:
    return await ctx.run(deals.update_deal, principal=ctx.principal, deal_id=_deal(deal_id), data=data)


@delete("/deals/{deal_id:str}", opt=MANAGE, tags=TAGS, summary="Delete a deal")
async def delete_deal(deal_id: str, ctx: RequestContext) -> None:
    await ctx.run(deals.delete_deal, principal=ctx.principal, deal_id=_deal(deal_id))


@post("/deals/{deal_id:str}/move", opt=MANAGE, tags=TAGS, status_code=200, summary="Move a deal to another stage")
async def move_deal(deal_id: str, data: DealMove, ctx: RequestContext) -> DealRead:
    """A won or lost stage closes the deal; 409 `deal.closed` when it is closed already."""
    return await ctx.run(deals.move_deal, principal=ctx.principal, deal_id=_deal(deal_id), data=data)


@post("/deals/{deal_id:str}/reopen", opt=REOPEN, tags=TAGS, status_code=200, summary="Reopen a won or lost deal")
async def reopen_deal(deal_id: str, data: DealReopen, ctx: RequestContext) -> DealRead:
    """Owners only; 409 `deal.not_closed` for an open deal."""
    return await ctx.run(deals.reopen_deal, principal=ctx.principal, deal_id=_deal(deal_id), data=data)


ROUTES = [
    create_pipeline,
    list_pipelines,
    get_pipeline,
    update_pipeline,
    delete_pipeline,
    board,
    create_deal,
    list_deals,
    get_deal,
    update_deal,
    delete_deal,
    move_deal,
    reopen_deal,
]
