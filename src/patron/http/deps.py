"""What a route gets from its request: the caller, their organization's settings, one unit of work.

Routes declare one dependency, `ctx: RequestContext`, and call services through
`ctx.run(...)`. One plain (synchronous, non-generator) dependency is deliberate:
measured on a get-by-id, separate principal / settings / unit-of-work providers with a
generator that commits cost ~150 µs of CPU a request (Litestar resolves several
dependencies in an anyio task group and tracks generators for cleanup), about a third
of the whole request.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from litestar import Request, Response
from litestar.di import Provide

from patron.db.uow import Database, UnitOfWork
from patron.http.idempotency import Idempotency
from patron.identity.schemas import OrganizationSettings
from patron.kernel.tenancy import Actor, Principal

T = TypeVar("T")

READ_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


class RequestContext:
    """One request's caller and the way to run its unit of work.

    `run` opens the unit of work, calls the service, writes the outbox and commits, or
    rolls back if anything raised: one step, so on PostgreSQL the whole transaction
    takes one hop to a worker thread. Reads run in a read-only unit (no BEGIN/COMMIT).
    """

    __slots__ = ("actor", "database", "request", "state")

    def __init__(self, request: Request[Any, Any, Any]) -> None:
        self.request = request
        self.state = request.state  # a new wrapper object on every access: take it once
        self.database: Database = request.app.state.database
        self.actor: Actor = self.state.actor

    @property
    def principal(self) -> Principal:
        """The authenticated caller (routes that require a permission always have one)."""
        principal: Principal = self.state.principal
        return principal

    @property
    def org_settings(self) -> OrganizationSettings:
        settings: OrganizationSettings = self.state.org_settings
        return settings

    async def run(self, fn: Callable[..., T], /, **kwargs: Any) -> T:
        """`fn(uow, **kwargs)` in this request's unit of work, committed if it returns."""
        return await self.database.run(self._unit, fn, kwargs, self.request.method in READ_METHODS)

    async def run_writing(self, fn: Callable[..., T], /, **kwargs: Any) -> T:
        """Like `run`, in a writing unit of work whatever the method (a GET link that changes state)."""
        return await self.database.run(self._unit, fn, kwargs, False)

    async def run_idempotent(
        self, body: Any, produce: Callable[..., Response[Any]], /, *, shows_secret: bool = False, **kwargs: Any
    ) -> Response[Any]:
        """Like `run`, honouring an `Idempotency-Key`: a repeated key replays the stored answer.

        `shows_secret`: the answer holds a secret shown once, so it is not stored and a repeat
        answers 409 `idempotency.secret_not_replayed` (see patron.http.idempotency).
        """

        def unit(uow: UnitOfWork) -> Response[Any]:
            return self._idempotency(uow, shows_secret).run(body, lambda: produce(uow, **kwargs))

        return await self.run(unit)

    def _unit(self, fn: Callable[..., T], kwargs: dict[str, Any], readonly: bool) -> T:
        with self.database.unit_of_work(actor=self.actor, readonly=readonly) as uow:
            return fn(uow, **kwargs)

    def _idempotency(self, uow: UnitOfWork, shows_secret: bool) -> Idempotency:
        request = self.request
        principal: Principal | None = getattr(self.state, "principal", None)
        return Idempotency(
            uow=uow,
            org_id=principal.org_id if principal else None,
            api_key_id=principal.api_key_id if principal else None,
            key=request.headers.get("idempotency-key"),
            scope=f"{request.method} {request.url.path}",
            retention_hours=request.app.state.settings.idempotency_retention_hours,
            shows_secret=shows_secret,
        )


def provide_context(request: Request[Any, Any, Any]) -> RequestContext:
    return RequestContext(request)


DEPENDENCIES = {"ctx": Provide(provide_context, sync_to_thread=False)}
