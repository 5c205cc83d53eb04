"""Every list query. Each starts from the organization's rows, except the lookup of a
shared link, where the token (not a caller) names the organization."""

from __future__ import annotations

import uuid
from collections.abc import Mapping, Sequence
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Row

from patron.db.base import table
from patron.db.models import Customer, CustomerList, CustomerListItem

lists = table(CustomerList)
items = table(CustomerListItem)
_customer = table(Customer)


def _of(org_id: uuid.UUID, customer_id: uuid.UUID) -> sa.Select[Any]:
    return sa.select(lists).where(lists.c.org_id == org_id, lists.c.customer_id == customer_id)


def lists_of(conn: Connection, org_id: uuid.UUID, customer_id: uuid.UUID) -> list[Row[Any]]:
    return list(conn.execute(_of(org_id, customer_id).order_by(lists.c.id)))


def get(
    conn: Connection, org_id: uuid.UUID, customer_id: uuid.UUID, list_id: uuid.UUID, *, for_update: bool = False
) -> Row[Any] | None:
    stmt = _of(org_id, customer_id).where(lists.c.id == list_id)
    if for_update:
        stmt = stmt.with_for_update()
    return conn.execute(stmt).one_or_none()


def items_of(conn: Connection, org_id: uuid.UUID, list_ids: Sequence[uuid.UUID]) -> list[Row[Any]]:
    if not list_ids:
        return []
    stmt = (
        sa.select(items)
        .where(items.c.org_id == org_id, items.c.list_id.in_(list_ids))
        .order_by(items.c.list_id, items.c.id)
    )
    return list(conn.execute(stmt))


def get_item(conn: Connection, org_id: uuid.UUID, list_id: uuid.UUID, item_id: uuid.UUID) -> Row[Any] | None:
    stmt = sa.select(items).where(items.c.org_id == org_id, items.c.list_id == list_id, items.c.id == item_id)
    return conn.execute(stmt).one_or_none()


def insert_list(conn: Connection, values: Mapping[str, Any]) -> Row[Any]:
    return conn.execute(sa.insert(lists).values(**values).returning(*lists.c)).one()


def update_list(conn: Connection, org_id: uuid.UUID, list_id: uuid.UUID, values: Mapping[str, Any]) -> Row[Any]:
    stmt = sa.update(lists).where(lists.c.org_id == org_id, lists.c.id == list_id).values(**values).returning(*lists.c)
    return conn.execute(stmt).one()


def delete_list(conn: Connection, org_id: uuid.UUID, list_id: uuid.UUID) -> None:
    conn.execute(sa.delete(items).where(items.c.org_id == org_id, items.c.list_id == list_id))
    conn.execute(sa.delete(lists).where(lists.c.org_id == org_id, lists.c.id == list_id))


def insert_item(conn: Connection, values: Mapping[str, Any]) -> Row[Any]:
    return conn.execute(sa.insert(items).values(**values).returning(*items.c)).one()


def update_item(conn: Connection, org_id: uuid.UUID, item_id: uuid.UUID, values: Mapping[str, Any]) -> Row[Any]:
    stmt = sa.update(items).where(items.c.org_id == org_id, items.c.id == item_id).values(**values).returning(*items.c)
    return conn.execute(stmt).one()


def delete_item(conn: Connection, org_id: uuid.UUID, item_id: uuid.UUID) -> None:
    conn.execute(sa.delete(items).where(items.c.org_id == org_id, items.c.id == item_id))


def shared(conn: Connection, token_hash: bytes) -> Row[Any] | None:
    """The shared list with this token hash, if its customer is not deleted."""
    stmt = (
        sa.select(lists)
        .join(_customer, sa.and_(_customer.c.org_id == lists.c.org_id, _customer.c.id == lists.c.customer_id))
        .where(lists.c.share_token_hash == token_hash, _customer.c.deleted_at.is_(None))
    )
    return conn.execute(stmt).first()
