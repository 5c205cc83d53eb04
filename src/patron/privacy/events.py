"""Privacy events (past tense); the subject is the customer. They carry no personal data."""

from __future__ import annotations

import uuid
from typing import Annotated

from msgspec import Meta

from patron.kernel.events import DomainEvent


class CustomerErased(DomainEvent, frozen=True, kw_only=True):
    """The customer's personal data was erased (SPEC §13.3): the row stays, soft-deleted, with its
    orders and points ledger; names, contacts, addresses and free text are gone, in the events too."""

    type = "customer.erased"
    subject = "customer"
    reason: Annotated[str, Meta(description="why, as staff gave it (without the customer's personal values)")]
    merged_into: Annotated[
        uuid.UUID | None,
        Meta(description="the customer whose erasure took this one along (it had been merged into it), else null"),
    ]


EVENTS = (CustomerErased,)
