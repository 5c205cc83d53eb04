"""Customer routes: thin wrappers over patron.customers.service."""

from __future__ import annotations

from typing import Annotated, Any

from litestar import Request, Response
from litestar.openapi.spec import Example
from litestar.params import Parameter

from patron.customers import service as customers
from patron.customers.query import parse as parse_list_query
from patron.customers.schemas import (
    CustomerBatchCreate,
    CustomerBatchRead,
    CustomerCreate,
    CustomerPage,
    CustomerRead,
    CustomerUpdate,
    PurgeResult,
)
from patron.db.uow import UnitOfWork
from patron.http.deps import RequestContext
from patron.http.guards import requires
from patron.http.routes._shared import Limit, Offset, path_id
from patron.http.routing import delete, get, patch, post
from patron.identity.permissions import Permission
from patron.kernel.errors import ValidationFailed
from patron.kernel.messages import Message

READ = requires(Permission.CUSTOMERS_READ)
CREATE = requires(Permission.CUSTOMERS_CREATE)
UPDATE = requires(Permission.CUSTOMERS_UPDATE)
DELETE = requires(Permission.CUSTOMERS_DELETE)
TAGS = ["customers"]


def etag(customer: CustomerRead) -> str:
    return f'"{customer.version}"'


def parse_if_match(value: str | None) -> int | None:
    """The version an If-Match names; `*` and absence mean any version."""
    if value is None or value.strip() == "*":
        return None
    tag = value.strip().removeprefix("W/").strip('"')
    if not tag.isdigit():
        raise ValidationFailed.single("If-Match", Message("request.bad_etag"))
    return int(tag)


def customer_response(customer: CustomerRead, status_code: int = 200) -> Response[CustomerRead]:
    """The customer with its ETag (and, when created, its Location)."""
    headers = {"ETag": etag(customer)}
    if status_code == 201:
        headers["Location"] = f"/api/v1/customers/{customer.id}"
    return Response(customer, status_code=status_code, headers=headers)


@post("/customers", opt=CREATE, tags=TAGS, summary="Create a customer")
async def create_customer(data: CustomerCreate, ctx: RequestContext) -> Response[CustomerRead]:
    """201 with the new customer. Registering the email of an existing guest registers that guest
    (same id) and answers 200. A registered customer with the email (any case) answers 409
    `customer.email_taken`."""

    def produce(uow: UnitOfWork) -> Response[CustomerRead]:
        [(customer, created)] = customers.create_customers(
            uow, principal=ctx.principal, settings=ctx.org_settings, data=[data], batch=False
        )
        return customer_response(customer, 201 if created else 200)

    return await ctx.run_idempotent(data, produce)


@post("/customers/batch", opt=CREATE, tags=TAGS, summary="Create up to 1000 customers, all or nothing")
async def create_customers_batch(data: CustomerBatchCreate, ctx: RequestContext) -> Response[CustomerBatchRead]:
    """One bad row fails the batch: 422 naming `customers[i].field`, nothing written."""

    def produce(uow: UnitOfWork) -> Response[CustomerBatchRead]:
        results = customers.create_customers(
            uow, principal=ctx.principal, settings=ctx.org_settings, data=data.customers, batch=True
        )
        return Response(CustomerBatchRead(items=[c for c, _ in results]), status_code=201)

    return await ctx.run_idempotent(data, produce)


@get("/customers", opt=READ, tags=TAGS, summary="List, filter, sort and search customers")
async def list_customers(
    request: Request[Any, Any, Any],
    ctx: RequestContext,
    limit: Limit = 25,
    offset: Offset = 0,
    sort: Annotated[
        str | None,
        Parameter(
            description="comma-separated fields, `-` for descending", examples=[Example(value="-created_at,last_name")]
        ),
    ] = None,
    q: Annotated[
        str | None,
        Parameter(
            max_length=200,
            description="search names, emails, phone digits, customer number and company name; "
            "accents and case are ignored and words match by prefix",
            examples=[Example(value="nguyen")],
        ),
    ] = None,
    cursor: Annotated[str | None, Parameter(max_length=2000, description="`next_cursor` of the previous page")] = None,
) -> CustomerPage:
    """Filters are `filter[<field>]=<op>|<value>` (op `eq` by default; `like`, `lt`, `lte`, `gt`, `gte`,
    `in` with a comma list, `null` with true/false, `has` for tags), combined with AND; a value
    without an operator that contains `*` is a `like` pattern (`filter[last_name]=Ngu*`).
    A bad field, operator, value or cursor answers 422 naming the parameter."""
    filters = [(key, value) for key, value in request.query_params.multi_items() if key.startswith("filter")]
    query = parse_list_query(filters=filters, sort=sort, q=q, limit=limit, offset=offset, cursor=cursor)
    return await ctx.run(customers.list_customers, principal=ctx.principal, query=query)


@get("/customers/by-email/{email:str}", opt=READ, tags=TAGS, summary="Find a customer by email, any letter case")
async def get_customer_by_email(email: str, ctx: RequestContext) -> Response[CustomerRead]:
    return customer_response(await ctx.run(customers.get_customer_by_email, principal=ctx.principal, email=email))


@get("/customers/{customer_id:str}", opt=READ, tags=TAGS, summary="Get a customer")
async def get_customer(customer_id: str, ctx: RequestContext) -> Response[CustomerRead]:
    target = path_id(customer_id, "customer")
    return customer_response(await ctx.run(customers.get_customer, principal=ctx.principal, customer_id=target))


@patch("/customers/{customer_id:str}", opt=UPDATE, tags=TAGS, summary="Change some fields of a customer")
async def update_customer(
    customer_id: str,
    data: CustomerUpdate,
    ctx: RequestContext,
    if_match: Annotated[str | None, Parameter(header="If-Match")] = None,
) -> Response[CustomerRead]:
    """Send the ETag you read as If-Match to get 412 instead of overwriting someone else's change."""
    target = path_id(customer_id, "customer")
    customer = await ctx.run(
        customers.update_customer,
        principal=ctx.principal,
        settings=ctx.org_settings,
        customer_id=target,
        data=data,
        expected_version=parse_if_match(if_match),
    )
    return customer_response(customer)


@delete("/customers/{customer_id:str}", opt=DELETE, tags=TAGS, summary="Soft-delete a customer")
async def delete_customer(customer_id: str, ctx: RequestContext) -> None:
    await ctx.run(customers.delete_customer, principal=ctx.principal, customer_id=path_id(customer_id, "customer"))


@post("/customers/{customer_id:str}/restore", opt=DELETE, tags=TAGS, summary="Restore a soft-deleted customer")
async def restore_customer(customer_id: str, ctx: RequestContext) -> Response[CustomerRead]:
    """409 `customer.email_taken` when a registered customer took the email meanwhile."""
    target = path_id(customer_id, "customer")
    return customer_response(await ctx.run(customers.restore_customer, principal=ctx.principal, customer_id=target))


@delete(
    "/customers/guests/outdated",
    opt=DELETE,
    tags=TAGS,
    status_code=200,
    summary="Purge guest accounts with no recent activity",
)
async def purge_outdated_guests(
    ctx: RequestContext,
    older_than_days: Annotated[int | None, Parameter(ge=1, le=36_500)] = None,
) -> PurgeResult:
    """Guests untouched for `older_than_days` (default: the organization's `guest_retention_days`)."""
    return await ctx.run(
        customers.purge_outdated_guests,
        principal=ctx.principal,
        settings=ctx.org_settings,
        older_than_days=older_than_days,
    )


ROUTES = [
    create_customer,
    create_customers_batch,
    list_customers,
    get_customer_by_email,
    get_customer,
    update_customer,
    delete_customer,
    restore_customer,
    purge_outdated_guests,
]
