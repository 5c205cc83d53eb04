"""Races through the HTTP API: the database, not a read-then-write check, decides."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

from tests.factories import Api, unique


def test_sixteen_concurrent_creates_with_one_email_give_exactly_one_201(api: Api) -> None:
    org = api.create_org()
    headers = org.headers()
    email = f"{unique('race')}@example.com"

    def create(i: int) -> int:
        body = {"email": email.upper() if i % 2 else email, "first_name": f"R{i}"}
        return api.client.post("/api/v1/customers", json=body, headers=headers).status_code

    with ThreadPoolExecutor(max_workers=16) as pool:
        statuses = list(pool.map(create, range(16)))
    assert statuses.count(201) == 1, statuses
    assert set(statuses) <= {201, 409}, statuses
    assert org.get("/customers").json()["total"] == 1


def test_concurrent_creates_get_distinct_customer_numbers(api: Api) -> None:
    org = api.create_org()
    headers = org.headers()

    def create(i: int) -> str:
        body = {"email": f"{unique('n')}@example.com", "first_name": f"N{i}"}
        response = api.client.post("/api/v1/customers", json=body, headers=headers)
        assert response.status_code == 201, response.text
        return str(response.json()["customer_number"])

    with ThreadPoolExecutor(max_workers=16) as pool:
        numbers = list(pool.map(create, range(32)))
    assert len(set(numbers)) == 32


def test_concurrent_replays_of_one_idempotency_key_create_one_customer(api: Api) -> None:
    org = api.create_org()
    headers = {**org.headers(), "Idempotency-Key": unique("k")}
    body = {"email": f"{unique('i')}@example.com", "first_name": "I"}

    def create(_: int) -> int:
        return api.client.post("/api/v1/customers", json=body, headers=headers).status_code

    with ThreadPoolExecutor(max_workers=8) as pool:
        statuses = list(pool.map(create, range(8)))
    assert set(statuses) <= {201, 409}, statuses
    assert org.get("/customers").json()["total"] == 1


def test_event_sequence_is_gapless_under_concurrent_writes(api: Api) -> None:
    org = api.create_org()
    headers = org.headers()

    def create(i: int) -> None:
        body = {"email": f"{unique('s')}@example.com", "first_name": f"S{i}"}
        assert api.client.post("/api/v1/customers", json=body, headers=headers).status_code == 201

    with ThreadPoolExecutor(max_workers=8) as pool:
        list(pool.map(create, range(24)))
    cursors = [e["cursor"] for e in org.events()]
    assert len(cursors) == len(set(cursors))
    assert sum(e["type"] == "customer.created" for e in org.events()) == 24
