"""Pure loyalty rules: what an order earns, what a reversal can take back, which tier applies."""

from __future__ import annotations

from collections.abc import Mapping
from typing import NamedTuple

from patron.identity.schemas import LoyaltySettings


def earned_points(total: int, settings: LoyaltySettings) -> int:
    """floor(total / earn_amount) x earn_points; nothing while loyalty is disabled."""
    if not settings.enabled or total <= 0:
        return 0
    return (total // settings.earn_amount) * settings.earn_points


class Reversal(NamedTuple):
    taken: int
    shortfall: int


def reversal(awarded: int, balance: int) -> Reversal:
    """Take back at most the current balance; the rest is recorded as the shortfall."""
    taken = max(0, min(awarded, balance))
    return Reversal(taken=taken, shortfall=awarded - taken)


def tier_for(lifetime_points: int, tiers: Mapping[str, int]) -> str | None:
    """The tier with the highest threshold the lifetime points reach (ties: the name sorting last)."""
    reached = [(threshold, name) for name, threshold in tiers.items() if lifetime_points >= threshold]
    return max(reached)[1] if reached else None
