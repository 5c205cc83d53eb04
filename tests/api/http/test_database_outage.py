"""A database out of reach answers 503 `database.unavailable` with Retry-After, never 500, and the
next request after it is back succeeds (PostgreSQL: its backends terminated; SQLite: its file gone)."""

from __future__ import annotations

import dataclasses
import shutil
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import sqlalchemy as sa
from litestar.testing import TestClient

from patron.app import create_app
from patron.config import Settings
from patron.db import migrate
from patron.db.engine import create_engine
from patron.db.uow import Database
from tests.conftest import POSTGRES_URL
from tests.factories import Api, Org, unique


def _terminate_backends(database_url: str) -> int:
    """Ends every session of the test database (what a restart or failover does); how many."""
    name = sa.engine.make_url(database_url).database
    admin = create_engine(POSTGRES_URL, pool_size=1)
    try:
        with admin.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            ended = conn.execute(
                sa.text(
                    "SELECT count(*) FILTER (WHERE pg_terminate_backend(pid)) FROM pg_stat_activity "
                    "WHERE datname = :name AND pid <> pg_backend_pid()"
                ),
                {"name": name},
            ).scalar_one()
    finally:
        admin.dispose()
    return int(ended)


def _requests(org: Org) -> list[httpx.Response]:
    """A read (kept reader), a write (fast path and Connection.execute) and the readiness probe."""
    return [
        org.get("/customers"),
        org.post("/customers", json={"email": f"{unique('o')}@example.com", "first_name": "Outage"}),
        org.api.client.get("/readyz"),
    ]


def _assert_no_500(response: httpx.Response) -> None:
    if response.status_code < 300:
        return
    assert response.status_code == 503, (response.request.url, response.text)
    assert response.headers["content-type"].startswith("application/problem+json")
    assert response.json()["code"] == "database.unavailable"
    assert int(response.headers["retry-after"]) >= 1


def test_terminated_connections_answer_503_once_and_the_next_request_succeeds(
    api: Api, backend: str, database_url: str
) -> None:
    if backend != "postgresql":
        return  # SQLite has no server to lose: see the test below
    org = api.create_org()
    org.headers("cashier")
    for _ in range(3):  # every kind of connection in use: pooled, kept readers, the probe's
        assert all(r.status_code < 300 for r in _requests(org))
    for _ in range(3):
        assert _terminate_backends(database_url) > 0
        answers = [response for _ in range(3) for response in _requests(org)]
        for response in answers:
            _assert_no_500(response)
        # The one request that met a dead connection failed; the pool dropped the others.
        assert [r.status_code for r in answers[1:]] == [r.status_code for r in answers[1:] if r.status_code < 300]


def test_connections_terminated_while_requests_run_answer_2xx_or_503(api: Api, backend: str, database_url: str) -> None:
    if backend != "postgresql":
        return
    org = api.create_org()
    headers = org.headers()
    stop = threading.Event()

    def client_loop(i: int) -> list[httpx.Response]:
        seen = []
        while not stop.is_set():
            if i % 2:
                seen.append(api.client.get("/api/v1/customers", headers=headers))
            else:
                body = {"email": f"{unique('c')}@example.com", "first_name": f"C{i}"}
                seen.append(api.client.post("/api/v1/customers", json=body, headers=headers))
        return seen

    with ThreadPoolExecutor(max_workers=6) as pool:
        futures = [pool.submit(client_loop, i) for i in range(6)]
        for _ in range(5):
            time.sleep(0.3)
            _terminate_backends(database_url)
        time.sleep(0.3)
        stop.set()
        answers = [response for future in futures for response in future.result()]
    assert len(answers) > 30
    for response in answers:
        _assert_no_500(response)
    assert any(r.status_code == 503 for r in answers)
    # Back: every kind of request succeeds at once.
    assert [r.status_code for r in _requests(org)] == [200, 201, 200]


def test_a_sqlite_file_that_cannot_be_opened_answers_503_and_recovers(
    backend: str, settings: Settings, tmp_path: Path
) -> None:
    if backend != "sqlite":
        return
    path = tmp_path / "outage.db"
    url = f"sqlite:///{path}"
    database = Database(create_engine(url, pool_size=2))
    migrate.upgrade(database.engine)
    app = create_app(dataclasses.replace(settings, database_url=url, auth_cache_seconds=0), database)
    try:
        with TestClient(app, raise_server_exceptions=False) as client:
            org = Api(client, admin_token=settings.admin_token or "").create_org()
            assert org.get("/customers").status_code == 200
            # The file goes away (a volume unmounted): kept connections are closed, new ones
            # cannot open it (a directory stands where the file was).
            database.dispose()
            shutil.move(path, tmp_path / "moved.db")
            path.mkdir()
            answers = _requests(org)
            for response in answers:
                _assert_no_500(response)
            assert [r.status_code for r in answers] == [503, 503, 503]
            path.rmdir()
            shutil.move(tmp_path / "moved.db", path)
            assert [r.status_code for r in _requests(org)] == [200, 201, 200]
    finally:
        database.dispose()
