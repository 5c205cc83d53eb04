"""The role table of SPEC §2: the one place that says which role may do what.

Orders and loyalty: every staff role reads orders and point balances (marketing and
sales need them for segments and account work). Recording orders, attaching a
customer at checkout, paying and cancelling an open order, and redeeming points are
till work: owner and cashier. Refunds take money back and reverse points, and point
adjustments change balances by hand: owner only.

Addresses: every staff role reads them; owner and cashier add one (the till captures
a delivery address at checkout); changing and removing them is profile editing, which
SPEC §2 keeps from cashiers: owner only.

Customer lists: every staff role reads them; creating, changing and sharing them is
owner-only for staff (customers will manage their own through /me/lists).
"""

from __future__ import annotations

import enum

from patron.kernel.tenancy import Role


class Permission(enum.StrEnum):
    CUSTOMERS_READ = "customers:read"
    CUSTOMERS_CREATE = "customers:create"
    CUSTOMERS_UPDATE = "customers:update"
    CUSTOMERS_DELETE = "customers:delete"
    ORGANIZATION_READ = "organization:read"
    ORGANIZATION_MANAGE = "organization:manage"
    STAFF_MANAGE = "staff:manage"
    EVENTS_READ = "events:read"
    # Lifecycle transitions, tier, tags and assignment: the sales side of a customer.
    CUSTOMERS_LIFECYCLE = "customers:lifecycle"
    # Customer groups and product restrictions decide what customers may buy: owners only.
    GROUPS_READ = "groups:read"
    GROUPS_MANAGE = "groups:manage"
    # B2B accounts: every role reads them (they are customer data); owners and sales manage them.
    COMPANIES_READ = "companies:read"
    COMPANIES_MANAGE = "companies:manage"
    # Deals: marketing reads the pipeline (CRM data it reports on), cashiers have no business there;
    # sales work deals; a won or lost deal is reopened, and pipelines are shaped, by owners only.
    DEALS_READ = "deals:read"
    DEALS_MANAGE = "deals:manage"
    DEALS_REOPEN = "deals:reopen"
    PIPELINES_MANAGE = "pipelines:manage"
    # Interactions, memos and the timeline (which shows a customer's domain events): marketing
    # reads them like the rest of the CRM data; owners and sales write them.
    CRM_READ = "crm:read"
    CRM_WRITE = "crm:write"

    ORDERS_READ = "orders:read"
    ORDERS_RECORD = "orders:record"
    ORDERS_REFUND = "orders:refund"
    POINTS_READ = "points:read"
    POINTS_REDEEM = "points:redeem"
    POINTS_ADJUST = "points:adjust"
    ADDRESSES_READ = "addresses:read"
    ADDRESSES_CREATE = "addresses:create"
    ADDRESSES_MANAGE = "addresses:manage"
    LISTS_READ = "lists:read"
    LISTS_MANAGE = "lists:manage"
    NEWSLETTER_MANAGE = "newsletter:manage"
    INQUIRIES_MANAGE = "inquiries:manage"
    WEBHOOKS_MANAGE = "webhooks:manage"
    # Data in and out (SPEC §13.1, §13.2): owners and marketing move customer bases in and out.
    IMPORTS_MANAGE = "imports:manage"
    EXPORTS_READ = "exports:read"
    # Privacy and identity (SPEC §13.3, §13.4): a customer's whole record leaves, is erased or is
    # merged only by an owner; sales, who meet the duplicates walk-ins create, review them.
    PRIVACY_ACCESS = "privacy:access"
    PRIVACY_ERASE = "privacy:erase"
    DUPLICATES_READ = "duplicates:read"
    DUPLICATES_DISMISS = "duplicates:dismiss"
    CUSTOMERS_MERGE = "customers:merge"
    # Segments (SPEC §8, §13.5): marketing builds its audiences; sales read them to work a list.
    SEGMENTS_READ = "segments:read"
    SEGMENTS_MANAGE = "segments:manage"
    # Analytics (SPEC §13.6): figures over the customer base for those who plan with them; the
    # till has no use for them.
    ANALYTICS_READ = "analytics:read"


# Every staff member may read groups and ask "may this customer buy P?" (a cashier asks at the till),
# read companies, and read orders, point balances, addresses and lists.
_EVERY_STAFF_ROLE = frozenset(
    {
        Permission.CUSTOMERS_READ,
        Permission.ORGANIZATION_READ,
        Permission.GROUPS_READ,
        Permission.COMPANIES_READ,
        Permission.ORDERS_READ,
        Permission.POINTS_READ,
        Permission.ADDRESSES_READ,
        Permission.LISTS_READ,
    }
)
_TILL = frozenset({Permission.ORDERS_RECORD, Permission.POINTS_REDEEM, Permission.ADDRESSES_CREATE})

ROLE_PERMISSIONS: dict[Role, frozenset[Permission]] = {
    Role.OWNER: frozenset(Permission),
    Role.CASHIER: _EVERY_STAFF_ROLE | _TILL | {Permission.CUSTOMERS_CREATE},
    Role.MARKETING: _EVERY_STAFF_ROLE
    | {
        Permission.DEALS_READ,
        Permission.CRM_READ,
        Permission.NEWSLETTER_MANAGE,
        Permission.EVENTS_READ,
        Permission.IMPORTS_MANAGE,
        Permission.EXPORTS_READ,
        Permission.SEGMENTS_READ,
        Permission.SEGMENTS_MANAGE,
        Permission.ANALYTICS_READ,
    },
    # Sales create leads (the CRM flow starts with one); changing profiles stays with owners.
    Role.SALES: _EVERY_STAFF_ROLE
    | {
        Permission.CUSTOMERS_CREATE,
        Permission.CUSTOMERS_LIFECYCLE,
        Permission.COMPANIES_MANAGE,
        Permission.DEALS_READ,
        Permission.DEALS_MANAGE,
        Permission.CRM_READ,
        Permission.CRM_WRITE,
        Permission.INQUIRIES_MANAGE,
        Permission.EVENTS_READ,
        Permission.DUPLICATES_READ,
        Permission.SEGMENTS_READ,
        Permission.ANALYTICS_READ,
    },
}

# Which events a role with `events:read` sees, in the feed and in the live stream alike:
# event type prefixes, or None for all. Each role sees the events of the data it works with.
EVENT_TYPES: dict[Role, tuple[str, ...] | None] = {
    Role.OWNER: None,
    Role.CASHIER: (),
    Role.MARKETING: ("customer.", "subscriber.", "segment."),
    Role.SALES: ("customer.", "inquiry."),
}


def visible_event_types(role: Role) -> tuple[str, ...] | None:
    """The event type prefixes `role` may read (None: every type)."""
    return EVENT_TYPES[role]


def allows(role: Role, permission: Permission) -> bool:
    return permission in ROLE_PERMISSIONS[role]
