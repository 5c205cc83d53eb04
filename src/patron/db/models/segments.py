from __future__ import annotations

import uuid
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from patron.db.base import Base, org_id_column


class Segment(Base):
    """A saved query of the segment language (SPEC §13.5); its customers are found when it is read."""

    __tablename__ = "segment"
    __table_args__ = (sa.UniqueConstraint("org_id", "name"),)

    org_id: Mapped[uuid.UUID] = org_id_column()
    id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(200))
    query: Mapped[str] = mapped_column(sa.Text())
    description: Mapped[str | None] = mapped_column(sa.String(2000))
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]
