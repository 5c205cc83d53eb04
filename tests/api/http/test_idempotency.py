"""Idempotency-Key belongs to the API key that sent it, and no secret is ever stored for a replay."""

from __future__ import annotations

import uuid

import sqlalchemy as sa

from patron.db.uow import Database
from tests.factories import Api, unique


def _stored_records(database: Database, org_id: str) -> list[dict[str, object]]:
    with database.engine.connect() as conn:
        rows = conn.execute(
            sa.text("SELECT * FROM idempotency_record WHERE org_id = :org_id").bindparams(
                sa.bindparam("org_id", type_=sa.Uuid())
            ),
            {"org_id": uuid.UUID(org_id)},
        ).mappings()
        return [dict(row) for row in rows]


def test_the_same_idempotency_key_from_two_api_keys_of_one_organization_answers_each_its_own(api: Api) -> None:
    org = api.create_org()
    key = unique("shared")
    owner_body = {"email": f"{unique('o')}@example.com", "first_name": "Owner"}
    cashier_body = {"email": f"{unique('c')}@example.com", "first_name": "Cashier"}
    owner = org.post("/customers", json=owner_body, headers={"Idempotency-Key": key})
    cashier = org.post("/customers", "cashier", json=cashier_body, headers={"Idempotency-Key": key})
    assert owner.status_code == 201, owner.text
    assert cashier.status_code == 201, cashier.text
    assert "idempotent-replayed" not in cashier.headers
    assert cashier.json()["id"] != owner.json()["id"]
    # Each key still replays its own answer.
    again = org.post("/customers", "cashier", json=cashier_body, headers={"Idempotency-Key": key})
    assert again.headers["idempotent-replayed"] == "true"
    assert again.json()["id"] == cashier.json()["id"]


def test_a_created_staff_members_api_key_is_not_stored_and_a_repeat_names_the_staff_member(
    api: Api, database: Database
) -> None:
    org = api.create_org()
    body = {"email": f"{unique('s')}@{org.slug}.example", "name": "Sam", "role": "cashier"}
    headers = {"Idempotency-Key": unique("k")}
    first = org.post("/staff", json=body, headers=headers)
    assert first.status_code == 201, first.text
    secret = first.json()["api_key"]
    records = _stored_records(database, org.id)
    assert len(records) == 1
    assert secret.encode() not in bytes(records[0]["response_body"])  # type: ignore[arg-type]
    assert secret not in repr(records)

    again = org.post("/staff", json=body, headers=headers)
    assert again.status_code == 409, again.text
    assert again.headers["content-type"].startswith("application/problem+json")
    assert again.json()["code"] == "idempotency.secret_not_replayed"
    assert again.json()["location"] == first.headers["location"]
    assert secret not in again.text
    staff = org.get("/staff").json()["items"]
    assert [s["email"] for s in staff].count(body["email"]) == 1


def test_issued_api_keys_and_join_codes_are_not_stored_for_replay(api: Api, database: Database) -> None:
    org = api.create_org()
    headers = {"Idempotency-Key": unique("k")}
    issued = org.post(f"/staff/{org.owner_id}/api-keys", json={"name": "till"}, headers=headers)
    assert issued.status_code == 201, issued.text
    company = org.post("/companies", json={"name": unique("Co")})
    assert company.status_code == 201, company.text
    code_headers = {"Idempotency-Key": unique("k")}
    code = org.post(f"/companies/{company.json()['id']}/join-codes", json={}, headers=code_headers)
    assert code.status_code == 201, code.text

    secrets = [issued.json()["api_key"], code.json()["code"]]
    stored = repr(_stored_records(database, org.id))
    assert [s for s in secrets if s in stored or s.replace("-", "") in stored] == []

    for path, sent in (
        (f"/staff/{org.owner_id}/api-keys", headers),
        (f"/companies/{company.json()['id']}/join-codes", code_headers),
    ):
        again = org.post(path, json={"name": "till"} if "api-keys" in path else {}, headers=sent)
        assert again.status_code == 409, again.text
        assert again.json()["code"] == "idempotency.secret_not_replayed"
        assert all(s not in again.text for s in secrets)
    codes = org.get(f"/companies/{company.json()['id']}/join-codes").json()["items"]
    assert len(codes) == 1
