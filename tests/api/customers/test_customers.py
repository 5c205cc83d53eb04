"""Customer behaviour through the HTTP API (SPEC §3), on both databases."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from tests.factories import Api, unique


def test_create_normalises_and_answers_location_and_etag(api: Api) -> None:
    org = api.create_org(region="VN", locale="vi")
    response = org.post(
        "/customers",
        json={
            "email": "  Lan.Nguyen@Example.COM ",
            "first_name": "  Lan ",
            "last_name": "Nguyễn",
            "phone": "0912 345 678",
            "other_phones": ["+84 912 345 678", "0912345678"],
            "tags": ["VIP", "vip", " Pos "],
            "vat_id": "DE 136,695 976",
        },
    )
    assert response.status_code == 201, response.text
    customer = response.json()
    assert response.headers["location"] == f"/api/v1/customers/{customer['id']}"
    assert response.headers["etag"] == '"1"'
    assert customer["email"] == "lan.nguyen@example.com"
    assert customer["first_name"] == "Lan"
    assert customer["phone"] == "+84912345678"
    assert customer["other_phones"] == ["+84912345678"]
    assert customer["tags"] == ["vip", "pos"]
    assert customer["vat_id"] == "DE136695976"
    assert customer["locale"] == "vi"
    assert customer["status"] == "lead"
    assert customer["tier"] == "free"
    assert customer["customer_number"].startswith("C-")
    assert customer["version"] == 1
    assert org.get(f"/customers/{customer['id']}").json() == customer


def test_customer_numbers_are_generated_in_sequence_and_skip_given_ones(api: Api) -> None:
    org = api.create_org()
    first = org.create_customer()["customer_number"]
    assert first == "C-000001"
    assert org.create_customer(customer_number="C-000005")["customer_number"] == "C-000005"
    assert org.create_customer()["customer_number"] == "C-000006"
    taken = org.post("/customers", json={"email": "x@example.com", "first_name": "X", "customer_number": "C-000005"})
    assert taken.status_code == 409
    assert taken.json()["code"] == "customer.number_taken"


def test_registered_email_is_unique_in_any_letter_case(api: Api) -> None:
    org = api.create_org()
    org.create_customer(email="Anna@Example.com")
    response = org.post("/customers", json={"email": "ANNA@example.COM", "first_name": "Anna"})
    assert response.status_code == 409
    problem = response.json()
    assert response.headers["content-type"].startswith("application/problem+json")
    assert problem["code"] == "customer.email_taken"
    assert problem["status"] == 409


def test_guests_may_share_an_email_and_registering_turns_the_guest_into_the_customer(api: Api) -> None:
    org = api.create_org()
    guest = org.create_customer(email="walkin@example.com", is_guest=True, credit=500, tags=["pos"])
    second_guest = org.create_customer(email="walkin@example.com", is_guest=True)
    assert second_guest["id"] != guest["id"]

    registered = org.post("/customers", json={"email": "WalkIn@example.com", "first_name": "Binh", "last_name": "Lê"})
    assert registered.status_code == 200, registered.text
    body = registered.json()
    assert body["id"] == guest["id"]
    assert body["is_guest"] is False
    assert body["customer_number"] == guest["customer_number"]
    assert body["credit"] == 500  # the guest's data is kept where the registration says nothing
    assert body["tags"] == ["pos"]
    assert body["last_name"] == "Lê"
    assert org.get("/customers/by-email/walkin@EXAMPLE.com").json()["id"] == guest["id"]
    again = org.post("/customers", json={"email": "walkin@example.com", "first_name": "Other"})
    assert again.status_code == 409


def test_get_by_email_finds_any_case_and_404s_for_unknown(api: Api) -> None:
    org = api.create_org()
    customer = org.create_customer(email="mixed.Case@Example.org")
    assert org.get("/customers/by-email/MIXED.case@example.ORG").json()["id"] == customer["id"]
    assert org.get("/customers/by-email/nobody@example.org").status_code == 404


def test_patch_changes_only_given_fields_and_null_clears(api: Api) -> None:
    org = api.create_org()
    customer = org.create_customer(first_name="Ann", last_name="Lee", phone="+4930901820", is_favorite=False)
    response = org.patch(f"/customers/{customer['id']}", json={"phone": None, "is_favorite": True})
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["phone"] is None
    assert body["is_favorite"] is True
    assert body["first_name"] == "Ann"
    assert body["version"] == 2
    assert response.headers["etag"] == '"2"'


def test_stale_if_match_answers_412_and_changes_nothing(api: Api) -> None:
    org = api.create_org()
    customer = org.create_customer()
    path = f"/customers/{customer['id']}"
    assert org.patch(path, json={"first_name": "One"}, headers={"If-Match": '"1"'}).status_code == 200
    stale = org.patch(path, json={"first_name": "Two"}, headers={"If-Match": '"1"'})
    assert stale.status_code == 412
    assert stale.json()["code"] == "resource.version_mismatch"
    assert org.get(path).json()["first_name"] == "One"
    assert org.patch(path, json={"first_name": "Three"}, headers={"If-Match": "*"}).status_code == 200


def test_patch_email_to_a_taken_one_is_409(api: Api) -> None:
    org = api.create_org()
    org.create_customer(email="taken@example.com")
    other = org.create_customer()
    response = org.patch(f"/customers/{other['id']}", json={"email": "TAKEN@example.com"})
    assert response.status_code == 409
    assert response.json()["code"] == "customer.email_taken"


def test_soft_delete_hides_from_lists_and_frees_the_email_and_restore_brings_it_back(api: Api) -> None:
    org = api.create_org()
    customer = org.create_customer(email="gone@example.com")
    assert org.delete(f"/customers/{customer['id']}").status_code == 204
    listing = org.get("/customers").json()
    assert customer["id"] not in [c["id"] for c in listing["items"]]
    assert org.get("/customers/by-email/gone@example.com").status_code == 404
    deleted = org.get(f"/customers/{customer['id']}").json()
    assert deleted["deleted_at"] is not None

    restored = org.post(f"/customers/{customer['id']}/restore")
    assert restored.status_code == 200
    assert restored.json()["deleted_at"] is None
    assert org.get("/customers/by-email/gone@example.com").json()["id"] == customer["id"]


def test_restore_is_409_when_the_email_was_taken_meanwhile(api: Api) -> None:
    org = api.create_org()
    customer = org.create_customer(email="reuse@example.com")
    org.delete(f"/customers/{customer['id']}")
    newcomer = org.create_customer(email="reuse@example.com")
    assert newcomer["id"] != customer["id"]
    response = org.post(f"/customers/{customer['id']}/restore")
    assert response.status_code == 409
    assert response.json()["code"] == "customer.email_taken"
    assert org.get(f"/customers/{customer['id']}").json()["deleted_at"] is not None


def test_patch_of_a_deleted_customer_is_409(api: Api) -> None:
    org = api.create_org()
    customer = org.create_customer()
    org.delete(f"/customers/{customer['id']}")
    response = org.patch(f"/customers/{customer['id']}", json={"first_name": "Zed"})
    assert response.status_code == 409
    assert response.json()["code"] == "customer.deleted"


def test_list_pages_with_limit_and_offset_newest_first(api: Api) -> None:
    org = api.create_org()
    created = [org.create_customer(first_name=f"P{i}")["id"] for i in range(7)]
    first = org.get("/customers", params={"limit": 3}).json()
    second = org.get("/customers", params={"limit": 3, "offset": 3}).json()
    assert first["total"] == 7
    assert (first["limit"], first["offset"]) == (3, 0)
    ids = [c["id"] for c in first["items"] + second["items"]]
    assert ids == list(reversed(created))[:6]
    assert org.get("/customers", params={"limit": 501}).status_code in (400, 422)


def test_purge_removes_only_outdated_guests(api: Api) -> None:
    org = api.create_org()
    guest = org.create_customer(is_guest=True, email="old.guest@example.com")
    registered = org.create_customer()
    # Nothing is older than a day yet: nothing is purged.
    assert org.delete("/customers/guests/outdated", params={"older_than_days": 1}).json()["purged"] == 0
    _age_customer(api, org, guest["id"], days=400)
    _age_customer(api, org, registered["id"], days=400)
    result = org.delete("/customers/guests/outdated").json()
    assert result == {"purged": 1, "older_than_days": 365}
    assert org.get(f"/customers/{guest['id']}").status_code == 404
    assert org.get(f"/customers/{registered['id']}").status_code == 200
    assert any(e["type"] == "customer.purged" and e["subject_id"] == guest["id"] for e in org.events())


def _age_customer(api: Api, org: object, customer_id: str, *, days: int) -> None:
    """Move a customer's last activity into the past (no API can do this, by design)."""
    import uuid

    import sqlalchemy as sa

    from patron.db.models import Customer
    from patron.kernel import clock

    database = api.client.app.state.database
    table = Customer.__table__
    with database.engine.begin() as conn:
        conn.execute(
            sa.update(table)
            .where(table.c.id == uuid.UUID(customer_id))
            .values(updated_at=clock.now() - timedelta(days=days))
        )


def test_field_rules_required_disabled_min_length_and_gender(api: Api) -> None:
    org = api.create_org()
    rules = {
        "field_rules": {
            "phone": {"mode": "required"},
            "fax": {"mode": "disabled"},
            "last_name": {"mode": "required", "min_length": 2},
            "gender": {"mode": "required"},
        }
    }
    assert org.patch("/organization", json=rules).status_code == 200
    response = org.post("/customers", json={"email": "a@example.com", "fax": "+4930901820", "last_name": "L"})
    assert response.status_code == 422
    fields = {e["field"] for e in response.json()["errors"]}
    assert fields == {"phone", "fax", "last_name", "gender"}
    ok = org.post(
        "/customers",
        json={"email": "a@example.com", "phone": "+4930901820", "last_name": "Lee", "gender": "diverse"},
    )
    assert ok.status_code == 201, ok.text
    # Names are optional when a company name is given.
    company = org.post(
        "/customers",
        json={"email": "b@example.com", "phone": "+4930901820", "company_name": "ACME", "gender": "female"},
    )
    assert company.status_code == 201, company.text


def test_a_name_or_a_company_is_needed(api: Api) -> None:
    org = api.create_org()
    response = org.post("/customers", json={"email": "noname@example.com"})
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "first_name"
    assert org.post("/customers", json={"email": "co@example.com", "company_name": "Co"}).status_code == 201


def test_custom_fields_follow_the_organization_definitions(api: Api) -> None:
    org = api.create_org()
    definitions = {"custom_fields": {"loyalty_card": {"type": "string", "required": True}, "kids": {"type": "integer"}}}
    assert org.patch("/organization", json=definitions).status_code == 200
    bad = org.post(
        "/customers", json={"email": "c@example.com", "first_name": "C", "custom_fields": {"kids": "two", "x": 1}}
    )
    assert bad.status_code == 422
    assert {e["field"] for e in bad.json()["errors"]} == {
        "custom_fields.kids",
        "custom_fields.x",
        "custom_fields.loyalty_card",
    }
    good = org.create_customer(custom_fields={"loyalty_card": "LC-1", "kids": 2})
    assert good["custom_fields"] == {"loyalty_card": "LC-1", "kids": 2}


def test_assigned_to_must_be_staff_of_the_same_organization(api: Api) -> None:
    org = api.create_org()
    other = api.create_org()
    response = org.post("/customers", json={"email": "d@example.com", "first_name": "D", "assigned_to": other.owner_id})
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "assigned_to"
    assert org.create_customer(assigned_to=org.owner_id)["assigned_to"] == org.owner_id


def test_birthday_today_is_fine_and_tomorrow_is_not(api: Api) -> None:
    org = api.create_org()
    assert (
        org.create_customer(birthday=datetime.now(UTC).date().isoformat())["birthday"]
        == datetime.now(UTC).date().isoformat()
    )
    response = org.post(
        "/customers",
        json={
            "email": f"{unique('b')}@example.com",
            "first_name": "B",
            "birthday": (datetime.now(UTC).date() + timedelta(days=2)).isoformat(),
        },
    )
    assert response.status_code == 422
    assert response.json()["errors"] == [{"field": "birthday", "message": "cannot be in the future"}]
