"""Webhooks: signed deliveries to a local receiver, retries with growing delays, refused addresses."""

from __future__ import annotations

import dataclasses
import hashlib
import hmac
import json
import os
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import anyio
import httpx
import pytest
from litestar.testing import TestClient

from patron.app import create_app
from patron.config import Settings
from patron.db.uow import Database
from patron.events import addresses, dispatcher
from patron.events.webhook_rules import RetryPolicy
from tests.api.paging import assert_bad_cursor_is_422, page_through
from tests.conftest import SECRET_KEY
from tests.factories import Api, Org


@dataclass
class Hit:
    at: float
    headers: dict[str, str]
    body: bytes


@dataclass
class Receiver:
    url: str
    statuses: list[int]
    hits: list[Hit] = field(default_factory=list)


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    state = Receiver(url="", statuses=[])

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers["Content-Length"]))
            state.hits.append(Hit(time.monotonic(), {k.lower(): v for k, v in self.headers.items()}, body))
            status = state.statuses.pop(0) if state.statuses else 200
            self.send_response(status)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, *args: Any) -> None:
            return

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    state.url = f"http://127.0.0.1:{server.server_address[1]}/hook"
    yield state
    server.shutdown()
    server.server_close()


def dispatch_until(
    database: Database, config: dispatcher.DispatchConfig, done: Callable[[], bool], timeout: float = 10.0
) -> None:
    """Run dispatch rounds as the worker would, until `done()` or the timeout."""

    async def rounds() -> None:
        async with dispatcher.new_client(config) as client:
            deadline = time.monotonic() + timeout
            while not done():
                assert time.monotonic() < deadline, "dispatch did not finish in time"
                await dispatcher.run_once(database, config, client)
                await anyio.sleep(0.02)

    anyio.run(rounds)


def latest_delivery(org: Org, path: str) -> dict[str, Any]:
    items = org.get(path).json()["items"]
    return dict(items[0]) if items else {"status": None, "attempts": 0}


def register(org: Org, url: str, event_types: list[str]) -> dict[str, Any]:
    response = org.post("/webhooks", json={"url": url, "event_types": event_types})
    assert response.status_code == 201, response.text
    return dict(response.json())


def test_deliveries_are_signed_and_retried_with_growing_delays(
    api: Api, database: Database, settings: Settings, receiver: Receiver
) -> None:
    config = dispatcher.config_from(settings)
    org = api.create_org()
    created = register(org, receiver.url, ["customer.created"])
    secret = created["secret"]
    assert secret.startswith("whsec_")
    assert "secret" not in org.get(f"/webhooks/{created['webhook']['id']}").json()
    receiver.statuses = [500, 500, 200]
    customer = org.create_customer()
    org.patch(f"/customers/{customer['id']}", json={"first_name": "Changed"})  # not subscribed to updates

    dispatch_until(database, config, lambda: len(receiver.hits) >= 3)
    time.sleep(0.3)
    dispatch_until(database, config, lambda: True)
    assert len(receiver.hits) == 3, "nothing more after the success, and no customer.updated"

    for hit in receiver.hits:
        assert hit.headers["patron-event"] == "customer.created"
        parts = dict(item.split("=", 1) for item in hit.headers["patron-signature"].split(","))
        expected = hmac.new(secret.encode(), f"{parts['t']}.".encode() + hit.body, hashlib.sha256).hexdigest()
        assert hmac.compare_digest(parts["v1"], expected)
        assert abs(int(parts["t"]) - time.time()) < 60
        event = json.loads(hit.body)
        assert (event["type"], event["subject_id"]) == ("customer.created", customer["id"])
    first, second = receiver.hits[1].at - receiver.hits[0].at, receiver.hits[2].at - receiver.hits[1].at
    assert first >= 0.2
    assert second >= 0.4
    assert second > first

    [delivery] = org.get(f"/webhooks/{created['webhook']['id']}/deliveries").json()["items"]
    assert (delivery["status"], delivery["attempts"], delivery["event_type"]) == ("succeeded", 3, "customer.created")
    assert [a["status_code"] for a in delivery["attempt_log"]] == [500, 500, 200]

    rotated = org.post(f"/webhooks/{created['webhook']['id']}/rotate-secret")
    assert rotated.status_code == 200, rotated.text
    new_secret = rotated.json()["secret"]
    assert new_secret != secret
    org.create_customer()
    dispatch_until(database, config, lambda: len(receiver.hits) >= 4)
    hit = receiver.hits[3]
    parts = dict(item.split("=", 1) for item in hit.headers["patron-signature"].split(","))
    expected = hmac.new(new_secret.encode(), f"{parts['t']}.".encode() + hit.body, hashlib.sha256).hexdigest()
    assert parts["v1"] == expected


def test_a_delivery_gives_up_after_the_last_attempt(
    api: Api, database: Database, settings: Settings, receiver: Receiver
) -> None:
    base = dispatcher.config_from(settings)
    config = dataclasses.replace(base, retry=RetryPolicy(base_seconds=0.05, max_seconds=0.1, max_attempts=2))
    org = api.create_org()
    hook = register(org, receiver.url, ["customer.*"])["webhook"]
    receiver.statuses = [500] * 10
    org.create_customer()
    deliveries = f"/webhooks/{hook['id']}/deliveries"
    dispatch_until(database, config, lambda: latest_delivery(org, deliveries)["status"] == "failed")
    [delivery] = org.get(deliveries).json()["items"]
    assert delivery["attempts"] == 2
    assert len(receiver.hits) == 2


def test_private_and_metadata_addresses_are_refused_at_registration(api: Api) -> None:
    org = api.create_org()
    for url in (
        "http://10.1.2.3/hook",
        "http://169.254.169.254/latest/meta-data",
        "http://192.168.1.1/",
        "http://[::ffff:10.0.0.1]/",
        # IPv4 carried in IPv6: 6to4, NAT64, IPv4-compatible (the tests allow loopback, not these)
        "http://[2002:a9fe:a9fe::]/hook",
        "http://[2002:0a00:0001::1]/hook",
        "http://[64:ff9b::a9fe:a9fe]/hook",
        "http://[64:ff9b:1:a9fe:a9:fe00::]/hook",
        "http://[::c0a8:101]/hook",
        "http://0.0.0.0/",
        "ftp://127.0.0.1/",
        "http://user:pw@127.0.0.1/",
        "not a url",
    ):
        response = org.post("/webhooks", json={"url": url, "event_types": ["*"]})
        assert response.status_code == 422, (url, response.text)
        assert [e["field"] for e in response.json()["errors"]] == ["url"]
    assert org.post("/webhooks", json={"url": "http://127.0.0.1/", "event_types": ["bad type"]}).status_code == 422
    assert org.get("/webhooks").json()["items"] == []


def test_a_name_that_resolves_to_a_private_address_at_delivery_time_gets_nothing(
    api: Api, database: Database, settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    config = dispatcher.config_from(settings)
    org = api.create_org()
    answers = {"hooks.example.com": ["93.184.216.34"]}
    monkeypatch.setattr(addresses, "resolve", lambda host, port: answers[host])
    hook = register(org, "https://hooks.example.com/in", ["customer.created"])["webhook"]
    connections: list[Any] = []

    async def no_connection(*args: Any, **kwargs: Any) -> Any:
        connections.append(args)
        raise AssertionError("connected to a refused address")

    monkeypatch.setattr(httpx.AsyncClient, "send", no_connection)
    deliveries = f"/webhooks/{hook['id']}/deliveries"
    for rebound in ("10.0.0.5", "169.254.169.254"):
        answers["hooks.example.com"] = [rebound]
        org.create_customer()
        cursor = org.events(type="customer.created")[-1]["cursor"]

        def tried(cursor: str = cursor) -> bool:
            latest = latest_delivery(org, deliveries)
            return latest["attempts"] >= 1 and latest.get("event_cursor") == cursor

        dispatch_until(database, config, tried)
        attempt = org.get(deliveries).json()["items"][0]["attempt_log"][0]
        assert attempt["status_code"] is None
        assert attempt["error"].startswith("refused before connecting")
        assert rebound in attempt["error"]
    assert connections == []
    assert org.delete(f"/webhooks/{hook['id']}").status_code == 204  # no retries to a name that does not exist


def test_webhooks_crud_and_other_organizations_get_404(api: Api, receiver: Receiver) -> None:
    org = api.create_org()
    other = api.create_org()
    hook = register(org, receiver.url, ["inquiry.*"])["webhook"]
    path = f"/webhooks/{hook['id']}"
    assert org.get("/webhooks").json()["items"] == [hook]
    changed = org.patch(path, json={"event_types": ["*"], "active": False, "description": "CRM"})
    assert changed.status_code == 200, changed.text
    assert (changed.json()["event_types"], changed.json()["active"]) == (["*"], False)
    assert org.patch(path, json={"url": "http://10.0.0.1/"}).json()["errors"][0]["field"] == "url"
    assert org.patch(path, json={"secret": "x"}).status_code == 422
    for response in (
        other.get(path),
        other.patch(path, json={"active": True}),
        other.delete(path),
        other.get(f"{path}/deliveries"),
    ):
        assert response.status_code == 404, response.text
        assert response.json()["code"] == "webhook.not_found"
    assert org.get(path).json() == changed.json()
    assert org.delete(path).status_code == 204
    assert org.get(path).status_code == 404
    types = [e["type"] for e in org.events() if e["subject_id"] == hook["id"]]
    assert types == ["webhook.created", "webhook.updated", "webhook.deleted"]


def test_the_embedded_dispatcher_delivers_from_the_server_process(
    api: Api, settings: Settings, database: Database, receiver: Receiver
) -> None:
    embedded = dataclasses.replace(settings, embedded_worker=True)
    org = api.create_org()
    register(org, receiver.url, ["customer.created"])
    with TestClient(create_app(embedded, database)):
        org.create_customer()
        deadline = time.monotonic() + 5
        while not receiver.hits:
            assert time.monotonic() < deadline, "the embedded dispatcher delivered nothing"
            time.sleep(0.05)
    assert json.loads(receiver.hits[0].body)["type"] == "customer.created"


def test_the_worker_process_delivers_webhooks(api: Api, settings: Settings, receiver: Receiver) -> None:
    org = api.create_org()
    register(org, receiver.url, ["customer.created"])
    org.create_customer()
    env = {
        **os.environ,
        "PATRON_DATABASE_URL": settings.database_url,
        "PATRON_SECRET_KEY": SECRET_KEY,
        "PATRON_WEBHOOK_ALLOW_PRIVATE": "loopback",
        "PATRON_MAIL_DIR": settings.mail_dir,
    }
    # The with block closes the stderr pipe once the worker has exited (left open, it is an unclosed file).
    with subprocess.Popen(
        [sys.executable, "-m", "patron", "worker"], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
    ) as worker:
        try:
            deadline = time.monotonic() + 20
            while not receiver.hits:
                assert worker.poll() is None, worker.stderr.read().decode() if worker.stderr else ""
                assert time.monotonic() < deadline, "the worker delivered nothing"
                time.sleep(0.1)
        finally:
            worker.terminate()
            worker.wait(timeout=10)
    assert receiver.hits[0].headers["patron-event"] == "customer.created"


def test_deliveries_page_with_next_cursor(api: Api, database: Database, settings: Settings, receiver: Receiver) -> None:
    config = dispatcher.config_from(settings)
    org = api.create_org()
    hook = register(org, receiver.url, ["customer.created"])["webhook"]
    for _ in range(5):
        org.create_customer()
    dispatch_until(database, config, lambda: len(receiver.hits) >= 5)
    path = f"/webhooks/{hook['id']}/deliveries"
    whole = org.get(path).json()
    assert whole["total"] == len(whole["items"]) == 5
    for limit in (1, 2):
        assert [d["id"] for d in page_through(org, path, limit=limit)] == [d["id"] for d in whole["items"]]
    assert_bad_cursor_is_422(org, path)
