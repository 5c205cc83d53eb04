"""Address book routes: thin wrappers over patron.addresses.service."""

from __future__ import annotations

from litestar import Response

from patron.addresses import service as addresses
from patron.addresses.schemas import AddressCreate, AddressPage, AddressRead, AddressUpdate
from patron.db.uow import UnitOfWork
from patron.http.deps import RequestContext
from patron.http.guards import requires
from patron.http.routes._shared import Cursor, Limit, Offset, path_id
from patron.http.routing import delete, get, patch, post
from patron.identity.permissions import Permission

TAGS = ["addresses"]
BASE = "/customers/{customer_id:str}/addresses"
ONE = BASE + "/{address_id:str}"


@get(BASE, opt=requires(Permission.ADDRESSES_READ), tags=TAGS, summary="A customer's addresses")
async def list_addresses(
    customer_id: str, ctx: RequestContext, limit: Limit = 25, offset: Offset = 0, cursor: Cursor = None
) -> AddressPage:
    target = path_id(customer_id, "customer")
    return await ctx.run(
        addresses.list_addresses,
        principal=ctx.principal,
        customer_id=target,
        limit=limit,
        offset=offset,
        cursor=cursor,
    )


@get(ONE, opt=requires(Permission.ADDRESSES_READ), tags=TAGS, summary="One address")
async def get_address(customer_id: str, address_id: str, ctx: RequestContext) -> AddressRead:
    return await ctx.run(
        addresses.get_address,
        principal=ctx.principal,
        customer_id=path_id(customer_id, "customer"),
        address_id=path_id(address_id, "address"),
    )


@post(BASE, opt=requires(Permission.ADDRESSES_CREATE), tags=TAGS, summary="Add an address")
async def create_address(
    customer_id: str,
    data: AddressCreate,
    ctx: RequestContext,
) -> Response[AddressRead]:
    """201 with the address. Marking it `is_default_shipping` / `is_default_billing` takes that role
    from the previous default in the same transaction. The postcode must match the country's format
    where one is known."""
    target = path_id(customer_id, "customer")

    def produce(uow: UnitOfWork) -> Response[AddressRead]:
        address = addresses.create_address(
            uow, principal=ctx.principal, settings=ctx.org_settings, customer_id=target, data=data
        )
        location = f"/api/v1/customers/{target}/addresses/{address.id}"
        return Response(address, status_code=201, headers={"Location": location})

    return await ctx.run_idempotent(data, produce)


@patch(ONE, opt=requires(Permission.ADDRESSES_MANAGE), tags=TAGS, summary="Change an address")
async def update_address(
    customer_id: str,
    address_id: str,
    data: AddressUpdate,
    ctx: RequestContext,
) -> AddressRead:
    return await ctx.run(
        addresses.update_address,
        principal=ctx.principal,
        settings=ctx.org_settings,
        customer_id=path_id(customer_id, "customer"),
        address_id=path_id(address_id, "address"),
        data=data,
    )


@delete(ONE, opt=requires(Permission.ADDRESSES_MANAGE), tags=TAGS, summary="Remove an address")
async def delete_address(customer_id: str, address_id: str, ctx: RequestContext) -> None:
    await ctx.run(
        addresses.delete_address,
        principal=ctx.principal,
        customer_id=path_id(customer_id, "customer"),
        address_id=path_id(address_id, "address"),
    )


ROUTES = [list_addresses, get_address, create_address, update_address, delete_address]
