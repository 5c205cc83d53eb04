"""Address book routes: thin wrappers over patron.addresses.service."""

from __future__ import annotations

from litestar import Response, delete, get, patch, post

from patron.addresses import service as addresses
from patron.addresses.schemas import AddressCreate, AddressList, AddressRead, AddressUpdate
from patron.db.uow import UnitOfWork
from patron.http.guards import requires
from patron.http.idempotency import Idempotency
from patron.http.routes._shared import call, path_id
from patron.identity.permissions import Permission
from patron.identity.schemas import OrganizationSettings
from patron.kernel.tenancy import Principal

TAGS = ["addresses"]
BASE = "/customers/{customer_id:str}/addresses"
ONE = BASE + "/{address_id:str}"


@get(BASE, opt=requires(Permission.ADDRESSES_READ), tags=TAGS, summary="A customer's addresses")
async def list_addresses(customer_id: str, uow: UnitOfWork, principal: Principal) -> AddressList:
    target = path_id(customer_id, "customer")
    return await call(uow, addresses.list_addresses, principal=principal, customer_id=target)


@get(ONE, opt=requires(Permission.ADDRESSES_READ), tags=TAGS, summary="One address")
async def get_address(customer_id: str, address_id: str, uow: UnitOfWork, principal: Principal) -> AddressRead:
    return await call(
        uow,
        addresses.get_address,
        principal=principal,
        customer_id=path_id(customer_id, "customer"),
        address_id=path_id(address_id, "address"),
    )


@post(BASE, opt=requires(Permission.ADDRESSES_CREATE), tags=TAGS, summary="Add an address")
async def create_address(
    customer_id: str,
    data: AddressCreate,
    uow: UnitOfWork,
    principal: Principal,
    org_settings: OrganizationSettings,
    idempotency: Idempotency,
) -> Response[AddressRead]:
    """201 with the address. Marking it `is_default_shipping` / `is_default_billing` takes that role
    from the previous default in the same transaction. The postcode must match the country's format
    where one is known."""
    target = path_id(customer_id, "customer")

    def produce() -> Response[AddressRead]:
        address = addresses.create_address(
            uow, principal=principal, settings=org_settings, customer_id=target, data=data
        )
        location = f"/api/v1/customers/{target}/addresses/{address.id}"
        return Response(address, status_code=201, headers={"Location": location})

    return await call(uow, lambda _uow: idempotency.run(data, produce))


@patch(ONE, opt=requires(Permission.ADDRESSES_MANAGE), tags=TAGS, summary="Change an address")
async def update_address(
    customer_id: str,
    address_id: str,
    data: AddressUpdate,
    uow: UnitOfWork,
    principal: Principal,
    org_settings: OrganizationSettings,
) -> AddressRead:
    return await call(
        uow,
        addresses.update_address,
        principal=principal,
        settings=org_settings,
        customer_id=path_id(customer_id, "customer"),
        address_id=path_id(address_id, "address"),
        data=data,
    )


@delete(ONE, opt=requires(Permission.ADDRESSES_MANAGE), tags=TAGS, summary="Remove an address")
async def delete_address(customer_id: str, address_id: str, uow: UnitOfWork, principal: Principal) -> None:
    await call(
        uow,
        addresses.delete_address,
        principal=principal,
        customer_id=path_id(customer_id, "customer"),
        address_id=path_id(address_id, "address"),
    )


ROUTES = [list_addresses, get_address, create_address, update_address, delete_address]
