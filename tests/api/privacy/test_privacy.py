"""Right of access and erasure through the HTTP API (SPEC §13.3), on both databases."""

from __future__ import annotations

import json
import uuid
from typing import Any

import sqlalchemy as sa

from patron.db.base import Base
from patron.db.uow import Database
from tests.api.privacy.people import EMAIL, FIRST, PERSONAL, STREET, Person, everything, ok
from tests.factories import Api, ledger_problems

EXPORT_KEYS = {
    "generated_at", "customer", "merged", "addresses", "orders", "points", "lists", "subscriptions", "inquiries",
    "interactions", "memos", "deals", "companies", "product_restrictions", "merges", "duplicate_dismissals", "events",
}  # fmt: skip


def _export(person: Person) -> dict[str, Any]:
    return ok(person.org.get(f"/customers/{person.id}/export"), 200)


def _erase(person: Person, reason: str = "asked to be forgotten") -> Any:
    return person.org.post(f"/customers/{person.id}/erase", json={"reason": reason})


def _found_anywhere(database: Database, org_id: str, needles: tuple[str, ...]) -> list[str]:
    """`table.column: needle` for every stored value of the organization holding a needle (any case)."""
    import patron.db.models  # noqa: F401  (every table in the metadata)

    wanted = [needle.casefold() for needle in needles]
    hits: list[str] = []
    with database.engine.connect() as conn:
        for table in Base.metadata.sorted_tables:
            # every tenant-owned table by its org_id, the organization's own row by its id
            key = table.c.get("org_id") if "org_id" in table.c else table.c.get("id")
            if key is None:
                continue
            for row in conn.execute(sa.select(table).where(key == uuid.UUID(org_id))):
                for column, value in row._mapping.items():
                    text = _text(value).casefold()
                    hits += [f"{table.name}.{column}: {n}" for n in wanted if n in text]
    return hits


def _in_search_index(database: Database, org_id: str, word: str) -> int | None:
    """How many customers SQLite's full-text index (outside the models: its own copy of the
    tokens, each prefixed with the organization's id) finds by the word; None on PostgreSQL,
    whose trigram index reads `search_text`."""
    if not database.is_sqlite:
        return None
    with database.engine.connect() as conn:
        match = "SELECT count(*) FROM customer_fts WHERE customer_fts MATCH :q"
        query = f'"{uuid.UUID(org_id).hex}{word.lower()}"'
        return int(conn.execute(sa.text(match), {"q": query}).scalar_one())


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bytes):
        return value.decode("utf-8", "ignore")
    if isinstance(value, dict | list):
        return json.dumps(value, ensure_ascii=False, default=str)
    return str(value)


def test_the_export_holds_every_record_of_the_customer(api: Api, database: Database) -> None:
    person = everything(api, database)
    document = _export(person)
    assert set(document) == EXPORT_KEYS
    assert document["customer"]["id"] == person.id
    assert document["customer"]["first_name"] == FIRST
    for key in EXPORT_KEYS - {"generated_at", "customer", "points", "merged"}:
        assert document[key], f"{key} is empty"
    assert [a["street"] for a in document["addresses"]] == [STREET]
    assert sorted(o["id"] for o in document["orders"]) == sorted(person.orders)
    assert [o["total"] for o in document["orders"]] == [120_000, 45_500]
    points = document["points"]
    assert points["balance"] == sum(e["points"] for e in points["entries"]) == 120 + 45 - 20 + 5
    shown = ok(person.org.get(f"/customers/{person.id}/points"), 200)
    assert (points["balance"], points["lifetime_earned"]) == (shown["balance"], shown["lifetime_earned"]) == (150, 170)
    [wishlist] = document["lists"]
    assert [i["product_ref"] for i in wishlist["items"]] == ["SKU-1"]
    [subscription] = document["subscriptions"]
    assert subscription["email"] == EMAIL
    assert [c["action"] for c in subscription["consents"]][:1] == ["subscribe"]
    assert subscription["consents"][0]["user_agent"]
    [inquiry] = document["inquiries"]
    assert [r["message"] for r in inquiry["replies"]] == ["Dear Zephyrine Oakenshaw, sure"]
    assert [m["role"] for m in document["companies"]] == ["buyer"]
    assert document["companies"][0]["company_name"].startswith("Acme")
    assert [(r["kind"], r["product_ref"]) for r in document["product_restrictions"]] == [("allow", "SKU-1")]
    types = {e["type"] for e in document["events"]}
    assert {"customer.created", "customer.updated", "address.created", "order.paid", "points.awarded"} <= types
    assert [e["seq"] for e in document["events"]] == sorted(e["seq"] for e in document["events"])
    assert "search_text" not in document["customer"]


def test_the_export_of_a_deleted_customer_still_answers(api: Api, database: Database) -> None:
    org = api.create_org()
    customer = org.create_customer(first_name="Gone")
    assert org.delete(f"/customers/{customer['id']}").status_code == 204
    document = ok(org.get(f"/customers/{customer['id']}/export"), 200)
    assert document["customer"]["deleted_at"] is not None
    assert {e["type"] for e in document["events"]} == {"customer.created", "customer.deleted"}


def test_erasure_leaves_no_personal_value_in_any_table(api: Api, database: Database) -> None:
    person = everything(api, database)
    before = {hit.split(":")[0] for hit in _found_anywhere(database, person.org.id, PERSONAL)}
    # the check sees them before, wherever they were written
    assert {
        "customer.first_name", "customer.search_text", "address.street", "newsletter_subscriber.email",
        "inquiry.message", "inquiry_reply.message", "memo.body",
        "interaction.summary", "deal.title", "customer_list_item.note", "loyalty_entry.reason", "outbox_event.data",
        "merge_journal.record", "idempotency_record.response_body", "inquiry_rate_window.key",
    } <= before, before  # fmt: skip
    assert _in_search_index(database, person.org.id, FIRST) in (1, None)
    erased = ok(_erase(person), 200)
    assert erased["id"] == person.id
    assert erased["erased_at"]
    assert _found_anywhere(database, person.org.id, PERSONAL) == []
    assert _in_search_index(database, person.org.id, FIRST) in (0, None)
    [subscription] = _export(person)["subscriptions"]
    assert subscription["status"] == "unsubscribed"
    assert [(c["ip_address"], c["user_agent"]) for c in subscription["consents"]] == [(None, None)]
    [inquiry] = _export(person)["inquiries"]
    assert (inquiry["client_ip"], inquiry["user_agent"], inquiry["phone"]) == (None, None, None)
    # every way of reading the customer agrees
    for text in (
        person.org.get(f"/customers/{person.id}").text,
        person.org.get(f"/customers/{person.id}/export").text,
        person.org.get("/events", params={"limit": 200}).text,
        person.org.get("/newsletter/subscribers").text,
        person.org.get("/inquiries").text,
    ):
        assert not [n for n in PERSONAL if n.casefold() in text.casefold()], text


def test_erasure_keeps_orders_and_the_ledger(api: Api, database: Database) -> None:
    person = everything(api, database)
    before = _export(person)
    ok(_erase(person), 200)
    after = _export(person)
    keep = ("id", "external_ref", "total", "currency", "status", "placed_at", "paid_at", "customer_id")
    assert [{k: o[k] for k in keep} for o in after["orders"]] == [{k: o[k] for k in keep} for o in before["orders"]]
    numbers = ("id", "kind", "points", "lifetime_points", "order_id", "created_at")
    entries = [{k: e[k] for k in numbers} for e in after["points"]["entries"]]
    assert entries == [{k: e[k] for k in numbers} for e in before["points"]["entries"]]
    assert after["points"]["balance"] == before["points"]["balance"] == 150
    assert after["points"]["lifetime_earned"] == before["points"]["lifetime_earned"]
    assert ledger_problems(database.engine, person.org.id) == []
    customer = after["customer"]
    assert customer["erased_at"]
    assert customer["deleted_at"]
    assert customer["first_name"] is None
    assert customer["email"].endswith("@erased.invalid")
    assert customer["customer_number"] == before["customer"]["customer_number"]


def test_erasure_writes_customer_erased_without_personal_data(api: Api, database: Database) -> None:
    person = everything(api, database)
    ok(_erase(person, reason=f"{FIRST} wrote in on 3 Dec"), 200)
    [event] = person.org.events(type="customer.erased")
    assert event["subject_id"] == person.id
    assert event["data"] == {"reason": "* wrote in on 3 Dec", "merged_into": None}


def test_an_erased_customer_is_not_erased_again_nor_restored(api: Api, database: Database) -> None:
    org = api.create_org()
    person = Person(org, org.create_customer(first_name="Once")["id"])
    ok(_erase(person), 200)
    events = len(org.events())
    again = _erase(person)
    assert again.status_code == 409, again.text
    assert again.json()["code"] == "customer.erased"
    restore = org.post(f"/customers/{person.id}/restore")
    assert restore.status_code == 409, restore.text
    assert restore.json()["code"] == "customer.erased"
    assert len(org.events()) == events
    assert org.get(f"/customers/{person.id}").json()["deleted_at"] is not None


def test_the_reason_is_required(api: Api) -> None:
    org = api.create_org()
    customer = org.create_customer(first_name="Kept")
    path = f"/customers/{customer['id']}/erase"
    for body in ({}, {"reason": ""}, {"reason": "   "}, {"reason": "x" * 501}, {"reason": 5}):
        response = org.post(path, json=body)
        assert response.status_code == 422, (body, response.text)
        assert response.headers["content-type"].startswith("application/problem+json")
        assert [e["field"] for e in response.json()["errors"]] == ["reason"], response.text
    assert org.get(f"/customers/{customer['id']}").json()["first_name"] == "Kept"
    assert org.post(f"/customers/{uuid.uuid4()}/erase", json={"reason": "r"}).status_code == 404
    assert org.get(f"/customers/{uuid.uuid4()}/export").status_code == 404
    assert org.get("/customers/not-an-id/export").status_code == 404


def test_customers_merged_into_it_are_erased_too(api: Api, database: Database) -> None:
    org = api.create_org()
    survivor = org.create_customer(first_name="Survilla")
    source = org.create_customer(email="quillon.source@example.com", first_name="Quillon", phone="+84 913 555 777")
    ok(org.post(f"/customers/{survivor['id']}/merge", json={"from_ids": [source["id"]]}), 200)
    document = ok(org.get(f"/customers/{survivor['id']}/export"), 200)
    assert [m["id"] for m in document["merged"]] == [source["id"]]
    ok(org.post(f"/customers/{survivor['id']}/erase", json={"reason": "asked"}), 200)
    assert _found_anywhere(database, org.id, ("Quillon", "quillon.source", "913555777", "Survilla")) == []
    erased = {e["subject_id"]: e["data"]["merged_into"] for e in org.events(type="customer.erased")}
    assert erased == {survivor["id"]: None, source["id"]: survivor["id"]}
