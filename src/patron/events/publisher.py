"""Publishes outbox events to NATS JetStream as `patron.<org_slug>.<event type>` (PATRON_NATS_URL).

An outbox consumer: at least once, in order per organization, each message carrying the
event id as `Nats-Msg-Id` so JetStream drops repeats within its duplicate window.
"""

from __future__ import annotations

import logging
import uuid
from dataclasses import dataclass, field

import msgspec
import nats
from nats.aio.client import Client
from nats.errors import Error as NatsError
from nats.js import JetStreamContext
from nats.js.errors import NotFoundError

from patron.db.uow import Database
from patron.events import consumers
from patron.identity import service as identity
from patron.kernel.tenancy import SYSTEM

CONSUMER = "nats"
SUBJECTS = "patron.>"
log = logging.getLogger("patron.nats")


def subject(org_slug: str, event_type: str) -> str:
    return f"patron.{org_slug}.{event_type}"


@dataclass
class NatsPublisher:
    database: Database
    url: str
    stream: str = "PATRON"
    _client: Client | None = field(default=None, init=False)
    _js: JetStreamContext | None = field(default=None, init=False)
    _slugs: dict[uuid.UUID, str] = field(default_factory=dict, init=False)

    async def _jetstream(self) -> JetStreamContext:
        if self._js is None:
            self._client = await nats.connect(self.url, connect_timeout=5, max_reconnect_attempts=3)
            js = self._client.jetstream()
            try:
                await js.find_stream_name_by_subject("patron.any.event")
            except NotFoundError:
                await js.add_stream(name=self.stream, subjects=[SUBJECTS])
            self._js = js
        return self._js

    def _slug(self, org_id: uuid.UUID) -> str:
        if org_id not in self._slugs:
            with self.database.unit_of_work(actor=SYSTEM, readonly=True) as uow:
                self._slugs[org_id] = identity.organization_slug(uow, org_id=org_id)
        return self._slugs[org_id]

    async def run_once(self) -> int:
        """Publish what is pending; returns how many events went out."""
        js = await self._jetstream()
        published = 0
        failed = False
        for org_id, events in await self.database.run(consumers.pending, self.database, CONSUMER):
            slug = await self.database.run(self._slug, org_id)
            last = None
            for seq, event in events:
                try:
                    await js.publish(
                        subject(slug, event.type), msgspec.json.encode(event), headers={"Nats-Msg-Id": str(event.id)}
                    )
                except NatsError:
                    log.exception("publishing event %s of %s failed; retrying on the next round", seq, slug)
                    failed = True
                    break
                last = seq
                published += 1
            if last is not None:
                await self.database.run(consumers.advance, self.database, org_id, CONSUMER, last)
            if failed:
                # The next round connects again and makes sure of the stream: a stream deleted
                # meanwhile (no responders, or no ack) would otherwise fail every round from now on.
                await self.close()
                break
        return published

    async def close(self) -> None:
        if self._client is not None:
            await self._client.close()
        self._client = None
        self._js = None
