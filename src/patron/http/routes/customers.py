"""Customer routes: thin wrappers over patron.customers.service."""

from __future__ import annotations

import uuid
from typing import Annotated, Any

from litestar import Request, Response
from litestar.openapi.datastructures import ResponseSpec
from litestar.openapi.spec import Example
from litestar.params import Parameter

from patron.customers import query
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
from patron.http.openapi import OPENAPI_PARAMETERS
from patron.http.routes._shared import Limit, Offset, path_id
from patron.http.routing import delete, get, patch, post
from patron.identity.permissions import Permission
from patron.kernel.errors import ValidationFailed
from patron.kernel.messages import Message
from patron.segments import service as segments

READ = requires(Permission.CUSTOMERS_READ)
CREATE = requires(Permission.CUSTOMERS_CREATE)
UPDATE = requires(Permission.CUSTOMERS_UPDATE)
DELETE = requires(Permission.CUSTOMERS_DELETE)
TAGS = ["customers"]


# What a `filter[<field>]` value may be, per kind of field: `<op>|<value>`, or a bare value (`eq`,
# `has` for tags). A value is any text without `|` or control characters; `in` takes a comma list.
_TEXT = r"[^|,\u0000-\u001f]+"
_DATE = r"[1-9][0-9]{3}-(0[1-9]|1[0-2])-(0[1-9]|1[0-9]|2[0-8])"
_VALUE_PATTERNS = {
    "text": r"[^|\u0000-\u001f]*",
    "date": _DATE,
    "datetime": _DATE + r"T([01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9](Z|[+-](0[0-9]|1[0-3]):[0-5][0-9])?",
    "int": r"[+-]?[0-9]{1,18}",
    "bool": r"(true|false)",
    "uuid": r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}",
    "tags": _TEXT,
}


def _filter_value_pattern(field: query.Field) -> str:
    value = f"({'|'.join(field.choices)})" if field.kind == "enum" else _VALUE_PATTERNS[field.kind]
    item = _TEXT if field.kind == "text" else value
    forms = [f"({'has' if field.kind == 'tags' else 'eq'}\\|)?{value}"]
    forms += [f"{op}\\|{value}" for op in field.ops if op not in ("eq", "has", "in", "null")]
    if "in" in field.ops:
        forms.append(f"in\\|{item}(,{item})*")
    if "null" in field.ops:
        forms.append("null\\|(true|false)")
    return "^(" + "|".join(f"({form})" for form in forms) + ")$"


FILTER_PARAMETER = {
    "name": "filter",
    "in": "query",
    "style": "deepObject",
    "explode": True,
    "required": False,
    "description": "`filter[<field>]=<op>|<value>`, combined with AND (see the operation's description); "
    "a field may be repeated for a range (`filter[credit]=gte|100&filter[credit]=lt|500`).",
    "schema": {
        "type": "object",
        "properties": {
            name: {"type": "string", "maxLength": query.MAX_VALUE_LENGTH, "pattern": _filter_value_pattern(field)}
            for name, field in query.FIELDS.items()
        },
        "additionalProperties": False,
    },
}


# `sort` and `q` of the customer list (exports take them too).
_SORT_KEY = "-?(" + "|".join(sorted(query.SORTABLE)) + ")"
Sort = Annotated[
    str | None,
    Parameter(
        description="comma-separated fields (each once, at most 5), `-` for descending",
        pattern=f"^{_SORT_KEY}(,{_SORT_KEY}){{0,{query.MAX_SORT_KEYS - 1}}}$",
        examples=[Example(value="-created_at,last_name")],
    ),
]
Search = Annotated[
    str | None,
    Parameter(
        max_length=200,
        description="search names, emails, phone digits, customer number and company name; "
        "accents and case are ignored and words match by prefix",
        examples=[Example(value="nguyen")],
    ),
]


def filter_parameters(request: Request[Any, Any, Any]) -> list[tuple[str, str]]:
    """The request's `filter[...]` parameters, in their order."""
    return [(key, value) for key, value in request.query_params.multi_items() if key.startswith("filter")]


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


@post(
    "/customers",
    opt=CREATE,
    tags=TAGS,
    summary="Create a customer",
    responses={
        200: ResponseSpec(data_container=CustomerRead, description="An existing guest with the email registered")
    },
)
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


# A saved segment's id: the list (or export) is restricted to the segment's customers.
SegmentId = Annotated[
    str | None,
    Parameter(
        pattern="^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$",
        description="only the customers of this saved segment (`GET /segments`); an unknown id answers 422",
    ),
]


@get(
    "/customers",
    opt={**READ, OPENAPI_PARAMETERS: [FILTER_PARAMETER]},
    tags=TAGS,
    summary="List, filter, sort and search customers",
)
async def list_customers(
    request: Request[Any, Any, Any],
    ctx: RequestContext,
    limit: Limit = 25,
    offset: Offset = 0,
    sort: Sort = None,
    q: Search = None,
    cursor: Annotated[str | None, Parameter(max_length=2000, description="`next_cursor` of the previous page")] = None,
    segment_id: SegmentId = None,
) -> CustomerPage:
    """Filters are `filter[<field>]=<op>|<value>` (op `eq` by default; `like`, `lt`, `lte`, `gt`, `gte`,
    `in` with a comma list, `null` with true/false, `has` for tags), combined with AND; a value
    without an operator that contains `*` is a `like` pattern (`filter[last_name]=Ngu*`).
    `segment_id` restricts the list to a saved segment's customers (its query as of now).
    A bad field, operator, value or cursor answers 422 naming the parameter."""
    if segment_id is None:
        query = parse_list_query(
            filters=filter_parameters(request), sort=sort, q=q, limit=limit, offset=offset, cursor=cursor
        )
        return await ctx.run(customers.list_customers, principal=ctx.principal, query=query)
    # The cursor is read once the segment is known: it is bound to the restricted list.
    query = parse_list_query(
        filters=filter_parameters(request), sort=sort, q=q, limit=limit, offset=offset, cursor=None
    )
    return await ctx.run(
        segments.list_customers,
        principal=ctx.principal,
        settings=ctx.org_settings,
        segment_id=uuid.UUID(segment_id),
        query=query,
        cursor=cursor,
        given_as="segment_id",
    )


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


@post(
    "/customers/{customer_id:str}/restore",
    opt=DELETE,
    tags=TAGS,
    status_code=200,
    summary="Restore a soft-deleted customer",
)
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
