"""The caller's organization and its settings."""

from __future__ import annotations

from typing import Any

from litestar import Request

from patron.http.deps import RequestContext
from patron.http.guards import requires
from patron.http.routing import get, patch
from patron.identity import service as identity
from patron.identity.permissions import Permission
from patron.identity.schemas import OrganizationRead, OrganizationUpdate
from patron.orders import service as orders


@get("/organization", opt=requires(Permission.ORGANIZATION_READ), tags=["organization"])
async def get_organization(ctx: RequestContext) -> OrganizationRead:
    return await ctx.run(identity.get_organization, principal=ctx.principal)


@patch("/organization", opt=requires(Permission.ORGANIZATION_MANAGE), tags=["organization"])
async def update_organization(
    request: Request[Any, Any, Any], data: OrganizationUpdate, ctx: RequestContext
) -> OrganizationRead:
    """Settings: locale, region, currency, timezone, field rules, custom fields, loyalty, double opt-in.
    A new currency has the customers' order figures (segments, analytics) counted afresh in it."""
    updated = await ctx.run(orders.update_organization, principal=ctx.principal, data=data)
    request.app.state.authenticator.forget_org(ctx.principal.org_id)
    return updated


ROUTES = [get_organization, update_organization]
