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
    scope: str,
    email: str,
    client_ip: str | None,
    limit: tuple[int, int],
    now: datetime,
    refused: Message,
) -> None:
    """Count one public request against its client address and its email (keys `<scope>ip:...`,
    `<scope>email:...`); 429 when either is over `limit`.

    `limit` is (most, seconds) per fixed window; `refused` the refusal's message. Every
    process counts in the same rows.
    """
    keys = [f"{scope}email:{email}"]
    if client_ip:
        keys.insert(0, f"{scope}ip:{client_ip}")
    most, seconds = limit
    start = rules.window_start(now, seconds)
    repo.forget_windows_before(uow.conn, org_id, start)
    for key in keys:
        if repo.hit(uow.conn, org_id, key, start) > most:
            raise TooManyRequests(
                refused,
                extra={"retry_after": rules.retry_after(now, seconds)},
            )


def forget_emails(uow: UnitOfWork, *, org_id: uuid.UUID, emails: list[str]) -> None:
    """Drop the counters kept under these emails (an erasure: the address may not outlive it even here).

    The windows last minutes; forgetting one lets that address be counted afresh, harmless for an
    address that no longer belongs to anyone.
    """
    repo.forget_keys_ending(uow.conn, org_id, [f"email:{email}" for email in dict.fromkeys(emails)])
