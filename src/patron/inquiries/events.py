"""Inquiry events (past tense), written to the outbox with the change."""

from __future__ import annotations

from dataclasses import dataclass

from patron.kernel.events import DomainEvent


@dataclass(frozen=True, slots=True)
class InquiryCreated(DomainEvent):
    type = "inquiry.created"


@dataclass(frozen=True, slots=True)
class InquiryStatusChanged(DomainEvent):
    """`data` holds `from`, `to` and the action's details (assignee, customer, reason)."""

    type = "inquiry.status_changed"


@dataclass(frozen=True, slots=True)
class InquiryAssigned(DomainEvent):
    type = "inquiry.assigned"


@dataclass(frozen=True, slots=True)
class InquiryReplied(DomainEvent):
    type = "inquiry.replied"
