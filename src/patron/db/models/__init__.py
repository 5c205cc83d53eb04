"""Every table, one module per domain; import from here."""

from patron.db.models.customer import Customer
from patron.db.models.identity import ApiKey, IdempotencyRecord, StaffUser
from patron.db.models.inquiry import Inquiry, InquiryRateWindow, InquiryReply
from patron.db.models.newsletter import NewsletterConsent, NewsletterSubscriber
from patron.db.models.organization import Organization, OrgCounter
from patron.db.models.outbox import OutboxEvent
from patron.db.models.outbox_cursor import OutboxCursor
from patron.db.models.webhook import Webhook, WebhookAttempt, WebhookDelivery

__all__ = [
    "ApiKey",
    "Customer",
    "IdempotencyRecord",
    "Inquiry",
    "InquiryRateWindow",
    "InquiryReply",
    "NewsletterConsent",
    "NewsletterSubscriber",
    "OrgCounter",
    "Organization",
    "OutboxCursor",
    "OutboxEvent",
    "StaffUser",
    "Webhook",
    "WebhookAttempt",
    "WebhookDelivery",
]

TENANT_OWNED = [
    ApiKey,
    Customer,
    IdempotencyRecord,
    Inquiry,
    InquiryRateWindow,
    InquiryReply,
    NewsletterConsent,
    NewsletterSubscriber,
    OrgCounter,
    OutboxCursor,
    OutboxEvent,
    StaffUser,
    Webhook,
    WebhookAttempt,
    WebhookDelivery,
]
