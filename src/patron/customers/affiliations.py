"""What the customers domain asks of the groups and companies a customer belongs to, and
tells the newsletter a customer's email belongs to.

A customer's `group_id` and `company_id` refer to rows of the groups and companies
domains, and a subscriber's `customer_id` to a customer; those domains sit above
customers (they use customers' service), so customers may not import them. It declares
here the little it needs and they provide it: each domain's service module satisfies its
protocol, and each entry point wires them once at start (`patron.app.create_app`, the CLI,
the tests' database fixture) with `provide`. Asking before that is a programming error and says so.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from typing import Protocol

from patron.db.uow import UnitOfWork


class Groups(Protocol):
    def is_merchant_group(self, uow: UnitOfWork, *, org_id: uuid.UUID, group_id: uuid.UUID) -> bool | None:
        """Whether the organization's group is a merchant group; None when it has no such group."""
        ...


class Companies(Protocol):
    def company_exists(self, uow: UnitOfWork, *, org_id: uuid.UUID, company_id: uuid.UUID) -> bool:
        """Whether the organization has this company."""
        ...

    def member_company(self, uow: UnitOfWork, *, org_id: uuid.UUID, customer_id: uuid.UUID) -> uuid.UUID | None:
        """The company in which the customer holds a member role, if any."""
        ...


class Subscriptions(Protocol):
    def link_customer_emails(self, uow: UnitOfWork, *, org_id: uuid.UUID, emails: Sequence[str]) -> None:
        """Customers took these emails (created, registered, changed): their subscribers link to them."""
        ...


class _Provided:
    groups: Groups | None = None
    companies: Companies | None = None
    subscriptions: Subscriptions | None = None


_provided = _Provided()


def provide(*, groups: Groups, companies: Companies, subscriptions: Subscriptions) -> None:
    """Wire the domains that answer for groups, companies and subscriptions (once per process; idempotent)."""
    _provided.groups = groups
    _provided.companies = companies
    _provided.subscriptions = subscriptions


def groups() -> Groups:
    if _provided.groups is None:
        raise RuntimeError("customers.affiliations.provide(...) was not called at start")
    return _provided.groups


def companies() -> Companies:
    if _provided.companies is None:
        raise RuntimeError("customers.affiliations.provide(...) was not called at start")
    return _provided.companies


def subscriptions() -> Subscriptions:
    if _provided.subscriptions is None:
        raise RuntimeError("customers.affiliations.provide(...) was not called at start")
    return _provided.subscriptions
