"""Rate-limit windows without a database."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from hypothesis import given
from hypothesis import strategies as st

from patron.ratelimits import rules

_instants = st.datetimes(min_value=datetime(2000, 1, 1), max_value=datetime(2100, 1, 1), timezones=st.just(UTC))
_windows = st.sampled_from([1, 60, 3_600, 86_400]) | st.integers(1, 100_000)


@given(_instants, _windows)
def test_the_window_holds_now_and_starts_on_a_multiple_of_its_length(now: datetime, seconds: int) -> None:
    start = rules.window_start(now, seconds)
    assert start.tzinfo is not None
    assert start <= now < start + timedelta(seconds=seconds)
    assert int(start.timestamp()) % seconds == 0


@given(_instants, _windows)
def test_retry_after_waits_for_the_next_window_and_no_longer(now: datetime, seconds: int) -> None:
    wait = rules.retry_after(now, seconds)
    start = rules.window_start(now, seconds)
    assert 1 <= wait <= seconds
    # Whole seconds: waiting them (plus the one the rounding may drop) reaches the next window,
    assert rules.window_start(now + timedelta(seconds=wait + 1), seconds) > start
    # and unless the window closes within a second, waiting them does not skip past it.
    assert now + timedelta(seconds=wait) <= start + timedelta(seconds=seconds) or wait == 1
