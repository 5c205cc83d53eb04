"""Customer group and product restriction routes: thin wrappers over patron.groups.service."""

from __future__ import annotations

import uuid

from litestar import Response

from patron.db.uow import UnitOfWork
from patron.groups import service as groups
from patron.groups.schemas import GroupCreate, GroupPage, GroupRead, GroupUpdate, ProductAccess, ProductRestrictions
from patron.http.deps import RequestContext
from patron.http.guards import requires
from patron.http.routes._shared import Cursor, Limit, Offset, path_id
from patron.http.routing import delete, get, patch, post, put
from patron.identity.permissions import Permission

READ = requires(Permission.GROUPS_READ)
MANAGE = requires(Permission.GROUPS_MANAGE)
TAGS = ["customer groups"]


def _group_id(value: str) -> uuid.UUID:
    return path_id(value, "customer group")


@post("/customer-groups", opt=MANAGE, tags=TAGS, summary="Create a customer group")
async def create_group(data: GroupCreate, ctx: RequestContext) -> Response[GroupRead]:
    """409 `customer_group.name_taken` when the organization has a group of this name."""

    def produce(uow: UnitOfWork) -> Response[GroupRead]:
        group = groups.create_group(uow, principal=ctx.principal, data=data)
        return Response(group, status_code=201, headers={"Location": f"/api/v1/customer-groups/{group.id}"})

    return await ctx.run_idempotent(data, produce)


@get("/customer-groups", opt=READ, tags=TAGS, summary="List the customer groups, by name")
async def list_groups(ctx: RequestContext, limit: Limit = 25, offset: Offset = 0, cursor: Cursor = None) -> GroupPage:
    return await ctx.run(groups.list_groups, principal=ctx.principal, limit=limit, offset=offset, cursor=cursor)


@get("/customer-groups/{group_id:str}", opt=READ, tags=TAGS, summary="Get a customer group")
async def get_group(group_id: str, ctx: RequestContext) -> GroupRead:
    return await ctx.run(groups.get_group, principal=ctx.principal, group_id=_group_id(group_id))


@patch("/customer-groups/{group_id:str}", opt=MANAGE, tags=TAGS, summary="Rename a group or flag it as merchant group")
async def update_group(group_id: str, data: GroupUpdate, ctx: RequestContext) -> GroupRead:
    """Becoming a merchant group makes every member a merchant (`customer.updated` for each)."""
    return await ctx.run(groups.update_group, principal=ctx.principal, group_id=_group_id(group_id), data=data)


@delete("/customer-groups/{group_id:str}", opt=MANAGE, tags=TAGS, summary="Delete a customer group without members")
async def delete_group(group_id: str, ctx: RequestContext) -> None:
    """409 `customer_group.in_use` while customers (deleted ones included) belong to it."""
    await ctx.run(groups.delete_group, principal=ctx.principal, group_id=_group_id(group_id))


@get(
    "/customer-groups/{group_id:str}/product-restrictions",
    opt=READ,
    tags=TAGS,
    summary="A group's product allow and deny lists",
)
async def get_group_restrictions(group_id: str, ctx: RequestContext) -> ProductRestrictions:
    return await ctx.run(groups.get_group_restrictions, principal=ctx.principal, group_id=_group_id(group_id))


@put(
    "/customer-groups/{group_id:str}/product-restrictions",
    opt=MANAGE,
    tags=TAGS,
    summary="Replace a group's product allow and deny lists",
)
async def set_group_restrictions(group_id: str, data: ProductRestrictions, ctx: RequestContext) -> ProductRestrictions:
    target = _group_id(group_id)
    return await ctx.run(groups.set_group_restrictions, principal=ctx.principal, group_id=target, data=data)


@get(
    "/customers/{customer_id:str}/product-restrictions",
    opt=READ,
    tags=TAGS,
    summary="A customer's own product allow and deny lists",
)
async def get_customer_restrictions(customer_id: str, ctx: RequestContext) -> ProductRestrictions:
    target = path_id(customer_id, "customer")
    return await ctx.run(groups.get_customer_restrictions, principal=ctx.principal, customer_id=target)


@put(
    "/customers/{customer_id:str}/product-restrictions",
    opt=MANAGE,
    tags=TAGS,
    summary="Replace a customer's own product allow and deny lists",
)
async def set_customer_restrictions(
    customer_id: str, data: ProductRestrictions, ctx: RequestContext
) -> ProductRestrictions:
    target = path_id(customer_id, "customer")
    return await ctx.run(groups.set_customer_restrictions, principal=ctx.principal, customer_id=target, data=data)


@get(
    "/customers/{customer_id:str}/product-access/{product_ref:str}",
    opt=READ,
    tags=TAGS,
    summary="May this customer buy this product?",
)
async def product_access(customer_id: str, product_ref: str, ctx: RequestContext) -> ProductAccess:
    """Precedence, first match wins: customer deny, customer allow, not on the customer's allow list
    (denied), then the same for the customer's group, else allowed. `decided_by` names the rule."""
    target = path_id(customer_id, "customer")
    return await ctx.run(groups.product_access, principal=ctx.principal, customer_id=target, product_ref=product_ref)


ROUTES = [
    create_group,
    list_groups,
    get_group,
    update_group,
    delete_group,
    get_group_restrictions,
    set_group_restrictions,
    get_customer_restrictions,
    set_customer_restrictions,
    product_access,
]
