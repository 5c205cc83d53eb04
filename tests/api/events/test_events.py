"""Domain events go to the outbox with the change, and the feed pages through them."""

from __future__ import annotations

from tests.factories import Api


def test_customer_changes_write_their_events_in_order(api: Api) -> None:
    org = api.create_org()
    customer = org.create_customer(first_name="Eve", email="eve@example.com")
    cid = customer["id"]
    org.patch(f"/customers/{cid}", json={"first_name": "Eva", "phone": "+4930901820", "credit": 100})
    org.delete(f"/customers/{cid}")
    org.post(f"/customers/{cid}/restore")
    events = [e for e in org.events() if e["subject_id"] == cid]
    assert [e["type"] for e in events] == [
        "customer.created",
        "customer.updated",
        "customer.deleted",
        "customer.restored",
    ]
    updated = events[1]
    assert updated["data"]["sections"] == ["contact", "credit", "personal"]
    assert updated["data"]["changes"]["first_name"] == {"old": "Eve", "new": "Eva"}
    assert updated["actor"] == {"type": "staff", "id": org.owner_id}


def test_a_failed_write_leaves_no_event(api: Api) -> None:
    org = api.create_org()
    org.create_customer(email="one@example.com")
    count = len(org.events())
    assert org.post("/customers", json={"email": "one@example.com", "first_name": "X"}).status_code == 409
    assert len(org.events()) == count


def test_the_feed_pages_with_an_opaque_cursor(api: Api) -> None:
    org = api.create_org()
    for _ in range(5):
        org.create_customer()
    seen: list[str] = []
    cursor = None
    while True:
        params = {"limit": 2, **({"after": cursor} if cursor else {})}
        page = org.get("/events", params=params).json()
        if not page["items"]:
            break
        seen.extend(e["id"] for e in page["items"])
        cursor = page["next_cursor"]
    assert len(seen) == len(set(seen)) == len(org.events())
    assert org.get("/events", params={"after": "garbage"}).status_code == 422
    assert org.get("/events", params={"after": cursor}).json()["items"] == []
    only = org.get("/events", params={"type": "customer.created"}).json()["items"]
    assert len(only) == 5
