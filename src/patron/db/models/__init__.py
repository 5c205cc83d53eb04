"""Every table, one module per domain; import from here."""

from patron.db.models.address import Address
from patron.db.models.customer import Customer
from patron.db.models.identity import ApiKey, IdempotencyRecord, StaffUser
from patron.db.models.lists import CustomerList, CustomerListItem
from patron.db.models.loyalty import LoyaltyEntry
from patron.db.models.order import Order
from patron.db.models.organization import Organization, OrgCounter
from patron.db.models.outbox import OutboxEvent

__all__ = [
    "Address",
    "ApiKey",
    "Customer",
    "CustomerList",
    "CustomerListItem",
    "IdempotencyRecord",
    "LoyaltyEntry",
    "Order",
    "OrgCounter",
    "Organization",
    "OutboxEvent",
    "StaffUser",
]

TENANT_OWNED = [
    Address,
    ApiKey,
    Customer,
    CustomerList,
    CustomerListItem,
    IdempotencyRecord,
    LoyaltyEntry,
    Order,
    OrgCounter,
    OutboxEvent,
    StaffUser,
]
