"""The live event stream against a real server: new events arrive within a second, reconnecting
with Last-Event-ID loses nothing, each role sees only its event types."""

from __future__ import annotations

import queue
import socket
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import httpx
import pytest
import uvicorn

from patron.app import create_app
from patron.config import Settings
from patron.db.uow import Database
from tests.factories import Api, Org, unique


@dataclass
class LiveServer:
    url: str
    server: uvicorn.Server


@pytest.fixture(scope="module")
def live_server(settings: Settings, database: Database) -> Iterator[LiveServer]:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    config = uvicorn.Config(
        create_app(settings, database),
        host="127.0.0.1",
        port=port,
        log_level="warning",
        ws="none",
        http="h11",
        timeout_graceful_shutdown=2,
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started:
        assert time.monotonic() < deadline, "the test server did not start"
        time.sleep(0.02)
    yield LiveServer(f"http://127.0.0.1:{port}", server)
    server.should_exit = True
    thread.join(timeout=10)


@dataclass
class Message:
    event: str | None = None
    id: str | None = None
    data: str = ""
    comment: str | None = None


@dataclass
class StreamReader:
    """Reads one SSE connection in a thread; the test takes messages from `messages` with a timeout.

    The read timeout is short so that, once the test is done, the thread lets go of the
    connection by itself (closing a socket another thread reads from does not wake it).
    """

    url: str
    headers: dict[str, str]
    messages: queue.Queue[Message] = field(default_factory=queue.Queue)
    status: queue.Queue[int] = field(default_factory=queue.Queue)

    def __post_init__(self) -> None:
        self._client = httpx.Client(timeout=httpx.Timeout(5.0, read=1.5))
        self._thread = threading.Thread(target=self._read, daemon=True)
        self._thread.start()

    def _read(self) -> None:
        try:
            with self._client.stream("GET", self.url, headers=self.headers) as response:
                self.status.put(response.status_code)
                current = Message()
                for line in response.iter_lines():
                    if line == "":
                        self.messages.put(current)
                        current = Message()
                    elif line.startswith(":"):
                        current.comment = line[1:].strip()
                    else:
                        name, _, value = line.partition(":")
                        value = value.removeprefix(" ")
                        if name == "data":
                            current.data += value
                        elif name in ("event", "id"):
                            setattr(current, name, value)
        except httpx.ReadTimeout:
            return  # quiet for a while: the test is done with this stream

    def next_event(self, timeout: float) -> Message:
        deadline = time.monotonic() + timeout
        while True:
            message = self.messages.get(timeout=max(0.001, deadline - time.monotonic()))
            if message.event is not None:
                return message

    def wait_connected(self) -> None:
        assert self.status.get(timeout=5) == 200
        assert self.messages.get(timeout=5).comment == "connected"

    def close(self) -> None:
        self._thread.join(timeout=5)
        assert not self._thread.is_alive()
        self._client.close()


def _inquiry(live: LiveServer, org: Org, email: str) -> str:
    body = {"name": "Live", "email": email, "message": "call me"}
    response = httpx.post(f"{live.url}/api/v1/public/{org.slug}/inquiries", json=body)
    assert response.status_code == 201, response.text
    return str(response.json()["id"])


def test_sales_see_a_new_inquiry_within_a_second_and_resume_without_loss(api: Api, live_server: LiveServer) -> None:
    org = api.create_org()
    headers = org.headers("sales")
    stream_url = f"{live_server.url}/api/v1/events/stream"
    reader = StreamReader(stream_url, headers)
    try:
        reader.wait_connected()
        # marketing's events are not for sales: the stream skips them
        subscribed = api.client.post(
            f"/api/v1/public/{org.slug}/newsletter/subscriptions", json={"email": "x@example.com"}
        )
        assert subscribed.status_code == 201
        started = time.monotonic()
        inquiry_id = _inquiry(live_server, org, f"{unique('l')}@example.com")
        message = reader.next_event(timeout=1.0)
        assert time.monotonic() - started < 1.0
        assert message.event == "inquiry.created"
        first: dict[str, Any] = httpx.Response(200, content=message.data).json()
        assert first["subject_id"] == inquiry_id
        assert message.id == first["cursor"]
        database = live_server.server.config.app.state.database
        for _ in range(5):  # idle between polls, the stream holds no database connection
            assert database.connections()[0] == 0
            time.sleep(0.1)
    finally:
        reader.close()

    missed = [_inquiry(live_server, org, f"{unique('m')}@example.com") for _ in range(3)]
    resumed = StreamReader(stream_url, {**headers, "Last-Event-ID": message.id or ""})
    try:
        resumed.wait_connected()
        got = [resumed.next_event(timeout=2.0) for _ in range(3)]
        assert [httpx.Response(200, content=m.data).json()["subject_id"] for m in got] == missed
        feed = [e for e in org.events() if e["type"] == "inquiry.created"]
        assert [m.id for m in got] == [e["cursor"] for e in feed[1:]]
        with pytest.raises(queue.Empty):
            resumed.next_event(timeout=0.5)
    finally:
        resumed.close()
    deadline = time.monotonic() + 5
    while live_server.server.server_state.connections:
        assert time.monotonic() < deadline, "the server kept a stream of a client that left"
        time.sleep(0.05)


def test_the_stream_refuses_roles_without_events_and_bad_cursors(api: Api, live_server: LiveServer) -> None:
    org = api.create_org()
    url = f"{live_server.url}/api/v1/events/stream"
    assert httpx.get(url, headers=org.headers("cashier")).status_code == 403
    assert httpx.get(url).status_code == 401
    bad = httpx.get(url, headers={**org.headers("sales"), "Last-Event-ID": "garbage"})
    assert bad.status_code == 422


def test_the_feed_shows_each_role_its_event_types(api: Api) -> None:
    org = api.create_org()
    org.create_customer()
    api.client.post(f"/api/v1/public/{org.slug}/newsletter/subscriptions", json={"email": "f@example.com"})
    api.client.post(
        f"/api/v1/public/{org.slug}/inquiries", json={"name": "F", "email": "f@example.com", "message": "m"}
    )
    seen = {
        role: {e["type"].split(".")[0] for e in org.get("/events", role).json()["items"]}
        for role in ("owner", "sales", "marketing")
    }
    assert seen["owner"] >= {"customer", "subscriber", "inquiry", "staff", "organization"}
    assert seen["sales"] == {"customer", "inquiry"}
    assert seen["marketing"] == {"customer", "subscriber"}
    assert org.get("/events", "cashier").status_code == 403
