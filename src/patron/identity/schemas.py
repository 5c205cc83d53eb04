"""Wire shapes for organizations, staff and API keys."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated, Literal

import msgspec
from msgspec import UNSET, Meta, Struct, UnsetType

from patron.kernel import validators
from patron.kernel.limits import MAX_AWARD, MAX_ORDER_TOTAL, MAX_TIER_THRESHOLD
from patron.kernel.pagination import Page

Slug = Annotated[
    str, Meta(min_length=2, max_length=63, pattern=r"^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?$", examples=["pho-24"])
]
Name = Annotated[str, Meta(min_length=1, max_length=200, examples=["Phở 24"])]
RoleName = Literal["owner", "cashier", "marketing", "sales"]
FieldMode = Literal["disabled", "enabled", "required"]
CustomFieldType = Literal["string", "integer", "number", "boolean", "date"]


class FieldRule(Struct, forbid_unknown_fields=True, omit_defaults=True):
    """How an optional customer field behaves in this organization."""

    mode: FieldMode = "enabled"
    min_length: Annotated[int, Meta(ge=1, le=200)] | None = None


class CustomFieldDefinition(Struct, forbid_unknown_fields=True):
    type: CustomFieldType
    required: bool = False


# A tier's name is stored on the customer (`loyalty_tier`, 40 characters).
TierName = Annotated[str, Meta(min_length=1, max_length=40, examples=["gold"])]
TierThreshold = Annotated[int, Meta(ge=0, le=MAX_TIER_THRESHOLD, description="lifetime points")]


class LoyaltySettings(Struct, forbid_unknown_fields=True):
    """`earn_points` per whole `earn_amount` minor units of a paid order; tiers by lifetime points.

    At most one point per minor unit (`earn_points` <= `earn_amount`), so no order, up to the
    largest total an order may carry, earns more than the ledger's 64-bit columns hold.
    """

    enabled: bool = False
    earn_amount: Annotated[int, Meta(ge=1, le=MAX_ORDER_TOTAL)] = 10_000
    earn_points: Annotated[int, Meta(ge=0, le=MAX_AWARD, description="at most earn_amount")] = 1
    tiers: Annotated[dict[TierName, TierThreshold], Meta(max_length=20)] = msgspec.field(
        default_factory=lambda: {"bronze": 0, "silver": 1_000, "gold": 5_000}
    )


class OrganizationSettings(Struct, forbid_unknown_fields=True):
    """Everything an owner configures; stored as one JSON document."""

    locale: str = "en"
    region: str = "US"
    currency: str = "USD"
    timezone: str = "UTC"
    field_rules: dict[str, FieldRule] = msgspec.field(default_factory=dict)
    names_optional_with_company: bool = True
    custom_fields: dict[str, CustomFieldDefinition] = msgspec.field(default_factory=dict)
    double_opt_in: bool = False
    loyalty: LoyaltySettings = msgspec.field(default_factory=LoyaltySettings)
    guest_retention_days: Annotated[int, Meta(ge=1, le=36_500)] = 365


class OrganizationCreate(Struct, forbid_unknown_fields=True):
    name: Name
    slug: Slug
    owner_email: Annotated[str, Meta(examples=["owner@pho24.vn"]), validators.EMAIL]
    owner_name: Name | None = None
    locale: Annotated[str, Meta(description="BCP 47; default the region's language (VN: vi), else en")] | None = None
    region: Annotated[str, Meta(description="ISO 3166-1 alpha-2 country, default US", examples=["VN"])] | None = None
    currency: Annotated[str, Meta(description="ISO 4217; default the region's (VN: VND), else USD")] | None = None
    timezone: str | None = None


class OrganizationUpdate(Struct, forbid_unknown_fields=True):
    name: Name | UnsetType = UNSET
    locale: Annotated[str, validators.LOCALE] | UnsetType = UNSET
    region: Annotated[str, validators.COUNTRY] | UnsetType = UNSET
    currency: Annotated[str, validators.CURRENCY] | UnsetType = UNSET
    timezone: Annotated[str, validators.TIMEZONE] | UnsetType = UNSET
    field_rules: dict[str, FieldRule] | UnsetType = UNSET
    names_optional_with_company: bool | UnsetType = UNSET
    custom_fields: dict[str, CustomFieldDefinition] | UnsetType = UNSET
    double_opt_in: bool | UnsetType = UNSET
    loyalty: LoyaltySettings | UnsetType = UNSET
    guest_retention_days: Annotated[int, Meta(ge=1, le=36_500)] | UnsetType = UNSET


class OrganizationRead(Struct):
    id: uuid.UUID
    name: str
    slug: str
    locale: str
    region: str
    currency: str
    timezone: str
    field_rules: dict[str, FieldRule]
    names_optional_with_company: bool
    custom_fields: dict[str, CustomFieldDefinition]
    double_opt_in: bool
    loyalty: LoyaltySettings
    guest_retention_days: int
    created_at: datetime
    updated_at: datetime


class StaffCreate(Struct, forbid_unknown_fields=True):
    email: Annotated[str, Meta(examples=["lan@pho24.vn"]), validators.EMAIL]
    name: Name
    role: RoleName
    password: Annotated[str, Meta(min_length=12, max_length=200)] | None = None


class StaffUpdate(Struct, forbid_unknown_fields=True):
    name: Name | UnsetType = UNSET
    role: RoleName | UnsetType = UNSET
    password: Annotated[str, Meta(min_length=12, max_length=200)] | UnsetType = UNSET


class StaffRead(Struct):
    id: uuid.UUID
    email: str
    name: str
    role: RoleName
    created_at: datetime
    updated_at: datetime


class ApiKeyCreate(Struct, forbid_unknown_fields=True):
    name: Annotated[str, Meta(max_length=200)] | None = None


class ApiKeyRead(Struct):
    id: uuid.UUID
    staff_id: uuid.UUID
    name: str | None
    ends_with: Annotated[str, Meta(description="the key's last characters, to tell keys apart")]
    created_at: datetime
    revoked_at: datetime | None


class ApiKeyCreated(Struct):
    """The only time the key itself is shown."""

    api_key: str
    key: ApiKeyRead


class OrganizationCreated(Struct):
    organization: OrganizationRead
    owner: StaffRead
    owner_api_key: str


class StaffCreated(Struct):
    """The first key is shown here only; `key.id` revokes it (`DELETE /api-keys/{key_id}`)."""

    staff: StaffRead
    api_key: str
    key: ApiKeyRead


class StaffPage(Page):
    items: list[StaffRead]


class ApiKeyPage(Page):
    """A staff member's keys, revoked ones included, oldest first; never the key or its hash."""

    items: list[ApiKeyRead]
