"""Every list query. Each starts from the organization's rows, except the lookup of a
shared link, where the token (not a caller) names the organization.

Lists come back as `ListRecord`, items as their read schema `ItemRead` (every column but
the tenant key and the list's id, by which `items_of` groups them)."""

from __future__ import annotations

import uuid
from collections.abc import Mapping, Sequence
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from patron.db import paging
from patron.db.base import table
from patron.db.models import Customer, CustomerList, CustomerListItem
from patron.db.records import record, record_or_none
from patron.kernel import pagination
from patron.lists.records import ListRecord
from patron.lists.schemas import ItemRead

lists = table(CustomerList)
items = table(CustomerListItem)
_customer = table(Customer)


def _of(org_id: uuid.UUID, customer_id: uuid.UUID) -> sa.Select[Any]:
    return sa.select(lists).where(lists.c.org_id == org_id, lists.c.customer_id == customer_id)


LISTS = pagination.by_id("lists")


def lists_of(
    conn: Connection, org_id: uuid.UUID, customer_id: uuid.UUID, page: pagination.PageRequest
) -> tuple[list[ListRecord], int]:
    """A page of the customer's lists, oldest first (up to limit + 1), and how many there are."""
    stmt = _of(org_id, customer_id)
    return paging.fetch(conn, stmt, lists.c, page, ListRecord)


def get(
    conn: Connection, org_id: uuid.UUID, customer_id: uuid.UUID, list_id: uuid.UUID, *, for_update: bool = False
) -> ListRecord | None:
    stmt = _of(org_id, customer_id).where(lists.c.id == list_id)
    if for_update:
        stmt = stmt.with_for_update()
    return record_or_none(conn.execute(stmt).one_or_none(), ListRecord)


def items_of(conn: Connection, org_id: uuid.UUID, list_ids: Sequence[uuid.UUID]) -> dict[uuid.UUID, list[ItemRead]]:
    """The items of each of these lists (every one of them a key), oldest first."""
    by_list: dict[uuid.UUID, list[ItemRead]] = {list_id: [] for list_id in list_ids}
    if not list_ids:
        return by_list
    stmt = (
        sa.select(items)
        .where(items.c.org_id == org_id, items.c.list_id.in_(list_ids))
        .order_by(items.c.list_id, items.c.id)
    )
    for row in conn.execute(stmt):
        by_list[row.list_id].append(record(row, ItemRead))
    return by_list


def get_item(conn: Connection, org_id: uuid.UUID, list_id: uuid.UUID, item_id: uuid.UUID) -> ItemRead | None:
    stmt = sa.select(items).where(items.c.org_id == org_id, items.c.list_id == list_id, items.c.id == item_id)
    return record_or_none(conn.execute(stmt).one_or_none(), ItemRead)


def insert_list(conn: Connection, values: Mapping[str, Any]) -> ListRecord:
    return record(conn.execute(sa.insert(lists).values(**values).returning(*lists.c)).one(), ListRecord)


def update_list(conn: Connection, org_id: uuid.UUID, list_id: uuid.UUID, values: Mapping[str, Any]) -> ListRecord:
    stmt = sa.update(lists).where(lists.c.org_id == org_id, lists.c.id == list_id).values(**values).returning(*lists.c)
    return record(conn.execute(stmt).one(), ListRecord)


def delete_list(conn: Connection, org_id: uuid.UUID, list_id: uuid.UUID) -> None:
    conn.execute(sa.delete(items).where(items.c.org_id == org_id, items.c.list_id == list_id))
    conn.execute(sa.delete(lists).where(lists.c.org_id == org_id, lists.c.id == list_id))


def insert_item(conn: Connection, values: Mapping[str, Any]) -> ItemRead:
    return record(conn.execute(sa.insert(items).values(**values).returning(*items.c)).one(), ItemRead)


def update_item(conn: Connection, org_id: uuid.UUID, item_id: uuid.UUID, values: Mapping[str, Any]) -> ItemRead:
    stmt = sa.update(items).where(items.c.org_id == org_id, items.c.id == item_id).values(**values).returning(*items.c)
    return record(conn.execute(stmt).one(), ItemRead)


def delete_item(conn: Connection, org_id: uuid.UUID, item_id: uuid.UUID) -> None:
    conn.execute(sa.delete(items).where(items.c.org_id == org_id, items.c.id == item_id))


def shared(conn: Connection, token_hash: bytes) -> ListRecord | None:
    """The shared list with this token hash, if its customer is not deleted."""
    stmt = (
        sa.select(lists)
        .join(_customer, sa.and_(_customer.c.org_id == lists.c.org_id, _customer.c.id == lists.c.customer_id))
        .where(lists.c.share_token_hash == token_hash, _customer.c.deleted_at.is_(None))
    )
    return record_or_none(conn.execute(stmt).first(), ListRecord)
