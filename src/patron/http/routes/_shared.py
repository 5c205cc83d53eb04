"""Small helpers the route modules share."""

from __future__ import annotations

import uuid
from typing import Literal

from patron.kernel.errors import NotFound
from patron.kernel.ids import parse_uuid
from patron.kernel.messages import Message

Thing = Literal[
    "address",
    "api key",
    "company join code",
    "company member",
    "company",
    "customer group",
    "customer",
    "deal",
    "inquiry",
    "interaction",
    "list item",
    "list",
    "memo",
    "order",
    "pipeline",
    "staff",
    "subscriber",
    "webhook",
]

_NOT_FOUND: dict[str, Message] = {
    "address": Message("address.not_found"),
    "api key": Message("api_key.not_found"),
    "company join code": Message("company.join_code_not_found"),
    "company member": Message("company.member_not_found"),
    "company": Message("company.not_found"),
    "customer group": Message("customer_group.not_found"),
    "customer": Message("customer.not_found"),
    "deal": Message("deal.not_found"),
    "inquiry": Message("inquiry.not_found"),
    "interaction": Message("interaction.not_found"),
    "list item": Message("list_item.not_found"),
    "list": Message("list.not_found"),
    "memo": Message("memo.not_found"),
    "order": Message("order.not_found"),
    "pipeline": Message("pipeline.not_found"),
    "staff": Message("staff.not_found"),
    "subscriber": Message("subscriber.not_found"),
    "webhook": Message("webhook.not_found"),
}


def path_id(value: str, what: Thing) -> uuid.UUID:
    """A path id; one that is not a UUID cannot exist, so it answers 404 like any unknown id."""
    parsed = parse_uuid(value)
    if parsed is None:
        raise NotFound(_NOT_FOUND[what], code=f"{what.replace(' ', '_')}.not_found")
    return parsed
