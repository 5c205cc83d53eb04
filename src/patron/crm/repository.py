"""Every interaction and memo query; each starts from the organization's rows.

Interactions and memos come back as their read schemas (`InteractionRead`, `MemoRead`:
every column but the tenant key).
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from patron.crm.schemas import InteractionRead, MemoRead
from patron.db import paging
from patron.db.base import table
from patron.db.models import Interaction, Memo
from patron.db.records import record, record_or_none, records
from patron.kernel import pagination

interaction = table(Interaction)
memo = table(Memo)


def get_interaction(
    conn: Connection, org_id: uuid.UUID, interaction_id: uuid.UUID, *, for_update: bool = False
) -> InteractionRead | None:
    stmt = sa.select(interaction).where(interaction.c.org_id == org_id, interaction.c.id == interaction_id)
    if for_update:
        stmt = stmt.with_for_update()
    return record_or_none(conn.execute(stmt).one_or_none(), InteractionRead)


INTERACTIONS = pagination.newest_first("interactions", at="occurred_at")
MEMOS = pagination.newest_first("memos")


def _interactions(org_id: uuid.UUID, *, customer_id: uuid.UUID | None, company_id: uuid.UUID | None) -> sa.Select[Any]:
    stmt = sa.select(interaction).where(interaction.c.org_id == org_id)
    if customer_id is not None:
        stmt = stmt.where(interaction.c.customer_id == customer_id)
    if company_id is not None:
        stmt = stmt.where(interaction.c.company_id == company_id)
    return stmt


def interactions_of(
    conn: Connection,
    org_id: uuid.UUID,
    page: pagination.PageRequest,
    *,
    customer_id: uuid.UUID | None = None,
    company_id: uuid.UUID | None = None,
) -> tuple[list[InteractionRead], int]:
    """A page of a customer's or a company's interactions, newest first, and how many there are."""
    stmt = _interactions(org_id, customer_id=customer_id, company_id=company_id)
    return paging.fetch(conn, stmt, interaction.c, page, InteractionRead)


def interactions_before(
    conn: Connection, org_id: uuid.UUID, customer_id: uuid.UUID, bound: pagination.Before | None, *, limit: int
) -> list[InteractionRead]:
    """A customer's newest `limit` interactions after a timeline cursor, newest first."""
    stmt = _interactions(org_id, customer_id=customer_id, company_id=None)
    stmt = stmt.where(paging.before(interaction.c.occurred_at, interaction.c.id, bound))
    stmt = stmt.order_by(interaction.c.occurred_at.desc(), interaction.c.id.desc()).limit(limit)
    return records(conn.execute(stmt), InteractionRead)


def insert_interaction(conn: Connection, values: Mapping[str, Any]) -> InteractionRead:
    row = conn.execute(sa.insert(interaction).values(**values).returning(*interaction.c)).one()
    return record(row, InteractionRead)


def update_interaction(
    conn: Connection, org_id: uuid.UUID, interaction_id: uuid.UUID, values: Mapping[str, Any]
) -> InteractionRead:
    stmt = (
        sa.update(interaction)
        .where(interaction.c.org_id == org_id, interaction.c.id == interaction_id)
        .values(**values)
        .returning(*interaction.c)
    )
    return record(conn.execute(stmt).one(), InteractionRead)


def delete_interaction(conn: Connection, org_id: uuid.UUID, interaction_id: uuid.UUID) -> None:
    conn.execute(sa.delete(interaction).where(interaction.c.org_id == org_id, interaction.c.id == interaction_id))


def get_memo(
    conn: Connection, org_id: uuid.UUID, customer_id: uuid.UUID, memo_id: uuid.UUID, *, for_update: bool = False
) -> MemoRead | None:
    stmt = sa.select(memo).where(memo.c.org_id == org_id, memo.c.customer_id == customer_id, memo.c.id == memo_id)
    if for_update:
        stmt = stmt.with_for_update()
    return record_or_none(conn.execute(stmt).one_or_none(), MemoRead)


def count_for_customer(conn: Connection, org_id: uuid.UUID, customer_id: uuid.UUID) -> int:
    """How many interactions and memos the customer has."""
    interactions = _interactions(org_id, customer_id=customer_id, company_id=None)
    memos = sa.select(memo.c.id).where(memo.c.org_id == org_id, memo.c.customer_id == customer_id)
    return paging.count(conn, interactions) + paging.count(conn, memos)


def memos_of(
    conn: Connection, org_id: uuid.UUID, customer_id: uuid.UUID, page: pagination.PageRequest
) -> tuple[list[MemoRead], int]:
    """A page of the customer's memos, newest first, and how many there are."""
    stmt = sa.select(memo).where(memo.c.org_id == org_id, memo.c.customer_id == customer_id)
    return paging.fetch(conn, stmt, memo.c, page, MemoRead)


def memos_before(
    conn: Connection, org_id: uuid.UUID, customer_id: uuid.UUID, bound: pagination.Before | None, *, limit: int
) -> list[MemoRead]:
    """The customer's newest `limit` memos after a timeline cursor, newest first."""
    stmt = sa.select(memo).where(
        memo.c.org_id == org_id, memo.c.customer_id == customer_id, paging.before(memo.c.created_at, memo.c.id, bound)
    )
    stmt = stmt.order_by(memo.c.created_at.desc(), memo.c.id.desc()).limit(limit)
    return records(conn.execute(stmt), MemoRead)


def insert_memo(conn: Connection, values: Mapping[str, Any]) -> MemoRead:
    return record(conn.execute(sa.insert(memo).values(**values).returning(*memo.c)).one(), MemoRead)


def update_memo(conn: Connection, org_id: uuid.UUID, memo_id: uuid.UUID, values: Mapping[str, Any]) -> MemoRead:
    stmt = sa.update(memo).where(memo.c.org_id == org_id, memo.c.id == memo_id).values(**values).returning(*memo.c)
    return record(conn.execute(stmt).one(), MemoRead)


def delete_memo(conn: Connection, org_id: uuid.UUID, memo_id: uuid.UUID) -> None:
    conn.execute(sa.delete(memo).where(memo.c.org_id == org_id, memo.c.id == memo_id))
