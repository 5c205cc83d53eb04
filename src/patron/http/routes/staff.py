"""Staff members and their API keys (owners only)."""

from __future__ import annotations

from typing import Any

from litestar import Request, Response

from patron.db.uow import UnitOfWork
from patron.http.deps import RequestContext
from patron.http.guards import requires
from patron.http.routes._shared import Cursor, Limit, Offset, path_id
from patron.http.routing import delete, get, patch, post
from patron.identity import service as identity
from patron.identity.permissions import Permission
from patron.identity.schemas import (
    ApiKeyCreate,
    ApiKeyCreated,
    ApiKeyPage,
    StaffCreate,
    StaffCreated,
    StaffPage,
    StaffRead,
    StaffUpdate,
)

MANAGE = requires(Permission.STAFF_MANAGE)


@post("/staff", opt=MANAGE, tags=["staff"])
async def create_staff(data: StaffCreate, ctx: RequestContext) -> Response[StaffCreated]:
    """Adds a staff member; the answer holds their first API key, shown only here, and its
    `key.id` to revoke it by."""

    def produce(uow: UnitOfWork) -> Response[StaffCreated]:
        created = identity.create_staff(uow, principal=ctx.principal, data=data)
        return Response(created, status_code=201, headers={"Location": f"/api/v1/staff/{created.staff.id}"})

    return await ctx.run_idempotent(data, produce, shows_secret=True)


@get("/staff", opt=MANAGE, tags=["staff"])
async def list_staff(ctx: RequestContext, limit: Limit = 25, offset: Offset = 0, cursor: Cursor = None) -> StaffPage:
    """Active staff, oldest first."""
    return await ctx.run(identity.list_staff, principal=ctx.principal, limit=limit, offset=offset, cursor=cursor)


@get("/staff/{staff_id:str}", opt=MANAGE, tags=["staff"])
async def get_staff(staff_id: str, ctx: RequestContext) -> StaffRead:
    return await ctx.run(identity.get_staff, principal=ctx.principal, staff_id=path_id(staff_id, "staff"))


@patch("/staff/{staff_id:str}", opt=MANAGE, tags=["staff"])
async def update_staff(staff_id: str, data: StaffUpdate, ctx: RequestContext) -> StaffRead:
    """The only owner cannot be demoted (409 `staff.last_owner`)."""
    return await ctx.run(identity.update_staff, principal=ctx.principal, staff_id=path_id(staff_id, "staff"), data=data)


@delete("/staff/{staff_id:str}", opt=MANAGE, tags=["staff"])
async def delete_staff(request: Request[Any, Any, Any], staff_id: str, ctx: RequestContext) -> None:
    """Deactivates the staff member and revokes their keys; the only owner cannot be removed."""
    revoked = await ctx.run(identity.delete_staff, principal=ctx.principal, staff_id=path_id(staff_id, "staff"))
    request.app.state.authenticator.forget(revoked)


@post("/staff/{staff_id:str}/api-keys", opt=MANAGE, tags=["staff"])
async def create_api_key(staff_id: str, data: ApiKeyCreate, ctx: RequestContext) -> Response[ApiKeyCreated]:
    """Issues another key; the key itself is shown only in this answer."""
    target = path_id(staff_id, "staff")

    def produce(uow: UnitOfWork) -> Response[ApiKeyCreated]:
        created = identity.create_api_key(uow, principal=ctx.principal, staff_id=target, data=data)
        return Response(created, status_code=201)

    return await ctx.run_idempotent(data, produce, shows_secret=True)


@get("/staff/{staff_id:str}/api-keys", opt=MANAGE, tags=["staff"])
async def list_api_keys(
    staff_id: str, ctx: RequestContext, limit: Limit = 25, offset: Offset = 0, cursor: Cursor = None
) -> ApiKeyPage:
    """The staff member's keys (revoked ones too), oldest first: id, name, last characters, when
    created and revoked. Never the key itself or its hash."""
    return await ctx.run(
        identity.list_api_keys,
        principal=ctx.principal,
        staff_id=path_id(staff_id, "staff"),
        limit=limit,
        offset=offset,
        cursor=cursor,
    )


@delete("/api-keys/{key_id:str}", opt=MANAGE, tags=["staff"])
async def revoke_api_key(request: Request[Any, Any, Any], key_id: str, ctx: RequestContext) -> None:
    revoked = await ctx.run(identity.revoke_api_key, principal=ctx.principal, key_id=path_id(key_id, "api key"))
    request.app.state.authenticator.forget(revoked)


ROUTES = [
    create_staff,
    list_staff,
    get_staff,
    update_staff,
    delete_staff,
    create_api_key,
    list_api_keys,
    revoke_api_key,
]
