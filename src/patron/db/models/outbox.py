from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from patron.db.base import Base, org_id_column


class OutboxEvent(Base):
    """Domain events, written in the transaction of the change they describe.

    `seq` is dense per organization and assigned in commit order (see OrgCounter),
    so a reader paging by `seq` never skips an event that commits late.
    """

    __tablename__ = "outbox_event"
    # A subject's history (the access export's audit trail, an erasure's redaction).
    __table_args__ = (sa.Index("ix_outbox_event_org_id_subject_id", "org_id", "subject_id", "seq"),)

    org_id: Mapped[uuid.UUID] = org_id_column()
    seq: Mapped[int] = mapped_column(sa.BigInteger, primary_key=True, autoincrement=False)
    id: Mapped[uuid.UUID]
    type: Mapped[str] = mapped_column(sa.String(60))
    occurred_at: Mapped[datetime]
    actor_type: Mapped[str] = mapped_column(sa.String(20))
    actor_id: Mapped[uuid.UUID | None]
    subject_id: Mapped[uuid.UUID]
    data: Mapped[dict[str, Any]]
