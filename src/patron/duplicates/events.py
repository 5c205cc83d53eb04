"""Duplicate events (past tense)."""

from __future__ import annotations

import uuid

from patron.kernel.events import DomainEvent


class DuplicateDismissed(DomainEvent, frozen=True, kw_only=True):
    """Staff said two customers are different people; the pair stays out of the duplicates list.

    The subject is the pair's lower id; `other_customer_id` the higher.
    """

    type = "duplicate.dismissed"
    subject = "customer"
    other_customer_id: uuid.UUID


EVENTS = (DuplicateDismissed,)
