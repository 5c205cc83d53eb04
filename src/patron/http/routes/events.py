"""The durable event feed."""

from __future__ import annotations

from typing import Annotated

from litestar import get
from litestar.params import Parameter

from patron.db.uow import UnitOfWork
from patron.events import service as events
from patron.events.schemas import EventPage
from patron.http.guards import requires
from patron.http.routes._shared import call
from patron.identity.permissions import Permission
from patron.kernel.tenancy import Principal


@get("/events", opt=requires(Permission.EVENTS_READ), tags=["events"], summary="Page through domain events")
async def list_events(
    uow: UnitOfWork,
    principal: Principal,
    after: str | None = None,
    limit: Annotated[int, Parameter(ge=1, le=1000)] = 100,
    event_type: Annotated[list[str] | None, Parameter(query="type")] = None,
) -> EventPage:
    """Events in the order they committed. Keep `next_cursor` and pass it as `after` to read on."""
    return await call(uow, events.list_events, principal=principal, after=after, limit=limit, types=event_type)


ROUTES = [list_events]
