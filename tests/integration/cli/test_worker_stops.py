"""`patron worker` stops on SIGTERM and on Ctrl+C (SIGINT): exit 0, no traceback, the delivery in hand sent."""

from __future__ import annotations

import signal
import subprocess
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest

from tests.factories import Api
from tests.processes import PATRON, free_port, patron_env

ANSWER_AFTER = 2.0  # seconds the receiver takes: the signal arrives while the delivery is in hand


class SlowReceiver:
    def __init__(self) -> None:
        self.started = threading.Event()
        self.answered = threading.Event()
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                self.rfile.read(int(self.headers["Content-Length"]))
                receiver.started.set()
                time.sleep(ANSWER_AFTER)
                self.send_response(200)
                self.send_header("Content-Length", "0")
                self.end_headers()
                receiver.answered.set()

            def log_message(self, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hook"


@pytest.fixture
def slow_receiver() -> Iterator[SlowReceiver]:
    receiver = SlowReceiver()
    thread = threading.Thread(target=receiver.server.serve_forever, daemon=True)
    thread.start()
    yield receiver
    receiver.server.shutdown()
    receiver.server.server_close()


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT])
def test_the_worker_finishes_the_delivery_in_hand_and_exits_cleanly(
    api: Api, database_url: str, slow_receiver: SlowReceiver, signum: signal.Signals
) -> None:
    org = api.create_org()
    hook = org.post("/webhooks", json={"url": slow_receiver.url, "event_types": ["customer.created"]})
    assert hook.status_code == 201, hook.text
    hook_id = hook.json()["webhook"]["id"]
    worker = subprocess.Popen(
        [PATRON, "worker"],
        env=patron_env(database_url, webhook_allow_private="loopback"),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    try:
        org.create_customer()
        assert slow_receiver.started.wait(30), "the worker never delivered"
        worker.send_signal(signum)
        _, stderr = worker.communicate(timeout=30)
    finally:
        if worker.poll() is None:
            worker.kill()
            worker.communicate()
    assert worker.returncode == 0, stderr.decode()
    assert "Traceback" not in stderr.decode(), stderr.decode()
    assert slow_receiver.answered.is_set()
    [delivery] = org.get(f"/webhooks/{hook_id}/deliveries").json()["items"]
    assert (delivery["status"], delivery["attempts"]) == ("succeeded", 1)


def test_patron_serve_with_the_embedded_worker_finishes_the_delivery_in_hand_on_sigterm(
    api: Api, database_url: str, slow_receiver: SlowReceiver
) -> None:
    org = api.create_org()
    hook = org.post("/webhooks", json={"url": slow_receiver.url, "event_types": ["customer.created"]})
    assert hook.status_code == 201, hook.text
    port = free_port()
    server = subprocess.Popen(
        [PATRON, "serve", "--port", str(port)],
        env=patron_env(database_url, webhook_allow_private="loopback", embedded_worker="true"),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    try:
        org.create_customer()
        assert slow_receiver.started.wait(30), "the embedded worker never delivered"
        server.send_signal(signal.SIGTERM)
        _, stderr = server.communicate(timeout=30)
    finally:
        if server.poll() is None:
            server.kill()
            server.communicate()
    # uvicorn shuts down gracefully, then raises the signal it caught again, for the supervisor.
    assert server.returncode == -signal.SIGTERM, stderr.decode()
    assert "Traceback" not in stderr.decode(), stderr.decode()
    [delivery] = org.get(f"/webhooks/{hook.json()['webhook']['id']}/deliveries").json()["items"]
    assert (delivery["status"], delivery["attempts"]) == ("succeeded", 1)
