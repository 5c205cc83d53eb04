"""Pure loyalty and order rules."""

from __future__ import annotations

import pytest

from patron.identity.schemas import LoyaltySettings
from patron.loyalty import rules

TIERS = {"bronze": 0, "silver": 1_000, "gold": 5_000}


@pytest.mark.parametrize(
    ("total", "earn_amount", "earn_points", "expected"),
    [
        (0, 10_000, 1, 0),
        (9_999, 10_000, 1, 0),
        (10_000, 10_000, 1, 1),
        (129_999, 10_000, 3, 36),
        (250_000, 10_000, 0, 0),
        (7, 1, 2, 14),
    ],
)
def test_earned_points(total: int, earn_amount: int, earn_points: int, expected: int) -> None:
    settings = LoyaltySettings(enabled=True, earn_amount=earn_amount, earn_points=earn_points)
    assert rules.earned_points(total, settings) == expected


def test_nothing_is_earned_while_loyalty_is_disabled() -> None:
    assert rules.earned_points(1_000_000, LoyaltySettings(enabled=False)) == 0


@pytest.mark.parametrize(
    ("awarded", "balance", "taken", "shortfall"),
    [(100, 500, 100, 0), (100, 100, 100, 0), (100, 30, 30, 70), (100, 0, 0, 100)],
)
def test_a_reversal_takes_at_most_the_balance(awarded: int, balance: int, taken: int, shortfall: int) -> None:
    assert rules.reversal(awarded, balance) == (taken, shortfall)


@pytest.mark.parametrize(
    ("lifetime", "tier"),
    [(0, "bronze"), (999, "bronze"), (1_000, "silver"), (4_999, "silver"), (5_000, "gold"), (10**9, "gold")],
)
def test_tier_by_lifetime_points(lifetime: int, tier: str) -> None:
    assert rules.tier_for(lifetime, TIERS) == tier


def test_no_tier_below_the_lowest_threshold_or_without_tiers() -> None:
    assert rules.tier_for(10, {"silver": 100}) is None
    assert rules.tier_for(10, {}) is None
