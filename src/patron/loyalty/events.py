"""Loyalty events (past tense); the subject is the customer whose ledger changed."""

from __future__ import annotations

from dataclasses import dataclass

from patron.kernel.events import DomainEvent


@dataclass(frozen=True, slots=True)
class PointsAwarded(DomainEvent):
    type = "points.awarded"


@dataclass(frozen=True, slots=True)
class PointsReversed(DomainEvent):
    type = "points.reversed"


@dataclass(frozen=True, slots=True)
class PointsRedeemed(DomainEvent):
    type = "points.redeemed"


@dataclass(frozen=True, slots=True)
class PointsAdjusted(DomainEvent):
    type = "points.adjusted"
