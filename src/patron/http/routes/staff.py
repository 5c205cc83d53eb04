"""Staff members and their API keys (owners only)."""

from __future__ import annotations

from typing import Any

from litestar import Request, Response, delete, get, patch, post

from patron.db.uow import UnitOfWork
from patron.http.guards import requires
from patron.http.idempotency import Idempotency
from patron.http.routes._shared import call, path_id
from patron.identity import service as identity
from patron.identity.permissions import Permission
from patron.identity.schemas import (
    ApiKeyCreate,
    ApiKeyCreated,
    StaffCreate,
    StaffCreated,
    StaffList,
    StaffRead,
    StaffUpdate,
)
from patron.kernel.tenancy import Principal

MANAGE = requires(Permission.STAFF_MANAGE)


@post("/staff", opt=MANAGE, tags=["staff"])
async def create_staff(
    data: StaffCreate, uow: UnitOfWork, principal: Principal, idempotency: Idempotency
) -> Response[StaffCreated]:
    """Adds a staff member; the answer holds their first API key, shown only here."""

    def produce() -> Response[StaffCreated]:
        created = identity.create_staff(uow, principal=principal, data=data)
        return Response(created, status_code=201, headers={"Location": f"/api/v1/staff/{created.staff.id}"})

    return await call(uow, lambda _uow: idempotency.run(data, produce))


@get("/staff", opt=MANAGE, tags=["staff"])
async def list_staff(uow: UnitOfWork, principal: Principal) -> StaffList:
    return StaffList(items=await call(uow, identity.list_staff, principal=principal))


@get("/staff/{staff_id:str}", opt=MANAGE, tags=["staff"])
async def get_staff(staff_id: str, uow: UnitOfWork, principal: Principal) -> StaffRead:
    return await call(uow, identity.get_staff, principal=principal, staff_id=path_id(staff_id, "staff"))


@patch("/staff/{staff_id:str}", opt=MANAGE, tags=["staff"])
async def update_staff(staff_id: str, data: StaffUpdate, uow: UnitOfWork, principal: Principal) -> StaffRead:
    """The only owner cannot be demoted (409 `staff.last_owner`)."""
    return await call(uow, identity.update_staff, principal=principal, staff_id=path_id(staff_id, "staff"), data=data)


@delete("/staff/{staff_id:str}", opt=MANAGE, tags=["staff"])
async def delete_staff(request: Request[Any, Any, Any], staff_id: str, uow: UnitOfWork, principal: Principal) -> None:
    """Deactivates the staff member and revokes their keys; the only owner cannot be removed."""
    revoked = await call(uow, identity.delete_staff, principal=principal, staff_id=path_id(staff_id, "staff"))
    request.app.state.authenticator.forget(revoked)


@post("/staff/{staff_id:str}/api-keys", opt=MANAGE, tags=["staff"])
async def create_api_key(
    staff_id: str, data: ApiKeyCreate, uow: UnitOfWork, principal: Principal, idempotency: Idempotency
) -> Response[ApiKeyCreated]:
    """Issues another key; the key itself is shown only in this answer."""
    target = path_id(staff_id, "staff")

    def produce() -> Response[ApiKeyCreated]:
        created = identity.create_api_key(uow, principal=principal, staff_id=target, data=data)
        return Response(created, status_code=201)

    return await call(uow, lambda _uow: idempotency.run(data, produce))


@delete("/api-keys/{key_id:str}", opt=MANAGE, tags=["staff"])
async def revoke_api_key(request: Request[Any, Any, Any], key_id: str, uow: UnitOfWork, principal: Principal) -> None:
    revoked = await call(uow, identity.revoke_api_key, principal=principal, key_id=path_id(key_id, "api key"))
    request.app.state.authenticator.forget(revoked)


ROUTES = [create_staff, list_staff, get_staff, update_staff, delete_staff, create_api_key, revoke_api_key]
