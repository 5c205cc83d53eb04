from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from patron.db.base import Base, org_id_column


class DuplicateDismissal(Base):
    """A pair of customers staff said are not the same person; `low_id` < `high_id`.

    No foreign keys: the pair stays dismissed whatever happens to either customer later.
    """

    __tablename__ = "duplicate_dismissal"

    org_id: Mapped[uuid.UUID] = org_id_column()
    low_id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    high_id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    actor_type: Mapped[str] = mapped_column(sa.String(20))
    actor_id: Mapped[uuid.UUID | None]
    created_at: Mapped[datetime]


class MergeJournal(Base):
    """What one merge did, exactly enough to undo it.

    `moved` counts rows per table; `changed_fields` names the survivor's fields the merge
    changed; `record` holds the undo's material: the survivor's and sources' previous
    values and the keys of every row moved, per table.
    """

    __tablename__ = "merge_journal"
    __table_args__ = (
        sa.ForeignKeyConstraint(["org_id", "survivor_id"], ["customer.org_id", "customer.id"]),
        sa.Index("ix_merge_journal_org_id_survivor_id", "org_id", "survivor_id"),
    )

    org_id: Mapped[uuid.UUID] = org_id_column()
    id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    survivor_id: Mapped[uuid.UUID]
    source_ids: Mapped[list[str]]
    moved: Mapped[dict[str, Any]]
    changed_fields: Mapped[list[str]]
    record: Mapped[dict[str, Any]]
    actor_type: Mapped[str] = mapped_column(sa.String(20))
    actor_id: Mapped[uuid.UUID | None]
    created_at: Mapped[datetime]
    undone_at: Mapped[datetime | None]
