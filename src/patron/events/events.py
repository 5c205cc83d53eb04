"""Events about event delivery itself (past tense), written to the outbox with the change."""

from __future__ import annotations

from typing import Annotated

from msgspec import Meta

from patron.kernel.events import DomainEvent


class WebhookCreated(DomainEvent, frozen=True, kw_only=True):
    """A webhook was registered."""

    type = "webhook.created"
    subject = "webhook"
    url: str
    event_types: list[str]


class WebhookUpdated(DomainEvent, frozen=True, kw_only=True):
    """A webhook was changed, or its signing secret rotated."""

    type = "webhook.updated"
    subject = "webhook"
    fields: Annotated[list[str], Meta(description="the names of the changed fields, sorted; `secret` after a rotation")]


class WebhookDeleted(DomainEvent, frozen=True, kw_only=True):
    """A webhook was removed with its delivery log."""

    type = "webhook.deleted"
    subject = "webhook"


EVENTS = (WebhookCreated, WebhookUpdated, WebhookDeleted)
