"""Per-request dependencies: the principal, the organization's settings, the unit of work."""

from __future__ import annotations

from collections.abc import AsyncGenerator, Callable
from typing import Any, TypeVar

import anyio.to_thread
from litestar import Request
from litestar.di import Provide

from patron.db.uow import Database, UnitOfWork
from patron.http.idempotency import Idempotency
from patron.identity.schemas import OrganizationSettings
from patron.kernel.tenancy import Principal

T = TypeVar("T")

READ_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


async def run_blocking(database: Database, fn: Callable[[], T]) -> T:
    """SQLite calls are microseconds: run them inline. PostgreSQL waits on the network: use a thread."""
    if database.is_sqlite:
        return fn()
    return await anyio.to_thread.run_sync(fn)


def provide_principal(request: Request[Any, Any, Any]) -> Principal:
    principal: Principal = request.state.principal
    return principal


def provide_org_settings(request: Request[Any, Any, Any]) -> OrganizationSettings:
    settings: OrganizationSettings = request.state.org_settings
    return settings


async def provide_uow(request: Request[Any, Any, Any]) -> AsyncGenerator[UnitOfWork, None]:
    """One unit of work per request: committed after the handler returns, rolled back if it raised."""
    database: Database = request.app.state.database
    uow = database.unit_of_work(actor=request.state.actor, readonly=request.method in READ_METHODS)
    try:
        yield uow
    except BaseException:
        await run_blocking(database, uow.rollback)
        raise
    else:
        await run_blocking(database, uow.commit)


def provide_idempotency(request: Request[Any, Any, Any], uow: UnitOfWork) -> Idempotency:
    principal: Principal | None = getattr(request.state, "principal", None)
    return Idempotency(
        uow=uow,
        org_id=principal.org_id if principal else None,
        key=request.headers.get("idempotency-key"),
        scope=f"{request.method} {request.url.path}",
        retention_hours=request.app.state.settings.idempotency_retention_hours,
    )


DEPENDENCIES = {
    "principal": Provide(provide_principal, sync_to_thread=False),
    "org_settings": Provide(provide_org_settings, sync_to_thread=False),
    "uow": Provide(provide_uow),
    "idempotency": Provide(provide_idempotency, sync_to_thread=False),
}
