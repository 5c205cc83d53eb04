"""Loyalty events (past tense); the subject is the customer whose ledger changed."""

from __future__ import annotations

import uuid
from typing import Annotated

from msgspec import UNSET, Meta, UnsetType

from patron.kernel.events import DomainEvent

_BALANCE = Meta(description="the customer's points balance after the entry")


class PointsAwarded(DomainEvent, frozen=True, kw_only=True):
    """A paid order earned points (once per order, however often the payment is reported)."""

    type = "points.awarded"
    subject = "customer"
    order_id: uuid.UUID
    points: int
    balance: Annotated[int, _BALANCE]


class PointsReversed(DomainEvent, frozen=True, kw_only=True):
    """A refund took an order's points back, at most the balance."""

    type = "points.reversed"
    subject = "customer"
    order_id: uuid.UUID
    points: Annotated[int, Meta(description="the points taken back, negative")]
    shortfall: Annotated[int, Meta(description="the points that could not be taken back (already spent)")]
    balance: Annotated[int, _BALANCE]


class PointsRedeemed(DomainEvent, frozen=True, kw_only=True):
    """Points were spent, on an order or not."""

    type = "points.redeemed"
    subject = "customer"
    points: Annotated[int, Meta(description="the points spent, negative")]
    balance: Annotated[int, _BALANCE]
    order_id: Annotated[uuid.UUID | UnsetType, Meta(description="absent when spent without an order")] = UNSET


class PointsAdjusted(DomainEvent, frozen=True, kw_only=True):
    """An owner added or took away points, with a reason."""

    type = "points.adjusted"
    subject = "customer"
    points: int
    reason: str
    balance: Annotated[int, _BALANCE]


EVENTS = (PointsAwarded, PointsReversed, PointsRedeemed, PointsAdjusted)
