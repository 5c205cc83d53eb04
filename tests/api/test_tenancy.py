"""No request reads or changes another organization's data: other-org ids answer 404."""

from __future__ import annotations

import uuid

from tests.factories import Api, unique


def test_every_cross_organization_customer_call_answers_404_and_changes_nothing(api: Api) -> None:
    mine = api.create_org()
    theirs = api.create_org()
    customer = theirs.create_customer(email="private@example.com", first_name="Private")
    before = theirs.get(f"/customers/{customer['id']}").json()
    path = f"/customers/{customer['id']}"

    calls = [
        mine.get(path),
        mine.patch(path, json={"first_name": "Hacked"}),
        mine.patch(path, json={"first_name": "Hacked"}, headers={"If-Match": '"1"'}),
        mine.delete(path),
        mine.post(f"{path}/restore"),
        mine.get(f"{path}/export"),
        mine.post(f"{path}/erase", json={"reason": "not yours"}),
        mine.get("/customers/by-email/private@example.com"),
    ]
    for response in calls:
        assert response.status_code == 404, response.text
        assert response.json()["code"] == "customer.not_found"
    assert theirs.get(path).json() == before
    assert customer["id"] not in [c["id"] for c in mine.get("/customers").json()["items"]]


def test_every_role_sees_only_its_organization(api: Api) -> None:
    mine = api.create_org()
    theirs = api.create_org()
    customer = theirs.create_customer()
    for role in ("owner", "cashier", "marketing", "sales"):
        assert mine.get(f"/customers/{customer['id']}", role=role).status_code == 404


def test_the_same_email_may_exist_in_two_organizations(api: Api) -> None:
    one = api.create_org()
    two = api.create_org()
    a = one.create_customer(email="shared@example.com")
    b = two.create_customer(email="shared@example.com")
    assert a["id"] != b["id"]
    assert a["customer_number"] == b["customer_number"] == "C-000001"


def test_staff_and_keys_of_another_organization_answer_404(api: Api) -> None:
    mine = api.create_org()
    theirs = api.create_org()
    their_staff = api.create_staff(theirs, "cashier")["staff"]
    assert mine.get(f"/staff/{their_staff['id']}").status_code == 404
    assert mine.patch(f"/staff/{their_staff['id']}", json={"role": "owner"}).status_code == 404
    assert mine.delete(f"/staff/{their_staff['id']}").status_code == 404
    assert mine.post(f"/staff/{their_staff['id']}/api-keys", json={}).status_code == 404
    assert mine.get(f"/staff/{their_staff['id']}/api-keys").status_code == 404
    key = theirs.post(f"/staff/{their_staff['id']}/api-keys", json={"name": "till"}).json()
    assert mine.delete(f"/api-keys/{key['key']['id']}").status_code == 404
    # their key still works
    assert (
        theirs.api.client.get("/api/v1/customers", headers={"Authorization": f"Bearer {key['api_key']}"}).status_code
        == 200
    )


def test_events_feed_holds_only_the_organizations_events(api: Api) -> None:
    mine = api.create_org()
    theirs = api.create_org()
    theirs.create_customer()
    subject_ids = {e["subject_id"] for e in mine.events()}
    assert subject_ids <= {mine.id, mine.owner_id}


def test_a_key_cannot_be_moved_to_another_organization(api: Api) -> None:
    """The key names its organization; pasting another org's id into it does not authenticate."""
    mine = api.create_org()
    theirs = api.create_org()
    forged = mine.owner_key.replace(mine.id.replace("-", ""), theirs.id.replace("-", ""))
    response = api.client.get("/api/v1/customers", headers={"Authorization": f"Bearer {forged}"})
    assert response.status_code == 401


def test_duplicates_of_another_organization_are_not_listed_nor_dismissed(api: Api) -> None:
    mine = api.create_org()
    theirs = api.create_org()
    email = f"{unique('dup')}@example.com"
    a = theirs.create_customer(email=email, first_name="Lan")
    b = theirs.create_customer(email=email, first_name="Lan", is_guest=True)
    mine.create_customer(email=email, first_name="Lan", is_guest=True)
    before = theirs.get("/duplicates").json()
    assert [pair["customer_ids"] for pair in before["items"]] == [sorted([a["id"], b["id"]], key=uuid.UUID)]
    assert mine.get("/duplicates", params={"min_score": 0}).json()["items"] == []
    refused = mine.post("/duplicates/dismiss", json={"customer_ids": [a["id"], b["id"]]})
    assert refused.status_code == 422
    assert [e["field"] for e in refused.json()["errors"]] == ["customer_ids[0]", "customer_ids[1]"]
    assert theirs.get("/duplicates").json() == before
    assert theirs.events(type="duplicate.dismissed") == []


def test_a_segment_preview_sees_only_the_callers_organization(api: Api) -> None:
    mine = api.create_org()
    theirs = api.create_org()
    tag = unique("seg").lower()
    theirs.create_customer(email=f"{unique('s')}@example.com", first_name="Lan", tags=[tag])
    query = {"query": f"tags has '{tag}' or first_name = 'Lan'"}
    assert theirs.post("/segments/preview", json=query).json()["count"] == 1
    assert mine.post("/segments/preview", json=query).json() == {"count": 0, "items": []}


def test_merges_across_organizations_answer_404_and_change_nothing(api: Api) -> None:
    mine = api.create_org()
    theirs = api.create_org()
    their_survivor, their_source = theirs.create_customer(), theirs.create_customer()
    my_customer = mine.create_customer()
    for survivor, source in ((my_customer, their_source), (their_survivor, my_customer)):
        response = mine.post(f"/customers/{survivor['id']}/merge", json={"from_ids": [source["id"]]})
        assert response.status_code == 404, response.text
        assert response.json()["code"] == "customer.not_found"
    merged = theirs.post(f"/customers/{their_survivor['id']}/merge", json={"from_ids": [their_source["id"]]})
    merge_id = merged.json()["merge_id"]
    assert mine.get(f"/merges/{merge_id}").status_code == 404
    undo = mine.post(f"/merges/{merge_id}/undo")
    assert undo.status_code == 404
    assert undo.json()["code"] == "merge.not_found"
    assert theirs.get(f"/merges/{merge_id}").json()["undone_at"] is None
    assert mine.get(f"/customers/{my_customer['id']}").json()["deleted_at"] is None
