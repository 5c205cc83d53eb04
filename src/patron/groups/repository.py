"""Every customer group and product restriction query; each starts from the organization's rows.

Groups come back as their read schema (`GroupRead`, every column but the tenant key).
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from patron.db import paging
from patron.db.base import table
from patron.db.models import CustomerGroup, CustomerProductRule, GroupProductRule
from patron.db.records import record, record_or_none
from patron.groups.schemas import GroupRead
from patron.kernel import pagination

group = table(CustomerGroup)
group_rule = table(GroupProductRule)
customer_rule = table(CustomerProductRule)


def _of(org_id: uuid.UUID) -> sa.Select[Any]:
    return sa.select(group).where(group.c.org_id == org_id)


def get(conn: Connection, org_id: uuid.UUID, group_id: uuid.UUID, *, for_update: bool = False) -> GroupRead | None:
    stmt = _of(org_id).where(group.c.id == group_id)
    if for_update:
        stmt = stmt.with_for_update()
    return record_or_none(conn.execute(stmt).one_or_none(), GroupRead)


def name_holder(conn: Connection, org_id: uuid.UUID, name: str) -> uuid.UUID | None:
    stmt = _of(org_id).with_only_columns(group.c.id).where(group.c.name == name)
    return conn.execute(stmt).scalar_one_or_none()


BY_NAME = pagination.Keyset("customer groups", (pagination.Key("name", str), pagination.Key("id", uuid.UUID)))


def list_page(conn: Connection, org_id: uuid.UUID, page: pagination.PageRequest) -> tuple[list[GroupRead], int]:
    """A page of groups by name (up to limit + 1) and how many there are."""
    stmt = _of(org_id)
    return paging.fetch(conn, stmt, group.c, page, GroupRead)


def insert(conn: Connection, values: Mapping[str, Any]) -> GroupRead:
    return record(conn.execute(sa.insert(group).values(**values).returning(*group.c)).one(), GroupRead)


def update(conn: Connection, org_id: uuid.UUID, group_id: uuid.UUID, values: Mapping[str, Any]) -> GroupRead:
    stmt = sa.update(group).where(group.c.org_id == org_id, group.c.id == group_id).values(**values).returning(*group.c)
    return record(conn.execute(stmt).one(), GroupRead)


def delete(conn: Connection, org_id: uuid.UUID, group_id: uuid.UUID) -> None:
    conn.execute(sa.delete(group_rule).where(group_rule.c.org_id == org_id, group_rule.c.group_id == group_id))
    conn.execute(sa.delete(group).where(group.c.org_id == org_id, group.c.id == group_id))


def _rules(
    conn: Connection, rules: sa.Table, org_id: uuid.UUID, owner: sa.Column[Any], owner_id: uuid.UUID
) -> dict[str, list[str]]:
    stmt = (
        sa.select(rules.c.kind, rules.c.product_ref)
        .where(rules.c.org_id == org_id, owner == owner_id)
        .order_by(rules.c.kind, rules.c.product_ref)
    )
    found: dict[str, list[str]] = {"allow": [], "deny": []}
    for kind, ref in conn.execute(stmt):
        found[kind].append(ref)
    return found


def _replace(
    conn: Connection,
    rules: sa.Table,
    org_id: uuid.UUID,
    owner: str,
    owner_id: uuid.UUID,
    lists: Mapping[str, list[str]],
) -> None:
    conn.execute(sa.delete(rules).where(rules.c.org_id == org_id, rules.c[owner] == owner_id))
    rows = [
        {"org_id": org_id, owner: owner_id, "kind": kind, "product_ref": ref}
        for kind, refs in lists.items()
        for ref in refs
    ]
    if rows:
        conn.execute(sa.insert(rules), rows)


def group_rules(conn: Connection, org_id: uuid.UUID, group_id: uuid.UUID) -> dict[str, list[str]]:
    return _rules(conn, group_rule, org_id, group_rule.c.group_id, group_id)


def replace_group_rules(
    conn: Connection, org_id: uuid.UUID, group_id: uuid.UUID, lists: Mapping[str, list[str]]
) -> None:
    _replace(conn, group_rule, org_id, "group_id", group_id, lists)


def customer_rules(conn: Connection, org_id: uuid.UUID, customer_id: uuid.UUID) -> dict[str, list[str]]:
    return _rules(conn, customer_rule, org_id, customer_rule.c.customer_id, customer_id)


def replace_customer_rules(
    conn: Connection, org_id: uuid.UUID, customer_id: uuid.UUID, lists: Mapping[str, list[str]]
) -> None:
    _replace(conn, customer_rule, org_id, "customer_id", customer_id, lists)
