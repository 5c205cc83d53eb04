"""Run `patron serve` / `patron worker` as real processes against the session's database."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx

PATRON = str(Path(sys.executable).with_name("patron"))


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def patron_env(database_url: str, **settings: str) -> dict[str, str]:
    from tests.conftest import ADMIN_TOKEN, SECRET_KEY

    env = {k: v for k, v in os.environ.items() if not k.startswith("PATRON_")}
    env.update(
        PATRON_DATABASE_URL=database_url,
        PATRON_ADMIN_TOKEN=ADMIN_TOKEN,
        PATRON_SECRET_KEY=SECRET_KEY,
        PATRON_EMBEDDED_WORKER="false",
        PATRON_LOG_LEVEL="warning",
    )
    env.update({f"PATRON_{k.upper()}": v for k, v in settings.items()})
    return env


@contextmanager
def patron_serve(database_url: str, **settings: str) -> Iterator[httpx.Client]:
    """A `patron serve` process on a free port; yields a client for it, stops it afterwards."""
    port = free_port()
    process = subprocess.Popen(
        [PATRON, "serve", "--port", str(port)],
        env=patron_env(database_url, **settings),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    try:
        with httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=10) as client:
            deadline = time.monotonic() + 30
            while True:
                assert process.poll() is None, process.communicate()[1].decode()
                try:
                    if client.get("/healthz").status_code == 200:
                        break
                except httpx.TransportError:
                    pass
                assert time.monotonic() < deadline, "patron serve did not start"
                time.sleep(0.1)
            yield client
    finally:
        process.terminate()
        process.communicate(timeout=20)
