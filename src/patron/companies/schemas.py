"""Wire shapes for companies, members and join codes (msgspec, unknown fields rejected)."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated, Literal

from msgspec import UNSET, Meta, Struct, UnsetType

from patron.companies.rules import JoinCodeStatus
from patron.customers.schemas import CustomerRead
from patron.kernel import validators
from patron.kernel.pagination import Page

MemberRole = Literal["admin", "buyer", "member"]
CompanyName = Annotated[str, Meta(min_length=1, max_length=200, examples=["Acme GmbH"])]
VatId = Annotated[str, Meta(max_length=40, examples=["DE136695976"]), validators.VAT_ID]


class CompanyCreate(Struct, forbid_unknown_fields=True):
    name: CompanyName
    vat_id: VatId | None = None
    account_manager_id: uuid.UUID | None = None


class CompanyUpdate(Struct, forbid_unknown_fields=True):
    name: CompanyName | UnsetType = UNSET
    vat_id: VatId | UnsetType | None = UNSET
    account_manager_id: uuid.UUID | UnsetType | None = UNSET


class CompanyRead(Struct):
    id: uuid.UUID
    name: str
    vat_id: str | None
    account_manager_id: uuid.UUID | None
    created_at: datetime
    updated_at: datetime


class CompanyPage(Page):
    items: list[CompanyRead]


class ContactPage(Page):
    items: list[CustomerRead]


class MemberAdd(Struct, forbid_unknown_fields=True):
    customer_id: uuid.UUID
    role: MemberRole = "member"


class MemberUpdate(Struct, forbid_unknown_fields=True):
    role: MemberRole


class MemberRead(Struct):
    company_id: uuid.UUID
    customer_id: uuid.UUID
    role: MemberRole
    joined_at: datetime
    join_code_id: uuid.UUID | None


class MemberPage(Page):
    items: list[MemberRead]


class JoinCodeCreate(Struct, forbid_unknown_fields=True):
    role: MemberRole = "member"
    expires_in_hours: Annotated[int, Meta(ge=1, le=24 * 30)] = 72


class JoinCodeRead(Struct):
    id: uuid.UUID
    company_id: uuid.UUID
    hint: str
    role: MemberRole
    status: JoinCodeStatus
    created_at: datetime
    expires_at: datetime
    used_at: datetime | None
    used_by: uuid.UUID | None
    revoked_at: datetime | None


class JoinCodeCreated(Struct):
    """`code` is shown this once; only its hash is stored."""

    code: str
    join_code: JoinCodeRead


class JoinCodePage(Page):
    items: list[JoinCodeRead]


class JoinCodeRedeem(Struct, forbid_unknown_fields=True):
    code: Annotated[str, Meta(max_length=64, examples=["K7QF-2MZX-9TRB-4WHD"])]
    customer_id: uuid.UUID
