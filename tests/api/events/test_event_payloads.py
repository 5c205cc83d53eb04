"""Event payloads put right when they became typed: what the feed and a webhook receiver see."""

from __future__ import annotations

from tests.factories import Api


def test_renaming_a_pipeline_records_its_old_name(api: Api) -> None:
    org = api.create_org()
    pipeline = org.post("/pipelines", json={"name": "Retail"}).json()
    assert org.patch(f"/pipelines/{pipeline['id']}", json={"name": "Wholesale"}).status_code == 200
    [event] = [e for e in org.events(type="pipeline.updated") if e["subject_id"] == pipeline["id"]]
    assert event["data"] == {"changes": {"name": {"old": "Retail", "new": "Wholesale"}}}


def test_registering_a_guest_says_so_as_the_update_reason(api: Api) -> None:
    org = api.create_org()
    guest = org.create_customer(email="guest@example.com", is_guest=True)
    registered = org.post("/customers", json={"email": "guest@example.com", "first_name": "Lan", "is_guest": False})
    assert registered.status_code == 200, registered.text
    [event] = [e for e in org.events(type="customer.updated") if e["subject_id"] == guest["id"]]
    assert event["data"]["reason"] == "registered_guest"
    assert "registered_guest" not in event["data"]


def test_a_join_code_event_gives_its_expiry_as_the_api_does(api: Api) -> None:
    org = api.create_org()
    company = org.post("/companies", json={"name": "Acme"}).json()
    created = org.post(f"/companies/{company['id']}/join-codes", json={"role": "buyer", "expires_in_hours": 1})
    assert created.status_code == 201, created.text
    [event] = org.events(type="company.join_code_created")
    assert event["data"]["expires_at"] == created.json()["join_code"]["expires_at"]
    assert event["data"]["expires_at"].endswith("Z")
