"""Webhook registration (owners). Never commits: the request owns the unit of work."""

from __future__ import annotations

import uuid
from collections.abc import Collection
from dataclasses import dataclass

import msgspec

from patron.db.uow import UnitOfWork
from patron.events import repository as outbox
from patron.events import webhook_repository as repo
from patron.events.addresses import AddressRefused, check_url
from patron.events.events import WebhookCreated as WebhookCreatedEvent
from patron.events.events import WebhookDeleted, WebhookUpdated
from patron.events.records import DeliveryRecord, WebhookRecord
from patron.events.schemas import (
    WebhookCreate,
    WebhookCreated,
    WebhookDeliveryPage,
    WebhookDeliveryRead,
    WebhookPage,
    WebhookRead,
    WebhookUpdate,
)
from patron.events.service import encode_cursor
from patron.events.webhook_rules import derive_secret, names_known_types
from patron.kernel import clock
from patron.kernel.errors import FieldError, NotFound, ValidationFailed
from patron.kernel.ids import uuid7
from patron.kernel.messages import Message
from patron.kernel.tenancy import Principal


@dataclass(frozen=True, slots=True)
class WebhookPolicy:
    """The server secret that webhook secrets derive from, and which private addresses are allowed."""

    server_secret: bytes
    allowances: frozenset[str]


def to_read(row: WebhookRecord) -> WebhookRead:
    return WebhookRead(
        id=row.id,
        url=row.url,
        event_types=row.event_types,
        description=row.description,
        active=row.active,
        created_at=row.created_at,
        updated_at=row.updated_at,
    )


def _checked_url(url: str, policy: WebhookPolicy) -> str:
    url = url.strip()
    try:
        check_url(url, policy.allowances)
    except AddressRefused as exc:
        raise ValidationFailed.single("url", exc.message) from None
    return url


def _webhook_or_404(uow: UnitOfWork, principal: Principal, webhook_id: uuid.UUID, *, lock: bool) -> WebhookRecord:
    row = repo.get(uow.conn, principal.org_id, webhook_id, for_update=lock)
    if row is None:
        raise NotFound(Message("webhook.not_found"), code="webhook.not_found")
    return row


def _checked_event_types(patterns: list[str], known_types: Collection[str]) -> list[str]:
    """The patterns once each, in order; 422 naming each one that takes no known event type."""
    errors = [
        FieldError(f"event_types[{i}]", Message("event_type.unknown", pattern=pattern))
        for i, pattern in enumerate(patterns)
        if not names_known_types(pattern, known_types)
    ]
    if errors:
        raise ValidationFailed(errors)
    return list(dict.fromkeys(patterns))


def create_webhook(
    uow: UnitOfWork,
    *,
    principal: Principal,
    policy: WebhookPolicy,
    known_types: Collection[str],
    data: WebhookCreate,
) -> WebhookCreated:
    """Register a URL for the events it names (of `known_types`); it receives events from now on.
    The secret is shown once."""
    event_types = _checked_event_types(data.event_types, known_types)
    url = _checked_url(data.url, policy)
    now = clock.now()
    row = repo.insert(
        uow.conn,
        {
            "org_id": principal.org_id,
            "id": uuid7(),
            "url": url,
            "event_types": event_types,
            "description": data.description,
            "active": data.active,
            "secret_version": 1,
            "cursor_seq": outbox.last_seq(uow.conn, principal.org_id),
            "created_at": now,
            "updated_at": now,
        },
    )
    uow.record(WebhookCreatedEvent(principal.org_id, row.id, url=url, event_types=row.event_types))
    secret = derive_secret(policy.server_secret, principal.org_id, row.id, row.secret_version)
    return WebhookCreated(webhook=to_read(row), secret=secret)


def list_webhooks(uow: UnitOfWork, *, principal: Principal, limit: int, offset: int, cursor: str | None) -> WebhookPage:
    """The organization's webhooks, oldest first."""
    page = repo.WEBHOOKS.request(limit=limit, offset=offset, cursor=cursor)
    return page.answer(WebhookPage, *repo.list_page(uow.conn, principal.org_id, page), item=to_read)


def get_webhook(uow: UnitOfWork, *, principal: Principal, webhook_id: uuid.UUID) -> WebhookRead:
    return to_read(_webhook_or_404(uow, principal, webhook_id, lock=False))


def update_webhook(
    uow: UnitOfWork,
    *,
    principal: Principal,
    policy: WebhookPolicy,
    known_types: Collection[str],
    webhook_id: uuid.UUID,
    data: WebhookUpdate,
) -> WebhookRead:
    """Change the URL, event types (of `known_types`), description or whether it is active."""
    values = {f: v for f in data.__struct_fields__ if (v := getattr(data, f)) is not msgspec.UNSET}
    if "event_types" in values:
        values["event_types"] = _checked_event_types(values["event_types"], known_types)
    row = _webhook_or_404(uow, principal, webhook_id, lock=True)
    if "url" in values:
        values["url"] = _checked_url(values["url"], policy)
    if values.get("active") and not row.active:
        # Re-enabled: deliver what happens from now, not what happened while off.
        values["cursor_seq"] = outbox.last_seq(uow.conn, principal.org_id)
    updated = repo.update(uow.conn, principal.org_id, webhook_id, {**values, "updated_at": clock.now()})
    uow.record(WebhookUpdated(principal.org_id, webhook_id, fields=sorted(k for k in values if k != "cursor_seq")))
    return to_read(updated)


def rotate_secret(
    uow: UnitOfWork, *, principal: Principal, policy: WebhookPolicy, webhook_id: uuid.UUID
) -> WebhookCreated:
    """Replace the signing secret; deliveries from now on are signed with the new one, shown only here."""
    row = _webhook_or_404(uow, principal, webhook_id, lock=True)
    values = {"secret_version": row.secret_version + 1, "updated_at": clock.now()}
    updated = repo.update(uow.conn, principal.org_id, webhook_id, values)
    uow.record(WebhookUpdated(principal.org_id, webhook_id, fields=["secret"]))
    secret = derive_secret(policy.server_secret, principal.org_id, webhook_id, updated.secret_version)
    return WebhookCreated(webhook=to_read(updated), secret=secret)


def delete_webhook(uow: UnitOfWork, *, principal: Principal, webhook_id: uuid.UUID) -> None:
    """Remove the webhook with its delivery log."""
    _webhook_or_404(uow, principal, webhook_id, lock=True)
    repo.delete(uow.conn, principal.org_id, webhook_id)
    uow.record(WebhookDeleted(principal.org_id, webhook_id))


def list_deliveries(
    uow: UnitOfWork, *, principal: Principal, webhook_id: uuid.UUID, limit: int, offset: int, cursor: str | None
) -> WebhookDeliveryPage:
    """The deliveries, newest event first, each with its log of attempts."""
    _webhook_or_404(uow, principal, webhook_id, lock=False)
    page = repo.DELIVERIES.request(limit=limit, offset=offset, cursor=cursor, filters=[str(webhook_id)])
    rows, total = repo.deliveries(uow.conn, principal.org_id, webhook_id, page)
    log = repo.attempts_of(uow.conn, principal.org_id, [r.id for r in rows])

    def read(r: DeliveryRecord) -> WebhookDeliveryRead:
        return WebhookDeliveryRead(
            id=r.id,
            event_cursor=encode_cursor(r.event_seq),
            event_type=r.event_type,
            status=r.status,
            attempts=r.attempts,
            next_attempt_at=r.next_attempt_at if r.status == "pending" else None,
            created_at=r.created_at,
            updated_at=r.updated_at,
            attempt_log=log[r.id],
        )

    return page.answer(WebhookDeliveryPage, rows, total, item=read)
