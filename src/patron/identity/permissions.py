"""The role table of SPEC §2: the one place that says which role may do what."""

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


# Every staff member may read groups and ask "may this customer buy P?" (a cashier asks at the till).
_EVERY_STAFF_ROLE = frozenset(
    {Permission.CUSTOMERS_READ, Permission.ORGANIZATION_READ, Permission.GROUPS_READ, Permission.COMPANIES_READ}
)

ROLE_PERMISSIONS: dict[Role, frozenset[Permission]] = {
    Role.OWNER: frozenset(Permission),
    Role.CASHIER: _EVERY_STAFF_ROLE | {Permission.CUSTOMERS_CREATE},
    Role.MARKETING: _EVERY_STAFF_ROLE | {Permission.DEALS_READ, Permission.CRM_READ},
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
    },
}


def allows(role: Role, permission: Permission) -> bool:
    return permission in ROLE_PERMISSIONS[role]
