"""Small helpers the route modules share."""

from __future__ import annotations

import uuid
from typing import Annotated, Literal

from litestar.params import Parameter

from patron.kernel import pagination
from patron.kernel.errors import NotFound
from patron.kernel.ids import parse_uuid
from patron.kernel.messages import Message

# The paging parameters of every list (SPEC §8); a value out of bounds answers 422 naming it.
Limit = Annotated[int, Parameter(ge=1, le=pagination.MAX_LIMIT, description="rows per page")]
Offset = Annotated[int, Parameter(ge=0, le=pagination.MAX_OFFSET, description="rows to skip")]
Cursor = Annotated[
    str | None,
    Parameter(max_length=pagination.MAX_CURSOR_LENGTH, description="`next_cursor` of the previous page"),
]

Thing = Literal[
    "address",
    "api key",
    "company join code",
    "company member",
    "company",
    "customer group",
    "customer",
    "deal",
    "import",
    "inquiry",
    "interaction",
    "list item",
    "list",
    "memo",
    "merge",
    "order",
    "pipeline",
    "segment",
    "staff",
    "subscriber",
    "webhook",
]

_NOT_FOUND: dict[str, Message] = {
    "address": Message("address.not_found"),
    "import": Message("import.not_found"),
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
    "merge": Message("merge.not_found"),
    "order": Message("order.not_found"),
    "pipeline": Message("pipeline.not_found"),
    "segment": Message("segment.not_found"),
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
