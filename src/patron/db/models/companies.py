from __future__ import annotations

import uuid
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from patron.db.base import Base, org_id_column


class Company(Base):
    """A B2B account; its contacts are customers whose `company_id` names it."""

    __tablename__ = "company"
    __table_args__ = (
        sa.UniqueConstraint("org_id", "vat_id"),
        sa.Index("ix_company_org_id_name", "org_id", "name"),
        sa.ForeignKeyConstraint(["org_id", "account_manager_id"], ["staff_user.org_id", "staff_user.id"]),
    )

    org_id: Mapped[uuid.UUID] = org_id_column()
    id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(200))
    vat_id: Mapped[str | None] = mapped_column(sa.String(40))
    account_manager_id: Mapped[uuid.UUID | None]
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]


class CompanyMember(Base):
    """A contact of the company holding a role in it."""

    __tablename__ = "company_member"
    __table_args__ = (
        sa.ForeignKeyConstraint(["org_id", "company_id"], ["company.org_id", "company.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["org_id", "customer_id"], ["customer.org_id", "customer.id"], ondelete="CASCADE"),
        sa.UniqueConstraint("org_id", "customer_id"),
    )

    org_id: Mapped[uuid.UUID] = org_id_column()
    company_id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    customer_id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    role: Mapped[str] = mapped_column(sa.String(20))
    joined_at: Mapped[datetime]
    join_code_id: Mapped[uuid.UUID | None]


class CompanyJoinCode(Base):
    """A single-use code that makes a customer a member; only its SHA-256 is stored."""

    __tablename__ = "company_join_code"
    __table_args__ = (
        sa.ForeignKeyConstraint(["org_id", "company_id"], ["company.org_id", "company.id"], ondelete="CASCADE"),
        sa.UniqueConstraint("org_id", "code_hash"),
    )

    org_id: Mapped[uuid.UUID] = org_id_column()
    id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    company_id: Mapped[uuid.UUID]
    code_hash: Mapped[bytes] = mapped_column(sa.LargeBinary(32))
    hint: Mapped[str] = mapped_column(sa.String(8))
    role: Mapped[str] = mapped_column(sa.String(20))
    created_by: Mapped[uuid.UUID | None]
    created_at: Mapped[datetime]
    expires_at: Mapped[datetime]
    used_at: Mapped[datetime | None]
    used_by: Mapped[uuid.UUID | None]
    revoked_at: Mapped[datetime | None]
