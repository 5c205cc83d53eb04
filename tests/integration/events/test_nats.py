"""Outbox events reach NATS JetStream as patron.<org_slug>.<event type> (the local server must run)."""

from __future__ import annotations

import contextlib
import json
import time

import anyio
import nats
import pytest
from nats.aio.msg import Msg
from nats.js.errors import NotFoundError

from patron.db.uow import Database
from patron.events.publisher import NatsPublisher
from tests.factories import Api, unique

NATS_URL = "nats://127.0.0.1:4222"


def test_events_are_published_per_organization_and_type(api: Api, database: Database) -> None:
    org = api.create_org()
    customer = org.create_customer()
    api.client.post(
        f"/api/v1/public/{org.slug}/inquiries", json={"name": "N", "email": "n@example.com", "message": "hello"}
    )
    expected = [(e["type"], e["id"]) for e in org.events()]
    stream = f"PATRON_TEST_{unique('s').split('-')[1].upper()}"

    async def scenario() -> list[Msg]:
        received: list[Msg] = []
        try:
            client = await nats.connect(NATS_URL, connect_timeout=5)
        except Exception as exc:  # noqa: BLE001  (report the cause: the server is part of the test setup)
            pytest.fail(f"NATS is unreachable at {NATS_URL}: {exc!r}", pytrace=False)

        async def collect(message: Msg) -> None:
            received.append(message)

        await client.subscribe(f"patron.{org.slug}.>", cb=collect)
        publisher = NatsPublisher(database, NATS_URL, stream)
        js = client.jetstream()
        try:
            deadline = time.monotonic() + 30
            while len(received) < len(expected):
                assert time.monotonic() < deadline, f"published {len(received)} of {len(expected)}"
                await publisher.run_once()
                await anyio.sleep(0.05)
            await publisher.run_once()  # nothing twice
            await anyio.sleep(0.2)
            name = await js.find_stream_name_by_subject(f"patron.{org.slug}.customer.created")
            stored = await js.get_last_msg(name, f"patron.{org.slug}.inquiry.created")
            assert json.loads(stored.data or b"{}")["type"] == "inquiry.created"
            if name == stream:  # the stream is this test's own (no other held patron.> before): lose it
                await js.delete_stream(stream)
                org.create_customer()
                expected.append(("customer.created", org.events()[-1]["id"]))
                deadline = time.monotonic() + 30
                while True:
                    assert time.monotonic() < deadline, "the publisher did not make a new stream"
                    await publisher.run_once()
                    with contextlib.suppress(NotFoundError):
                        again = await js.get_last_msg(stream, f"patron.{org.slug}.customer.created")
                        if (again.headers or {}).get("Nats-Msg-Id") == expected[-1][1]:
                            break
                    await anyio.sleep(0.05)
                received[:] = received[: len(expected)]  # a publish the lost stream never acked arrived twice
        finally:
            await publisher.close()
            with contextlib.suppress(NotFoundError):  # the stream existed before: leave it
                await js.delete_stream(stream)
            await client.close()
        return received

    messages = anyio.run(scenario)
    assert [(m.subject, (m.headers or {}).get("Nats-Msg-Id")) for m in messages] == [
        (f"patron.{org.slug}.{kind}", event_id) for kind, event_id in expected
    ]
    first = json.loads(messages[0].data)
    assert first["type"] == expected[0][0]
    assert any(json.loads(m.data)["subject_id"] == customer["id"] for m in messages)
