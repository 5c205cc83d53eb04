"""Every table, one module per domain; import from here."""

from patron.db.models.address import Address
from patron.db.models.companies import Company, CompanyJoinCode, CompanyMember
from patron.db.models.crm import Interaction, Memo
from patron.db.models.customer import Customer
from patron.db.models.deals import Deal, Pipeline, PipelineStage
from patron.db.models.groups import CustomerGroup, CustomerProductRule, GroupProductRule
from patron.db.models.identity import ApiKey, IdempotencyRecord, StaffUser
from patron.db.models.imports import ImportChunk, ImportFile, ImportJob, ImportRowError
from patron.db.models.inquiry import Inquiry, InquiryRateWindow, InquiryReply
from patron.db.models.lists import CustomerList, CustomerListItem
from patron.db.models.loyalty import LoyaltyEntry
from patron.db.models.newsletter import NewsletterConsent, NewsletterSubscriber
from patron.db.models.order import Order
from patron.db.models.organization import Organization, OrgCounter
from patron.db.models.outbox import OutboxEvent
from patron.db.models.outbox_cursor import OutboxCursor
from patron.db.models.privacy import DuplicateDismissal, MergeJournal
from patron.db.models.segments import Segment
from patron.db.models.webhook import Webhook, WebhookAttempt, WebhookDelivery

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
    "DuplicateDismissal",
    "GroupProductRule",
    "IdempotencyRecord",
    "ImportChunk",
    "ImportFile",
    "ImportJob",
    "ImportRowError",
    "Inquiry",
    "InquiryRateWindow",
    "InquiryReply",
    "Interaction",
    "LoyaltyEntry",
    "Memo",
    "MergeJournal",
    "NewsletterConsent",
    "NewsletterSubscriber",
    "Order",
    "OrgCounter",
    "Organization",
    "OutboxCursor",
    "OutboxEvent",
    "Pipeline",
    "PipelineStage",
    "Segment",
    "StaffUser",
    "Webhook",
    "WebhookAttempt",
    "WebhookDelivery",
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
    DuplicateDismissal,
    GroupProductRule,
    IdempotencyRecord,
    ImportChunk,
    ImportFile,
    ImportJob,
    ImportRowError,
    Inquiry,
    InquiryRateWindow,
    InquiryReply,
    Interaction,
    LoyaltyEntry,
    Memo,
    MergeJournal,
    NewsletterConsent,
    NewsletterSubscriber,
    Order,
    OrgCounter,
    OutboxCursor,
    OutboxEvent,
    Pipeline,
    PipelineStage,
    Segment,
    StaffUser,
    Webhook,
    WebhookAttempt,
    WebhookDelivery,
]
