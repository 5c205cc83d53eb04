"""Delivers outbox events to webhooks: at least once, signed, retried with capped exponential backoff.

Driven by patron.worker: a task of the server (embedded mode) or `patron worker` processes;
several can run at once (deliveries are leased with row locks and SKIP LOCKED). The HTTP
call happens outside any transaction; each try is logged.
"""

from __future__ import annotations

import time
import uuid
from dataclasses import dataclass
from datetime import timedelta
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import anyio
import anyio.to_thread
import httpx
import msgspec

from patron.config import Settings, resolve_secret_key
from patron.db.uow import Database
from patron.events import repository as outbox
from patron.events import webhook_repository as repo
from patron.events.addresses import AddressRefused, check_url
from patron.events.service import to_read
from patron.events.webhook_rules import RetryPolicy, derive_secret, matches, parse_allowances, signature
from patron.events.webhooks import WebhookPolicy
from patron.kernel import clock
from patron.kernel.ids import uuid7
from patron.kernel.tenancy import SYSTEM


@dataclass(frozen=True, slots=True)
class DispatchConfig:
    policy: WebhookPolicy
    retry: RetryPolicy
    timeout_seconds: float = 10.0
    poll_seconds: float = 1.0
    lease_seconds: float = 120.0
    batch: int = 50


def config_from(settings: Settings) -> DispatchConfig:
    return DispatchConfig(
        policy=WebhookPolicy(resolve_secret_key(settings), parse_allowances(settings.webhook_allow_private)),
        retry=RetryPolicy(
            base_seconds=settings.webhook_backoff_seconds,
            max_seconds=settings.webhook_backoff_max_seconds,
            max_attempts=settings.webhook_max_attempts,
        ),
        timeout_seconds=settings.webhook_timeout_seconds,
    )


@dataclass(frozen=True, slots=True)
class Job:
    org_id: uuid.UUID
    delivery_id: uuid.UUID
    url: str
    secret: str
    event_type: str
    attempts: int
    body: bytes | None  # None when the event or the webhook is gone: nothing to send


@dataclass(frozen=True, slots=True)
class Outcome:
    status_code: int | None
    error: str | None
    duration_ms: int

    @property
    def succeeded(self) -> bool:
        return self.status_code is not None and 200 <= self.status_code < 300


def enqueue_new_events(database: Database, *, limit: int = 500) -> int:
    """Turn outbox events past each webhook's cursor into deliveries; returns how many."""
    with database.unit_of_work(actor=SYSTEM) as uow:
        created = 0
        now = clock.now()
        for hook in repo.behind(uow.conn, limit=100):
            rows = outbox.page_after(uow.conn, hook.org_id, after_seq=hook.cursor_seq, limit=limit, types=None)
            if not rows:
                continue
            deliveries = [
                {
                    "org_id": hook.org_id,
                    "id": uuid7(),
                    "webhook_id": hook.id,
                    "event_seq": row.seq,
                    "event_type": row.type,
                    "status": "pending",
                    "attempts": 0,
                    "next_attempt_at": now,
                    "created_at": now,
                    "updated_at": now,
                }
                for row in rows
                if matches(hook.event_types, row.type)
            ]
            repo.insert_deliveries(uow.conn, deliveries)
            repo.update(uow.conn, hook.org_id, hook.id, {"cursor_seq": rows[-1].seq})
            created += len(deliveries)
        return created


def claim_due(database: Database, config: DispatchConfig) -> list[Job]:
    """Lease the deliveries that are due and build what to send."""
    with database.unit_of_work(actor=SYSTEM) as uow:
        now = clock.now()
        lease = now + timedelta(seconds=config.lease_seconds)
        jobs = []
        for row in repo.claim_due(uow.conn, now=now, lease_until=lease, limit=config.batch):
            event = outbox.get_by_seq(uow.conn, row.org_id, row.event_seq)
            body = msgspec.json.encode(to_read(event)) if event is not None and row.active else None
            secret = derive_secret(config.policy.server_secret, row.org_id, row.webhook_id, row.secret_version)
            jobs.append(Job(row.org_id, row.id, row.url, secret, row.event_type, row.attempts, body))
        return jobs


def _pinned(url: str, address: str) -> str:
    """The URL with its host replaced by the checked address (so DNS cannot change it in between)."""
    parts = urlsplit(url)
    host = f"[{address}]" if ":" in address else address
    netloc = f"{host}:{parts.port}" if parts.port else host
    return urlunsplit((parts.scheme, netloc, parts.path or "/", parts.query, ""))


async def send(client: httpx.AsyncClient, job: Job, config: DispatchConfig) -> Outcome:
    """One try: check the address after resolving it, then POST the signed event (no redirects)."""
    assert job.body is not None
    started = time.monotonic()
    try:
        # DNS is network work, not database work: a thread whatever the database.
        host, _, address = await anyio.to_thread.run_sync(check_url, job.url, config.policy.allowances)
    except AddressRefused as exc:
        return Outcome(None, f"refused before connecting: {exc}"[:500], 0)
    parts = urlsplit(job.url)
    headers = {
        "Host": parts.netloc.rsplit("@", 1)[-1],
        "Content-Type": "application/json",
        "User-Agent": "Patron-Webhooks/1",
        "Patron-Event": job.event_type,
        "Patron-Delivery": str(job.delivery_id),
        "Patron-Signature": signature(job.secret, int(time.time()), job.body),
    }
    extensions = {"sni_hostname": host} if parts.scheme == "https" else {}
    try:
        response = await client.post(
            _pinned(job.url, address), content=job.body, headers=headers, extensions=extensions
        )
    except httpx.HTTPError as exc:
        elapsed = int((time.monotonic() - started) * 1000)
        return Outcome(None, f"{type(exc).__name__}: {exc}"[:500], elapsed)
    return Outcome(response.status_code, None, int((time.monotonic() - started) * 1000))


def record(database: Database, job: Job, outcome: Outcome | None, config: DispatchConfig) -> None:
    """Log the try and schedule the next one, or close the delivery."""
    with database.unit_of_work(actor=SYSTEM) as uow:
        now = clock.now()
        if outcome is None:  # nothing to send any more
            repo.update_delivery(uow.conn, job.org_id, job.delivery_id, {"status": "failed", "updated_at": now})
            return
        attempts = job.attempts + 1
        repo.insert_attempt(
            uow.conn,
            {
                "org_id": job.org_id,
                "id": uuid7(),
                "delivery_id": job.delivery_id,
                "attempted_at": now,
                "status_code": outcome.status_code,
                "error": outcome.error,
                "duration_ms": outcome.duration_ms,
            },
        )
        values: dict[str, Any] = {"attempts": attempts, "updated_at": now}
        if outcome.succeeded:
            values["status"] = "succeeded"
        elif attempts >= config.retry.max_attempts:
            values["status"] = "failed"
        else:
            values["next_attempt_at"] = now + timedelta(seconds=config.retry.delay(attempts))
        repo.update_delivery(uow.conn, job.org_id, job.delivery_id, values)


async def run_once(database: Database, config: DispatchConfig, client: httpx.AsyncClient) -> int:
    """Enqueue new events, then try every due delivery once; returns how many were tried."""
    await database.run(enqueue_new_events, database)
    jobs = await database.run(claim_due, database, config)

    async def one(job: Job) -> None:
        outcome = await send(client, job, config) if job.body is not None else None
        await database.run(record, database, job, outcome, config)

    async with anyio.create_task_group() as group:
        for job in jobs:
            group.start_soon(one, job)
    return len(jobs)


def new_client(config: DispatchConfig) -> httpx.AsyncClient:
    # No redirects (a redirect could point anywhere), no proxies from the environment.
    return httpx.AsyncClient(timeout=config.timeout_seconds, follow_redirects=False, trust_env=False)
