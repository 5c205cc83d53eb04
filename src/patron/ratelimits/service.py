"""Counting a public request against its limits. Never commits: the caller's unit of work does."""

from __future__ import annotations

import uuid
from datetime import datetime

from patron.db.uow import UnitOfWork
from patron.kernel.errors import TooManyRequests
from patron.kernel.messages import Message
from patron.ratelimits import repository as repo
from patron.ratelimits import rules


def count_against_limits(
    uow: UnitOfWork,
    *,
    org_id: uuid.UUID,
    keys: list[str],
    limit: tuple[int, int],
    now: datetime,
    refused: Message,
) -> None:
    """Count one request against each key (`ip:...`, `email:...`); 429 when one is over `limit`.

    `limit` is (most, seconds) per fixed window; `refused` the refusal's message. Every
    process counts in the same rows.
    """
    most, seconds = limit
    start = rules.window_start(now, seconds)
    repo.forget_windows_before(uow.conn, org_id, start)
    for key in keys:
        if repo.hit(uow.conn, org_id, key, start) > most:
            raise TooManyRequests(
                refused,
                extra={"retry_after": rules.retry_after(now, seconds)},
            )
