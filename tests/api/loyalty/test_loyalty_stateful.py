"""A stateful property: random pay / refund / redeem / adjust sequences through the API.

A small model predicts every answer and the balance; after every step the API's
balance equals the model's and the sum of the ledger entries, is never negative,
and the tier is the one lifetime points earn.
"""

from __future__ import annotations

from typing import Any

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    initialize,
    invariant,
    precondition,
    rule,
    run_state_machine_as_test,
)

from patron.db.uow import Database
from tests.factories import LOYALTY, Api, Org, ledger_problems, loyal_org, unique


def expected_tier(lifetime: int) -> str | None:
    reached = [(threshold, name) for name, threshold in LOYALTY["tiers"].items() if lifetime >= threshold]  # type: ignore[attr-defined]
    return max(reached)[1] if reached else None


class LedgerMachine(RuleBasedStateMachine):
    def __init__(self, org: Org, database: Database) -> None:
        super().__init__()
        self.org = org
        self.database = database
        self.balance = 0
        self.lifetime = 0
        self.status: dict[str, str] = {}
        self.total: dict[str, int] = {}
        self.awarded: dict[str, int] = {}

    @initialize()
    def new_customer(self) -> None:
        self.customer = self.org.create_customer()["id"]

    @rule(total=st.integers(min_value=0, max_value=400_000))
    def record_order(self, total: int) -> None:
        self._record(total)

    def _record(self, total: int) -> str:
        body = {"external_ref": unique("sm"), "total": total, "currency": "USD", "customer_id": self.customer}
        response = self.org.post("/orders", "cashier", json=body)
        assert response.status_code == 201, response.text
        order_id = str(response.json()["id"])
        self.status[order_id] = "open"
        self.total[order_id] = total
        return order_id

    @rule(total=st.integers(min_value=0, max_value=400_000))
    def buy(self, total: int) -> None:
        """The common path: record an order and pay it."""
        self._pay(self._record(total))

    def _pick(self, data: st.DataObject, preferred: str) -> str:
        """Mostly an order in the `preferred` status (when there is one), sometimes any order."""
        matching = sorted(o for o, s in self.status.items() if s == preferred)
        pool = matching if matching and data.draw(st.integers(0, 3), label="prefer") else sorted(self.status)
        return data.draw(st.sampled_from(pool), label="order")

    @precondition(lambda self: bool(self.status))
    @rule(data=st.data())
    def pay(self, data: st.DataObject) -> None:
        self._pay(self._pick(data, "open"))

    def _pay(self, order: str) -> None:
        response = self.org.post(f"/orders/{order}/pay", "cashier")
        if self.status[order] not in ("open", "paid"):
            assert response.status_code == 409, response.text
            return
        assert response.status_code == 200, response.text
        if self.status[order] == "open":
            award = self.total[order] // 1000
            if award:
                self.awarded[order] = award
                self.balance += award
                self.lifetime += award
            self.status[order] = "paid"

    @precondition(lambda self: bool(self.status))
    @rule(data=st.data())
    def refund(self, data: st.DataObject) -> None:
        order = self._pick(data, "paid")
        response = self.org.post(f"/orders/{order}/refund")
        if self.status[order] in ("paid", "refunded"):
            assert response.status_code == 200, response.text
            if self.status[order] == "paid" and order in self.awarded:
                award = self.awarded[order]
                self.balance -= min(award, self.balance)
                self.lifetime -= award
            self.status[order] = "refunded"
        else:
            assert response.status_code == 409, response.text
            assert response.json()["code"] == "order.invalid_transition"

    @rule(data=st.data())
    def redeem(self, data: st.DataObject) -> None:
        # Mostly within the balance (so reversals meet spent points), sometimes just beyond it.
        points = data.draw(st.integers(min_value=1, max_value=self.balance + 3), label="points")
        response = self.org.post(f"/customers/{self.customer}/points/redeem", "cashier", json={"points": points})
        if points <= self.balance:
            assert response.status_code == 200, response.text
            self.balance -= points
        else:
            assert response.status_code == 409, response.text
            assert response.json()["code"] == "loyalty.insufficient_points"

    @rule(points=st.integers(min_value=-300, max_value=300).filter(bool))
    def adjust(self, points: int) -> None:
        response = self.org.post(f"/customers/{self.customer}/points/adjust", json={"points": points, "reason": "sm"})
        if points > 0 or -points <= self.balance:
            assert response.status_code == 200, response.text
            self.balance += points
            self.lifetime += max(points, 0)
        else:
            assert response.status_code == 409, response.text

    @invariant()
    def ledger_is_whole(self) -> None:
        if not hasattr(self, "customer"):
            return
        points: dict[str, Any] = self.org.get(f"/customers/{self.customer}/points", params={"limit": 500}).json()
        assert points["balance"] == self.balance >= 0
        assert sum(e["points"] for e in points["entries"]) == points["balance"]
        assert points["lifetime_earned"] == self.lifetime
        assert points["tier"] == expected_tier(self.lifetime)
        customer = self.org.get(f"/customers/{self.customer}").json()
        assert customer["points_balance"] == self.balance
        if points["entries"]:
            assert customer["loyalty_tier"] == expected_tier(self.lifetime)
        assert ledger_problems(self.database.engine, self.org.id) == []


def test_random_ledger_sequences_keep_the_invariants(api: Api, database: Database) -> None:
    org = loyal_org(api)
    run_state_machine_as_test(
        lambda: LedgerMachine(org, database),
        settings=settings(
            max_examples=20,
            stateful_step_count=25,
            deadline=None,
            suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
        ),
    )
