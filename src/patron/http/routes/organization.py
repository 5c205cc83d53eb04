"""The caller's organization and its settings."""

from __future__ import annotations

from typing import Any

from litestar import Request, get, patch

from patron.db.uow import UnitOfWork
from patron.http.guards import requires
from patron.http.routes._shared import call
from patron.identity import service as identity
from patron.identity.permissions import Permission
from patron.identity.schemas import OrganizationRead, OrganizationUpdate
from patron.kernel.tenancy import Principal


@get("/organization", opt=requires(Permission.ORGANIZATION_READ), tags=["organization"])
async def get_organization(uow: UnitOfWork, principal: Principal) -> OrganizationRead:
    return await call(uow, identity.get_organization, principal=principal)


@patch("/organization", opt=requires(Permission.ORGANIZATION_MANAGE), tags=["organization"])
async def update_organization(
    request: Request[Any, Any, Any], data: OrganizationUpdate, uow: UnitOfWork, principal: Principal
) -> OrganizationRead:
    """Settings: locale, region, currency, timezone, field rules, custom fields, loyalty, double opt-in."""
    updated = await call(uow, identity.update_organization, principal=principal, data=data)
    request.app.state.authenticator.forget_org(principal.org_id)
    return updated


ROUTES = [get_organization, update_organization]
