"""A merged pair leaves the duplicates list, and its undo brings it back (SPEC §13.4)."""

from __future__ import annotations

from typing import Any

from tests.factories import Api, Org


def _pairs(org: Org) -> list[list[str]]:
    response = org.get("/duplicates", params={"min_score": 0.5, "limit": 50})
    assert response.status_code == 200, response.text
    return [item["customer_ids"] for item in response.json()["items"]]


def _ok(response: Any) -> dict[str, Any]:
    assert response.status_code == 200, response.text
    return dict(response.json())


def test_a_merged_pair_leaves_the_list_and_its_undo_brings_it_back(api: Api) -> None:
    org = api.create_org()
    first = org.create_customer(first_name="Thảo", last_name="Trần", phone="+84 912 777 001", birthday="1991-04-05")
    second = org.create_customer(first_name="Thao", last_name="Tran", phone="+84912777001", birthday="1991-04-05")
    org.create_customer(first_name="Someone", last_name="Else")
    pair = sorted([first["id"], second["id"]])
    assert _pairs(org) == [pair]

    merge = _ok(org.post(f"/customers/{first['id']}/merge", json={"from_ids": [second["id"]]}))
    assert _pairs(org) == []
    _ok(org.post(f"/merges/{merge['merge_id']}/undo"))
    assert _pairs(org) == [pair]
