"""Public sign-up is limited per client address and per email (OWASP API6: subscription bombing)."""

from __future__ import annotations

import dataclasses

from litestar.testing import TestClient

from patron.app import create_app
from patron.config import Settings
from patron.db.uow import Database
from tests.api.http.test_client_address import _org, _Peer
from tests.factories import Api, unique, within_one_rate_window


def test_one_client_gets_at_most_the_limit_of_sign_ups(api: Api) -> None:
    org = api.create_org()
    within_one_rate_window()
    path = f"/api/v1/public/{org.slug}/newsletter/subscriptions"
    answers = [api.client.post(path, json={"email": f"{unique('n')}@example.com"}) for _ in range(11)]
    assert [a.status_code for a in answers[:10]] == [201] * 10  # PATRON_NEWSLETTER_RATE_LIMIT 10/hour
    refused = answers[10]
    assert refused.status_code == 429, refused.text
    assert refused.headers["content-type"].startswith("application/problem+json")
    assert refused.json()["code"] == "request.rate_limited"
    assert refused.json()["status"] == 429
    assert 1 <= int(refused.headers["retry-after"]) <= 3600
    assert org.get("/newsletter/subscribers").json()["total"] == 10


def test_one_email_from_many_clients_is_limited_too(settings: Settings, database: Database) -> None:
    configured = dataclasses.replace(settings, trusted_proxies="10.0.0.0/8", newsletter_rate_limit="3/hour")
    with TestClient(_Peer(create_app(configured, database), "10.0.0.5"), raise_server_exceptions=False) as client:  # type: ignore[arg-type]
        slug = _org(client)
        within_one_rate_window()
        victim = f"{unique('victim')}@example.com"
        statuses = [
            client.post(
                f"/api/v1/public/{slug}/newsletter/subscriptions",
                json={"email": victim},
                headers={"X-Forwarded-For": f"198.51.100.{n}"},
            ).status_code
            for n in range(1, 5)
        ]
    assert statuses == [201, 200, 200, 429]
