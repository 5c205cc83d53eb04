"""Inquiry events (past tense), written to the outbox with the change; the subject is the inquiry."""

from __future__ import annotations

import uuid
from typing import Annotated

from msgspec import UNSET, Meta, UnsetType, field

from patron.inquiries.rules import Action
from patron.kernel.events import DomainEvent

_STATUS = Meta(description="new, assigned, replied, converted or lost")


class InquiryCreated(DomainEvent, frozen=True, kw_only=True):
    """A sales inquiry came in through the public form."""

    type = "inquiry.created"
    subject = "inquiry"
    name: str
    email: str
    company_name: str | None


class InquiryStatusChanged(DomainEvent, frozen=True, kw_only=True):
    """The inquiry moved on its lifecycle (new → assigned → replied → converted | lost), with the action's details."""

    type = "inquiry.status_changed"
    subject = "inquiry"
    from_: Annotated[str, _STATUS] = field(name="from")
    to: Annotated[str, _STATUS]
    action: Action
    assigned_to: Annotated[uuid.UUID | UnsetType, Meta(description="`assign` only: the staff member")] = UNSET
    customer_id: Annotated[uuid.UUID | UnsetType, Meta(description="`convert` only: the customer")] = UNSET
    customer_created: Annotated[
        bool | UnsetType, Meta(description="`convert` only: whether the customer was created for it")
    ] = UNSET
    reason: Annotated[str | UnsetType, Meta(description="`lose` only: why it was lost")] = UNSET


class InquiryAssigned(DomainEvent, frozen=True, kw_only=True):
    """The inquiry was given to a staff member."""

    type = "inquiry.assigned"
    subject = "inquiry"
    assigned_to: uuid.UUID


class InquiryReplied(DomainEvent, frozen=True, kw_only=True):
    """Staff recorded a reply to the inquiry."""

    type = "inquiry.replied"
    subject = "inquiry"
    reply_id: uuid.UUID


EVENTS = (InquiryCreated, InquiryStatusChanged, InquiryAssigned, InquiryReplied)
