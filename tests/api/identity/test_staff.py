"""Staff, roles and API keys (SPEC §2)."""

from __future__ import annotations

from tests.api.paging import SHAPE, assert_bad_cursor_is_422, page_through
from tests.factories import Api


def test_api_keys_are_shown_once_and_revocable_at_once(api: Api) -> None:
    org = api.create_org()
    created = org.post("/staff", json={"email": "cash@example.com", "name": "Cash", "role": "cashier"}).json()
    key = created["api_key"]
    assert key.startswith("pat_")
    assert len(key) >= 40
    staff_id = created["staff"]["id"]
    listed = org.get("/staff").json()["items"]
    assert key not in str(listed)
    headers = {"Authorization": f"Bearer {key}"}
    assert api.client.get("/api/v1/customers", headers=headers).status_code == 200

    extra = org.post(f"/staff/{staff_id}/api-keys", json={"name": "till 2"}).json()
    assert extra["key"]["ends_with"] == extra["api_key"][-6:]
    assert org.delete(f"/api-keys/{extra['key']['id']}").status_code == 204
    assert (
        api.client.get("/api/v1/customers", headers={"Authorization": f"Bearer {extra['api_key']}"}).status_code == 401
    )
    assert api.client.get("/api/v1/customers", headers=headers).status_code == 200


def test_deleting_staff_revokes_their_keys(api: Api) -> None:
    org = api.create_org()
    created = api.create_staff(org, "sales")
    headers = {"Authorization": f"Bearer {created['api_key']}"}
    assert api.client.get("/api/v1/customers", headers=headers).status_code == 200
    assert org.delete(f"/staff/{created['staff']['id']}").status_code == 204
    assert api.client.get("/api/v1/customers", headers=headers).status_code == 401
    assert created["staff"]["id"] not in [s["id"] for s in org.get("/staff").json()["items"]]


def test_the_only_owner_cannot_be_demoted_or_deleted(api: Api) -> None:
    org = api.create_org()
    demote = org.patch(f"/staff/{org.owner_id}", json={"role": "sales"})
    assert demote.status_code == 409
    assert demote.json()["code"] == "staff.last_owner"
    assert org.delete(f"/staff/{org.owner_id}").status_code == 409
    second = api.create_staff(org, "owner")
    assert org.patch(f"/staff/{org.owner_id}", json={"role": "sales"}).status_code == 200
    # now `second` is the only owner
    second_headers = {"Authorization": f"Bearer {second['api_key']}"}
    response = api.client.delete(f"/api/v1/staff/{second['staff']['id']}", headers=second_headers)
    assert response.status_code == 409


def test_staff_email_is_unique_per_organization(api: Api) -> None:
    org = api.create_org()
    body = {"email": "dup@example.com", "name": "Dup", "role": "sales"}
    assert org.post("/staff", json=body).status_code == 201
    again = org.post("/staff", json={**body, "email": "DUP@example.com"})
    assert again.status_code == 409
    assert again.json()["code"] == "staff.email_taken"
    assert org.post("/staff", json={**body, "role": "admin"}).status_code == 422


def test_organization_settings_are_validated(api: Api) -> None:
    org = api.create_org()
    response = org.patch(
        "/organization",
        json={
            "region": "XX",
            "currency": "EURO",
            "timezone": "Mars/Base",
            "locale": "zz",
            "field_rules": {"email": {"mode": "disabled"}},
        },
    )
    assert response.status_code == 422
    assert {e["field"] for e in response.json()["errors"]} == {
        "region",
        "currency",
        "timezone",
        "locale",
        "field_rules.email",
    }
    ok = org.patch("/organization", json={"region": "de", "currency": "eur", "name": "Renamed"})
    assert ok.status_code == 200
    assert (ok.json()["region"], ok.json()["currency"], ok.json()["name"]) == ("DE", "EUR", "Renamed")


def test_organization_slug_is_unique_and_well_formed(api: Api) -> None:
    org = api.create_org()
    headers = {"Authorization": f"Bearer {api.admin_token}"}
    taken = api.client.post(
        "/api/v1/organizations", json={"name": "X", "slug": org.slug, "owner_email": "o@x.example"}, headers=headers
    )
    assert taken.status_code == 409
    assert taken.json()["code"] == "organization.slug_taken"
    bad = api.client.post(
        "/api/v1/organizations", json={"name": "X", "slug": "Not A Slug", "owner_email": "o@x.example"}, headers=headers
    )
    assert bad.status_code == 422
    assert bad.json()["errors"][0]["field"] == "slug"


def test_a_staff_members_keys_are_listed_without_secrets_and_the_first_can_be_revoked(api: Api) -> None:
    org = api.create_org()
    created = org.post("/staff", json={"email": "till@example.com", "name": "Till", "role": "cashier"}).json()
    staff_id, first_key = created["staff"]["id"], created["api_key"]
    assert created["key"]["ends_with"] == first_key[-6:]
    extra = org.post(f"/staff/{staff_id}/api-keys", json={"name": "till 2"}).json()
    assert org.delete(f"/api-keys/{created['key']['id']}").status_code == 204
    assert api.client.get("/api/v1/customers", headers={"Authorization": f"Bearer {first_key}"}).status_code == 401

    listed = org.get(f"/staff/{staff_id}/api-keys").json()
    assert set(listed) >= SHAPE
    assert listed["total"] == 2
    assert [(k["id"], k["name"], k["revoked_at"] is None) for k in listed["items"]] == [
        (created["key"]["id"], None, False),
        (extra["key"]["id"], "till 2", True),
    ]
    assert {"id", "ends_with", "name", "created_at", "revoked_at"} <= set(listed["items"][0])
    text = str(listed)
    assert first_key not in text
    assert extra["api_key"] not in text
    assert "hash" not in text
    assert org.get(f"/staff/{org.owner_id}/api-keys").json()["total"] == 1
    assert org.get(f"/staff/{staff_id}/api-keys", "sales").status_code == 403


def test_staff_and_their_keys_page_with_next_cursor(api: Api) -> None:
    org = api.create_org()
    for _ in range(4):
        api.create_staff(org, "sales")
    staff = page_through(org, "/staff", limit=2)
    assert len(staff) == 5 == org.get("/staff").json()["total"]
    assert len({s["id"] for s in staff}) == 5
    some = staff[1]["id"]
    for _ in range(4):
        org.post(f"/staff/{some}/api-keys", json={})
    keys = page_through(org, f"/staff/{some}/api-keys", limit=2)
    assert len({k["id"] for k in keys}) == len(keys) == 5
    assert_bad_cursor_is_422(org, "/staff")
    assert_bad_cursor_is_422(org, f"/staff/{some}/api-keys")
    # A cursor of one staff member's keys is not one of another's.
    cursor = org.get(f"/staff/{some}/api-keys", params={"limit": 1}).json()["next_cursor"]
    assert org.get(f"/staff/{org.owner_id}/api-keys", params={"cursor": cursor}).status_code == 422
