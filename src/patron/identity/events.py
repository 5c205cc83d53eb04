"""Identity events (past tense), written to the outbox."""

from __future__ import annotations

from dataclasses import dataclass

from patron.kernel.events import DomainEvent


@dataclass(frozen=True, slots=True)
class OrganizationCreated(DomainEvent):
    type = "organization.created"


@dataclass(frozen=True, slots=True)
class OrganizationUpdated(DomainEvent):
    type = "organization.updated"


@dataclass(frozen=True, slots=True)
class StaffCreated(DomainEvent):
    type = "staff.created"


@dataclass(frozen=True, slots=True)
class StaffUpdated(DomainEvent):
    type = "staff.updated"


@dataclass(frozen=True, slots=True)
class StaffDeleted(DomainEvent):
    type = "staff.deleted"


@dataclass(frozen=True, slots=True)
class ApiKeyCreated(DomainEvent):
    type = "api_key.created"


@dataclass(frozen=True, slots=True)
class ApiKeyRevoked(DomainEvent):
    type = "api_key.revoked"
