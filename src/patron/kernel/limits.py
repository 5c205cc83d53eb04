"""Bounds on amounts that several domains must agree on (so one cannot overflow another's columns)."""

from __future__ import annotations

from typing import Final

# The largest amount in minor units an order total may carry (10^15: 10 trillion dollars in
# cents, a quadrillion đồng). Loyalty rates are bounded from it, so no order earns more points
# than the ledger's 64-bit columns hold.
MAX_ORDER_TOTAL: Final = 10**15
# The most points one order may earn: at most one point per minor unit of the largest total.
# A 64-bit balance holds over 9,000 such awards.
MAX_AWARD: Final = MAX_ORDER_TOTAL
# Lifetime points are sums of entries: tier thresholds beyond a 64-bit sum could never be reached.
MAX_TIER_THRESHOLD: Final = 10**18
