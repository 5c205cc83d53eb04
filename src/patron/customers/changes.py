"""Writing a customer's changes: the one path every use case takes to change a live customer (an
UPDATE guarded by the row's version and one `customer.updated` event), and the lookups that go
with it. Below the customer use cases, their lifecycle and their memberships alike."""

from __future__ import annotations

import uuid
from typing import Any

import msgspec

from patron.customers import events, rules
from patron.customers import repository as repo
from patron.customers.schemas import CustomerRead
from patron.db.uow import UnitOfWork
from patron.identity import service as identity
from patron.kernel import clock
from patron.kernel.changes import field_changes, new_values
from patron.kernel.errors import NotFound, PreconditionFailed
from patron.kernel.events import changes_of
from patron.kernel.messages import Message
from patron.kernel.tenancy import Principal


def is_staff(uow: UnitOfWork, org_id: uuid.UUID, staff_id: uuid.UUID) -> bool:
    return identity.is_active_staff(uow, org_id=org_id, staff_id=staff_id)


def apply_changes(
    uow: UnitOfWork,
    principal: Principal,
    row: CustomerRead,
    values: dict[str, Any],
    *,
    reason: events.UpdateReason | msgspec.UnsetType = msgspec.UNSET,
) -> CustomerRead:
    changes = field_changes(msgspec.structs.asdict(row), values)
    if not changes:
        return row
    written = new_values(changes)
    updated = repo.update(
        uow.conn, principal.org_id, row.id, {**written, "updated_at": clock.now()}, version=row.version
    )
    if updated is None:
        raise PreconditionFailed(Message("customer.changed_meanwhile"))
    uow.record(
        events.CustomerUpdated(
            principal.org_id, row.id, sections=rules.sections_of(changes), changes=changes_of(changes), reason=reason
        )
    )
    return updated


def live_or_404(uow: UnitOfWork, principal: Principal, customer_id: uuid.UUID, *, for_update: bool) -> CustomerRead:
    row = repo.get(uow.conn, principal.org_id, customer_id, for_update=for_update)
    if row is None:
        raise NotFound(Message("customer.not_found"), code="customer.not_found")
    return row
