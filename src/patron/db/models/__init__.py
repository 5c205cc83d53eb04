"""Every table, one module per domain; import from here."""

from patron.db.models.companies import Company, CompanyJoinCode, CompanyMember
from patron.db.models.crm import Interaction, Memo
from patron.db.models.customer import Customer
from patron.db.models.deals import Deal, Pipeline, PipelineStage
from patron.db.models.groups import CustomerGroup, CustomerProductRule, GroupProductRule
from patron.db.models.identity import ApiKey, IdempotencyRecord, StaffUser
from patron.db.models.organization import Organization, OrgCounter
from patron.db.models.outbox import OutboxEvent

__all__ = [
    "ApiKey",
    "Company",
    "CompanyJoinCode",
    "CompanyMember",
    "Customer",
    "CustomerGroup",
    "CustomerProductRule",
    "Deal",
    "GroupProductRule",
    "IdempotencyRecord",
    "Interaction",
    "Memo",
    "OrgCounter",
    "Organization",
    "OutboxEvent",
    "Pipeline",
    "PipelineStage",
    "StaffUser",
]

TENANT_OWNED = [
    ApiKey,
    Customer,
    IdempotencyRecord,
    OrgCounter,
    OutboxEvent,
    StaffUser,
    CustomerGroup,
    GroupProductRule,
    CustomerProductRule,
    Company,
    CompanyMember,
    CompanyJoinCode,
    Pipeline,
    PipelineStage,
    Deal,
    Interaction,
    Memo,
]
