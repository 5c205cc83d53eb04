"""Every company, member and join code query; each starts from the organization's rows.

Companies and members come back as their read schemas (every column but the tenant key),
join codes as `JoinCodeRecord` (their read schema adds a status and leaves out the hash).
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from patron.companies.records import JoinCodeRecord
from patron.companies.schemas import CompanyRead, MemberRead
from patron.db import paging
from patron.db.base import table
from patron.db.models import Company, CompanyJoinCode, CompanyMember, Deal, Interaction
from patron.db.records import record, record_or_none
from patron.kernel import pagination

company = table(Company)
member = table(CompanyMember)
join_code = table(CompanyJoinCode)


def _of(org_id: uuid.UUID) -> sa.Select[Any]:
    return sa.select(company).where(company.c.org_id == org_id)


def get(conn: Connection, org_id: uuid.UUID, company_id: uuid.UUID, *, for_update: bool = False) -> CompanyRead | None:
    stmt = _of(org_id).where(company.c.id == company_id)
    if for_update:
        stmt = stmt.with_for_update()
    return record_or_none(conn.execute(stmt).one_or_none(), CompanyRead)


def vat_holder(conn: Connection, org_id: uuid.UUID, vat_id: str) -> uuid.UUID | None:
    stmt = _of(org_id).with_only_columns(company.c.id).where(company.c.vat_id == vat_id)
    return conn.execute(stmt).scalar_one_or_none()


def count(conn: Connection, org_id: uuid.UUID) -> int:
    stmt = sa.select(sa.func.count()).select_from(company).where(company.c.org_id == org_id)
    return int(conn.execute(stmt).scalar_one())


BY_NAME = pagination.Keyset("companies", (pagination.Key("name", str), pagination.Key("id", uuid.UUID)))
# Members have no id of their own: the customer's id ends their order.
MEMBERS = pagination.Keyset(
    "company members", (pagination.Key("joined_at", pagination.Timestamp), pagination.Key("customer_id", uuid.UUID))
)
JOIN_CODES = pagination.newest_first("company join codes")


def list_page(conn: Connection, org_id: uuid.UUID, page: pagination.PageRequest) -> tuple[list[CompanyRead], int]:
    """A page of companies by name (up to limit + 1) and how many there are."""
    stmt = _of(org_id)
    return paging.fetch(conn, stmt, company.c, page, CompanyRead)


def insert(conn: Connection, values: Mapping[str, Any]) -> CompanyRead:
    return record(conn.execute(sa.insert(company).values(**values).returning(*company.c)).one(), CompanyRead)


def update(conn: Connection, org_id: uuid.UUID, company_id: uuid.UUID, values: Mapping[str, Any]) -> CompanyRead:
    stmt = (
        sa.update(company)
        .where(company.c.org_id == org_id, company.c.id == company_id)
        .values(**values)
        .returning(*company.c)
    )
    return record(conn.execute(stmt).one(), CompanyRead)


def linked_records(conn: Connection, org_id: uuid.UUID, company_id: uuid.UUID) -> dict[str, int]:
    """How many deals and interactions name the company (they keep it from being deleted)."""
    counts: dict[str, int] = {}
    for name, model in (("deals", Deal), ("interactions", Interaction)):
        linked = table(model)
        stmt = (
            sa.select(sa.func.count())
            .select_from(linked)
            .where(linked.c.org_id == org_id, linked.c.company_id == company_id)
        )
        counts[name] = int(conn.execute(stmt).scalar_one())
    return counts


def delete(conn: Connection, org_id: uuid.UUID, company_id: uuid.UUID) -> None:
    for dependent in (member, join_code):
        conn.execute(sa.delete(dependent).where(dependent.c.org_id == org_id, dependent.c.company_id == company_id))
    conn.execute(sa.delete(company).where(company.c.org_id == org_id, company.c.id == company_id))


def _members_of(org_id: uuid.UUID, company_id: uuid.UUID) -> sa.Select[Any]:
    return sa.select(member).where(member.c.org_id == org_id, member.c.company_id == company_id)


def members(
    conn: Connection, org_id: uuid.UUID, company_id: uuid.UUID, page: pagination.PageRequest
) -> tuple[list[MemberRead], int]:
    """A page of the company's members in the order they joined, and how many there are."""
    stmt = _members_of(org_id, company_id)
    return paging.fetch(conn, stmt, member.c, page, MemberRead)


def get_member(conn: Connection, org_id: uuid.UUID, company_id: uuid.UUID, customer_id: uuid.UUID) -> MemberRead | None:
    stmt = _members_of(org_id, company_id).where(member.c.customer_id == customer_id)
    return record_or_none(conn.execute(stmt).one_or_none(), MemberRead)


def membership(conn: Connection, org_id: uuid.UUID, customer_id: uuid.UUID) -> MemberRead | None:
    stmt = sa.select(member).where(member.c.org_id == org_id, member.c.customer_id == customer_id)
    return record_or_none(conn.execute(stmt).one_or_none(), MemberRead)


def insert_member(conn: Connection, values: Mapping[str, Any]) -> MemberRead:
    return record(conn.execute(sa.insert(member).values(**values).returning(*member.c)).one(), MemberRead)


def update_member(
    conn: Connection, org_id: uuid.UUID, company_id: uuid.UUID, customer_id: uuid.UUID, values: Mapping[str, Any]
) -> MemberRead:
    stmt = (
        sa.update(member)
        .where(member.c.org_id == org_id, member.c.company_id == company_id, member.c.customer_id == customer_id)
        .values(**values)
        .returning(*member.c)
    )
    return record(conn.execute(stmt).one(), MemberRead)


def delete_member(conn: Connection, org_id: uuid.UUID, company_id: uuid.UUID, customer_id: uuid.UUID) -> None:
    conn.execute(
        sa.delete(member).where(
            member.c.org_id == org_id, member.c.company_id == company_id, member.c.customer_id == customer_id
        )
    )


def insert_code(conn: Connection, values: Mapping[str, Any]) -> JoinCodeRecord:
    return record(conn.execute(sa.insert(join_code).values(**values).returning(*join_code.c)).one(), JoinCodeRecord)


def codes(
    conn: Connection, org_id: uuid.UUID, company_id: uuid.UUID, page: pagination.PageRequest
) -> tuple[list[JoinCodeRecord], int]:
    """A page of the company's join codes, newest first, and how many there are."""
    stmt = sa.select(join_code).where(join_code.c.org_id == org_id, join_code.c.company_id == company_id)
    return paging.fetch(conn, stmt, join_code.c, page, JoinCodeRecord)


def get_code(conn: Connection, org_id: uuid.UUID, company_id: uuid.UUID, code_id: uuid.UUID) -> JoinCodeRecord | None:
    stmt = sa.select(join_code).where(
        join_code.c.org_id == org_id, join_code.c.company_id == company_id, join_code.c.id == code_id
    )
    return record_or_none(conn.execute(stmt.with_for_update()).one_or_none(), JoinCodeRecord)


def code_by_hash(conn: Connection, org_id: uuid.UUID, code_hash: bytes) -> JoinCodeRecord | None:
    stmt = sa.select(join_code).where(join_code.c.org_id == org_id, join_code.c.code_hash == code_hash)
    return record_or_none(conn.execute(stmt.with_for_update()).one_or_none(), JoinCodeRecord)


def update_code(conn: Connection, org_id: uuid.UUID, code_id: uuid.UUID, values: Mapping[str, Any]) -> None:
    stmt = sa.update(join_code).where(join_code.c.org_id == org_id, join_code.c.id == code_id).values(**values)
    conn.execute(stmt)
