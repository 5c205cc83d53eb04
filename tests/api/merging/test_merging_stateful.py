"""A stateful property: creates, orders, payments, redemptions, addresses, merges and undos.

A small model follows who owns every order and address; after every step each order and
address belongs to the customer the model says (none lost, none doubled), the ledger has
every entry made, and each customer's balance is the sum of its ledger.
"""

from __future__ import annotations

import uuid
from typing import Any

import sqlalchemy as sa
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, precondition, rule, run_state_machine_as_test

from patron.db.base import table
from patron.db.models import Address, LoyaltyEntry, Order
from patron.db.uow import Database
from tests.factories import Api, Org, ledger_problems, loyal_org, unique

_order, _address, _entry = table(Order), table(Address), table(LoyaltyEntry)
ADDRESS = {"street": "Lê Lợi", "city": "Huế", "country": "VN"}


class MergeMachine(RuleBasedStateMachine):
    def __init__(self, api: Api, database: Database) -> None:
        super().__init__()
        # An organization per run: the model starts from nothing.
        self.org: Org = loyal_org(api)
        self.database = database
        self.live: list[str] = []
        self.orders: dict[str, str] = {}  # order -> owner
        self.addresses: dict[str, str] = {}
        self.entries = 0
        self.merges: list[tuple[str, dict[str, str], dict[str, str]]] = []  # id, moved orders, moved addresses

    def _rows(self, t: sa.Table) -> int:
        with self.database.engine.connect() as conn:
            stmt = sa.select(sa.func.count()).select_from(t).where(t.c.org_id == uuid.UUID(self.org.id))
            return int(conn.execute(stmt).scalar_one())

    def _owners(self, t: sa.Table) -> dict[str, str]:
        with self.database.engine.connect() as conn:
            stmt = sa.select(t.c.id, t.c.customer_id).where(t.c.org_id == uuid.UUID(self.org.id))
            return {str(i): str(c) for i, c in conn.execute(stmt)}

    @rule()
    def create_customer(self) -> None:
        self.live.append(self.org.create_customer()["id"])

    @precondition(lambda self: self.live)
    @rule(data=st.data(), total=st.integers(min_value=0, max_value=60_000), pay=st.booleans())
    def order(self, data: st.DataObject, total: int, pay: bool) -> None:
        customer = data.draw(st.sampled_from(self.live))
        body = {"external_ref": unique("sm"), "total": total, "currency": "USD", "customer_id": customer}
        response = self.org.post("/orders", json=body)
        assert response.status_code == 201, response.text
        order_id = response.json()["id"]
        self.orders[order_id] = customer
        if pay:
            assert self.org.post(f"/orders/{order_id}/pay").status_code == 200
            self.entries += 1 if total >= 1000 else 0

    @precondition(lambda self: self.live)
    @rule(data=st.data())
    def add_address(self, data: st.DataObject) -> None:
        customer = data.draw(st.sampled_from(self.live))
        response = self.org.post(f"/customers/{customer}/addresses", json=ADDRESS)
        assert response.status_code == 201, response.text
        self.addresses[response.json()["id"]] = customer

    @precondition(lambda self: self.live)
    @rule(data=st.data(), share=st.floats(min_value=0.1, max_value=1.0))
    def redeem(self, data: st.DataObject, share: float) -> None:
        customer = data.draw(st.sampled_from(self.live))
        balance = self.org.get(f"/customers/{customer}").json()["points_balance"]
        points = int(balance * share)
        if points <= 0:
            return
        response = self.org.post(f"/customers/{customer}/points/redeem", json={"points": points})
        assert response.status_code == 200, response.text
        self.entries += 1

    @precondition(lambda self: len(self.live) >= 2)
    @rule(data=st.data())
    def merge(self, data: st.DataObject) -> None:
        chosen = data.draw(st.lists(st.sampled_from(self.live), min_size=2, max_size=3, unique=True))
        survivor, sources = chosen[0], chosen[1:]
        response = self.org.post(f"/customers/{survivor}/merge", json={"from_ids": sources})
        assert response.status_code == 200, response.text
        moved_orders = {o: c for o, c in self.orders.items() if c in sources}
        moved_addresses = {a: c for a, c in self.addresses.items() if c in sources}
        for moved, owners in ((moved_orders, self.orders), (moved_addresses, self.addresses)):
            for key in moved:
                owners[key] = survivor
        self.live = [c for c in self.live if c not in sources]
        self.merges.append((response.json()["merge_id"], moved_orders, moved_addresses))

    @precondition(lambda self: self.merges)
    @rule(data=st.data())
    def undo(self, data: st.DataObject) -> None:
        merge_id, moved_orders, moved_addresses = data.draw(st.sampled_from(self.merges))
        response = self.org.post(f"/merges/{merge_id}/undo")
        assert response.status_code in (200, 409), response.text
        if response.status_code == 409:
            return
        self.merges = [m for m in self.merges if m[0] != merge_id]
        for moved, owners in ((moved_orders, self.orders), (moved_addresses, self.addresses)):
            for key, source in moved.items():
                owners[key] = source
        self.live.extend(c["id"] for c in response.json()["customers"][1:])

    @invariant()
    def nothing_lost_or_doubled(self) -> None:
        assert self._owners(_order) == self.orders
        assert self._owners(_address) == self.addresses
        assert self._rows(_entry) == self.entries
        assert ledger_problems(self.database.engine, self.org.id) == []
        for customer in self.live:
            assert self.org.get(f"/customers/{customer}").status_code == 200


def test_random_merges_and_undos_lose_and_double_nothing(api: Api, database: Database) -> None:
    run_state_machine_as_test(
        lambda: MergeMachine(api, database),
        settings=settings(
            max_examples=15,
            stateful_step_count=20,
            deadline=None,
            suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
        ),
    )


def test_two_merges_of_one_source_at_once_one_wins_and_nothing_doubles(api: Api, database: Database) -> None:
    from concurrent.futures import ThreadPoolExecutor

    org = loyal_org(api)
    source = org.create_customer()
    body = {"external_ref": unique("c"), "total": 40_000, "currency": "USD", "customer_id": source["id"]}
    order = org.post("/orders", json=body).json()
    assert org.post(f"/orders/{order['id']}/pay").status_code == 200
    survivors = [org.create_customer()["id"] for _ in range(4)]

    def merge(survivor: str) -> Any:
        return org.post(f"/customers/{survivor}/merge", json={"from_ids": [source["id"]]})

    with ThreadPoolExecutor(max_workers=4) as pool:
        answers = list(pool.map(merge, survivors))
    statuses = sorted(a.status_code for a in answers)
    assert statuses == [200, 409, 409, 409], [a.text for a in answers]
    [winner] = [s for s, a in zip(survivors, answers, strict=True) if a.status_code == 200]
    assert org.get(f"/orders/{order['id']}").json()["customer_id"] == winner
    assert [org.get(f"/customers/{s}").json()["points_balance"] for s in survivors].count(40) == 1
    assert len(org.events(type="customer.merged")) == 1
    assert ledger_problems(database.engine, org.id) == []
