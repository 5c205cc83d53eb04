"""Wire shapes for customer groups and product restrictions (msgspec, unknown fields rejected)."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated

import msgspec
from msgspec import UNSET, Meta, Struct, UnsetType

from patron.groups.rules import Level, Rule
from patron.kernel.pagination import Page

GroupName = Annotated[str, Meta(min_length=1, max_length=100, examples=["Wholesale"])]
ProductRef = Annotated[str, Meta(min_length=1, max_length=100, examples=["SKU-1042"])]
RefList = Annotated[list[ProductRef], Meta(max_length=1000)]


class GroupCreate(Struct, forbid_unknown_fields=True):
    name: GroupName
    is_merchant: bool = False


class GroupUpdate(Struct, forbid_unknown_fields=True):
    name: GroupName | UnsetType = UNSET
    is_merchant: bool | UnsetType = UNSET


class GroupRead(Struct):
    id: uuid.UUID
    name: str
    is_merchant: bool
    created_at: datetime
    updated_at: datetime


class GroupPage(Page):
    items: list[GroupRead]


class ProductRestrictions(Struct, forbid_unknown_fields=True):
    """Allow and deny lists of product references; a PUT replaces both."""

    allow: RefList = msgspec.field(default_factory=list)
    deny: RefList = msgspec.field(default_factory=list)


class AccessRule(Struct):
    """The rule that decided: a `deny` or `allow` entry, an `allow_list` the product is not on, or the default."""

    level: Level
    rule: Rule
    group_id: uuid.UUID | None


class ProductAccess(Struct):
    product_ref: str
    allowed: bool
    decided_by: AccessRule
