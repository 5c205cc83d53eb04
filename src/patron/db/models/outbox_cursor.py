from __future__ import annotations

import uuid
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from patron.db.base import Base, org_id_column


class OutboxCursor(Base):
    """How far a background consumer (confirmation mail, NATS) has read an organization's outbox."""

    __tablename__ = "outbox_cursor"

    org_id: Mapped[uuid.UUID] = org_id_column()
    consumer: Mapped[str] = mapped_column(sa.String(40), primary_key=True)
    seq: Mapped[int] = mapped_column(sa.BigInteger)
    updated_at: Mapped[datetime]
