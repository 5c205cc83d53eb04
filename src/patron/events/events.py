"""Events about event delivery itself (past tense), written to the outbox with the change."""

from __future__ import annotations

from dataclasses import dataclass

from patron.kernel.events import DomainEvent


@dataclass(frozen=True, slots=True)
class WebhookCreated(DomainEvent):
    type = "webhook.created"


@dataclass(frozen=True, slots=True)
class WebhookUpdated(DomainEvent):
    type = "webhook.updated"


@dataclass(frozen=True, slots=True)
class WebhookDeleted(DomainEvent):
    type = "webhook.deleted"
