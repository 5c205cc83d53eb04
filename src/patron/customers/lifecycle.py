"""CRM use cases on a customer: lifecycle transitions, tier, tags, assignment. Never commits.

They change the customer row, which the customers domain owns, so they live beside its
service and share its change helper (one `customer.updated` shape for every edit).
"""

from __future__ import annotations

import uuid
from typing import Any

from patron.customers import events, rules
from patron.customers import repository as repo
from patron.customers.changes import apply_changes, is_staff, live_or_404
from patron.customers.schemas import CustomerRead, Tier
from patron.db.uow import UnitOfWork
from patron.kernel import clock
from patron.kernel.errors import Conflict, InvalidValue, PreconditionFailed, ValidationFailed
from patron.kernel.messages import Message
from patron.kernel.tenancy import Principal

INVALID_TRANSITION = "customer.invalid_transition"


def _editable(uow: UnitOfWork, principal: Principal, customer_id: uuid.UUID) -> CustomerRead:
    row = live_or_404(uow, principal, customer_id, for_update=True)
    if row.deleted_at is not None:
        raise Conflict(Message("customer.deleted"), code="customer.deleted")
    return row


def change_status(uow: UnitOfWork, *, principal: Principal, customer_id: uuid.UUID, action: str) -> CustomerRead:
    """Apply one lifecycle action; 409 `customer.invalid_transition` names the allowed ones.

    Churning sets `churned_at`; reactivating clears it (the customer is no longer churned).
    """
    row = _editable(uow, principal, customer_id)
    target = rules.transition(row.status, action)
    if target is None:
        allowed = rules.allowed_transitions(row.status)
        raise Conflict(
            Message("customer.invalid_transition", status=row.status, action=action, allowed=_actions(allowed)),
            code=INVALID_TRANSITION,
            extra={"status_now": row.status, "action": action, "allowed": allowed},
        )
    now = clock.now()
    values: dict[str, Any] = {"status": target, "updated_at": now}
    if target == "churned":
        values["churned_at"] = now
    elif row.churned_at is not None:
        values["churned_at"] = None
    updated = repo.update(uow.conn, principal.org_id, row.id, values, version=row.version)
    if updated is None:
        raise PreconditionFailed(Message("customer.changed_meanwhile"))
    uow.record(events.CustomerStatusChanged(principal.org_id, row.id, action=action, from_=row.status, to=target))
    return updated


def set_tier(uow: UnitOfWork, *, principal: Principal, customer_id: uuid.UUID, tier: Tier) -> CustomerRead:
    """Move the customer to another tier, at any point of the lifecycle."""
    row = _editable(uow, principal, customer_id)
    return apply_changes(uow, principal, row, {"tier": tier})


def set_tags(uow: UnitOfWork, *, principal: Principal, customer_id: uuid.UUID, tags: list[str]) -> CustomerRead:
    """Replace the customer's tags (trimmed, lower case, each once, in the order given)."""
    try:
        normalised = rules.normalise_tags(tags)
    except InvalidValue as exc:
        raise ValidationFailed.single("tags", exc.message) from None
    row = _editable(uow, principal, customer_id)
    return apply_changes(uow, principal, row, {"tags": normalised})


def add_tag(uow: UnitOfWork, *, principal: Principal, customer_id: uuid.UUID, tag: str) -> CustomerRead:
    """Add one tag; adding a tag the customer has changes nothing."""
    normalised = _one_tag(tag)
    row = _editable(uow, principal, customer_id)
    if normalised in row.tags:
        return row
    if len(row.tags) >= _MAX_TAGS:
        raise ValidationFailed.single("tag", Message("tag.too_many", limit=_MAX_TAGS))
    return apply_changes(uow, principal, row, {"tags": [*row.tags, normalised]})


def remove_tag(uow: UnitOfWork, *, principal: Principal, customer_id: uuid.UUID, tag: str) -> CustomerRead:
    """Remove one tag; removing a tag the customer lacks changes nothing."""
    normalised = _one_tag(tag)
    row = _editable(uow, principal, customer_id)
    return apply_changes(uow, principal, row, {"tags": [t for t in row.tags if t != normalised]})


def assign(
    uow: UnitOfWork, *, principal: Principal, customer_id: uuid.UUID, assigned_to: uuid.UUID | None
) -> CustomerRead:
    """Assign the customer to a staff member of the organization (a sales rep); None unassigns."""
    row = _editable(uow, principal, customer_id)
    if assigned_to is not None and not is_staff(uow, principal.org_id, assigned_to):
        raise ValidationFailed.single("assigned_to", Message("staff.not_in_organization"))
    return apply_changes(uow, principal, row, {"assigned_to": assigned_to})


_MAX_TAGS = 100


def _one_tag(tag: str) -> str:
    if len(tag) > 50:
        raise ValidationFailed.single("tag", Message("tag.too_long", limit=50))
    try:
        return rules.normalise_tag(tag)
    except InvalidValue as exc:
        raise ValidationFailed.single("tag", exc.message) from None


def _actions(allowed: list[dict[str, Any]]) -> str:
    # "none" is a wire value here, like the action names beside it, so it stays untranslated.
    return ", ".join(a["action"] for a in allowed) or "none"
