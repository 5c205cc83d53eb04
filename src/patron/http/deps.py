"""What a route gets from its request: the caller, their organization's settings, one unit of work.

Routes declare one dependency, `ctx: RequestContext`, and call services through
`ctx.run(...)`. One plain (synchronous, non-generator) dependency is deliberate:
measured on a get-by-id, separate principal / settings / unit-of-work providers with a
generator that commits cost ~150 µs of CPU a request (Litestar resolves several
dependencies in an anyio task group and tracks generators for cleanup), about a third
of the whole request.
"""

from __future__ import annotations

import weakref
from collections.abc import Callable
from typing import Any, TypeVar

import anyio.to_thread
from litestar import Request, Response
from litestar.di import Provide

from patron.db.uow import Database, UnitOfWork
from patron.http.idempotency import Idempotency
from patron.identity.schemas import OrganizationSettings
from patron.kernel.tenancy import Actor, Principal

T = TypeVar("T")

READ_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


_limiters: weakref.WeakKeyDictionary[Database, anyio.CapacityLimiter] = weakref.WeakKeyDictionary()


async def run_blocking(database: Database, fn: Callable[[], T]) -> T:
    """SQLite calls are microseconds: run them inline. PostgreSQL waits on the network: a few threads.

    Few, because every thread that finishes its wait queues for the GIL behind the event
    loop: measured, get-by-id at 32 connections ran ~20 % faster with 4 threads than with
    anyio's default 40, and with 0 (inline) faster still, at the price of one slow query
    holding up the others. `PATRON_DB_THREADS` chooses.
    """
    if database.is_sqlite or database.io_threads == 0:
        return fn()
    limiter = _limiters.get(database)
    if limiter is None:
        limiter = _limiters[database] = anyio.CapacityLimiter(database.io_threads)
    return await anyio.to_thread.run_sync(fn, limiter=limiter)


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
        readonly = self.request.method in READ_METHODS
        return await run_blocking(self.database, lambda: self._unit(fn, kwargs, readonly=readonly))

    async def run_writing(self, fn: Callable[..., T], /, **kwargs: Any) -> T:
        """Like `run`, in a writing unit of work whatever the method (a GET link that changes state)."""
        return await run_blocking(self.database, lambda: self._unit(fn, kwargs, readonly=False))

    async def run_idempotent(self, body: Any, produce: Callable[..., Response[Any]], /, **kwargs: Any) -> Response[Any]:
        """Like `run`, honouring an `Idempotency-Key`: a repeated key replays the stored answer."""

        def unit(uow: UnitOfWork) -> Response[Any]:
            return self._idempotency(uow).run(body, lambda: produce(uow, **kwargs))

        return await self.run(unit)

    def _unit(self, fn: Callable[..., T], kwargs: dict[str, Any], *, readonly: bool) -> T:
        uow = self.database.unit_of_work(actor=self.actor, readonly=readonly)
        try:
            result = fn(uow, **kwargs)
        except BaseException:
            uow.rollback()
            raise
        uow.commit()
        return result

    def _idempotency(self, uow: UnitOfWork) -> Idempotency:
        request = self.request
        principal: Principal | None = getattr(self.state, "principal", None)
        return Idempotency(
            uow=uow,
            org_id=principal.org_id if principal else None,
            key=request.headers.get("idempotency-key"),
            scope=f"{request.method} {request.url.path}",
            retention_hours=request.app.state.settings.idempotency_retention_hours,
        )


def provide_context(request: Request[Any, Any, Any]) -> RequestContext:
    return RequestContext(request)


DEPENDENCIES = {"ctx": Provide(provide_context, sync_to_thread=False)}
