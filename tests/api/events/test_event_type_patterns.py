"""Webhooks and `GET /events?type=` take the same event type patterns: a known type, a domain
with events (`customer.*`) or `*`. A pattern naming no event type is refused with 422 naming
the field, instead of matching nothing forever."""

from __future__ import annotations

import pytest

from patron.event_types import REGISTRY
from patron.events.webhook_rules import names_known_types
from tests.factories import Api

UNKNOWN = ["customer.create", "custmer.*", "points.*x", "order"]
URL = "http://127.0.0.1:9/hook"


@pytest.mark.parametrize("pattern", UNKNOWN)
def test_a_webhook_naming_no_event_type_is_refused_naming_the_field(api: Api, pattern: str) -> None:
    org = api.create_org()
    created = org.post("/webhooks", json={"url": URL, "event_types": ["customer.created", pattern]})
    assert created.status_code == 422, created.text
    assert [e["field"] for e in created.json()["errors"]] == ["event_types[1]"]
    assert org.get("/webhooks").json()["items"] == []
    hook = org.post("/webhooks", json={"url": URL, "event_types": ["customer.*"]})
    assert hook.status_code == 201, hook.text
    path = f"/webhooks/{hook.json()['webhook']['id']}"
    changed = org.patch(path, json={"event_types": [pattern]})
    assert changed.status_code == 422
    assert [e["field"] for e in changed.json()["errors"]] == ["event_types[0]"]
    assert org.get(path).json()["event_types"] == ["customer.*"]


def test_known_types_domains_and_star_are_taken(api: Api) -> None:
    org = api.create_org()
    patterns = ["*", "customer.*", "points.*", "subscriber.subscribed", *sorted(REGISTRY)[:40]]
    created = org.post("/webhooks", json={"url": URL, "event_types": patterns})
    assert created.status_code == 201, created.text


def test_events_filter_by_the_same_patterns(api: Api) -> None:
    org = api.create_org()
    customer = org.create_customer()
    org.patch(f"/customers/{customer['id']}", json={"first_name": "Other"})
    org.post("/customer-groups", json={"name": "VIP"})
    every = org.get("/events").json()["items"]
    customers = [e for e in every if e["type"].startswith("customer.")]
    assert {e["type"] for e in customers} == {"customer.created", "customer.updated"}
    by_domain = org.get("/events", params={"type": "customer.*"}).json()["items"]
    assert by_domain == customers
    mixed = org.get("/events", params=[("type", "customer.created"), ("type", "customer_group.*")]).json()["items"]
    assert [e["type"] for e in mixed] == [
        e["type"] for e in every if e["type"] == "customer.created" or e["type"].startswith("customer_group.")
    ]
    assert org.get("/events", params={"type": "*"}).json()["items"] == every
    for pattern in UNKNOWN:
        refused = org.get("/events", params={"type": pattern})
        assert refused.status_code == 422, (pattern, refused.text)
        assert [e["field"] for e in refused.json()["errors"]] == ["type"]


def test_every_registered_type_and_its_domain_are_known() -> None:
    for event_type in REGISTRY:
        assert names_known_types(event_type, REGISTRY)
        assert names_known_types(event_type.split(".")[0] + ".*", REGISTRY)
    assert not names_known_types("nothing.*", REGISTRY)
