"""Settings added for outreach: the server secret, rate limits, the public address."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest

from patron.config import Settings, parse_rate_limit, resolve_secret_key


def test_a_sqlite_file_gets_a_secret_generated_once_beside_it(tmp_path: Path) -> None:
    settings = Settings(database_url=f"sqlite:///{tmp_path}/patron.db")
    first = resolve_secret_key(settings)
    assert len(first) >= 32
    assert resolve_secret_key(settings) == first
    path = tmp_path / "patron.db.secret-key"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


def test_postgresql_requires_the_secret_and_a_given_one_is_used() -> None:
    with pytest.raises(RuntimeError, match="PATRON_SECRET_KEY is required"):
        resolve_secret_key(Settings(database_url="postgresql+psycopg://db/patron"))
    given = Settings(database_url="postgresql+psycopg://db/patron", secret_key="a-long-enough-secret")
    assert resolve_secret_key(given) == b"a-long-enough-secret"
    with pytest.raises(RuntimeError, match="at least 16"):
        resolve_secret_key(Settings(secret_key="short"))
    assert resolve_secret_key(Settings(database_url="sqlite://")) != resolve_secret_key(
        Settings(database_url="sqlite://")
    )


def test_settings_from_the_environment() -> None:
    settings = Settings.from_env(
        {
            "PATRON_INQUIRY_RATE_LIMIT": "5/minute",
            "PATRON_PUBLIC_URL": "https://shop.example/",
            "PATRON_EMBEDDED_WORKER": "false",
            "PATRON_WEBHOOK_ALLOW_PRIVATE": "loopback",
            "PATRON_NATS_URL": "nats://127.0.0.1:4222",
        }
    )
    assert parse_rate_limit(settings.inquiry_rate_limit) == (5, 60)
    assert settings.base_url == "https://shop.example"
    assert settings.embedded_worker is False
    assert settings.webhook_allow_private == "loopback"
    assert settings.nats_url == "nats://127.0.0.1:4222"
    assert Settings(port=9000).base_url == "http://127.0.0.1:9000"
    for bad in ("20", "0/hour", "20/fortnight"):
        with pytest.raises(ValueError, match="rate limit"):
            parse_rate_limit(bad)
