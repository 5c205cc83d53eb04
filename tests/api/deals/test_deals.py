"""Pipelines and deals (SPEC §4) through the HTTP API: stages, moves, won/lost, reopening, the board."""

from __future__ import annotations

import uuid
from typing import Any

import pytest

from tests.factories import Api, Org, unique

DEFAULT_STAGES = ["new", "qualified", "proposal", "negotiation", "won", "lost"]


def _deal(org: Org, role: str = "sales", **fields: Any) -> dict[str, Any]:
    body = {"title": unique("deal"), "value": 100_00, "currency": "EUR", **fields}
    if "customer_id" not in body and "company_id" not in body:
        body["customer_id"] = org.create_customer()["id"]
    response = org.post("/deals", role, json=body)
    assert response.status_code == 201, response.text
    return dict(response.json())


def _stages(org: Org, pipeline_id: str) -> dict[str, str]:
    return {s["name"]: s["id"] for s in org.get(f"/pipelines/{pipeline_id}").json()["stages"]}


def test_the_first_deal_creates_the_default_pipeline(api: Api) -> None:
    org = api.create_org()
    assert org.get("/pipelines", "sales").json()["items"] == []
    customer = org.create_customer()
    created = org.post(
        "/deals",
        "sales",
        json={
            "title": " 50 seats ",
            "value": 1_250_000,
            "currency": "eur",
            "customer_id": customer["id"],
            "expected_close_on": "2027-03-31",
        },
    )
    assert created.status_code == 201, created.text
    deal = created.json()
    assert created.headers["location"] == f"/api/v1/deals/{deal['id']}"
    assert deal["title"] == "50 seats"
    assert deal["currency"] == "EUR"
    assert deal["status"] == "open"
    [sales] = [s["id"] for s in org.get("/staff").json()["items"] if s["role"] == "sales"]
    assert deal["owner_id"] == sales  # the caller owns the deal unless told otherwise
    [pipeline] = org.get("/pipelines", "marketing").json()["items"]
    assert pipeline["is_default"] is True
    assert [s["name"] for s in pipeline["stages"]] == DEFAULT_STAGES
    assert [s["kind"] for s in pipeline["stages"]] == ["open"] * 4 + ["won", "lost"]
    assert deal["pipeline_id"] == pipeline["id"]
    assert deal["stage_id"] == pipeline["stages"][0]["id"]
    _deal(org)
    assert len(org.get("/pipelines").json()["items"]) == 1


def test_deals_move_through_stages_and_close_on_won_or_lost(api: Api) -> None:
    org = api.create_org()
    deal = _deal(org)
    stages = _stages(org, deal["pipeline_id"])
    path = f"/deals/{deal['id']}"
    moved = org.post(f"{path}/move", "sales", json={"stage_id": stages["proposal"]})
    assert moved.status_code == 200, moved.text
    assert moved.json()["stage_id"] == stages["proposal"]
    assert moved.json()["version"] == deal["version"] + 1
    won = org.post(f"{path}/move", "sales", json={"stage_id": stages["won"]}).json()
    assert won["status"] == "won"
    assert won["closed_at"] is not None

    closed = org.post(f"{path}/move", "sales", json={"stage_id": stages["new"]})
    assert closed.status_code == 409
    assert closed.json()["code"] == "deal.closed"
    refused = org.post(f"{path}/reopen", "sales", json={})
    assert refused.status_code == 403
    reopened = org.post(f"{path}/reopen", json={})
    assert reopened.status_code == 200, reopened.text
    assert reopened.json()["status"] == "open"
    assert reopened.json()["stage_id"] == stages["negotiation"]  # the last open stage
    assert reopened.json()["closed_at"] is None
    not_closed = org.post(f"{path}/reopen", json={})
    assert not_closed.status_code == 409
    assert not_closed.json()["code"] == "deal.not_closed"
    lost = org.post(f"{path}/move", "sales", json={"stage_id": stages["lost"]}).json()
    assert lost["status"] == "lost"
    again = org.post(f"{path}/reopen", json={"stage_id": stages["qualified"]}).json()
    assert again["stage_id"] == stages["qualified"]

    changes = [e["data"] for e in org.events(type="deal.stage_changed") if e["subject_id"] == deal["id"]]
    assert [(c["from_stage"], c["to_stage"], c["reopened"]) for c in changes] == [
        ("new", "proposal", False),
        ("proposal", "won", False),
        ("won", "negotiation", True),
        ("negotiation", "lost", False),
        ("lost", "qualified", True),
    ]


def test_custom_pipelines_and_the_board(api: Api) -> None:
    org = api.create_org()
    created = org.post(
        "/pipelines",
        json={
            "name": "Wholesale",
            "stages": [
                {"name": "Lead"},
                {"name": "Offer"},
                {"name": "Signed", "kind": "won"},
                {"name": "Gone", "kind": "lost"},
            ],
        },
    )
    assert created.status_code == 201, created.text
    pipeline = created.json()
    assert pipeline["is_default"] is True  # the organization's first pipeline
    second = org.post("/pipelines", json={"name": "Retail"}).json()
    assert second["is_default"] is False
    assert [s["name"] for s in second["stages"]] == DEFAULT_STAGES
    stages = {s["name"]: s["id"] for s in pipeline["stages"]}
    company = org.post("/companies", json={"name": "Acme"}).json()
    a = _deal(org, value=1000, currency="EUR", pipeline_id=pipeline["id"])
    _deal(org, value=2500, currency="EUR", pipeline_id=pipeline["id"], company_id=company["id"])
    _deal(org, value=700, currency="USD", pipeline_id=pipeline["id"], stage_id=stages["Offer"])
    org.post(f"/deals/{a['id']}/move", json={"stage_id": stages["Signed"]})
    _deal(org, pipeline_id=second["id"])

    board = org.get(f"/pipelines/{pipeline['id']}/board", "marketing", params={"per_stage": 1})
    assert board.status_code == 200, board.text
    columns = [
        (c["stage"]["name"], c["count"], c["value_by_currency"], len(c["deals"])) for c in board.json()["columns"]
    ]
    assert columns == [
        ("Lead", 1, {"EUR": 2500}, 1),
        ("Offer", 1, {"USD": 700}, 1),
        ("Signed", 1, {"EUR": 1000}, 1),
        ("Gone", 0, {}, 0),
    ]
    listed = org.get("/deals", params={"pipeline_id": pipeline["id"], "status": "open"}).json()
    assert listed["total"] == 2
    assert org.get("/deals", params={"company_id": company["id"]}).json()["total"] == 1

    in_use = org.delete(f"/pipelines/{second['id']}")
    assert in_use.status_code == 409
    assert in_use.json()["code"] == "pipeline.in_use"
    default = org.delete(f"/pipelines/{pipeline['id']}")
    assert default.json()["code"] == "pipeline.default"
    empty = org.post("/pipelines", json={"name": "Empty"}).json()
    assert org.patch(f"/pipelines/{empty['id']}", json={"name": "Renamed"}).json()["name"] == "Renamed"
    assert org.delete(f"/pipelines/{empty['id']}").status_code == 204
    taken = org.post("/pipelines", json={"name": "Retail"})
    assert taken.status_code == 409
    assert taken.json()["code"] == "pipeline.name_taken"


def test_deal_fields_change_and_the_deal_keeps_a_party(api: Api) -> None:
    org = api.create_org()
    rep = api.create_staff(org, "sales")["staff"]
    company = org.post("/companies", json={"name": "Acme"}).json()
    deal = _deal(org, company_id=company["id"])
    path = f"/deals/{deal['id']}"
    changed = org.patch(path, "sales", json={"value": 999, "currency": "usd", "owner_id": rep["id"]})
    assert changed.status_code == 200, changed.text
    assert (changed.json()["value"], changed.json()["currency"], changed.json()["owner_id"]) == (999, "USD", rep["id"])
    orphan = org.patch(path, json={"company_id": None})
    assert orphan.status_code == 422
    assert [e["field"] for e in orphan.json()["errors"]] == ["customer_id"]
    [update] = [e for e in org.events(type="deal.updated") if e["subject_id"] == deal["id"]]
    assert update["data"]["changes"]["value"] == {"old": 100_00, "new": 999}
    assert org.delete(path, "sales").status_code == 204
    assert org.get(path).status_code == 404


DEAL_INVALID = [
    ("POST", "/deals", {"title": "T", "value": 1, "currency": "EUR"}, "customer_id"),
    ("POST", "/deals", {"title": "T", "value": -1, "currency": "EUR", "customer_id": "{customer}"}, "value"),
    ("POST", "/deals", {"title": "T", "value": 1.5, "currency": "EUR", "customer_id": "{customer}"}, "value"),
    ("POST", "/deals", {"title": "T", "value": 1, "currency": "XXY", "customer_id": "{customer}"}, "currency"),
    ("POST", "/deals", {"title": "T", "value": 1, "currency": "EURO", "customer_id": "{customer}"}, "currency"),
    ("POST", "/deals", {"title": " ", "value": 1, "currency": "EUR", "customer_id": "{customer}"}, "title"),
    ("POST", "/deals", {"value": 1, "currency": "EUR", "customer_id": "{customer}"}, "title"),
    ("POST", "/deals", {"title": "T", "value": 1, "currency": "EUR", "customer_id": "{stranger}"}, "customer_id"),
    ("POST", "/deals", {"title": "T", "value": 1, "currency": "EUR", "company_id": "{random}"}, "company_id"),
    (
        "POST",
        "/deals",
        {"title": "T", "value": 1, "currency": "EUR", "customer_id": "{customer}", "owner_id": "{random}"},
        "owner_id",
    ),
    (
        "POST",
        "/deals",
        {"title": "T", "value": 1, "currency": "EUR", "customer_id": "{customer}", "pipeline_id": "{random}"},
        "pipeline_id",
    ),
    (
        "POST",
        "/deals",
        {"title": "T", "value": 1, "currency": "EUR", "customer_id": "{customer}", "stage_id": "{won}"},
        "stage_id",
    ),
    (
        "POST",
        "/deals",
        {"title": "T", "value": 1, "currency": "EUR", "customer_id": "{customer}", "expected_close_on": "soon"},
        "expected_close_on",
    ),
    (
        "POST",
        "/deals",
        {"title": "T", "value": 1, "currency": "EUR", "customer_id": "{customer}", "status": "won"},
        "status",
    ),
    ("PATCH", "/deals/{deal}", {"currency": "ZZZ"}, "currency"),
    ("PATCH", "/deals/{deal}", {"owner_id": None}, "owner_id"),
    ("POST", "/deals/{deal}/move", {"stage_id": "{random}"}, "stage_id"),
    ("POST", "/deals/{deal}/move", {}, "stage_id"),
    (
        "POST",
        "/pipelines",
        {"name": "P", "stages": [{"name": "a"}, {"name": "b", "kind": "won"}, {"name": "c", "kind": "won"}]},
        "stages",
    ),
    (
        "POST",
        "/pipelines",
        {"name": "P", "stages": [{"name": "w", "kind": "won"}, {"name": "a"}, {"name": "l", "kind": "lost"}]},
        "stages",
    ),
    (
        "POST",
        "/pipelines",
        {
            "name": "P",
            "stages": [{"name": "a"}, {"name": "A "}, {"name": "w", "kind": "won"}, {"name": "l", "kind": "lost"}],
        },
        "stages[1].name",
    ),
    (
        "POST",
        "/pipelines",
        {
            "name": "P",
            "stages": [{"name": "a", "kind": "maybe"}, {"name": "w", "kind": "won"}, {"name": "l", "kind": "lost"}],
        },
        "stages[0].kind",
    ),
    ("POST", "/pipelines", {"name": ""}, "name"),
    ("PATCH", "/pipelines/{pipeline}", {"name": "  "}, "name"),
    ("GET", "/deals?status=pending", None, "status"),
]


@pytest.mark.parametrize(
    ("method", "path", "body", "field"), DEAL_INVALID, ids=[f"{m} {p} {f}" for m, p, _, f in DEAL_INVALID]
)
def test_invalid_deal_input_is_422_naming_the_field_and_writes_nothing(
    api: Api, method: str, path: str, body: dict[str, Any] | None, field: str
) -> None:
    org = api.create_org()
    deal = _deal(org)
    stages = _stages(org, deal["pipeline_id"])
    fill = {
        "customer": org.create_customer()["id"],
        "stranger": api.create_org().create_customer()["id"],
        "random": str(uuid.uuid4()),
        "won": stages["won"],
        "deal": deal["id"],
        "pipeline": deal["pipeline_id"],
    }
    if body is not None:
        body = {k: v.format(**fill) if isinstance(v, str) else v for k, v in body.items()}
    events_before = len(org.events())
    response = org.request(method, path.format(**fill), json=body)
    assert response.status_code == 422, response.text
    assert field in [e["field"] for e in response.json()["errors"]], response.text
    assert len(org.events()) == events_before


def test_pipelines_and_deals_of_another_organization_answer_404(api: Api) -> None:
    mine = api.create_org()
    theirs = api.create_org()
    deal = _deal(theirs)
    stages = _stages(theirs, deal["pipeline_id"])
    my_deal = _deal(mine)
    events_before = len(theirs.events())
    pipeline_path = f"/pipelines/{deal['pipeline_id']}"
    for response in [
        mine.get(pipeline_path),
        mine.patch(pipeline_path, json={"name": "Hijacked"}),
        mine.delete(pipeline_path),
        mine.get(f"{pipeline_path}/board"),
    ]:
        assert response.status_code == 404, response.text
        assert response.json()["code"] == "pipeline.not_found"
    deal_path = f"/deals/{deal['id']}"
    for response in [
        mine.get(deal_path),
        mine.patch(deal_path, json={"value": 1}),
        mine.delete(deal_path),
        mine.post(f"{deal_path}/move", json={"stage_id": stages["won"]}),
        mine.post(f"{deal_path}/reopen", json={}),
    ]:
        assert response.status_code == 404, response.text
        assert response.json()["code"] == "deal.not_found"
    # their stage cannot take my deal, their pipeline cannot hold my new deal
    moved = mine.post(f"/deals/{my_deal['id']}/move", json={"stage_id": stages["won"]})
    assert moved.status_code == 422
    assert deal["id"] not in [d["id"] for d in mine.get("/deals").json()["items"]]
    assert len(theirs.events()) == events_before
    assert theirs.get(deal_path).json() == deal
