"""Platform routes: the admin token creates organizations."""

from __future__ import annotations

from litestar import Response

from patron.http.deps import RequestContext
from patron.http.guards import PLATFORM
from patron.http.routing import post
from patron.identity import service as identity
from patron.identity.schemas import OrganizationCreate, OrganizationCreated


@post("/organizations", opt=PLATFORM, tags=["platform"], summary="Create an organization (admin token)")
async def create_organization(data: OrganizationCreate, ctx: RequestContext) -> Response[OrganizationCreated]:
    """Creates the organization, its owner and the owner's API key (shown only in this answer)."""
    created = await ctx.run(identity.create_organization, data=data)
    return Response(created, status_code=201, headers={"Location": "/api/v1/organization"})


ROUTES = [create_organization]
