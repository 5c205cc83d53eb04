"""Company routes: thin wrappers over patron.companies.service."""

from __future__ import annotations

import uuid

from litestar import Response

from patron.companies import service as companies
from patron.companies.schemas import (
    CompanyCreate,
    CompanyPage,
    CompanyRead,
    CompanyUpdate,
    ContactPage,
    JoinCodeCreate,
    JoinCodeCreated,
    JoinCodePage,
    JoinCodeRedeem,
    MemberAdd,
    MemberPage,
    MemberRead,
    MemberUpdate,
)
from patron.db.uow import UnitOfWork
from patron.http.deps import RequestContext
from patron.http.guards import requires
from patron.http.routes._shared import Cursor, Limit, Offset, path_id
from patron.http.routing import delete, get, patch, post
from patron.identity.permissions import Permission

READ = requires(Permission.COMPANIES_READ)
MANAGE = requires(Permission.COMPANIES_MANAGE)
TAGS = ["companies"]


def _company(value: str) -> uuid.UUID:
    return path_id(value, "company")


@post("/companies", opt=MANAGE, tags=TAGS, summary="Create a company")
async def create_company(
    data: CompanyCreate,
    ctx: RequestContext,
) -> Response[CompanyRead]:
    """422 naming `vat_id` when it fails its country's check; 409 `company.vat_id_taken`."""

    def produce(uow: UnitOfWork) -> Response[CompanyRead]:
        company = companies.create_company(uow, principal=ctx.principal, settings=ctx.org_settings, data=data)
        return Response(company, status_code=201, headers={"Location": f"/api/v1/companies/{company.id}"})

    return await ctx.run_idempotent(data, produce)


@get("/companies", opt=READ, tags=TAGS, summary="List companies, by name")
async def list_companies(
    ctx: RequestContext,
    limit: Limit = 25,
    offset: Offset = 0,
    cursor: Cursor = None,
) -> CompanyPage:
    return await ctx.run(companies.list_companies, principal=ctx.principal, limit=limit, offset=offset, cursor=cursor)


@get("/companies/{company_id:str}", opt=READ, tags=TAGS, summary="Get a company")
async def get_company(company_id: str, ctx: RequestContext) -> CompanyRead:
    return await ctx.run(companies.get_company, principal=ctx.principal, company_id=_company(company_id))


@patch("/companies/{company_id:str}", opt=MANAGE, tags=TAGS, summary="Change some fields of a company")
async def update_company(company_id: str, data: CompanyUpdate, ctx: RequestContext) -> CompanyRead:
    return await ctx.run(
        companies.update_company,
        principal=ctx.principal,
        settings=ctx.org_settings,
        company_id=_company(company_id),
        data=data,
    )


@delete("/companies/{company_id:str}", opt=MANAGE, tags=TAGS, summary="Delete a company without contacts")
async def delete_company(company_id: str, ctx: RequestContext) -> None:
    """409 `company.in_use` while customers are its contacts."""
    await ctx.run(companies.delete_company, principal=ctx.principal, company_id=_company(company_id))


@get("/companies/{company_id:str}/contacts", opt=READ, tags=TAGS, summary="The company's contacts (customers)")
async def list_contacts(
    company_id: str,
    ctx: RequestContext,
    limit: Limit = 25,
    offset: Offset = 0,
    cursor: Cursor = None,
) -> ContactPage:
    target = _company(company_id)
    return await ctx.run(
        companies.list_contacts,
        principal=ctx.principal,
        company_id=target,
        limit=limit,
        offset=offset,
        cursor=cursor,
    )


@get("/companies/{company_id:str}/members", opt=READ, tags=TAGS, summary="The company's members and their roles")
async def list_members(
    company_id: str, ctx: RequestContext, limit: Limit = 25, offset: Offset = 0, cursor: Cursor = None
) -> MemberPage:
    target = _company(company_id)
    return await ctx.run(
        companies.list_members, principal=ctx.principal, company_id=target, limit=limit, offset=offset, cursor=cursor
    )


@post("/companies/{company_id:str}/members", opt=MANAGE, tags=TAGS, summary="Give a customer a role in the company")
async def add_member(company_id: str, data: MemberAdd, ctx: RequestContext) -> Response[MemberRead]:
    """The customer becomes a contact if it was not one. 422 naming `customer_id` for an unknown
    customer; 409 `customer.other_company` or `company.already_member`."""
    target = _company(company_id)

    def produce(uow: UnitOfWork) -> Response[MemberRead]:
        member = companies.add_member(uow, principal=ctx.principal, company_id=target, data=data)
        location = f"/api/v1/companies/{target}/members/{member.customer_id}"
        return Response(member, status_code=201, headers={"Location": location})

    return await ctx.run_idempotent(data, produce)


@patch("/companies/{company_id:str}/members/{customer_id:str}", opt=MANAGE, tags=TAGS, summary="Change a member's role")
async def update_member(company_id: str, customer_id: str, data: MemberUpdate, ctx: RequestContext) -> MemberRead:
    return await ctx.run(
        companies.update_member,
        principal=ctx.principal,
        company_id=_company(company_id),
        customer_id=path_id(customer_id, "company member"),
        data=data,
    )


@delete(
    "/companies/{company_id:str}/members/{customer_id:str}",
    opt=MANAGE,
    tags=TAGS,
    summary="Remove a member's role (it stays a contact)",
)
async def remove_member(company_id: str, customer_id: str, ctx: RequestContext) -> None:
    await ctx.run(
        companies.remove_member,
        principal=ctx.principal,
        company_id=_company(company_id),
        customer_id=path_id(customer_id, "company member"),
    )


@post("/companies/{company_id:str}/join-codes", opt=MANAGE, tags=TAGS, summary="Issue a single-use join code")
async def create_join_code(company_id: str, data: JoinCodeCreate, ctx: RequestContext) -> Response[JoinCodeCreated]:
    """The answer holds the code this once; only its hash is stored."""
    target = _company(company_id)

    def produce(uow: UnitOfWork) -> Response[JoinCodeCreated]:
        created = companies.create_join_code(uow, principal=ctx.principal, company_id=target, data=data)
        return Response(created, status_code=201)

    return await ctx.run_idempotent(data, produce, shows_secret=True)


@get("/companies/{company_id:str}/join-codes", opt=MANAGE, tags=TAGS, summary="The company's join codes")
async def list_join_codes(
    company_id: str, ctx: RequestContext, limit: Limit = 25, offset: Offset = 0, cursor: Cursor = None
) -> JoinCodePage:
    target = _company(company_id)
    return await ctx.run(
        companies.list_join_codes,
        principal=ctx.principal,
        company_id=target,
        limit=limit,
        offset=offset,
        cursor=cursor,
    )


@delete(
    "/companies/{company_id:str}/join-codes/{code_id:str}", opt=MANAGE, tags=TAGS, summary="Revoke an unused join code"
)
async def revoke_join_code(company_id: str, code_id: str, ctx: RequestContext) -> None:
    await ctx.run(
        companies.revoke_join_code,
        principal=ctx.principal,
        company_id=_company(company_id),
        code_id=path_id(code_id, "company join code"),
    )


@post("/join-codes/redeem", opt=MANAGE, tags=TAGS, status_code=200, summary="Join a customer to a company by code")
async def redeem_join_code(data: JoinCodeRedeem, ctx: RequestContext) -> Response[MemberRead]:
    """422 naming `code` for a code this organization never issued; 409 `company.join_code_used`,
    `company.join_code_expired` or `company.join_code_revoked`."""

    def produce(uow: UnitOfWork) -> Response[MemberRead]:
        return Response(companies.redeem_join_code(uow, principal=ctx.principal, data=data))

    return await ctx.run_idempotent(data, produce)


ROUTES = [
    create_company,
    list_companies,
    get_company,
    update_company,
    delete_company,
    list_contacts,
    list_members,
    add_member,
    update_member,
    remove_member,
    create_join_code,
    list_join_codes,
    revoke_join_code,
    redeem_join_code,
]
