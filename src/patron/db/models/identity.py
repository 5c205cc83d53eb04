from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from patron.db.base import Base, org_id_column


class StaffUser(Base):
    __tablename__ = "staff_user"
    __table_args__ = (sa.UniqueConstraint("org_id", "email"),)

    org_id: Mapped[uuid.UUID] = org_id_column()
    id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(sa.String(320))
    name: Mapped[str] = mapped_column(sa.String(200))
    role: Mapped[str] = mapped_column(sa.String(20))
    password_hash: Mapped[str | None] = mapped_column(sa.String(200))
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]
    deactivated_at: Mapped[datetime | None]


class ApiKey(Base):
    """A bearer key: only its SHA-256 is stored; the key itself is shown once."""

    __tablename__ = "api_key"
    __table_args__ = (
        sa.UniqueConstraint("org_id", "key_hash"),
        sa.ForeignKeyConstraint(["org_id", "staff_id"], ["staff_user.org_id", "staff_user.id"]),
    )

    org_id: Mapped[uuid.UUID] = org_id_column()
    id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    staff_id: Mapped[uuid.UUID]
    key_hash: Mapped[bytes] = mapped_column(sa.LargeBinary(32))
    prefix: Mapped[str] = mapped_column(sa.String(16))
    name: Mapped[str | None] = mapped_column(sa.String(200))
    created_at: Mapped[datetime]
    revoked_at: Mapped[datetime | None]


class IdempotencyRecord(Base):
    """The first answer to a POST with an Idempotency-Key, replayed for the same key and body.

    Scoped to the API key that sent it: another key of the organization (a cashier's) sending
    the same value gets its own answer, never this one.
    """

    __tablename__ = "idempotency_record"
    __table_args__ = (sa.ForeignKeyConstraint(["org_id", "api_key_id"], ["api_key.org_id", "api_key.id"]),)

    org_id: Mapped[uuid.UUID] = org_id_column()
    api_key_id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(sa.String(255), primary_key=True)
    request_hash: Mapped[bytes] = mapped_column(sa.LargeBinary(32))
    status_code: Mapped[int]
    response_body: Mapped[bytes] = mapped_column(sa.LargeBinary)
    response_headers: Mapped[dict[str, Any]]
    created_at: Mapped[datetime] = mapped_column(index=True)
