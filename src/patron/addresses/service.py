"""Address book use cases. Never commits: the request owns the unit of work.

Setting a default clears the previous one in the same transaction; the partial unique
indexes stop two concurrent requests from both leaving a default behind.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import msgspec

from patron.addresses import events, rules
from patron.addresses import repository as repo
from patron.addresses.schemas import AddressCreate, AddressPage, AddressRead, AddressUpdate
from patron.customers import service as customers
from patron.db.errors import UniqueViolation
from patron.db.uow import UnitOfWork
from patron.identity.schemas import OrganizationSettings
from patron.kernel import clock
from patron.kernel.changes import field_changes, new_values
from patron.kernel.errors import Conflict, NotFound
from patron.kernel.events import changes_of
from patron.kernel.ids import uuid7
from patron.kernel.messages import Message
from patron.kernel.tenancy import Principal

_FIELDS = list(AddressCreate.__struct_fields__)


@contextmanager
def _default_race() -> Iterator[None]:
    try:
        yield
    except UniqueViolation as exc:
        if not exc.constraint.startswith("uq_address_org_id_customer_id_default_"):
            raise
        raise Conflict(
            Message("address.default_conflict"),
            code="address.default_conflict",
        ) from None


def _live_customer(uow: UnitOfWork, principal: Principal, customer_id: uuid.UUID) -> None:
    customer = customers.get_customer(uow, principal=principal, customer_id=customer_id)
    if customer.deleted_at is not None:
        raise Conflict(Message("customer.deleted"), code="customer.deleted")


def _address_or_404(
    uow: UnitOfWork, principal: Principal, customer_id: uuid.UUID, address_id: uuid.UUID, *, for_update: bool
) -> AddressRead:
    row = repo.get(uow.conn, principal.org_id, customer_id, address_id, for_update=for_update)
    if row is None:
        raise NotFound(Message("address.not_found"), code="address.not_found")
    return row


def _take_defaults(uow: UnitOfWork, principal: Principal, customer_id: uuid.UUID, values: dict[str, Any]) -> None:
    now = clock.now()
    for flag in repo.DEFAULT_FLAGS:
        if values.get(flag):
            repo.clear_default(uow.conn, principal.org_id, customer_id, flag, now=now)


def list_addresses(
    uow: UnitOfWork, *, principal: Principal, customer_id: uuid.UUID, limit: int, offset: int, cursor: str | None
) -> AddressPage:
    """The customer's addresses, oldest first (a deleted customer keeps them)."""
    customers.get_customer(uow, principal=principal, customer_id=customer_id)
    page = repo.ADDRESSES.request(limit=limit, offset=offset, cursor=cursor, filters=[str(customer_id)])
    return page.answer(AddressPage, *repo.list_of(uow.conn, principal.org_id, customer_id, page))


def get_address(uow: UnitOfWork, *, principal: Principal, customer_id: uuid.UUID, address_id: uuid.UUID) -> AddressRead:
    """One address of the customer."""
    return _address_or_404(uow, principal, customer_id, address_id, for_update=False)


def create_address(
    uow: UnitOfWork,
    *,
    principal: Principal,
    settings: OrganizationSettings,
    customer_id: uuid.UUID,
    data: AddressCreate,
) -> AddressRead:
    """Add an address; marking it a default takes that role from the previous default."""
    values = rules.normalise(msgspec.structs.asdict(data), region=settings.region)
    _live_customer(uow, principal, customer_id)
    now = clock.now()
    with _default_race():
        _take_defaults(uow, principal, customer_id, values)
        row = repo.insert(
            uow.conn,
            {
                **values,
                "org_id": principal.org_id,
                "id": uuid7(),
                "customer_id": customer_id,
                "created_at": now,
                "updated_at": now,
            },
        )
    uow.record(events.AddressCreated(principal.org_id, customer_id, address_id=row.id))
    return row


def update_address(
    uow: UnitOfWork,
    *,
    principal: Principal,
    settings: OrganizationSettings,
    customer_id: uuid.UUID,
    address_id: uuid.UUID,
    data: AddressUpdate,
) -> AddressRead:
    """Change the fields given; the whole address is checked again (a new country, its postcode)."""
    given = {f: v for f in data.__struct_fields__ if (v := getattr(data, f)) is not msgspec.UNSET}
    _live_customer(uow, principal, customer_id)
    row = _address_or_404(uow, principal, customer_id, address_id, for_update=True)
    current = {f: getattr(row, f) for f in _FIELDS}
    values = rules.normalise({**current, **given}, region=settings.region)
    changes = field_changes(current, values)
    if not changes:
        return row
    with _default_race():
        _take_defaults(uow, principal, customer_id, new_values(changes))
        updated = repo.update(
            uow.conn,
            principal.org_id,
            customer_id,
            address_id,
            {**new_values(changes), "updated_at": clock.now()},
        )
    uow.record(events.AddressUpdated(principal.org_id, customer_id, address_id=address_id, changes=changes_of(changes)))
    return updated


def delete_address(uow: UnitOfWork, *, principal: Principal, customer_id: uuid.UUID, address_id: uuid.UUID) -> None:
    """Remove an address from the book."""
    _address_or_404(uow, principal, customer_id, address_id, for_update=True)
    repo.delete(uow.conn, principal.org_id, customer_id, address_id)
    uow.record(events.AddressDeleted(principal.org_id, customer_id, address_id=address_id))
