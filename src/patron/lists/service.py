"""Customer list use cases. Never commits: the request owns the unit of work."""

from __future__ import annotations

import uuid
from typing import Any

import msgspec

from patron.customers import service as customers
from patron.db.errors import UniqueViolation
from patron.db.uow import UnitOfWork
from patron.kernel import clock
from patron.kernel.changes import field_changes, new_values
from patron.kernel.errors import Conflict, NotFound, ValidationFailed
from patron.kernel.events import changes_of
from patron.kernel.ids import uuid7
from patron.kernel.messages import Message
from patron.kernel.tenancy import Principal
from patron.lists import events, rules
from patron.lists import repository as repo
from patron.lists.records import ListRecord
from patron.lists.schemas import (
    ItemCreate,
    ItemRead,
    ItemUpdate,
    ListCreate,
    ListPage,
    ListRead,
    ListUpdate,
    ShareCreated,
    SharedItemRead,
    SharedListRead,
)

SHARED_PATH = "/api/v1/shared-lists/"


def _list_read(row: ListRecord, items: list[ItemRead]) -> ListRead:
    return ListRead(
        id=row.id,
        customer_id=row.customer_id,
        name=row.name,
        kind=row.kind,
        shared=row.share_token_hash is not None,
        shared_at=row.shared_at,
        items=items,
        created_at=row.created_at,
        updated_at=row.updated_at,
    )


def _with_items(uow: UnitOfWork, principal: Principal, row: ListRecord) -> ListRead:
    return _list_read(row, repo.items_of(uow.conn, principal.org_id, [row.id])[row.id])


def _live_customer(uow: UnitOfWork, principal: Principal, customer_id: uuid.UUID) -> None:
    customer = customers.get_customer(uow, principal=principal, customer_id=customer_id)
    if customer.deleted_at is not None:
        raise Conflict(Message("customer.deleted"), code="customer.deleted")


def _list_or_404(
    uow: UnitOfWork, principal: Principal, customer_id: uuid.UUID, list_id: uuid.UUID, *, for_update: bool = False
) -> ListRecord:
    row = repo.get(uow.conn, principal.org_id, customer_id, list_id, for_update=for_update)
    if row is None:
        raise NotFound(Message("list.not_found"), code="list.not_found")
    return row


def _name(value: str) -> str:
    name = value.strip()
    if not name:
        raise ValidationFailed.single("name", Message("field.must_not_be_blank"))
    return name


def list_lists(
    uow: UnitOfWork, *, principal: Principal, customer_id: uuid.UUID, limit: int, offset: int, cursor: str | None
) -> ListPage:
    """The customer's lists with their items, oldest first."""
    customers.get_customer(uow, principal=principal, customer_id=customer_id)
    page = repo.LISTS.request(limit=limit, offset=offset, cursor=cursor, filters=[str(customer_id)])
    rows, total = repo.lists_of(uow.conn, principal.org_id, customer_id, page)
    by_list = repo.items_of(uow.conn, principal.org_id, [r.id for r in rows])
    return page.answer(ListPage, rows, total, item=lambda r: _list_read(r, by_list[r.id]))


def get_list(uow: UnitOfWork, *, principal: Principal, customer_id: uuid.UUID, list_id: uuid.UUID) -> ListRead:
    """One list with its items."""
    return _with_items(uow, principal, _list_or_404(uow, principal, customer_id, list_id))


def create_list(uow: UnitOfWork, *, principal: Principal, customer_id: uuid.UUID, data: ListCreate) -> ListRead:
    """A new, private list."""
    name = _name(data.name)
    _live_customer(uow, principal, customer_id)
    now = clock.now()
    row = repo.insert_list(
        uow.conn,
        {
            "org_id": principal.org_id,
            "id": uuid7(),
            "customer_id": customer_id,
            "name": name,
            "kind": data.kind,
            "share_token_hash": None,
            "shared_at": None,
            "created_at": now,
            "updated_at": now,
        },
    )
    uow.record(events.ListCreated(principal.org_id, customer_id, list_id=row.id, kind=data.kind))
    return _list_read(row, [])


def update_list(
    uow: UnitOfWork, *, principal: Principal, customer_id: uuid.UUID, list_id: uuid.UUID, data: ListUpdate
) -> ListRead:
    """Rename a list or change its kind."""
    values: dict[str, Any] = {}
    if data.name is not msgspec.UNSET:
        values["name"] = _name(data.name)
    if data.kind is not msgspec.UNSET:
        values["kind"] = data.kind
    row = _list_or_404(uow, principal, customer_id, list_id, for_update=True)
    changes = field_changes(msgspec.structs.asdict(row), values)
    if not changes:
        return _with_items(uow, principal, row)
    written = new_values(changes)
    updated = repo.update_list(uow.conn, principal.org_id, list_id, {**written, "updated_at": clock.now()})
    uow.record(events.ListUpdated(principal.org_id, customer_id, list_id=list_id, changes=changes_of(changes)))
    return _with_items(uow, principal, updated)


def delete_list(uow: UnitOfWork, *, principal: Principal, customer_id: uuid.UUID, list_id: uuid.UUID) -> None:
    """Remove a list with its items; its shared link stops working."""
    _list_or_404(uow, principal, customer_id, list_id, for_update=True)
    repo.delete_list(uow.conn, principal.org_id, list_id)
    uow.record(events.ListDeleted(principal.org_id, customer_id, list_id=list_id))


def add_item(
    uow: UnitOfWork, *, principal: Principal, customer_id: uuid.UUID, list_id: uuid.UUID, data: ItemCreate
) -> ItemRead:
    """Add a product; 409 `list.item_exists` when the list has it already (change its quantity instead)."""
    product_ref = data.product_ref.strip()
    if not product_ref:
        raise ValidationFailed.single("product_ref", Message("field.must_not_be_blank"))
    _live_customer(uow, principal, customer_id)
    _list_or_404(uow, principal, customer_id, list_id, for_update=True)
    now = clock.now()
    values = {
        "org_id": principal.org_id,
        "id": uuid7(),
        "list_id": list_id,
        "product_ref": product_ref,
        "quantity": data.quantity,
        "note": rules.clean(data.note),
        "created_at": now,
        "updated_at": now,
    }
    try:
        row = repo.insert_item(uow.conn, values)
    except UniqueViolation as exc:
        if exc.constraint != "uq_customer_list_item_org_id_list_id_product_ref":
            raise
        raise Conflict(Message("list.item_exists"), code="list.item_exists") from None
    uow.record(
        events.ListItemAdded(
            principal.org_id, customer_id, list_id=list_id, product_ref=product_ref, quantity=data.quantity
        )
    )
    return row


def _item_or_404(uow: UnitOfWork, principal: Principal, list_id: uuid.UUID, item_id: uuid.UUID) -> ItemRead:
    row = repo.get_item(uow.conn, principal.org_id, list_id, item_id)
    if row is None:
        raise NotFound(Message("list_item.not_found"), code="list_item.not_found")
    return row


def update_item(
    uow: UnitOfWork,
    *,
    principal: Principal,
    customer_id: uuid.UUID,
    list_id: uuid.UUID,
    item_id: uuid.UUID,
    data: ItemUpdate,
) -> ItemRead:
    """Change an item's quantity or note."""
    _list_or_404(uow, principal, customer_id, list_id, for_update=True)
    row = _item_or_404(uow, principal, list_id, item_id)
    values: dict[str, Any] = {}
    if data.quantity is not msgspec.UNSET:
        values["quantity"] = data.quantity
    if data.note is not msgspec.UNSET:
        values["note"] = rules.clean(data.note)
    changes = field_changes(msgspec.structs.asdict(row), values)
    if not changes:
        return row
    written = new_values(changes)
    updated = repo.update_item(uow.conn, principal.org_id, item_id, {**written, "updated_at": clock.now()})
    uow.record(
        events.ListItemChanged(
            principal.org_id, customer_id, list_id=list_id, product_ref=row.product_ref, changes=changes_of(changes)
        )
    )
    return updated


def remove_item(
    uow: UnitOfWork, *, principal: Principal, customer_id: uuid.UUID, list_id: uuid.UUID, item_id: uuid.UUID
) -> None:
    """Take a product off the list."""
    _list_or_404(uow, principal, customer_id, list_id, for_update=True)
    row = _item_or_404(uow, principal, list_id, item_id)
    repo.delete_item(uow.conn, principal.org_id, item_id)
    uow.record(events.ListItemRemoved(principal.org_id, customer_id, list_id=list_id, product_ref=row.product_ref))


def share_list(uow: UnitOfWork, *, principal: Principal, customer_id: uuid.UUID, list_id: uuid.UUID) -> ShareCreated:
    """A new unguessable link for the list; an earlier link stops working."""
    _live_customer(uow, principal, customer_id)
    _list_or_404(uow, principal, customer_id, list_id, for_update=True)
    token = rules.new_share_token()
    now = clock.now()
    repo.update_list(
        uow.conn,
        principal.org_id,
        list_id,
        {"share_token_hash": rules.token_hash(token), "shared_at": now, "updated_at": now},
    )
    uow.record(events.ListShared(principal.org_id, customer_id, list_id=list_id))
    return ShareCreated(token=token, path=SHARED_PATH + token)


def unshare_list(uow: UnitOfWork, *, principal: Principal, customer_id: uuid.UUID, list_id: uuid.UUID) -> None:
    """Revoke the list's link: it answers 404 from now on."""
    row = _list_or_404(uow, principal, customer_id, list_id, for_update=True)
    if row.share_token_hash is None:
        return
    repo.update_list(
        uow.conn, principal.org_id, list_id, {"share_token_hash": None, "shared_at": None, "updated_at": clock.now()}
    )
    uow.record(events.ListUnshared(principal.org_id, customer_id, list_id=list_id))


def get_shared_list(uow: UnitOfWork, *, token: str) -> SharedListRead:
    """The list a link names; a revoked, replaced or made-up token answers 404."""
    row = repo.shared(uow.conn, rules.token_hash(token)) if 16 <= len(token) <= 200 else None
    if row is None or row.shared_at is None:
        raise NotFound(Message("shared_list.not_found"), code="shared_list.not_found")
    item_rows = repo.items_of(uow.conn, row.org_id, [row.id])[row.id]
    return SharedListRead(
        name=row.name,
        kind=row.kind,
        items=[SharedItemRead(product_ref=i.product_ref, quantity=i.quantity, note=i.note) for i in item_rows],
        shared_at=row.shared_at,
    )
