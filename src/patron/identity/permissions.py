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
    NEWSLETTER_MANAGE = "newsletter:manage"
    INQUIRIES_MANAGE = "inquiries:manage"


_EVERY_STAFF_ROLE = frozenset({Permission.CUSTOMERS_READ, Permission.ORGANIZATION_READ})

ROLE_PERMISSIONS: dict[Role, frozenset[Permission]] = {
    Role.OWNER: frozenset(Permission),
    Role.CASHIER: _EVERY_STAFF_ROLE | {Permission.CUSTOMERS_CREATE},
    Role.MARKETING: _EVERY_STAFF_ROLE | {Permission.NEWSLETTER_MANAGE},
    # Sales create leads (the CRM flow starts with one); changing profiles stays with owners.
    Role.SALES: _EVERY_STAFF_ROLE | {Permission.CUSTOMERS_CREATE, Permission.INQUIRIES_MANAGE},
}


def allows(role: Role, permission: Permission) -> bool:
    return permission in ROLE_PERMISSIONS[role]
