from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from patron.db.base import Base, org_id_column


class Organization(Base):
    """The tenant. Its id is the `org_id` every tenant-owned row carries."""

    __tablename__ = "organization"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(200))
    slug: Mapped[str] = mapped_column(sa.String(63), unique=True)
    settings: Mapped[dict[str, Any]]
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]


class OrgCounter(Base):
    """Per-organization counters (customer numbers, event sequence).

    Bumped with UPDATE ... RETURNING, so the row lock orders concurrent writers and
    the event sequence follows commit order within an organization.
    """

    __tablename__ = "org_counter"

    org_id: Mapped[uuid.UUID] = org_id_column()
    name: Mapped[str] = mapped_column(sa.String(40), primary_key=True)
    value: Mapped[int] = mapped_column(sa.BigInteger, default=0)
