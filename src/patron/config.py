"""Settings from PATRON_* environment variables (documented in README.md)."""

from __future__ import annotations

import os
from dataclasses import dataclass


def _bool(value: str | None, default: bool) -> bool:
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


@dataclass(frozen=True, slots=True)
class Settings:
    database_url: str = "sqlite:///./patron.db"
    host: str = "127.0.0.1"
    port: int = 8000
    admin_token: str | None = None
    db_pool_size: int = 20
    auth_cache_seconds: float = 5.0
    idempotency_retention_hours: int = 48
    debug: bool = False

    @classmethod
    def from_env(cls, environ: dict[str, str] | None = None) -> Settings:
        env = os.environ if environ is None else environ
        defaults = cls()
        return cls(
            database_url=env.get("PATRON_DATABASE_URL") or defaults.database_url,
            host=env.get("PATRON_HOST") or defaults.host,
            port=int(env.get("PATRON_PORT") or defaults.port),
            admin_token=env.get("PATRON_ADMIN_TOKEN") or None,
            db_pool_size=int(env.get("PATRON_DB_POOL_SIZE") or defaults.db_pool_size),
            auth_cache_seconds=float(env.get("PATRON_AUTH_CACHE_SECONDS") or defaults.auth_cache_seconds),
            idempotency_retention_hours=int(
                env.get("PATRON_IDEMPOTENCY_RETENTION_HOURS") or defaults.idempotency_retention_hours
            ),
            debug=_bool(env.get("PATRON_DEBUG"), False),
        )
