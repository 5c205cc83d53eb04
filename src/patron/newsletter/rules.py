"""Pure newsletter rules: statuses, topics, and the signed tokens of public links."""

from __future__ import annotations

import binascii
import hashlib
import hmac
import uuid
import zoneinfo
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Literal

from patron.kernel import b64

Purpose = Literal["unsubscribe", "confirm"]

# Where the public links live under the service's public address.
PUBLIC_LINKS_PATH = "/api/v1/public/newsletter"

_TOKEN_BYTES = 16 + 16 + 32  # org id, subscriber id, HMAC-SHA256


def normalise_topics(topics: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(t.strip().lower() for t in topics))


def merge_topics(current: Iterable[str], incoming: Iterable[str]) -> list[str]:
    """Topics only ever add up on sign-up; unsubscribing is what removes a subscriber."""
    return list(dict.fromkeys([*current, *incoming]))


def status_after_sign_up(current: str | None, *, double_opt_in: bool) -> str:
    """A sign-up leaves a subscriber subscribed, or pending when the organization wants confirmation."""
    if current == "subscribed":
        return "subscribed"
    return "pending" if double_opt_in else "subscribed"


def month_start(now: datetime, timezone: str) -> datetime:
    """The first instant of `now`'s month in the organization's time zone, in UTC."""
    local = now.astimezone(zoneinfo.ZoneInfo(timezone))
    return local.replace(day=1, hour=0, minute=0, second=0, microsecond=0).astimezone(UTC)


@dataclass(frozen=True, slots=True)
class TokenClaim:
    org_id: uuid.UUID
    subscriber_id: uuid.UUID
    mac: bytes


@dataclass(frozen=True, slots=True)
class LinkSigner:
    """Public links carry base64url(org id + subscriber id + HMAC-SHA256(secret, purpose|org|id|version)).

    Unguessable (256-bit MAC), verifiable without storing the token, and revoked by bumping
    the subscriber's token version.
    """

    secret: bytes
    base_url: str

    @classmethod
    def for_service(cls, secret: bytes, public_url: str) -> LinkSigner:
        """Links to this service's public newsletter routes at `public_url`."""
        return cls(secret, public_url.rstrip("/") + PUBLIC_LINKS_PATH)

    def _mac(self, purpose: Purpose, org_id: uuid.UUID, subscriber_id: uuid.UUID, version: int) -> bytes:
        message = f"{purpose}|{org_id}|{subscriber_id}|{version}".encode()
        return hmac.new(self.secret, message, hashlib.sha256).digest()

    def token(self, purpose: Purpose, org_id: uuid.UUID, subscriber_id: uuid.UUID, version: int) -> str:
        raw = org_id.bytes + subscriber_id.bytes + self._mac(purpose, org_id, subscriber_id, version)
        return b64.encode(raw)

    def url(self, purpose: Purpose, org_id: uuid.UUID, subscriber_id: uuid.UUID, version: int) -> str:
        return f"{self.base_url}/{purpose}/{self.token(purpose, org_id, subscriber_id, version)}"

    @staticmethod
    def read(token: str) -> TokenClaim | None:
        """What a token claims, before checking it; None when it is not shaped like ours."""
        if len(token) > 100:
            return None
        try:
            raw = b64.decode(token)
        except (ValueError, binascii.Error):
            return None
        if len(raw) != _TOKEN_BYTES:
            return None
        return TokenClaim(uuid.UUID(bytes=raw[:16]), uuid.UUID(bytes=raw[16:32]), raw[32:])

    def verifies(self, purpose: Purpose, claim: TokenClaim, version: int) -> bool:
        expected = self._mac(purpose, claim.org_id, claim.subscriber_id, version)
        return hmac.compare_digest(expected, claim.mac)
