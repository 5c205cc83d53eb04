"""The durable event feed and its live stream."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Annotated, Any

import msgspec
from litestar import Request
from litestar.openapi.datastructures import ResponseSpec
from litestar.params import Parameter
from litestar.response import ServerSentEvent, ServerSentEventMessage

from patron.db.uow import Database
from patron.event_types import KNOWN_TYPES
from patron.events import service as events
from patron.events import stream
from patron.events.schemas import EventPage, EventTypePattern
from patron.http.deps import RequestContext
from patron.http.guards import requires
from patron.http.routes._shared import Cursor, Offset
from patron.http.routing import get
from patron.identity.permissions import Permission

READ = requires(Permission.EVENTS_READ)


class StreamMessage(msgspec.Struct):
    """One server-sent event: `event` is the event type, `id` its cursor, `data` the event as JSON
    (empty in the first message and in keep-alives, which carry only a comment)."""

    data: str = ""
    event: str = "message"
    id: str | None = None
    retry: int | None = None


@get("/events", opt=READ, tags=["events"], summary="Page through domain events")
async def list_events(
    ctx: RequestContext,
    cursor: Cursor = None,
    after: Annotated[str | None, Parameter(max_length=2000, description="the same as `cursor`")] = None,
    limit: Annotated[int, Parameter(ge=1, le=1000)] = 100,
    offset: Offset = 0,
    event_type: Annotated[
        list[EventTypePattern] | None,
        Parameter(
            query="type",
            description="event types, `domain.*` (every `domain.` type) or `*`, as a webhook takes them; "
            "one naming no event type answers 422",
        ),
    ] = None,
) -> EventPage:
    """Events in the order they committed. Keep `next_cursor` and pass it as `cursor` to read on
    (an event's own `cursor`, or the stream's event id, works as well). Owners see every event;
    sales see `customer.*` and `inquiry.*`; marketing `customer.*` and `subscriber.*`."""
    return await ctx.run(
        events.list_events,
        principal=ctx.principal,
        cursor=cursor or after,
        cursor_field="cursor" if cursor else "after",
        limit=limit,
        offset=offset,
        types=event_type,
        known_types=KNOWN_TYPES,
    )


@get(
    "/events/stream",
    opt=READ,
    tags=["events"],
    summary="Live events (server-sent events)",
    responses={
        200: ResponseSpec(data_container=StreamMessage, media_type="text/event-stream", description="The event stream")
    },
)
async def stream_events(
    request: Request[Any, Any, Any],
    ctx: RequestContext,
    last_event_id: Annotated[str | None, Parameter(header="Last-Event-ID")] = None,
    after: str | None = None,
) -> ServerSentEvent:
    """`text/event-stream` of the events the caller's role may see (as in `GET /events`), within
    a fraction of a second of their commit. Each message has `event: <type>`, `id: <cursor>` and
    the event as JSON `data`. Reconnecting with `Last-Event-ID` (or `?after=<cursor>`) resumes
    after that event with nothing lost; without either the stream starts with the next event."""
    database: Database = request.app.state.database
    principal = ctx.principal
    cursor = last_event_id or after
    after_seq = await database.run(lambda: stream.start_seq(database, principal=principal, cursor=cursor))
    poll_seconds: float = request.app.state.settings.stream_poll_seconds

    async def messages() -> AsyncIterator[ServerSentEventMessage]:
        yield ServerSentEventMessage(comment="connected", retry=1000)
        async for event in stream.follow(database, principal=principal, after_seq=after_seq, poll_seconds=poll_seconds):
            if event is None:
                yield ServerSentEventMessage(comment="keep-alive")
            else:
                data = msgspec.json.encode(event).decode()
                yield ServerSentEventMessage(data=data, event=event.type, id=event.cursor)

    return ServerSentEvent(messages(), headers={"Cache-Control": "no-store", "X-Accel-Buffering": "no"})


ROUTES = [list_events, stream_events]
