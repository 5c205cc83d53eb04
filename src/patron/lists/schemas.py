"""Wire shapes for customer lists (msgspec, unknown fields rejected)."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated, Literal

from msgspec import UNSET, Meta, Struct, UnsetType

from patron.kernel.pagination import Page

ListKind = Literal["wishlist", "list"]
ListName = Annotated[str, Meta(min_length=1, max_length=200, examples=["Tết wishlist"])]
ProductRef = Annotated[str, Meta(min_length=1, max_length=200, examples=["SKU-1042"])]
Quantity = Annotated[int, Meta(ge=1, le=10_000)]
Note = Annotated[str, Meta(max_length=1000)]


class ListCreate(Struct, forbid_unknown_fields=True):
    name: ListName
    kind: ListKind = "list"


class ListUpdate(Struct, forbid_unknown_fields=True):
    name: ListName | UnsetType = UNSET
    kind: ListKind | UnsetType = UNSET


class ItemCreate(Struct, forbid_unknown_fields=True):
    product_ref: ProductRef
    quantity: Quantity = 1
    note: Note | None = None


class ItemUpdate(Struct, forbid_unknown_fields=True):
    quantity: Quantity | UnsetType = UNSET
    note: Note | UnsetType | None = UNSET


class ItemRead(Struct):
    id: uuid.UUID
    product_ref: str
    quantity: int
    note: str | None
    created_at: datetime
    updated_at: datetime


class ListRead(Struct):
    id: uuid.UUID
    customer_id: uuid.UUID
    name: str
    kind: ListKind
    shared: bool
    shared_at: datetime | None
    items: list[ItemRead]
    created_at: datetime
    updated_at: datetime


class ListPage(Page):
    items: list[ListRead]


class ShareCreated(Struct):
    """The only time the token is shown; sharing again replaces it (the old link stops working)."""

    token: str
    path: str


class SharedItemRead(Struct):
    product_ref: str
    quantity: int
    note: str | None


class SharedListRead(Struct):
    """What anyone holding the link sees: the list, nothing about the customer."""

    name: str
    kind: ListKind
    items: list[SharedItemRead]
    shared_at: datetime
