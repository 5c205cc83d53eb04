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
    WEBHOOKS_MANAGE = "webhooks:manage"


_EVERY_STAFF_ROLE = frozenset({Permission.CUSTOMERS_READ, Permission.ORGANIZATION_READ})

ROLE_PERMISSIONS: dict[Role, frozenset[Permission]] = {
    Role.OWNER: frozenset(Permission),
    Role.CASHIER: _EVERY_STAFF_ROLE | {Permission.CUSTOMERS_CREATE},
    Role.MARKETING: _EVERY_STAFF_ROLE | {Permission.NEWSLETTER_MANAGE, Permission.EVENTS_READ},
    # Sales create leads (the CRM flow starts with one); changing profiles stays with owners.
    Role.SALES: _EVERY_STAFF_ROLE | {Permission.CUSTOMERS_CREATE, Permission.INQUIRIES_MANAGE, Permission.EVENTS_READ},
}

# Which events a role with `events:read` sees, in the feed and in the live stream alike:
# event type prefixes, or None for all. Each role sees the events of the data it works with.
EVENT_TYPES: dict[Role, tuple[str, ...] | None] = {
    Role.OWNER: None,
    Role.CASHIER: (),
    Role.MARKETING: ("customer.", "subscriber."),
    Role.SALES: ("customer.", "inquiry."),
}


def visible_event_types(role: Role) -> tuple[str, ...] | None:
    """The event type prefixes `role` may read (None: every type)."""
    return EVENT_TYPES[role]


def allows(role: Role, permission: Permission) -> bool:
    return permission in ROLE_PERMISSIONS[role]
