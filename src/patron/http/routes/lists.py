"""Customer list routes: thin wrappers over patron.lists.service."""

from __future__ import annotations

from litestar import Response

from patron.db.uow import UnitOfWork
from patron.http.deps import RequestContext
from patron.http.guards import PUBLIC, requires
from patron.http.routes._shared import Cursor, Limit, Offset, path_id
from patron.http.routing import delete, get, patch, post
from patron.identity.permissions import Permission
from patron.lists import service as lists
from patron.lists.schemas import (
    ItemCreate,
    ItemRead,
    ItemUpdate,
    ListCreate,
    ListPage,
    ListRead,
    ListUpdate,
    ShareCreated,
    SharedListRead,
)

READ = requires(Permission.LISTS_READ)
MANAGE = requires(Permission.LISTS_MANAGE)
TAGS = ["lists"]
BASE = "/customers/{customer_id:str}/lists"
ONE = BASE + "/{list_id:str}"
ITEMS = ONE + "/items"
ITEM = ITEMS + "/{item_id:str}"


@get(BASE, opt=READ, tags=TAGS, summary="A customer's lists (wishlists included) with their items")
async def list_lists(
    customer_id: str, ctx: RequestContext, limit: Limit = 25, offset: Offset = 0, cursor: Cursor = None
) -> ListPage:
    target = path_id(customer_id, "customer")
    return await ctx.run(
        lists.list_lists, principal=ctx.principal, customer_id=target, limit=limit, offset=offset, cursor=cursor
    )


@post(BASE, opt=MANAGE, tags=TAGS, summary="Create a list")
async def create_list(customer_id: str, data: ListCreate, ctx: RequestContext) -> Response[ListRead]:
    """201 with the new list; it is private until shared."""
    target = path_id(customer_id, "customer")

    def produce(uow: UnitOfWork) -> Response[ListRead]:
        created = lists.create_list(uow, principal=ctx.principal, customer_id=target, data=data)
        location = f"/api/v1/customers/{target}/lists/{created.id}"
        return Response(created, status_code=201, headers={"Location": location})

    return await ctx.run_idempotent(data, produce)


@get(ONE, opt=READ, tags=TAGS, summary="One list with its items")
async def get_list(customer_id: str, list_id: str, ctx: RequestContext) -> ListRead:
    return await ctx.run(
        lists.get_list,
        principal=ctx.principal,
        customer_id=path_id(customer_id, "customer"),
        list_id=path_id(list_id, "list"),
    )


@patch(ONE, opt=MANAGE, tags=TAGS, summary="Rename a list or change its kind")
async def update_list(customer_id: str, list_id: str, data: ListUpdate, ctx: RequestContext) -> ListRead:
    return await ctx.run(
        lists.update_list,
        principal=ctx.principal,
        customer_id=path_id(customer_id, "customer"),
        list_id=path_id(list_id, "list"),
        data=data,
    )


@delete(ONE, opt=MANAGE, tags=TAGS, summary="Delete a list")
async def delete_list(customer_id: str, list_id: str, ctx: RequestContext) -> None:
    await ctx.run(
        lists.delete_list,
        principal=ctx.principal,
        customer_id=path_id(customer_id, "customer"),
        list_id=path_id(list_id, "list"),
    )


@post(ITEMS, opt=MANAGE, tags=TAGS, summary="Add a product to a list")
async def add_item(customer_id: str, list_id: str, data: ItemCreate, ctx: RequestContext) -> Response[ItemRead]:
    """201 with the item; 409 `list.item_exists` when the product is on the list already."""
    target = path_id(customer_id, "customer")
    target_list = path_id(list_id, "list")

    def produce(uow: UnitOfWork) -> Response[ItemRead]:
        item = lists.add_item(uow, principal=ctx.principal, customer_id=target, list_id=target_list, data=data)
        return Response(item, status_code=201)

    return await ctx.run_idempotent(data, produce)


@patch(ITEM, opt=MANAGE, tags=TAGS, summary="Change an item's quantity or note")
async def update_item(customer_id: str, list_id: str, item_id: str, data: ItemUpdate, ctx: RequestContext) -> ItemRead:
    return await ctx.run(
        lists.update_item,
        principal=ctx.principal,
        customer_id=path_id(customer_id, "customer"),
        list_id=path_id(list_id, "list"),
        item_id=path_id(item_id, "list item"),
        data=data,
    )


@delete(ITEM, opt=MANAGE, tags=TAGS, summary="Take a product off a list")
async def remove_item(customer_id: str, list_id: str, item_id: str, ctx: RequestContext) -> None:
    await ctx.run(
        lists.remove_item,
        principal=ctx.principal,
        customer_id=path_id(customer_id, "customer"),
        list_id=path_id(list_id, "list"),
        item_id=path_id(item_id, "list item"),
    )


@post(ONE + "/share", opt=MANAGE, tags=TAGS, status_code=200, summary="Share a list by an unguessable link")
async def share_list(customer_id: str, list_id: str, ctx: RequestContext) -> ShareCreated:
    """The token is shown only here (256 random bits; only its hash is stored). Sharing again
    replaces the link; the earlier one answers 404."""
    return await ctx.run(
        lists.share_list,
        principal=ctx.principal,
        customer_id=path_id(customer_id, "customer"),
        list_id=path_id(list_id, "list"),
    )


@delete(ONE + "/share", opt=MANAGE, tags=TAGS, summary="Revoke a list's link")
async def unshare_list(customer_id: str, list_id: str, ctx: RequestContext) -> None:
    await ctx.run(
        lists.unshare_list,
        principal=ctx.principal,
        customer_id=path_id(customer_id, "customer"),
        list_id=path_id(list_id, "list"),
    )


@get("/shared-lists/{token:str}", opt=PUBLIC, tags=TAGS, summary="A shared list (public, read-only)", security=[])
async def get_shared_list(token: str, ctx: RequestContext) -> SharedListRead:
    """No key needed: the link is the permission. A revoked or unknown token answers 404."""
    return await ctx.run(lists.get_shared_list, token=token)


ROUTES = [
    list_lists,
    create_list,
    get_list,
    update_list,
    delete_list,
    add_item,
    update_item,
    remove_item,
    share_list,
    unshare_list,
    get_shared_list,
]
