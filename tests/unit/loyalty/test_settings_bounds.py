"""Any loyalty settings an organization can save, with any order total an order can carry,
earn points that fit the ledger's 64-bit columns (balance, entry, lifetime sum)."""

from __future__ import annotations

from typing import Any

import msgspec
from hypothesis import given
from hypothesis import strategies as st

from patron.identity import rules as settings_rules
from patron.identity.schemas import OrganizationSettings
from patron.kernel.errors import ValidationFailed
from patron.kernel.limits import MAX_AWARD, MAX_ORDER_TOTAL
from patron.loyalty import rules

INT64_MAX = 2**63 - 1
# Around every bound, and far beyond them (the hostile 2^62 included).
_amounts = st.one_of(
    st.integers(0, 10**6),
    st.integers(MAX_ORDER_TOTAL - 10, MAX_ORDER_TOTAL + 10),
    st.integers(0, 2**64),
    st.just(4_611_686_018_427_387_904),
)


def _accepted(loyalty: dict[str, Any]) -> OrganizationSettings | None:
    """The settings as saving them would keep them, or None when saving is refused (422)."""
    try:
        settings = msgspec.convert({"loyalty": loyalty}, OrganizationSettings)
        return settings_rules.normalise_settings(settings)
    except (msgspec.ValidationError, ValidationFailed):
        return None


@given(
    earn_amount=_amounts,
    earn_points=_amounts,
    total=st.one_of(st.integers(0, MAX_ORDER_TOTAL), st.just(MAX_ORDER_TOTAL)),
)
def test_no_accepted_rate_lets_a_valid_order_overflow(earn_amount: int, earn_points: int, total: int) -> None:
    settings = _accepted({"enabled": True, "earn_amount": earn_amount, "earn_points": earn_points})
    if settings is None:
        assert earn_points > earn_amount or not 1 <= earn_amount <= MAX_ORDER_TOTAL or earn_points < 0
        return
    points = rules.earned_points(total, settings.loyalty)
    assert 0 <= points <= MAX_AWARD
    # Over 9,000 of the largest awards fit one balance and one lifetime sum.
    assert points * 9_000 <= INT64_MAX


@given(st.dictionaries(st.text(max_size=45), st.integers(-1, 2**64), max_size=25))
def test_accepted_tiers_fit_the_customer_column_and_a_64_bit_sum(tiers: dict[str, int]) -> None:
    settings = _accepted({"tiers": tiers})
    if settings is None:
        return
    for name, threshold in settings.loyalty.tiers.items():
        assert 1 <= len(name) <= 40
        assert name.strip()
        assert 0 <= threshold <= INT64_MAX
    assert 1 <= len(settings.loyalty.tiers) <= 20


def test_more_points_than_minor_units_is_refused_naming_the_field() -> None:
    refused = _refusal({"earn_amount": 1, "earn_points": 10})
    assert [e.field for e in refused.errors] == ["loyalty.earn_points"]
    assert refused.errors[0].message.id == "loyalty.earn_rate_too_high"


def _refusal(loyalty: dict[str, Any]) -> ValidationFailed:
    settings = msgspec.convert({"loyalty": loyalty}, OrganizationSettings)
    try:
        settings_rules.normalise_settings(settings)
    except ValidationFailed as exc:
        return exc
    raise AssertionError("accepted")
