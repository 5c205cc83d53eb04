"""Idempotency-Key on POST: the same key and body answer the first answer, with no second write.

The first answer is stored in the same transaction as the change it describes, so
either both exist or neither does. Failed requests store nothing: the client may
fix the request and retry with the same key. Keys belong to the API key that sent them:
the same value from another key of the organization is another request.

An answer that shows a secret (a new API key, a join code) is not stored at all: only that
the request succeeded and where its resource is. A repeat then answers 409
`idempotency.secret_not_replayed` instead of the answer. Replaying the answer without its
secret would be a 201 whose body breaks its own schema (the key is required in it), and a
client reading it as the usual answer would take for a key what is not one; answering a
fresh 201 would issue a second secret, the second write idempotency exists to prevent.
The 409 says the first request succeeded, makes nothing new, and names the resource
(`location`), so the client can read it and revoke or reissue the secret it lost.
"""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import Callable
from datetime import timedelta
from typing import Any

import msgspec
import sqlalchemy as sa
from litestar import Response

from patron.db.base import table
from patron.db.errors import UniqueViolation
from patron.db.models import IdempotencyRecord
from patron.db.uow import UnitOfWork
from patron.kernel import clock
from patron.kernel.errors import Conflict, ValidationFailed
from patron.kernel.messages import Message

_record = table(IdempotencyRecord)
_KEPT_HEADERS = ("location", "etag")


class Idempotency:
    def __init__(
        self,
        *,
        uow: UnitOfWork,
        org_id: uuid.UUID | None,
        api_key_id: uuid.UUID | None,
        key: str | None,
        scope: str,
        retention_hours: int,
        shows_secret: bool = False,
    ) -> None:
        self.uow = uow
        self.org_id = org_id
        self.api_key_id = api_key_id
        self.key = key
        self.shows_secret = shows_secret
        self.scope = scope
        self.retention = timedelta(hours=retention_hours)

    def run(self, body: Any, produce: Callable[[], Response[Any]]) -> Response[Any]:
        """Answer with `produce()`, or replay the stored answer for a repeated key."""
        if self.key is None or self.org_id is None or self.api_key_id is None:
            return produce()
        if not 1 <= len(self.key) <= 255:
            raise ValidationFailed.single("Idempotency-Key", Message("idempotency.key_length"))
        request_hash = hashlib.sha256(self.scope.encode() + b"\n" + msgspec.json.encode(body)).digest()
        conn = self.uow.conn
        where = self._where()
        stored = conn.execute(sa.select(_record).where(*where)).one_or_none()
        if stored is not None and stored.created_at < clock.now() - self.retention:
            conn.execute(sa.delete(_record).where(*where))
            stored = None
        if stored is None:
            stored = self._claim(request_hash)
        if stored is not None:
            return self._replay(stored, request_hash)
        response = produce()
        content = response.content
        encoded = content if isinstance(content, bytes) else msgspec.json.encode(content)
        headers = {k: v for k, v in response.headers.items() if k.lower() in _KEPT_HEADERS}
        conn.execute(
            sa.update(_record)
            .where(*where)
            .values(
                status_code=response.status_code,
                response_body=b"" if self.shows_secret else encoded,
                response_headers=headers,
            )
        )
        return Response(encoded, status_code=response.status_code, headers=headers, media_type=response.media_type)

    def _claim(self, request_hash: bytes) -> Any:
        """Insert our claim on the key; if a concurrent request holds it, return its record."""
        conn = self.uow.conn
        savepoint = conn.begin_nested()
        try:
            conn.execute(
                sa.insert(_record).values(
                    org_id=self.org_id,
                    api_key_id=self.api_key_id,
                    key=self.key,
                    request_hash=request_hash,
                    status_code=0,
                    response_body=b"",
                    response_headers={},
                    created_at=clock.now(),
                )
            )
        except UniqueViolation as exc:
            if exc.constraint != "pk_idempotency_record":
                raise
            savepoint.rollback()
            # The other request has committed (the insert waited for it): read its answer.
            return conn.execute(sa.select(_record).where(*self._where())).one_or_none()
        savepoint.commit()
        return None

    def _where(self) -> tuple[sa.ColumnElement[bool], ...]:
        return (
            _record.c.org_id == self.org_id,
            _record.c.api_key_id == self.api_key_id,
            _record.c.key == self.key,
        )

    def _replay(self, stored: Any, request_hash: bytes) -> Response[Any]:
        if stored.request_hash != request_hash:
            raise ValidationFailed.single(
                "Idempotency-Key", Message("idempotency.key_reused"), code="idempotency.key_reused"
            )
        if stored.status_code == 0:
            raise Conflict(Message("idempotency.in_progress"), code="idempotency.in_progress")
        if self.shows_secret:
            location = stored.response_headers.get("location") or stored.response_headers.get("Location")
            raise Conflict(
                Message("idempotency.secret_not_replayed"),
                code="idempotency.secret_not_replayed",
                extra={"location": location} if location else None,
            )
        headers = {**stored.response_headers, "Idempotent-Replayed": "true"}
        return Response(
            stored.response_body, status_code=stored.status_code, headers=headers, media_type="application/json"
        )
