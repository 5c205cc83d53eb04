"""Every table, one module per domain; import from here."""

from patron.db.models.address import Address
from patron.db.models.companies import Company, CompanyJoinCode, CompanyMember
from patron.db.models.crm import Interaction, Memo
from patron.db.models.customer import Customer
from patron.db.models.deals import Deal, Pipeline, PipelineStage
from patron.db.models.groups import CustomerGroup, CustomerProductRule, GroupProductRule
from patron.db.models.identity import ApiKey, IdempotencyRecord, StaffUser
from patron.db.models.lists import CustomerList, CustomerListItem
from patron.db.models.loyalty import LoyaltyEntry
from patron.db.models.order import Order
from patron.db.models.organization import Organization, OrgCounter
from patron.db.models.outbox import OutboxEvent

__all__ = [
    "Address",
    "ApiKey",
    "Company",
    "CompanyJoinCode",
    "CompanyMember",
    "Customer",
    "CustomerGroup",
    "CustomerList",
    "CustomerListItem",
    "CustomerProductRule",
    "Deal",
    "GroupProductRule",
    "IdempotencyRecord",
    "Interaction",
    "LoyaltyEntry",
    "Memo",
    "Order",
    "OrgCounter",
    "Organization",
    "OutboxEvent",
    "Pipeline",
    "PipelineStage",
    "StaffUser",
]

TENANT_OWNED = [
    Address,
    ApiKey,
    Company,
    CompanyJoinCode,
    CompanyMember,
    Customer,
    CustomerGroup,
    CustomerList,
    CustomerListItem,
    CustomerProductRule,
    Deal,
    GroupProductRule,
    IdempotencyRecord,
    Interaction,
    LoyaltyEntry,
    Memo,
    Order,
    OrgCounter,
    OutboxEvent,
    Pipeline,
    PipelineStage,
    StaffUser,
]
