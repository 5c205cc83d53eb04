"""Who may call which route: one guard reads each route's declared access rule.

A route declares `opt=requires(Permission.X)`, `opt=PUBLIC` or `opt=PLATFORM`; the
role table itself is `patron.identity.permissions`. A route that declares nothing is
refused (fail closed).
"""

from __future__ import annotations

import enum
import hmac
import time
from dataclasses import dataclass
from typing import Any

from litestar.connection import ASGIConnection
from litestar.handlers.base import BaseRouteHandler

from patron.db.uow import Database
from patron.identity import keys, permissions
from patron.identity import service as identity
from patron.identity.permissions import Permission
from patron.identity.schemas import OrganizationSettings
from patron.kernel.errors import Forbidden, Unauthorized
from patron.kernel.messages import Message
from patron.kernel.tenancy import Actor, ActorType, Principal


class Access(enum.Enum):
    PUBLIC = "public"
    PLATFORM = "platform"


PUBLIC: dict[str, Any] = {"access": Access.PUBLIC}
PLATFORM: dict[str, Any] = {"access": Access.PLATFORM}


def requires(permission: Permission) -> dict[str, Any]:
    return {"access": permission}


@dataclass(frozen=True, slots=True)
class AuthContext:
    principal: Principal
    settings: OrganizationSettings


class Authenticator:
    """Resolves bearer keys to principals, caching each for a few seconds.

    The cache saves a database round trip on every request; a revocation made in
    this process takes effect at once, one made in another process within the TTL.
    """

    def __init__(self, database: Database, *, ttl_seconds: float, max_entries: int = 50_000) -> None:
        self.database = database
        self.ttl = ttl_seconds
        self.max_entries = max_entries
        self._cache: dict[bytes, tuple[float, AuthContext]] = {}

    async def authenticate(self, plaintext: str) -> AuthContext | None:
        now = time.monotonic()
        cached = self._cache.get(keys.hash_key(plaintext))
        if cached is not None and cached[0] > now:
            return cached[1]
        parsed = keys.parse(plaintext)
        if parsed is None:
            return None
        context = await self.database.run(self._lookup, plaintext)
        if context is None:
            self._cache.pop(parsed.key_hash, None)
            return None
        if len(self._cache) >= self.max_entries:
            self._cache.clear()
        if self.ttl > 0:
            self._cache[parsed.key_hash] = (now + self.ttl, context)
        return context

    def _lookup(self, plaintext: str) -> AuthContext | None:
        with self.database.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            found = identity.authenticate(conn, plaintext)
        return AuthContext(*found) if found else None

    def forget(self, key_hashes: list[bytes]) -> None:
        for key_hash in key_hashes:
            self._cache.pop(key_hash, None)

    def forget_org(self, org_id: Any) -> None:
        """Drop cached settings of an organization after they change."""
        for key_hash, (_, context) in list(self._cache.items()):
            if context.principal.org_id == org_id:
                self._cache.pop(key_hash, None)


def _bearer(connection: ASGIConnection[Any, Any, Any, Any]) -> str:
    header = connection.headers.get("authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise Unauthorized(Message("auth.bearer_required"))
    return token.strip()


async def authorize(connection: ASGIConnection[Any, Any, Any, Any], handler: BaseRouteHandler) -> None:
    """The one guard of the API: authenticate, then check the route's access rule."""
    access = handler.opt.get("access")
    state = connection.state
    if access is Access.PUBLIC:
        state.actor = Actor(ActorType.PUBLIC)
        return
    if access is Access.PLATFORM:
        expected = connection.app.state.settings.admin_token
        if not expected:
            raise Unauthorized(Message("auth.admin_token_unset"))
        if not hmac.compare_digest(_bearer(connection).encode(), expected.encode()):
            raise Unauthorized(Message("auth.admin_token_invalid"))
        state.actor = Actor(ActorType.PLATFORM)
        return
    if not isinstance(access, Permission):
        raise Forbidden(Message("auth.no_access_rule"))
    context = await connection.app.state.authenticator.authenticate(_bearer(connection))
    if context is None:
        raise Unauthorized(Message("auth.api_key_invalid"))
    if not permissions.allows(context.principal.role, access):
        raise Forbidden(Message("auth.role_forbidden", role=context.principal.role, permission=str(access)))
    state.principal = context.principal
    state.org_settings = context.settings
    state.actor = context.principal.actor
