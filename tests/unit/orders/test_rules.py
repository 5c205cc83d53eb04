"""The order status machine without a database: open -> paid -> refunded, open -> cancelled."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from patron.orders import rules

STATUSES = ["open", "paid", "refunded", "cancelled"]


def _report(status: str, target: str) -> tuple[str, bool] | None:
    """What the service does with a report of `target` (orders.service._move): (status, moved), None for 409."""
    if rules.SOURCE[target] == status:
        return target, True
    if status == target:
        return status, False
    return None


def test_each_status_is_reached_from_exactly_one_other() -> None:
    assert rules.SOURCE == {"paid": "open", "refunded": "paid", "cancelled": "open"}
    assert set(rules.SOURCE) | set(rules.SOURCE.values()) == set(STATUSES)


def test_refunded_and_cancelled_are_final_and_a_paid_order_cannot_be_cancelled() -> None:
    for final in ("refunded", "cancelled"):
        assert final not in rules.SOURCE.values()
    assert rules.SOURCE["cancelled"] != "paid"


@given(st.lists(st.sampled_from(sorted(rules.SOURCE)), max_size=12))
def test_any_sequence_of_reports_pays_and_refunds_an_order_at_most_once(reports: list[str]) -> None:
    status, moves = "open", []
    for target in reports:
        outcome = _report(status, target)
        if outcome is None:
            continue
        status, moved = outcome
        if moved:
            moves.append(target)
    # Points are awarded on the move into paid and reversed on the move into refunded.
    assert moves.count("paid") <= 1
    assert moves.count("refunded") <= moves.count("paid")
    assert moves in ([], ["paid"], ["paid", "refunded"], ["cancelled"])
    assert status == (moves[-1] if moves else "open")


@given(st.sampled_from(sorted(rules.SOURCE)))
def test_reporting_a_transition_already_made_is_not_an_error(target: str) -> None:
    assert _report(target, target) == (target, False)
