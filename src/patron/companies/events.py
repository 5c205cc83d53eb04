"""Company events (past tense), written to the outbox with the change; the subject is the company."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated

import msgspec
from msgspec import Meta

from patron.companies.schemas import MemberRole
from patron.kernel.events import Changes, DomainEvent


class CompanyCreated(DomainEvent, frozen=True, kw_only=True):
    """A company (B2B account) was created."""

    type = "company.created"
    subject = "company"
    name: str
    vat_id: str | None


class CompanyUpdated(DomainEvent, frozen=True, kw_only=True):
    """Fields of the company changed."""

    type = "company.updated"
    subject = "company"
    changes: Changes


class CompanyDeleted(DomainEvent, frozen=True, kw_only=True):
    """A company without contacts, deals or interactions was deleted."""

    type = "company.deleted"
    subject = "company"
    name: str


class CompanyMemberAdded(DomainEvent, frozen=True, kw_only=True):
    """A customer became a member of the company, added by staff or by redeeming a join code."""

    type = "company.member_added"
    subject = "company"
    customer_id: uuid.UUID
    role: MemberRole
    join_code_id: Annotated[uuid.UUID | None, Meta(description="the code redeemed; null when staff added the member")]


class MemberRoleChange(msgspec.Struct, frozen=True):
    """A member's role before and after."""

    old: MemberRole
    new: MemberRole


class CompanyMemberUpdated(DomainEvent, frozen=True, kw_only=True):
    """A member's role changed."""

    type = "company.member_updated"
    subject = "company"
    customer_id: uuid.UUID
    role: MemberRoleChange


class CompanyMemberRemoved(DomainEvent, frozen=True, kw_only=True):
    """A member lost its role; the customer stays a contact of the company."""

    type = "company.member_removed"
    subject = "company"
    customer_id: uuid.UUID
    role: MemberRole


class CompanyJoinCodeCreated(DomainEvent, frozen=True, kw_only=True):
    """A single-use join code was issued (the event never carries the code itself)."""

    type = "company.join_code_created"
    subject = "company"
    join_code_id: uuid.UUID
    role: MemberRole
    expires_at: datetime


class CompanyJoinCodeRevoked(DomainEvent, frozen=True, kw_only=True):
    """An unused join code was revoked."""

    type = "company.join_code_revoked"
    subject = "company"
    join_code_id: uuid.UUID


EVENTS = (
    CompanyCreated,
    CompanyUpdated,
    CompanyDeleted,
    CompanyMemberAdded,
    CompanyMemberUpdated,
    CompanyMemberRemoved,
    CompanyJoinCodeCreated,
    CompanyJoinCodeRevoked,
)
