"""Every interaction and memo query; each starts from the organization's rows."""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Row

from patron.db.base import table
from patron.db.models import Interaction, Memo

interaction = table(Interaction)
memo = table(Memo)


def get_interaction(
    conn: Connection, org_id: uuid.UUID, interaction_id: uuid.UUID, *, for_update: bool = False
) -> Row[Any] | None:
    stmt = sa.select(interaction).where(interaction.c.org_id == org_id, interaction.c.id == interaction_id)
    if for_update:
        stmt = stmt.with_for_update()
    return conn.execute(stmt).one_or_none()


def interactions_of(
    conn: Connection,
    org_id: uuid.UUID,
    *,
    customer_id: uuid.UUID | None = None,
    company_id: uuid.UUID | None = None,
    limit: int,
    offset: int,
) -> list[Row[Any]]:
    """Newest first; of a customer or of a company."""
    stmt = sa.select(interaction).where(interaction.c.org_id == org_id)
    if customer_id is not None:
        stmt = stmt.where(interaction.c.customer_id == customer_id)
    if company_id is not None:
        stmt = stmt.where(interaction.c.company_id == company_id)
    stmt = stmt.order_by(interaction.c.occurred_at.desc(), interaction.c.id.desc()).limit(limit).offset(offset)
    return list(conn.execute(stmt))


def insert_interaction(conn: Connection, values: Mapping[str, Any]) -> Row[Any]:
    return conn.execute(sa.insert(interaction).values(**values).returning(*interaction.c)).one()


def update_interaction(
    conn: Connection, org_id: uuid.UUID, interaction_id: uuid.UUID, values: Mapping[str, Any]
) -> Row[Any]:
    stmt = (
        sa.update(interaction)
        .where(interaction.c.org_id == org_id, interaction.c.id == interaction_id)
        .values(**values)
        .returning(*interaction.c)
    )
    return conn.execute(stmt).one()


def delete_interaction(conn: Connection, org_id: uuid.UUID, interaction_id: uuid.UUID) -> None:
    conn.execute(sa.delete(interaction).where(interaction.c.org_id == org_id, interaction.c.id == interaction_id))


def get_memo(
    conn: Connection, org_id: uuid.UUID, customer_id: uuid.UUID, memo_id: uuid.UUID, *, for_update: bool = False
) -> Row[Any] | None:
    stmt = sa.select(memo).where(memo.c.org_id == org_id, memo.c.customer_id == customer_id, memo.c.id == memo_id)
    if for_update:
        stmt = stmt.with_for_update()
    return conn.execute(stmt).one_or_none()


def memos_of(conn: Connection, org_id: uuid.UUID, customer_id: uuid.UUID, *, limit: int, offset: int) -> list[Row[Any]]:
    stmt = (
        sa.select(memo)
        .where(memo.c.org_id == org_id, memo.c.customer_id == customer_id)
        .order_by(memo.c.created_at.desc(), memo.c.id.desc())
        .limit(limit)
        .offset(offset)
    )
    return list(conn.execute(stmt))


def insert_memo(conn: Connection, values: Mapping[str, Any]) -> Row[Any]:
    return conn.execute(sa.insert(memo).values(**values).returning(*memo.c)).one()


def update_memo(conn: Connection, org_id: uuid.UUID, memo_id: uuid.UUID, values: Mapping[str, Any]) -> Row[Any]:
    stmt = sa.update(memo).where(memo.c.org_id == org_id, memo.c.id == memo_id).values(**values).returning(*memo.c)
    return conn.execute(stmt).one()


def delete_memo(conn: Connection, org_id: uuid.UUID, memo_id: uuid.UUID) -> None:
    conn.execute(sa.delete(memo).where(memo.c.org_id == org_id, memo.c.id == memo_id))
