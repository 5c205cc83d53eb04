"""Points routes: thin wrappers over patron.loyalty.service."""

from __future__ import annotations

from typing import Annotated

from litestar import Response, get, post
from litestar.params import Parameter

from patron.db.uow import UnitOfWork
from patron.http.guards import requires
from patron.http.idempotency import Idempotency
from patron.http.routes._shared import call, path_id
from patron.identity.permissions import Permission
from patron.identity.schemas import OrganizationSettings
from patron.kernel.tenancy import Principal
from patron.loyalty import service as loyalty
from patron.loyalty.schemas import AdjustCreate, LedgerEntryRead, PointsRead, RedeemCreate

TAGS = ["loyalty"]


@get(
    "/customers/{customer_id:str}/points",
    opt=requires(Permission.POINTS_READ),
    tags=TAGS,
    summary="A customer's balance, tier and points ledger",
)
async def get_points(
    customer_id: str,
    uow: UnitOfWork,
    principal: Principal,
    org_settings: OrganizationSettings,
    limit: Annotated[int, Parameter(ge=1, le=500)] = 50,
    after: str | None = None,
) -> PointsRead:
    """Entries newest first; pass `next_cursor` as `after` to read older ones."""
    return await call(
        uow,
        loyalty.get_points,
        principal=principal,
        settings=org_settings.loyalty,
        customer_id=path_id(customer_id, "customer"),
        limit=limit,
        after=after,
    )


@post(
    "/customers/{customer_id:str}/points/redeem",
    opt=requires(Permission.POINTS_REDEEM),
    tags=TAGS,
    status_code=200,
    summary="Spend points",
)
async def redeem_points(
    customer_id: str, data: RedeemCreate, uow: UnitOfWork, principal: Principal, idempotency: Idempotency
) -> Response[LedgerEntryRead]:
    """200 with the ledger entry; 409 `loyalty.insufficient_points` when the balance is short."""
    target = path_id(customer_id, "customer")

    def produce() -> Response[LedgerEntryRead]:
        entry = loyalty.redeem_points(uow, principal=principal, customer_id=target, data=data)
        return Response(entry, status_code=200)

    return await call(uow, lambda _uow: idempotency.run(data, produce))


@post(
    "/customers/{customer_id:str}/points/adjust",
    opt=requires(Permission.POINTS_ADJUST),
    tags=TAGS,
    status_code=200,
    summary="Add or remove points by hand, with a reason",
)
async def adjust_points(
    customer_id: str,
    data: AdjustCreate,
    uow: UnitOfWork,
    principal: Principal,
    org_settings: OrganizationSettings,
    idempotency: Idempotency,
) -> Response[LedgerEntryRead]:
    """200 with the ledger entry; 409 `loyalty.insufficient_points` when a removal exceeds the balance."""
    target = path_id(customer_id, "customer")

    def produce() -> Response[LedgerEntryRead]:
        entry = loyalty.adjust_points(
            uow, principal=principal, settings=org_settings.loyalty, customer_id=target, data=data
        )
        return Response(entry, status_code=200)

    return await call(uow, lambda _uow: idempotency.run(data, produce))


ROUTES = [get_points, redeem_points, adjust_points]
