"""Wire shapes for sales inquiries (msgspec, unknown fields rejected)."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated, Literal

from msgspec import Meta, Struct

from patron.kernel import validators
from patron.kernel.pagination import Page

InquiryStatus = Literal["new", "assigned", "replied", "converted", "lost"]
Message = Annotated[str, Meta(min_length=1, max_length=5000)]


class InquiryCreate(Struct, forbid_unknown_fields=True):
    """The public form. `website` is a honeypot: people leave it empty, bots fill it in."""

    name: Annotated[str, Meta(min_length=1, max_length=200, examples=["Trần Minh"])]
    email: Annotated[str, Meta(max_length=320, examples=["minh@example.vn"]), validators.EMAIL]
    message: Message
    phone: Annotated[str, Meta(max_length=40), validators.PHONE] | None = None
    company_name: Annotated[str, Meta(max_length=200)] | None = None
    website: Annotated[str, Meta(max_length=500)] | None = None


class InquiryReceipt(Struct):
    """All the public learns about its inquiry."""

    id: uuid.UUID
    status: InquiryStatus
    created_at: datetime


class InquiryAssign(Struct, forbid_unknown_fields=True):
    staff_id: uuid.UUID


class InquiryReplyCreate(Struct, forbid_unknown_fields=True):
    message: Message


class InquiryConvert(Struct, forbid_unknown_fields=True):
    """Status of the customer when one is created (an existing customer keeps its own)."""

    customer_status: Literal["lead", "prospect"] = "lead"


class InquiryLose(Struct, forbid_unknown_fields=True):
    reason: Annotated[str, Meta(min_length=1, max_length=500)]


class InquiryReplyRead(Struct):
    id: uuid.UUID
    staff_id: uuid.UUID
    message: str
    created_at: datetime


class InquiryRead(Struct):
    id: uuid.UUID
    name: str
    email: str
    phone: str | None
    company_name: str | None
    message: str
    status: InquiryStatus
    assigned_to: uuid.UUID | None
    customer_id: uuid.UUID | None
    lost_reason: str | None
    created_at: datetime
    updated_at: datetime
    closed_at: datetime | None


class InquiryDetail(InquiryRead):
    replies: list[InquiryReplyRead]


class InquiryPage(Page):
    items: list[InquiryRead]
