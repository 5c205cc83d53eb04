"""Interaction, memo and timeline routes: thin wrappers over patron.crm.service."""

from __future__ import annotations

import uuid

from litestar import Response

from patron.crm import service as crm
from patron.crm.schemas import (
    InteractionCreate,
    InteractionPage,
    InteractionRead,
    InteractionUpdate,
    MemoCreate,
    MemoPage,
    MemoRead,
    MemoUpdate,
    Timeline,
)
from patron.db.uow import UnitOfWork
from patron.http.deps import RequestContext
from patron.http.guards import requires
from patron.http.routes._shared import Cursor, Limit, Offset, path_id
from patron.http.routing import delete, get, patch, post
from patron.identity.permissions import Permission

READ = requires(Permission.CRM_READ)
WRITE = requires(Permission.CRM_WRITE)
TAGS = ["interactions and memos"]


def _customer(value: str) -> uuid.UUID:
    return path_id(value, "customer")


def _company(value: str) -> uuid.UUID:
    return path_id(value, "company")


def _created(interaction: InteractionRead) -> Response[InteractionRead]:
    return Response(interaction, status_code=201, headers={"Location": f"/api/v1/interactions/{interaction.id}"})


@post("/customers/{customer_id:str}/interactions", opt=WRITE, tags=TAGS, summary="Log an interaction with a customer")
async def log_customer_interaction(
    customer_id: str, data: InteractionCreate, ctx: RequestContext
) -> Response[InteractionRead]:
    target = _customer(customer_id)

    def produce(uow: UnitOfWork) -> Response[InteractionRead]:
        return _created(crm.log_interaction(uow, principal=ctx.principal, data=data, customer_id=target))

    return await ctx.run_idempotent(data, produce)


@get("/customers/{customer_id:str}/interactions", opt=READ, tags=TAGS, summary="A customer's interactions")
async def list_customer_interactions(
    customer_id: str, ctx: RequestContext, limit: Limit = 25, offset: Offset = 0, cursor: Cursor = None
) -> InteractionPage:
    target = _customer(customer_id)
    return await ctx.run(
        crm.list_interactions, principal=ctx.principal, customer_id=target, limit=limit, offset=offset, cursor=cursor
    )


@post("/companies/{company_id:str}/interactions", opt=WRITE, tags=TAGS, summary="Log an interaction with a company")
async def log_company_interaction(
    company_id: str, data: InteractionCreate, ctx: RequestContext
) -> Response[InteractionRead]:
    target = _company(company_id)

    def produce(uow: UnitOfWork) -> Response[InteractionRead]:
        return _created(crm.log_interaction(uow, principal=ctx.principal, data=data, company_id=target))

    return await ctx.run_idempotent(data, produce)


@get("/companies/{company_id:str}/interactions", opt=READ, tags=TAGS, summary="A company's interactions")
async def list_company_interactions(
    company_id: str, ctx: RequestContext, limit: Limit = 25, offset: Offset = 0, cursor: Cursor = None
) -> InteractionPage:
    target = _company(company_id)
    return await ctx.run(
        crm.list_interactions, principal=ctx.principal, company_id=target, limit=limit, offset=offset, cursor=cursor
    )


@get("/interactions/{interaction_id:str}", opt=READ, tags=TAGS, summary="Get an interaction")
async def get_interaction(interaction_id: str, ctx: RequestContext) -> InteractionRead:
    target = path_id(interaction_id, "interaction")
    return await ctx.run(crm.get_interaction, principal=ctx.principal, interaction_id=target)


@patch("/interactions/{interaction_id:str}", opt=WRITE, tags=TAGS, summary="Correct an interaction")
async def update_interaction(interaction_id: str, data: InteractionUpdate, ctx: RequestContext) -> InteractionRead:
    target = path_id(interaction_id, "interaction")
    return await ctx.run(crm.update_interaction, principal=ctx.principal, interaction_id=target, data=data)


@delete("/interactions/{interaction_id:str}", opt=WRITE, tags=TAGS, summary="Delete an interaction")
async def delete_interaction(interaction_id: str, ctx: RequestContext) -> None:
    target = path_id(interaction_id, "interaction")
    await ctx.run(crm.delete_interaction, principal=ctx.principal, interaction_id=target)


@post("/customers/{customer_id:str}/memos", opt=WRITE, tags=TAGS, summary="Add a memo to a customer")
async def add_memo(customer_id: str, data: MemoCreate, ctx: RequestContext) -> Response[MemoRead]:
    target = _customer(customer_id)

    def produce(uow: UnitOfWork) -> Response[MemoRead]:
        memo = crm.add_memo(uow, principal=ctx.principal, customer_id=target, data=data)
        location = f"/api/v1/customers/{target}/memos/{memo.id}"
        return Response(memo, status_code=201, headers={"Location": location})

    return await ctx.run_idempotent(data, produce)


@get("/customers/{customer_id:str}/memos", opt=READ, tags=TAGS, summary="A customer's memos, newest first")
async def list_memos(
    customer_id: str, ctx: RequestContext, limit: Limit = 25, offset: Offset = 0, cursor: Cursor = None
) -> MemoPage:
    target = _customer(customer_id)
    return await ctx.run(
        crm.list_memos, principal=ctx.principal, customer_id=target, limit=limit, offset=offset, cursor=cursor
    )


@patch("/customers/{customer_id:str}/memos/{memo_id:str}", opt=WRITE, tags=TAGS, summary="Rewrite a memo")
async def update_memo(customer_id: str, memo_id: str, data: MemoUpdate, ctx: RequestContext) -> MemoRead:
    return await ctx.run(
        crm.update_memo,
        principal=ctx.principal,
        customer_id=_customer(customer_id),
        memo_id=path_id(memo_id, "memo"),
        data=data,
    )


@delete("/customers/{customer_id:str}/memos/{memo_id:str}", opt=WRITE, tags=TAGS, summary="Delete a memo")
async def delete_memo(customer_id: str, memo_id: str, ctx: RequestContext) -> None:
    await ctx.run(
        crm.delete_memo, principal=ctx.principal, customer_id=_customer(customer_id), memo_id=path_id(memo_id, "memo")
    )


@get("/customers/{customer_id:str}/timeline", opt=READ, tags=TAGS, summary="A customer's timeline, newest first")
async def timeline(
    customer_id: str, ctx: RequestContext, limit: Limit = 25, offset: Offset = 0, cursor: Cursor = None
) -> Timeline:
    """Interactions, memos and the customer's domain events merged; page on with `next_cursor`."""
    target = _customer(customer_id)
    return await ctx.run(
        crm.timeline, principal=ctx.principal, customer_id=target, limit=limit, offset=offset, cursor=cursor
    )


ROUTES = [
    log_customer_interaction,
    list_customer_interactions,
    log_company_interaction,
    list_company_interactions,
    get_interaction,
    update_interaction,
    delete_interaction,
    add_memo,
    list_memos,
    update_memo,
    delete_memo,
    timeline,
]
