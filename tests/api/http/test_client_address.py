"""X-Forwarded-For counts only from PATRON_TRUSTED_PROXIES, in `patron serve` and in the app itself."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from litestar.testing import TestClient

from patron.app import create_app
from patron.config import Settings
from patron.db.uow import Database
from tests.conftest import ADMIN_TOKEN
from tests.factories import unique, within_one_rate_window
from tests.processes import patron_serve


def _inquiry(client: httpx.Client, slug: str, forwarded_for: str) -> int:
    body = {"name": "Pat", "email": f"{unique('i')}@example.com", "message": "a quote, please"}
    response = client.post(f"/api/v1/public/{slug}/inquiries", json=body, headers={"X-Forwarded-For": forwarded_for})
    assert response.status_code in (201, 429), response.text
    return response.status_code


def _org(client: httpx.Client) -> str:
    slug = unique("org")
    response = client.post(
        "/api/v1/organizations",
        json={"name": "Proxy test", "slug": slug, "owner_email": f"owner@{slug}.example"},
        headers={"Authorization": f"Bearer {ADMIN_TOKEN}"},
    )
    assert response.status_code == 201, response.text
    return slug


def test_patron_serve_ignores_x_forwarded_for_from_loopback_by_default(database_url: str) -> None:
    with patron_serve(database_url, inquiry_rate_limit="3/hour") as client:
        slug = _org(client)
        within_one_rate_window()
        answers = [_inquiry(client, slug, f"198.51.100.{n}") for n in range(1, 5)]
    assert answers == [201, 201, 201, 429]


def test_patron_serve_takes_the_client_from_a_trusted_proxy(database_url: str) -> None:
    with patron_serve(database_url, inquiry_rate_limit="3/hour", trusted_proxies="127.0.0.1") as client:
        slug = _org(client)
        within_one_rate_window()
        changing = [_inquiry(client, slug, f"198.51.100.{n}") for n in range(1, 5)]
        same = [_inquiry(client, slug, "203.0.113.9") for _ in range(4)]
    assert changing == [201, 201, 201, 201]
    assert same == [201, 201, 201, 429]


class _Peer:
    """The app as reached from `host` (TestClient's peer is the name "testclient")."""

    def __init__(self, app: Any, host: str) -> None:
        self.app, self.host = app, host

    def __getattr__(self, name: str) -> Any:
        return getattr(self.app, name)

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] == "http":
            scope = {**scope, "client": (self.host, 40000)}
        await self.app(scope, receive, send)


@pytest.fixture
def behind_proxy(settings: Settings, database: Database) -> Iterator[TestClient]:  # type: ignore[type-arg]
    configured = dataclasses.replace(settings, trusted_proxies="10.0.0.0/8", inquiry_rate_limit="3/hour")
    with TestClient(_Peer(create_app(configured, database), "10.0.0.5"), raise_server_exceptions=False) as client:  # type: ignore[arg-type]
        yield client


def test_the_app_follows_x_forwarded_for_only_through_trusted_proxies(behind_proxy: TestClient) -> None:  # type: ignore[type-arg]
    slug = _org(behind_proxy)
    within_one_rate_window()
    # Each a different client behind the trusted proxy.
    assert [_inquiry(behind_proxy, slug, f"198.51.100.{n}") for n in range(1, 5)] == [201] * 4
    # A chain of our proxies: the client is the address before them, whatever it claims to the left.
    chained = [_inquiry(behind_proxy, slug, f"192.0.2.{n}, 203.0.113.7, 10.9.9.9") for n in range(1, 5)]
    assert chained == [201, 201, 201, 429]


def test_the_app_ignores_x_forwarded_for_from_an_untrusted_peer(settings: Settings, database: Database) -> None:
    configured = dataclasses.replace(settings, trusted_proxies="10.0.0.0/8", inquiry_rate_limit="3/hour")
    app = _Peer(create_app(configured, database), "192.0.2.50")
    with TestClient(app, raise_server_exceptions=False) as client:  # type: ignore[arg-type]
        slug = _org(client)
        within_one_rate_window()
        assert [_inquiry(client, slug, f"198.51.100.{n}") for n in range(1, 5)] == [201, 201, 201, 429]
