"""Wire shapes for customers (msgspec, unknown fields rejected)."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Annotated, Any, Literal

import msgspec
from msgspec import UNSET, Meta, Struct, UnsetType

from patron.kernel import validators
from patron.kernel.pagination import Page

Gender = Literal["female", "male", "diverse"]
Status = Literal["lead", "prospect", "customer", "churned"]
Tier = Literal["free", "basic", "pro", "enterprise"]
Source = Literal["website", "referral", "cold-call", "event", "pos", "import", "other"]

Email = Annotated[str, Meta(max_length=320, examples=["lan.nguyen@example.com"]), validators.EMAIL]
PersonName = Annotated[str, Meta(max_length=100, examples=["Nguyễn"])]
Phone = Annotated[str, Meta(max_length=40, examples=["0912 345 678"]), validators.PHONE]
CustomerNumber = Annotated[str, Meta(min_length=1, max_length=40, pattern=r"^[A-Za-z0-9][A-Za-z0-9._/-]*$")]
Tag = Annotated[str, Meta(min_length=1, max_length=50)]
Credit = Annotated[int, Meta(ge=0, le=10**15, description="store credit in minor units")]


class CustomerCreate(Struct, forbid_unknown_fields=True):
    email: Email
    is_guest: bool = False
    customer_number: CustomerNumber | None = None
    gender: Gender | None = None
    first_name: PersonName | None = None
    last_name: PersonName | None = None
    birthday: date | None = None
    locale: Annotated[str, Meta(max_length=35, examples=["vi"]), validators.LOCALE] | None = None
    other_emails: Annotated[list[Email], Meta(max_length=20)] = msgspec.field(default_factory=list)
    phone: Phone | None = None
    other_phones: Annotated[list[Phone], Meta(max_length=20)] = msgspec.field(default_factory=list)
    fax: Phone | None = None
    company_name: Annotated[str, Meta(max_length=200)] | None = None
    vat_id: Annotated[str, Meta(max_length=40, examples=["DE136695976"]), validators.VAT_ID] | None = None
    is_merchant: Annotated[bool, Meta(description="default false; always true in a merchant group")] | UnsetType = UNSET
    credit: Credit = 0
    is_favorite: bool = False
    status: Status = "lead"
    tier: Tier = "free"
    source: Source | None = None
    assigned_to: uuid.UUID | None = None
    tags: Annotated[list[Tag], Meta(max_length=100)] = msgspec.field(default_factory=list)
    custom_fields: dict[str, Any] = msgspec.field(default_factory=dict)
    group_id: uuid.UUID | None = None
    company_id: (
        Annotated[uuid.UUID, Meta(description="a company of the organization: the customer is its contact")] | None
    ) = None


class CustomerUpdate(Struct, forbid_unknown_fields=True):
    """A partial change: fields left out stay as they are; null clears an optional field."""

    email: Email | UnsetType = UNSET
    is_guest: bool | UnsetType = UNSET
    customer_number: CustomerNumber | UnsetType = UNSET
    gender: Gender | UnsetType | None = UNSET
    first_name: PersonName | UnsetType | None = UNSET
    last_name: PersonName | UnsetType | None = UNSET
    birthday: date | UnsetType | None = UNSET
    locale: Annotated[str, Meta(max_length=35), validators.LOCALE] | UnsetType = UNSET
    other_emails: Annotated[list[Email], Meta(max_length=20)] | UnsetType = UNSET
    phone: Phone | UnsetType | None = UNSET
    other_phones: Annotated[list[Phone], Meta(max_length=20)] | UnsetType = UNSET
    fax: Phone | UnsetType | None = UNSET
    company_name: Annotated[str, Meta(max_length=200)] | UnsetType | None = UNSET
    vat_id: Annotated[str, Meta(max_length=40), validators.VAT_ID] | UnsetType | None = UNSET
    is_merchant: bool | UnsetType = UNSET
    credit: Credit | UnsetType = UNSET
    is_favorite: bool | UnsetType = UNSET
    tier: Tier | UnsetType = UNSET
    source: Source | UnsetType | None = UNSET
    assigned_to: uuid.UUID | UnsetType | None = UNSET
    tags: Annotated[list[Tag], Meta(max_length=100)] | UnsetType = UNSET
    custom_fields: dict[str, Any] | UnsetType = UNSET
    group_id: uuid.UUID | UnsetType | None = UNSET
    company_id: uuid.UUID | UnsetType | None = UNSET


class CustomerRead(Struct):
    id: uuid.UUID
    customer_number: str
    is_guest: bool
    gender: Gender | None
    first_name: str | None
    last_name: str | None
    birthday: date | None
    locale: str
    email: str
    other_emails: list[str]
    phone: str | None
    other_phones: list[str]
    fax: str | None
    company_name: str | None
    vat_id: str | None
    is_merchant: bool
    company_id: uuid.UUID | None
    user_id: uuid.UUID | None
    credit: int
    is_favorite: bool
    group_id: uuid.UUID | None
    status: Status
    tier: Tier
    source: Source | None
    assigned_to: uuid.UUID | None
    tags: list[str]
    custom_fields: dict[str, Any]
    points_balance: int
    loyalty_tier: str | None
    created_at: datetime
    updated_at: datetime
    churned_at: datetime | None
    deleted_at: datetime | None
    erased_at: Annotated[
        datetime | None, Meta(description="when the customer's personal data was erased; such a customer stays deleted")
    ]
    merged_into: Annotated[
        uuid.UUID | None, Meta(description="the customer this one was merged into (set while the merge stands)")
    ]
    version: int


class CustomerBatchCreate(Struct, forbid_unknown_fields=True):
    customers: Annotated[list[CustomerCreate], Meta(min_length=1, max_length=1000)]


class CustomerBatchRead(Struct):
    items: list[CustomerRead]


class CustomerPage(Page):
    items: list[CustomerRead]
    total: Annotated[
        int, Meta(description="matching customers; at most 1,000 (100 for a search `q`) when total_is_capped")
    ]
    total_is_capped: Annotated[
        bool, Meta(description="more customers match than were counted: total is a lower bound")
    ] = False


class PurgeResult(Struct):
    purged: int
    older_than_days: int


class TierChange(Struct, forbid_unknown_fields=True):
    tier: Tier


class TagsReplace(Struct, forbid_unknown_fields=True):
    tags: Annotated[list[Tag], Meta(max_length=100, examples=[["vip", "high-value"]])]


class Assignment(Struct, forbid_unknown_fields=True):
    """`assigned_to`: a staff member of the organization, or null to unassign."""

    assigned_to: uuid.UUID | None
