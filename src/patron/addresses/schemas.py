"""Wire shapes for addresses (msgspec, unknown fields rejected)."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated

from msgspec import UNSET, Meta, Struct, UnsetType

from patron.kernel import validators
from patron.kernel.pagination import Page

Line = Annotated[str, Meta(max_length=200)]
Short = Annotated[str, Meta(max_length=20)]
Place = Annotated[str, Meta(max_length=100)]
Country = Annotated[str, Meta(max_length=2, description="ISO 3166-1 alpha-2", examples=["VN"]), validators.COUNTRY]
Phone = Annotated[str, Meta(max_length=40, examples=["0912 345 678"]), validators.PHONE]


class AddressCreate(Struct, forbid_unknown_fields=True):
    street: Annotated[Line, Meta(examples=["Lê Lợi"])]
    city: Annotated[Place, Meta(examples=["Hồ Chí Minh"])]
    country: Country
    name: Line | None = None
    company: Line | None = None
    house_number: Short | None = None
    extra_line: Line | None = None
    postcode: Short | None = None
    state: Place | None = None
    phone: Phone | None = None
    is_default_shipping: bool = False
    is_default_billing: bool = False


class AddressUpdate(Struct, forbid_unknown_fields=True):
    """A partial change: fields left out stay; null clears an optional field."""

    street: Line | UnsetType = UNSET
    city: Place | UnsetType = UNSET
    country: Country | UnsetType = UNSET
    name: Line | UnsetType | None = UNSET
    company: Line | UnsetType | None = UNSET
    house_number: Short | UnsetType | None = UNSET
    extra_line: Line | UnsetType | None = UNSET
    postcode: Short | UnsetType | None = UNSET
    state: Place | UnsetType | None = UNSET
    phone: Phone | UnsetType | None = UNSET
    is_default_shipping: bool | UnsetType = UNSET
    is_default_billing: bool | UnsetType = UNSET


class AddressRead(Struct):
    id: uuid.UUID
    customer_id: uuid.UUID
    name: str | None
    company: str | None
    street: str
    house_number: str | None
    extra_line: str | None
    postcode: str | None
    city: str
    state: str | None
    country: str
    phone: str | None
    is_default_shipping: bool
    is_default_billing: bool
    created_at: datetime
    updated_at: datetime


class AddressPage(Page):
    items: list[AddressRead]
