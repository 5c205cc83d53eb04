"""Pure rate-limit rules: the fixed window holding an instant, and how long until the next."""

from __future__ import annotations

from datetime import UTC, datetime


def window_start(now: datetime, seconds: int) -> datetime:
    """The start of the fixed window holding `now` (windows aligned to the epoch)."""
    start = int(now.timestamp()) // seconds * seconds
    return datetime.fromtimestamp(start, UTC)


def retry_after(now: datetime, seconds: int) -> int:
    """Whole seconds until the next window opens."""
    return max(1, int((window_start(now, seconds).timestamp() + seconds) - now.timestamp()))
