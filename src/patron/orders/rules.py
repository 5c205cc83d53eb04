"""Pure order rules: the status machine."""

from __future__ import annotations

from typing import Literal

OrderStatus = Literal["open", "paid", "refunded", "cancelled"]

# Each target status and the one status it can be reached from. Reporting a transition
# that was already made is not an error (payment reports arrive more than once).
SOURCE: dict[OrderStatus, OrderStatus] = {
    "paid": "open",
    "refunded": "paid",
    "cancelled": "open",
}
