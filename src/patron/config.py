"""Settings from PATRON_* environment variables (documented in README.md)."""

from __future__ import annotations

import ipaddress
import os
import re
import secrets
from dataclasses import dataclass
from pathlib import Path


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
    db_threads: int = 4
    auth_cache_seconds: float = 5.0
    idempotency_retention_hours: int = 48
    # The largest JSON body a route takes (a batch of 1,000 customers is ~1 MB); a route that
    # takes more (an upload) sets its own `request_max_body_size`.
    max_body_bytes: int = 4 * 1024 * 1024
    import_max_bytes: int = 50 * 1000 * 1000
    # How long a worker holds an import job without checking in (each chunk renews it); a job
    # whose worker died is taken up by another after this long and resumes after its last chunk.
    import_lease_seconds: float = 60.0
    # Rows per import chunk (one transaction each); on SQLite a chunk holds the one write lock.
    import_chunk_rows: int = 250
    debug: bool = False
    secret_key: str | None = None
    public_url: str | None = None
    inquiry_rate_limit: str = "20/hour"
    newsletter_rate_limit: str = "10/hour"
    trusted_proxies: str = ""
    stream_poll_seconds: float = 0.25
    embedded_worker: bool = True
    webhook_allow_private: str = ""
    webhook_backoff_seconds: float = 10.0
    webhook_backoff_max_seconds: float = 3600.0
    webhook_max_attempts: int = 8
    webhook_timeout_seconds: float = 10.0
    mail_dir: str = "./patron-mail"
    smtp_url: str | None = None
    mail_from: str = "Patron <no-reply@localhost>"
    nats_url: str | None = None
    nats_stream: str = "PATRON"

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
            db_threads=int(env.get("PATRON_DB_THREADS") or defaults.db_threads),
            auth_cache_seconds=float(env.get("PATRON_AUTH_CACHE_SECONDS") or defaults.auth_cache_seconds),
            idempotency_retention_hours=int(
                env.get("PATRON_IDEMPOTENCY_RETENTION_HOURS") or defaults.idempotency_retention_hours
            ),
            max_body_bytes=int(env.get("PATRON_MAX_BODY_BYTES") or defaults.max_body_bytes),
            import_max_bytes=int(env.get("PATRON_IMPORT_MAX_BYTES") or defaults.import_max_bytes),
            import_lease_seconds=float(env.get("PATRON_IMPORT_LEASE_SECONDS") or defaults.import_lease_seconds),
            import_chunk_rows=int(env.get("PATRON_IMPORT_CHUNK_ROWS") or defaults.import_chunk_rows),
            debug=_bool(env.get("PATRON_DEBUG"), False),
            secret_key=env.get("PATRON_SECRET_KEY") or None,
            public_url=env.get("PATRON_PUBLIC_URL") or None,
            inquiry_rate_limit=env.get("PATRON_INQUIRY_RATE_LIMIT") or defaults.inquiry_rate_limit,
            newsletter_rate_limit=env.get("PATRON_NEWSLETTER_RATE_LIMIT") or defaults.newsletter_rate_limit,
            trusted_proxies=env.get("PATRON_TRUSTED_PROXIES") or "",
            stream_poll_seconds=float(env.get("PATRON_STREAM_POLL_SECONDS") or defaults.stream_poll_seconds),
            embedded_worker=_bool(env.get("PATRON_EMBEDDED_WORKER"), defaults.embedded_worker),
            webhook_allow_private=env.get("PATRON_WEBHOOK_ALLOW_PRIVATE") or "",
            webhook_backoff_seconds=float(
                env.get("PATRON_WEBHOOK_BACKOFF_SECONDS") or defaults.webhook_backoff_seconds
            ),
            webhook_backoff_max_seconds=float(
                env.get("PATRON_WEBHOOK_BACKOFF_MAX_SECONDS") or defaults.webhook_backoff_max_seconds
            ),
            webhook_max_attempts=int(env.get("PATRON_WEBHOOK_MAX_ATTEMPTS") or defaults.webhook_max_attempts),
            webhook_timeout_seconds=float(
                env.get("PATRON_WEBHOOK_TIMEOUT_SECONDS") or defaults.webhook_timeout_seconds
            ),
            mail_dir=env.get("PATRON_MAIL_DIR") or defaults.mail_dir,
            smtp_url=env.get("PATRON_SMTP_URL") or None,
            mail_from=env.get("PATRON_MAIL_FROM") or defaults.mail_from,
            nats_url=env.get("PATRON_NATS_URL") or None,
            nats_stream=env.get("PATRON_NATS_STREAM") or defaults.nats_stream,
        )

    @property
    def base_url(self) -> str:
        """Where the public reaches this service, for links in mail (unsubscribe, confirm)."""
        return (self.public_url or f"http://{self.host}:{self.port}").rstrip("/")


_SECONDS = {"second": 1, "minute": 60, "hour": 3600, "day": 86400}
_RATE = re.compile(r"^\s*(\d+)\s*/\s*(second|minute|hour|day)\s*$")


def parse_rate_limit(value: str) -> tuple[int, int]:
    """`20/hour` -> (20, 3600): that many requests per fixed window of that many seconds."""
    match = _RATE.match(value)
    if match is None or int(match.group(1)) < 1:
        raise ValueError(f"rate limit {value!r} is not like 20/hour (second, minute, hour or day)")
    return int(match.group(1)), _SECONDS[match.group(2)]


def resolve_secret_key(settings: Settings) -> bytes:
    """The server secret that signs public links (unsubscribe, confirm).

    PATRON_SECRET_KEY when set. Otherwise, with a SQLite file, a key generated once and kept
    (mode 0600) next to the database, so links survive restarts; with an in-memory SQLite
    database a key for this process only. PostgreSQL deployments run several processes,
    which must share the key: there it is required.
    """
    if settings.secret_key:
        if len(settings.secret_key) < 16:
            raise RuntimeError("PATRON_SECRET_KEY must have at least 16 characters")
        return settings.secret_key.encode()
    url = settings.database_url
    if not url.startswith("sqlite"):
        raise RuntimeError("PATRON_SECRET_KEY is required with PostgreSQL (all processes must share it)")
    database = url.split("///", 1)[1] if "///" in url else ""
    if database in ("", ":memory:"):
        return secrets.token_urlsafe(32).encode()
    path = Path(database + ".secret-key")
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return path.read_text().strip().encode()
    with os.fdopen(fd, "w") as handle:
        handle.write(secrets.token_urlsafe(32) + "\n")
    return path.read_text().strip().encode()


Network = ipaddress.IPv4Network | ipaddress.IPv6Network


def parse_trusted_proxies(value: str) -> tuple[Network, ...]:
    """PATRON_TRUSTED_PROXIES, `10.0.0.1, 10.1.0.0/16, ::1`: the proxies whose X-Forwarded-For counts."""
    networks = []
    for item in (part.strip() for part in value.split(",")):
        if not item:
            continue
        try:
            networks.append(ipaddress.ip_network(item, strict=False))
        except ValueError:
            raise ValueError(f"PATRON_TRUSTED_PROXIES: {item!r} is not an IP address or network") from None
    return tuple(networks)
