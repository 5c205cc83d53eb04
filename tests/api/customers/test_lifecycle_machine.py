"""Random lifecycle calls through the HTTP API agree with a model of SPEC §4's state machine."""

from __future__ import annotations

from typing import Any

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import Bundle, RuleBasedStateMachine, consumes, invariant, rule, run_state_machine_as_test

from tests.factories import Api, Org

# The model, written independently of patron.customers.rules.
NEXT = {
    ("lead", "qualify"): "prospect",
    ("prospect", "convert"): "customer",
    ("customer", "churn"): "churned",
    ("churned", "reactivate"): "prospect",
}
ACTIONS = ["qualify", "convert", "churn", "reactivate"]


class Customer:
    def __init__(self, customer_id: str) -> None:
        self.id = customer_id
        self.status = "lead"
        self.version = 1
        self.tier = "free"
        self.deleted = False


class LifecycleMachine(RuleBasedStateMachine):
    api: Api
    org: Org
    customers = Bundle("customers")

    def __init__(self) -> None:
        super().__init__()
        self.org = self.api.create_org()
        self.org.headers("sales")
        self.cursor: str | None = None
        self._new_events()  # start after the organization's own events
        self.known: list[Customer] = []

    def _new_events(self) -> list[dict[str, Any]]:
        params: dict[str, Any] = {"limit": 1000}
        if self.cursor:
            params["after"] = self.cursor
        page = self.org.get("/events", params=params).json()
        self.cursor = page["next_cursor"]
        return list(page["items"])

    @rule(target=customers, status=st.sampled_from(["lead", "lead", "prospect", "customer", "churned"]))
    def create(self, status: str) -> Customer:
        body = {"email": f"m{len(self.known)}@example.com", "first_name": "M", "status": status}
        created = self.org.post("/customers", "sales", json=body)
        assert created.status_code == 201, created.text
        customer = Customer(created.json()["id"])
        customer.status = status
        self.known.append(customer)
        [event] = self._new_events()
        assert event["type"] == "customer.created"
        return customer

    @rule(customer=customers, action=st.sampled_from(ACTIONS), role=st.sampled_from(["owner", "sales"]))
    def act(self, customer: Customer, action: str, role: str) -> None:
        response = self.org.post(f"/customers/{customer.id}/{action}", role)
        expected = NEXT.get((customer.status, action))
        if customer.deleted:
            assert response.status_code == 409, response.text
            assert response.json()["code"] == "customer.deleted"
            assert self._new_events() == []
            return
        if expected is None:
            assert response.status_code == 409, response.text
            problem = response.json()
            assert problem["code"] == "customer.invalid_transition"
            assert problem["allowed"] == [
                {"action": a, "to": NEXT[(customer.status, a)]} for a in ACTIONS if (customer.status, a) in NEXT
            ]
            assert self._new_events() == []
            return
        assert response.status_code == 200, response.text
        body = response.json()
        assert body["status"] == expected
        assert body["version"] == customer.version + 1
        [event] = self._new_events()
        assert event["type"] == "customer.status_changed"
        assert event["subject_id"] == customer.id
        assert event["data"] == {"action": action, "from": customer.status, "to": expected}
        customer.status = expected
        customer.version += 1

    @rule(customer=customers, tier=st.sampled_from(["free", "basic", "pro", "enterprise"]))
    def change_tier(self, customer: Customer, tier: str) -> None:
        response = self.org.request("PUT", f"/customers/{customer.id}/tier", "sales", json={"tier": tier})
        if customer.deleted:
            assert response.status_code == 409
            return
        assert response.status_code == 200, response.text
        events = self._new_events()
        if tier == customer.tier:
            assert events == []
        else:
            [event] = events
            assert event["type"] == "customer.updated"
            assert event["data"]["changes"] == {"tier": {"old": customer.tier, "new": tier}}
            customer.tier = tier
            customer.version += 1
        assert response.json()["status"] == customer.status

    @rule(customer=consumes(customers))
    def delete(self, customer: Customer) -> None:
        assert self.org.delete(f"/customers/{customer.id}").status_code == 204
        customer.deleted = True
        customer.version += 1
        [event] = self._new_events()
        assert event["type"] == "customer.deleted"

    @invariant()
    def stored_customers_match_the_model(self) -> None:
        for customer in self.known:
            stored = self.org.get(f"/customers/{customer.id}").json()
            assert stored["status"] == customer.status
            assert stored["tier"] == customer.tier
            assert stored["version"] == customer.version
            assert (stored["churned_at"] is not None) == (customer.status == "churned")


def test_lifecycle_state_machine(api: Api) -> None:
    machine = type("BoundLifecycleMachine", (LifecycleMachine,), {"api": api})
    run_state_machine_as_test(
        machine,
        settings=settings(
            max_examples=15,
            stateful_step_count=20,
            deadline=None,
            suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
        ),
    )
