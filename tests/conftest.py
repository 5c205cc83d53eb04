"""Fixtures: every storage test runs once on SQLite and once on PostgreSQL.

Each backend gets a fresh database built by the Alembic migrations. Tests isolate
themselves by creating their own organizations, which is also how real tenants
are isolated. PostgreSQL being unreachable is an error, never a skip.
"""

from __future__ import annotations

import logging
import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa
from litestar.testing import TestClient

from patron import wiring
from patron.app import create_app
from patron.config import Settings
from patron.db import migrate
from patron.db.engine import create_engine
from patron.db.uow import Database
from tests.factories import Api

ADMIN_TOKEN = "test-admin-token"
SECRET_KEY = "test-secret-key-0123456789"
logging.getLogger("httpx").setLevel(logging.WARNING)
POSTGRES_URL = os.environ.get("PATRON_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres")


def _postgres_database(name: str) -> str:
    admin = create_engine(POSTGRES_URL, pool_size=1)
    try:
        with admin.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
    except sa.exc.OperationalError as exc:
        pytest.fail(
            f"PostgreSQL is unreachable at {POSTGRES_URL} ({exc.orig}); the suite runs on both databases "
            "and does not skip. Start it or set PATRON_TEST_POSTGRES_URL.",
            pytrace=False,
        )
    finally:
        admin.dispose()
    return sa.engine.make_url(POSTGRES_URL).set(database=name).render_as_string(hide_password=False)


def _drop_postgres_database(name: str) -> None:
    admin = create_engine(POSTGRES_URL, pool_size=1)
    with admin.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


@pytest.fixture(scope="session", params=["sqlite", "postgresql"])
def backend(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture(scope="session")
def database_url(backend: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    if backend == "sqlite":
        path: Path = tmp_path_factory.mktemp("sqlite") / "patron.db"
        yield f"sqlite:///{path}"
        return
    name = f"patron_test_{os.getpid()}_{uuid.uuid4().hex[:6]}"
    yield _postgres_database(name)
    _drop_postgres_database(name)


@pytest.fixture(scope="session")
def database(database_url: str) -> Iterator[Database]:
    wiring.wire()
    database = Database(create_engine(database_url, pool_size=20))
    migrate.upgrade(database.engine)
    yield database
    database.dispose()


@pytest.fixture(scope="session")
def settings(database_url: str, tmp_path_factory: pytest.TempPathFactory) -> Settings:
    # Tests drive background work themselves (test_webhooks.py, test_mail.py) and deliver to 127.0.0.1.
    return Settings(
        database_url=database_url,
        admin_token=ADMIN_TOKEN,
        auth_cache_seconds=5.0,
        secret_key=SECRET_KEY,
        embedded_worker=False,
        webhook_allow_private="loopback",
        webhook_backoff_seconds=0.2,
        mail_dir=str(tmp_path_factory.mktemp("mail")),
    )


@pytest.fixture(scope="session")
def client(settings: Settings, database: Database) -> Iterator[TestClient]:  # type: ignore[type-arg]
    app = create_app(settings, database)
    with TestClient(app, raise_server_exceptions=False) as client:
        yield client


@pytest.fixture
def api(client: TestClient) -> Api:  # type: ignore[type-arg]
    return Api(client, admin_token=ADMIN_TOKEN)


@pytest.fixture
def empty_database_url(backend: str, tmp_path: Path) -> Iterator[str]:
    """A database of its own with no schema, for tests that migrate (the session's stays at head)."""
    if backend == "sqlite":
        yield f"sqlite:///{tmp_path / 'empty.db'}"
        return
    name = f"patron_empty_{os.getpid()}_{uuid.uuid4().hex[:6]}"
    yield _postgres_database(name)
    _drop_postgres_database(name)
