"""Company events (past tense), written to the outbox with the change; the subject is the company."""

from __future__ import annotations

from dataclasses import dataclass

from patron.kernel.events import DomainEvent


@dataclass(frozen=True, slots=True)
class CompanyCreated(DomainEvent):
    type = "company.created"


@dataclass(frozen=True, slots=True)
class CompanyUpdated(DomainEvent):
    """`data` holds `changes` ({field: {old, new}})."""

    type = "company.updated"


@dataclass(frozen=True, slots=True)
class CompanyDeleted(DomainEvent):
    type = "company.deleted"


@dataclass(frozen=True, slots=True)
class CompanyMemberAdded(DomainEvent):
    """`data` holds `customer_id`, `role` and `join_code_id` (null when staff added the member)."""

    type = "company.member_added"


@dataclass(frozen=True, slots=True)
class CompanyMemberUpdated(DomainEvent):
    type = "company.member_updated"


@dataclass(frozen=True, slots=True)
class CompanyMemberRemoved(DomainEvent):
    type = "company.member_removed"


@dataclass(frozen=True, slots=True)
class CompanyJoinCodeCreated(DomainEvent):
    """Never carries the code itself."""

    type = "company.join_code_created"


@dataclass(frozen=True, slots=True)
class CompanyJoinCodeRevoked(DomainEvent):
    type = "company.join_code_revoked"
