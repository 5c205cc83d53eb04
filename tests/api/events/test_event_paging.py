"""GET /events: the list shape, cursor paging and type patterns."""

from __future__ import annotations

from tests.api.paging import SHAPE, assert_bad_cursor_is_422, page_through
from tests.factories import Api


def test_paging_the_feed_with_next_cursor_sees_every_event_once(api: Api) -> None:
    org = api.create_org()
    for _ in range(7):
        org.create_customer()
    everything = org.events()
    paged = page_through(org, "/events", limit=3)
    assert [e["id"] for e in paged] == [e["id"] for e in everything]
    page = org.get("/events", params={"limit": 2}).json()
    assert set(page) >= SHAPE
    assert page["total"] == len(everything)
    # Polling on from the end answers no event and the same cursor, to poll with again.
    last = org.get("/events", params={"cursor": paged[-1]["cursor"]}).json()
    assert last["items"] == []
    assert last["next_cursor"] == paged[-1]["cursor"]


def test_a_type_pattern_matches_by_prefix(api: Api) -> None:
    org = api.create_org()
    org.create_customer()
    org.post("/companies", json={"name": "Acme"})
    customer_events = org.events(type="customer.*")
    assert customer_events
    assert {e["type"] for e in customer_events} == {"customer.created"}
    assert {e["type"] for e in org.events(type=["customer.*", "company.created"])} == {
        "customer.created",
        "company.created",
    }
    assert len(org.events(type="*")) == len(org.events())
    assert org.get("/events", params={"type": "customer.*"}).json()["total"] == len(customer_events)


def test_a_bad_type_pattern_or_cursor_is_422(api: Api) -> None:
    org = api.create_org()
    response = org.get("/events", params={"type": "customer.**"})
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "type"
    assert_bad_cursor_is_422(org, "/events")
