"""A merge and its undo seen through the right of access, and merges of erased customers (SPEC §13.3, §13.4)."""

from __future__ import annotations

from typing import Any

from patron.db.uow import Database
from tests.api.merging.test_merging import _everything, _merge, _ok
from tests.factories import Api, Org, ledger_problems, loyal_org, unique

# What a merge and its undo may change in an export: when it was made, the customer row's
# bookkeeping, and the audit trail and journal they add.
_MOVING = {"generated_at", "events", "merges"}
_BOOKKEEPING = {"updated_at", "version"}


def _exports(org: Org, *customers: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """The access export of each customer (it answers for merged, soft-deleted ones too)."""
    return {c["id"]: _ok(org.get(f"/customers/{c['id']}/export")) for c in customers}


def _comparable(document: dict[str, Any]) -> dict[str, Any]:
    kept = {key: value for key, value in document.items() if key not in _MOVING}
    kept["customer"] = {k: v for k, v in document["customer"].items() if k not in _BOOKKEEPING}
    return kept


def test_undo_gives_every_customer_back_the_access_export_it_had(api: Api, database: Database) -> None:
    org = loyal_org(api)
    company = _ok(org.post("/companies", json={"name": unique("Co")}), 201)
    other_company = _ok(org.post("/companies", json={"name": unique("Co")}), 201)
    survivor = org.create_customer(first_name="Lan", tags=["vip"], phone="+84912000111")
    first = org.create_customer(last_name="Nguyễn", phone="+84912345678", tags=["b2b"], credit=500)
    second = org.create_customer(fax="+84 28 3822 1234", birthday="1990-02-03")
    bystander = org.create_customer(first_name="Bystander")
    _everything(org, survivor, company["id"])
    _everything(org, first, other_company["id"])
    _everything(org, second, other_company["id"])
    _everything(org, bystander, company["id"])
    everyone = (survivor, first, second, bystander)
    assert _ok(org.get("/customers"))["total"] == len(everyone)
    before = _exports(org, *everyone)

    merged = _ok(_merge(org, survivor["id"], first["id"], second["id"]))
    during = _exports(org, *everyone)
    assert len(during[survivor["id"]]["orders"]) == 3
    assert {m["id"] for m in during[survivor["id"]]["merged"]} == {first["id"], second["id"]}
    assert during[first["id"]]["orders"] == []
    _ok(org.post(f"/merges/{merged['merge_id']}/undo"))
    after = _exports(org, *everyone)

    assert set(after) == set(before)
    for customer_id, document in before.items():
        assert _comparable(after[customer_id]) == _comparable(document), customer_id
        # the audit trail only grew: what it held is still there, unchanged
        old_events = document["events"]
        assert after[customer_id]["events"][: len(old_events)] == old_events
    added = {e["type"] for e in after[survivor["id"]]["events"][len(before[survivor["id"]]["events"]) :]}
    assert {"customer.merged", "customer.unmerged"} <= added
    assert [m["id"] for m in after[survivor["id"]]["merges"]] == [merged["merge_id"]]
    assert after[bystander["id"]] == {**before[bystander["id"]], "generated_at": after[bystander["id"]]["generated_at"]}
    assert ledger_problems(database.engine, org.id) == []


def test_an_erased_customer_cannot_be_merged_either_way(api: Api) -> None:
    org = api.create_org()
    erased, other = org.create_customer(), org.create_customer()
    _ok(org.post(f"/customers/{erased['id']}/erase", json={"reason": "asked"}))
    for survivor, source in ((other, erased), (erased, other)):
        refused = _merge(org, survivor["id"], source["id"])
        assert refused.status_code == 409, refused.text
        assert refused.json()["code"] == "customer.erased"
    assert _ok(org.get(f"/customers/{other['id']}"))["deleted_at"] is None
    assert org.events(type="customer.merged") == []


def test_erasing_a_survivor_erases_its_sources_and_the_merge_can_no_longer_be_undone(api: Api) -> None:
    org = api.create_org()
    survivor = org.create_customer(first_name="Quennell")
    source = org.create_customer(first_name="Quorra", email="quorra.source@example.com")
    merge_id = _ok(_merge(org, survivor["id"], source["id"]))["merge_id"]
    _ok(org.post(f"/customers/{survivor['id']}/erase", json={"reason": "asked"}))
    refused = org.post(f"/merges/{merge_id}/undo")
    assert refused.status_code == 409, refused.text
    assert refused.json()["code"] == "merge.undo_conflict"
    assert refused.json()["blocked_by"] == "erased"
    journal = _ok(org.get(f"/merges/{merge_id}"))
    assert journal["undone_at"] is None
    assert "quorra" not in str(journal).casefold()
