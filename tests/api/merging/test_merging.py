"""Merging customers through the HTTP API, and undoing the merge (SPEC §13.4).

After every test the balance of every customer of the organization equals the sum of its
ledger entries (checked by SQL).
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from typing import Any

import pytest
import sqlalchemy as sa

from patron.db.base import table
from patron.db.models import Customer
from patron.db.uow import Database
from patron.merging import repository
from tests.factories import Api, Org, ledger_problems, loyal_org, unique

_customer = table(Customer)
# Columns of the customer row every write moves on; the snapshot compares the rest.
_BOOKKEEPING = {"updated_at", "version"}


@pytest.fixture
def org(api: Api, database: Database) -> Iterator[Org]:
    org = loyal_org(api)
    yield org
    assert ledger_problems(database.engine, org.id) == []


def _ok(response: Any, status: int = 200) -> dict[str, Any]:
    assert response.status_code == status, response.text
    return dict(response.json())


def _paid_order(org: Org, customer_id: str, total: int) -> dict[str, Any]:
    order = _ok(
        org.post(
            "/orders", json={"external_ref": unique("o"), "total": total, "currency": "USD", "customer_id": customer_id}
        ),
        201,
    )
    _ok(org.post(f"/orders/{order['id']}/pay"))
    return order


def _merge(org: Org, survivor: str, *sources: str, role: str = "owner", **body: Any) -> Any:
    return org.post(f"/customers/{survivor}/merge", role, json={"from_ids": list(sources), **body})


def _everything(org: Org, customer: dict[str, Any], company_id: str) -> None:
    """One of each kind of record a merge moves, on this customer."""
    cid = customer["id"]
    _paid_order(org, cid, 30_000)
    _ok(
        org.post(
            f"/customers/{cid}/addresses",
            json={"street": "Lê Lợi", "city": "Huế", "country": "VN", "is_default_shipping": True},
        ),
        201,
    )
    listed = _ok(org.post(f"/customers/{cid}/lists", json={"name": "wishes"}), 201)
    _ok(org.post(f"/customers/{cid}/lists/{listed['id']}/items", json={"product_ref": unique("p")}), 201)
    _ok(org.post(f"/customers/{cid}/interactions", json={"kind": "call", "summary": "hello"}), 201)
    _ok(org.post(f"/customers/{cid}/memos", json={"body": "a note"}), 201)
    _ok(org.post("/deals", json={"title": "deal", "value": 100, "currency": "USD", "customer_id": cid}), 201)
    _ok(org.post(f"/companies/{company_id}/members", json={"customer_id": cid}), 201)
    _ok(org.request("PUT", f"/customers/{cid}/product-restrictions", json={"allow": ["A"], "deny": [unique("d")]}))
    answer = org.api.client.post(
        f"/api/v1/public/{org.slug}/newsletter/subscriptions", json={"email": customer["email"]}
    )
    assert answer.status_code in (200, 201, 202), answer.text


def _add_inquiry(database: Database, org: Org, customer_id: str) -> None:
    inquiry = repository.journal.metadata.tables["inquiry"]
    with database.engine.begin() as conn:
        conn.execute(
            sa.insert(inquiry).values(
                org_id=uuid.UUID(org.id),
                id=uuid.uuid4(),
                name="N",
                email="n@example.com",
                message="hi",
                status="converted",
                customer_id=uuid.UUID(customer_id),
                created_at=sa.func.current_timestamp(),
                updated_at=sa.func.current_timestamp(),
            )
        )


def _snapshot(database: Database, org: Org) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table referring to customers (and their children), in key order."""
    tables = dict(repository.tables_referring_to_customers())
    metadata = repository.journal.metadata
    for name in ("customer", "customer_list_item", "newsletter_consent"):
        tables[name] = metadata.tables[name]
    for name in repository.LEFT:
        tables.pop(name, None)
    found: dict[str, list[tuple[Any, ...]]] = {}
    with database.engine.connect() as conn:
        for name, t in sorted(tables.items()):
            columns = [c for c in t.c if not (name == "customer" and c.name in _BOOKKEEPING)]
            stmt = sa.select(*columns).where(t.c.org_id == uuid.UUID(org.id)).order_by(*t.primary_key.columns)
            found[name] = [tuple(row) for row in conn.execute(stmt)]
    return found


def _ledger_sum(database: Database, org: Org) -> tuple[int, int]:
    with database.engine.connect() as conn:
        row = conn.execute(
            sa.text("SELECT COUNT(*), COALESCE(SUM(points), 0) FROM loyalty_entry WHERE org_id = :o"),
            {"o": uuid.UUID(org.id).hex if database.is_sqlite else org.id},
        ).one()
    return int(row[0]), int(row[1])


def test_a_merge_moves_every_kind_of_record_and_its_undo_restores_every_row(org: Org, database: Database) -> None:
    company = _ok(org.post("/companies", json={"name": unique("Co")}), 201)
    other_company = _ok(org.post("/companies", json={"name": unique("Co")}), 201)
    survivor = org.create_customer(first_name="Lan", tags=["vip"])
    source = org.create_customer(last_name="Nguyễn", phone="+84912345678", tags=["b2b", "vip"], credit=500)
    _everything(org, survivor, company["id"])
    _everything(org, source, other_company["id"])
    _add_inquiry(database, org, source["id"])
    before = _snapshot(database, org)
    ledger_before = _ledger_sum(database, org)

    merged = _ok(_merge(org, survivor["id"], source["id"]))
    customer = merged["customer"]
    assert customer["id"] == survivor["id"]
    assert customer["first_name"] == "Lan"
    assert customer["last_name"] == "Nguyễn"
    assert customer["phone"] == source["phone"]
    assert customer["tags"] == ["vip", "b2b"]
    assert customer["other_emails"] == [source["email"]]
    assert customer["credit"] == 500
    assert customer["points_balance"] == 60
    assert _ledger_sum(database, org) == ledger_before
    gone = org.get(f"/customers/{source['id']}")
    assert gone.status_code == 404
    assert gone.json()["code"] == "customer.merged"
    assert gone.json()["merged_into"] == survivor["id"]

    journal = _ok(org.get(f"/merges/{merged['merge_id']}"))
    assert journal["survivor_id"] == survivor["id"]
    assert journal["source_ids"] == [source["id"]]
    assert journal["undone_at"] is None
    assert journal["actor"]["type"] in ("staff", "api_key")
    # The survivor keeps its company membership, the source's stays with the source; both allow
    # product "A": the source's rule stays with it, its own deny rule moves.
    assert journal["moved"] == {
        "shop_order": 1,
        "loyalty_entry": 1,
        "address": 1,
        "customer_list": 1,
        "newsletter_subscriber": 1,
        "interaction": 1,
        "memo": 1,
        "deal": 1,
        "customer_product_rule": 1,
        "inquiry": 1,
    }
    assert set(journal["changed_fields"]) >= {"last_name", "phone", "tags", "other_emails", "credit"}
    orders = _ok(org.get(f"/customers/{survivor['id']}/addresses"))
    assert sum(1 for a in orders["items"] if a["is_default_shipping"]) == 1
    [merged_event] = org.events(type="customer.merged")
    assert merged_event["subject_id"] == survivor["id"]
    assert merged_event["data"]["source_ids"] == [source["id"]]
    assert merged_event["data"]["merge_id"] == merged["merge_id"]

    undone = _ok(org.post(f"/merges/{merged['merge_id']}/undo"))
    assert [c["id"] for c in undone["customers"]] == [survivor["id"], source["id"]]
    assert _snapshot(database, org) == before
    assert _ok(org.get(f"/customers/{source['id']}"))["merged_into"] is None
    assert _ok(org.get(f"/merges/{merged['merge_id']}"))["undone_at"] is not None
    assert [e["subject_id"] for e in org.events(type="customer.unmerged")] == [survivor["id"]]
    again = org.post(f"/merges/{merged['merge_id']}/undo")
    assert again.status_code == 409
    assert again.json()["code"] == "merge.already_undone"


def test_prefer_takes_a_sources_value_and_the_old_primary_joins_the_others(org: Org) -> None:
    survivor = org.create_customer(first_name="A", phone="+84912000001")
    source = org.create_customer(first_name="B", phone="+84912000002", other_phones=["+84912000003"])
    body = {"prefer": {"email": source["id"], "first_name": source["id"]}}
    customer = _ok(_merge(org, survivor["id"], source["id"], **body))["customer"]
    assert customer["email"] == source["email"]
    assert customer["first_name"] == "B"
    assert customer["other_emails"] == [survivor["email"]]
    assert customer["phone"] == survivor["phone"]
    assert customer["other_phones"] == [source["phone"], *source["other_phones"]]


def test_rows_created_on_the_survivor_after_the_merge_stay_with_it(org: Org) -> None:
    survivor, source = org.create_customer(), org.create_customer()
    moved = _paid_order(org, source["id"], 10_000)
    merge_id = _ok(_merge(org, survivor["id"], source["id"]))["merge_id"]
    later = _paid_order(org, survivor["id"], 20_000)
    _ok(org.post(f"/merges/{merge_id}/undo"))
    assert _ok(org.get(f"/orders/{moved['id']}"))["customer_id"] == source["id"]
    assert _ok(org.get(f"/orders/{later['id']}"))["customer_id"] == survivor["id"]
    assert _ok(org.get(f"/customers/{survivor['id']}"))["points_balance"] == 20
    assert _ok(org.get(f"/customers/{source['id']}"))["points_balance"] == 10


def test_an_undo_after_the_moved_points_were_spent_is_refused_and_changes_nothing(org: Org, database: Database) -> None:
    survivor, source = org.create_customer(), org.create_customer()
    _paid_order(org, source["id"], 50_000)
    merge_id = _ok(_merge(org, survivor["id"], source["id"]))["merge_id"]
    _ok(org.post(f"/customers/{survivor['id']}/points/redeem", json={"points": 40}))
    before = _snapshot(database, org)
    refused = org.post(f"/merges/{merge_id}/undo")
    assert refused.status_code == 409
    assert refused.json()["code"] == "merge.undo_conflict"
    assert refused.json()["blocked_by"] == "points"
    assert _snapshot(database, org) == before


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"from_ids": []}, "from_ids"),
        ({"from_ids": ["SURVIVOR"]}, "from_ids[0]"),
        ({"from_ids": ["SOURCE", "SOURCE"]}, "from_ids[1]"),
        ({"from_ids": ["SOURCE"], "prefer": {"email": "SURVIVOR"}}, "prefer.email"),
        ({"from_ids": ["SOURCE"], "prefer": {"points_balance": "SOURCE"}}, "prefer.points_balance"),
        ({"from_ids": ["SOURCE"], "prefer": {"nonsense": "SOURCE"}}, "prefer.nonsense"),
    ],
)
def test_bad_requests_answer_422_naming_the_field(org: Org, body: dict[str, Any], field: str) -> None:
    survivor, source = org.create_customer(), org.create_customer()
    names = {"SURVIVOR": survivor["id"], "SOURCE": source["id"]}
    body = {
        "from_ids": [names[i] for i in body["from_ids"]],
        **({"prefer": {k: names[v] for k, v in body["prefer"].items()}} if "prefer" in body else {}),
    }
    answer = org.post(f"/customers/{survivor['id']}/merge", json=body)
    assert answer.status_code == 422, answer.text
    assert [e["field"] for e in answer.json()["errors"]] == [field]
    assert _ok(org.get(f"/customers/{source['id']}"))["deleted_at"] is None


def test_unknown_or_other_org_customers_answer_404(api: Api, org: Org) -> None:
    other = api.create_org()
    theirs = other.create_customer()
    mine = org.create_customer()
    assert _merge(org, mine["id"], theirs["id"]).status_code == 404
    assert _merge(org, theirs["id"], mine["id"]).status_code == 404
    assert _merge(org, mine["id"], str(uuid.uuid4())).status_code == 404
    assert _ok(other.get(f"/customers/{theirs['id']}"))["deleted_at"] is None
    merge_id = _ok(_merge(org, mine["id"], org.create_customer()["id"]))["merge_id"]
    assert other.get(f"/merges/{merge_id}").status_code == 404
    assert other.post(f"/merges/{merge_id}/undo").status_code == 404


def test_deleted_merged_or_erased_customers_answer_409(org: Org, database: Database) -> None:
    survivor, erased, deleted, merged = (org.create_customer() for _ in range(4))
    with database.engine.begin() as conn:
        conn.execute(
            sa.update(_customer)
            .where(_customer.c.id == uuid.UUID(erased["id"]))
            .values(erased_at=sa.func.current_timestamp(), deleted_at=sa.func.current_timestamp())
        )
    assert org.delete(f"/customers/{deleted['id']}").status_code == 204
    _ok(_merge(org, org.create_customer()["id"], merged["id"]))
    for other in (erased, deleted, merged):
        assert _merge(org, survivor["id"], other["id"]).status_code == 409
        assert _merge(org, other["id"], survivor["id"]).status_code == 409
    assert _ok(org.get(f"/customers/{survivor['id']}"))["deleted_at"] is None


def test_an_undo_is_refused_once_a_source_was_erased(org: Org, database: Database) -> None:
    survivor, source = org.create_customer(), org.create_customer()
    merge_id = _ok(_merge(org, survivor["id"], source["id"]))["merge_id"]
    with database.engine.begin() as conn:
        conn.execute(
            sa.update(_customer)
            .where(_customer.c.id == uuid.UUID(source["id"]))
            .values(erased_at=sa.func.current_timestamp())
        )
    refused = org.post(f"/merges/{merge_id}/undo")
    assert refused.status_code == 409
    assert refused.json()["blocked_by"] == "erased"


def test_an_idempotency_key_replays_the_merge(org: Org) -> None:
    survivor, source = org.create_customer(), org.create_customer()
    headers = org.headers(**{"Idempotency-Key": unique("k")})
    body = {"from_ids": [source["id"]]}
    first = org.api.client.post(f"/api/v1/customers/{survivor['id']}/merge", json=body, headers=headers)
    second = org.api.client.post(f"/api/v1/customers/{survivor['id']}/merge", json=body, headers=headers)
    assert first.status_code == second.status_code == 200
    assert first.json()["merge_id"] == second.json()["merge_id"]
    assert len(org.events(type="customer.merged")) == 1


def test_an_undo_is_refused_when_a_moved_row_was_deleted_since(org: Org, database: Database) -> None:
    survivor, source = org.create_customer(), org.create_customer()
    address = _ok(
        org.post(f"/customers/{source['id']}/addresses", json={"street": "A", "city": "B", "country": "VN"}), 201
    )
    merge_id = _ok(_merge(org, survivor["id"], source["id"]))["merge_id"]
    assert org.delete(f"/customers/{survivor['id']}/addresses/{address['id']}").status_code == 204
    before = _snapshot(database, org)
    refused = org.post(f"/merges/{merge_id}/undo")
    assert refused.status_code == 409
    assert refused.json()["code"] == "merge.undo_conflict"
    assert refused.json()["blocked_by"] == "address"
    assert _snapshot(database, org) == before
    assert _ok(org.get(f"/merges/{merge_id}"))["undone_at"] is None


def test_a_merged_source_cannot_be_restored_but_by_the_undo(org: Org) -> None:
    survivor, source = org.create_customer(), org.create_customer()
    _ok(_merge(org, survivor["id"], source["id"]))
    refused = org.post(f"/customers/{source['id']}/restore")
    assert refused.status_code == 409
    assert refused.json()["code"] == "customer.merged"


def test_undoing_a_merge_that_took_a_sources_email_gives_each_its_own_back(org: Org, database: Database) -> None:
    survivor, source = org.create_customer(), org.create_customer()
    before = _snapshot(database, org)
    body = {"prefer": {"email": source["id"]}}
    merge_id = _ok(_merge(org, survivor["id"], source["id"], **body))["merge_id"]
    assert _ok(org.get(f"/customers/{survivor['id']}"))["email"] == source["email"]
    undone = _ok(org.post(f"/merges/{merge_id}/undo"))
    assert [c["email"] for c in undone["customers"]] == [survivor["email"], source["email"]]
    assert _snapshot(database, org) == before


def test_a_merchant_group_taken_from_a_source_makes_the_survivor_a_merchant_until_the_undo(org: Org) -> None:
    group = _ok(org.post("/customer-groups", json={"name": unique("Wholesale"), "is_merchant": True}), 201)
    survivor = org.create_customer()
    source = org.create_customer(group_id=group["id"])
    assert source["is_merchant"] is True
    merged = _ok(_merge(org, survivor["id"], source["id"]))
    assert (merged["customer"]["group_id"], merged["customer"]["is_merchant"]) == (group["id"], True)
    _ok(org.post(f"/merges/{merged['merge_id']}/undo"))
    back = _ok(org.get(f"/customers/{survivor['id']}"))
    assert (back["group_id"], back["is_merchant"]) == (None, False)


def test_preferring_not_a_merchant_with_a_merchant_group_is_refused_and_changes_nothing(org: Org) -> None:
    group = _ok(org.post("/customer-groups", json={"name": unique("Wholesale"), "is_merchant": True}), 201)
    survivor = org.create_customer()
    source = org.create_customer(group_id=group["id"])
    other = org.create_customer()
    refused = _merge(org, survivor["id"], source["id"], other["id"], prefer={"is_merchant": other["id"]})
    assert refused.status_code == 422, refused.text
    assert [e["field"] for e in refused.json()["errors"]] == ["prefer.is_merchant"]
    assert _ok(org.get(f"/customers/{source['id']}"))["deleted_at"] is None
    assert _ok(org.get(f"/customers/{survivor['id']}"))["group_id"] is None
