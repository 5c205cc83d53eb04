"""Customer events (past tense), written to the outbox with the change; the subject is the customer."""

from __future__ import annotations

from typing import Annotated, Literal

from msgspec import UNSET, Meta, UnsetType, field

from patron.customers import rules
from patron.kernel.events import Changes, DomainEvent

UpdateReason = Literal["registered_guest", "merchant_group", "merged", "unmerged"]
_SECTIONS = sorted({*rules.SECTIONS.values(), "other"})
_STATUS = Meta(description="lead, prospect, customer or churned")


class CustomerCreated(DomainEvent, frozen=True, kw_only=True):
    """A customer was created: registered, or a guest (one event per customer of a batch or import)."""

    type = "customer.created"
    subject = "customer"
    customer_number: str
    email: Annotated[str, Meta(description="lower case")]
    is_guest: Annotated[bool, Meta(description="a guest account has no credentials")]


class CustomerUpdated(DomainEvent, frozen=True, kw_only=True):
    """Fields of the customer changed (profile, lifecycle tier and tags, assignment): its audit trail."""

    type = "customer.updated"
    subject = "customer"
    sections: Annotated[
        list[str],
        Meta(description=f"the sections of the changed fields, sorted: {', '.join(_SECTIONS)}"),
    ]
    changes: Changes
    reason: Annotated[
        UpdateReason | UnsetType,
        Meta(
            description="what else the change came from: `registered_guest` (a registration took over this guest), "
            "`merchant_group` (its group became a merchant group), `merged` (other customers were merged into it), "
            "`unmerged` (that merge was undone); absent for an update as such"
        ),
    ] = UNSET


class CustomerDeleted(DomainEvent, frozen=True, kw_only=True):
    """The customer was soft-deleted: it leaves lists and searches and its email is free again."""

    type = "customer.deleted"
    subject = "customer"
    email: str


class CustomerRestored(DomainEvent, frozen=True, kw_only=True):
    """A soft-deleted customer was restored."""

    type = "customer.restored"
    subject = "customer"


class CustomerPurged(DomainEvent, frozen=True, kw_only=True):
    """A guest account was removed for good."""

    type = "customer.purged"
    subject = "customer"
    reason: Literal["outdated_guest"]


class CustomerStatusChanged(DomainEvent, frozen=True, kw_only=True):
    """One lifecycle transition (lead → prospect → customer → churned → prospect)."""

    type = "customer.status_changed"
    subject = "customer"
    action: Annotated[str, Meta(description="qualify, convert, churn or reactivate")]
    from_: Annotated[str, _STATUS] = field(name="from")
    to: Annotated[str, _STATUS]


EVENTS = (
    CustomerCreated,
    CustomerUpdated,
    CustomerDeleted,
    CustomerRestored,
    CustomerPurged,
    CustomerStatusChanged,
)
