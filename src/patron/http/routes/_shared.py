"""Small helpers the route modules share."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from functools import partial
from typing import Any, TypeVar

from patron.db.uow import UnitOfWork
from patron.http.deps import run_blocking
from patron.kernel.errors import NotFound
from patron.kernel.ids import parse_uuid

T = TypeVar("T")


async def call(uow: UnitOfWork, fn: Callable[..., T], /, **kwargs: Any) -> T:
    """Run a service function with this request's unit of work, off the event loop when it waits on I/O."""
    return await run_blocking(uow.database, partial(fn, uow, **kwargs))


def path_id(value: str, what: str) -> uuid.UUID:
    """A path id; one that is not a UUID cannot exist, so it answers 404 like any unknown id."""
    parsed = parse_uuid(value)
    if parsed is None:
        raise NotFound(f"{what} not found", code=f"{what.replace(' ', '_')}.not_found")
    return parsed
