"""Companies (B2B, SPEC §4): accounts, contacts, members with roles, join codes, through the HTTP API."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from patron.kernel import clock
from tests.factories import Api, Org, unique


def _company(org: Org, role: str = "owner", **fields: Any) -> dict[str, Any]:
    response = org.post("/companies", role, json={"name": unique("Acme"), **fields})
    assert response.status_code == 201, response.text
    return dict(response.json())


def test_company_crud_with_vat_id_and_account_manager(api: Api) -> None:
    org = api.create_org(region="DE")
    rep = api.create_staff(org, "sales")["staff"]
    created = org.post(
        "/companies",
        "sales",
        json={"name": "  Acme   GmbH ", "vat_id": "DE 136,695 976", "account_manager_id": rep["id"]},
    )
    assert created.status_code == 201, created.text
    company = created.json()
    assert created.headers["location"] == f"/api/v1/companies/{company['id']}"
    assert company["name"] == "Acme GmbH"
    assert company["vat_id"] == "DE136695976"
    assert company["account_manager_id"] == rep["id"]
    assert org.get(f"/companies/{company['id']}", "marketing").json() == company

    taken = org.post("/companies", json={"name": "Other", "vat_id": "DE136695976"})
    assert taken.status_code == 409
    assert taken.json()["code"] == "company.vat_id_taken"

    changed = org.patch(f"/companies/{company['id']}", "sales", json={"name": "Acme AG", "account_manager_id": None})
    assert changed.status_code == 200, changed.text
    assert changed.json()["name"] == "Acme AG"
    assert changed.json()["account_manager_id"] is None
    listed = org.get("/companies", "cashier").json()
    assert listed["total"] == 1
    assert [c["name"] for c in listed["items"]] == ["Acme AG"]

    assert org.delete(f"/companies/{company['id']}", "sales").status_code == 204
    assert org.get(f"/companies/{company['id']}").status_code == 404
    types = [e["type"] for e in org.events() if e["subject_id"] == company["id"]]
    assert types == ["company.created", "company.updated", "company.deleted"]
    update = next(e for e in org.events(type="company.updated") if e["subject_id"] == company["id"])
    assert update["data"]["changes"]["account_manager_id"] == {"old": rep["id"], "new": None}


def test_contacts_are_customers_with_company_id(api: Api) -> None:
    org = api.create_org()
    other = api.create_org()
    company = _company(org)
    foreign = _company(other)
    contact = org.create_customer(company_id=company["id"])
    assert contact["company_id"] == company["id"]
    org.create_customer()
    contacts = org.get(f"/companies/{company['id']}/contacts", "marketing").json()
    assert [c["id"] for c in contacts["items"]] == [contact["id"]]
    for bad in (foreign["id"], str(uuid.uuid4())):
        refused = org.post("/customers", json={"email": "x@example.com", "first_name": "X", "company_id": bad})
        assert refused.status_code == 422
        assert [e["field"] for e in refused.json()["errors"]] == ["company_id"]
        patched = org.patch(f"/customers/{contact['id']}", json={"company_id": bad})
        assert patched.status_code == 422
        assert [e["field"] for e in patched.json()["errors"]] == ["company_id"]
    in_use = org.delete(f"/companies/{company['id']}")
    assert in_use.status_code == 409
    assert in_use.json()["code"] == "company.in_use"
    assert in_use.json()["contacts"] == 1
    unlinked = org.patch(f"/customers/{contact['id']}", json={"company_id": None})
    assert unlinked.json()["company_id"] is None
    event = [e for e in org.events(type="customer.updated") if e["subject_id"] == contact["id"]][-1]
    assert event["data"]["sections"] == ["business"]
    assert org.delete(f"/companies/{company['id']}").status_code == 204


def test_user_id_stays_server_owned(api: Api) -> None:
    org = api.create_org()
    response = org.post("/customers", json={"email": "u@example.com", "first_name": "U", "user_id": str(uuid.uuid4())})
    assert response.status_code == 422
    assert response.json()["errors"][0] == {"field": "user_id", "message": "is set by the server and cannot be written"}


def test_members_hold_roles_and_are_contacts(api: Api) -> None:
    org = api.create_org()
    company = _company(org)
    other = _company(org)
    customer = org.create_customer()
    added = org.post(
        f"/companies/{company['id']}/members", "sales", json={"customer_id": customer["id"], "role": "buyer"}
    )
    assert added.status_code == 201, added.text
    assert added.json()["role"] == "buyer"
    assert org.get(f"/customers/{customer['id']}").json()["company_id"] == company["id"]

    again = org.post(f"/companies/{company['id']}/members", json={"customer_id": customer["id"]})
    assert again.status_code == 409
    assert again.json()["code"] == "company.already_member"
    elsewhere = org.post(f"/companies/{other['id']}/members", json={"customer_id": customer["id"]})
    assert elsewhere.status_code == 409
    assert elsewhere.json()["code"] == "customer.other_company"
    moving = org.patch(f"/customers/{customer['id']}", json={"company_id": other["id"]})
    assert moving.status_code == 409
    assert moving.json()["code"] == "customer.company_member"

    member_path = f"/companies/{company['id']}/members/{customer['id']}"
    assert org.patch(member_path, "sales", json={"role": "admin"}).json()["role"] == "admin"
    members = org.get(f"/companies/{company['id']}/members", "cashier").json()["items"]
    assert [(m["customer_id"], m["role"]) for m in members] == [(customer["id"], "admin")]
    assert org.delete(member_path, "sales").status_code == 204
    assert org.get(f"/companies/{company['id']}/members").json()["items"] == []
    assert org.get(f"/customers/{customer['id']}").json()["company_id"] == company["id"]  # still a contact
    assert org.patch(member_path, json={"role": "admin"}).json()["code"] == "company.member_not_found"
    types = [e["type"] for e in org.events() if e["subject_id"] == company["id"]]
    assert types == ["company.created", "company.member_added", "company.member_updated", "company.member_removed"]


def test_a_join_code_joins_one_customer_once(api: Api) -> None:
    org = api.create_org()
    company = _company(org)
    created = org.post(f"/companies/{company['id']}/join-codes", "sales", json={"role": "buyer"})
    assert created.status_code == 201, created.text
    code = created.json()["code"]
    info = created.json()["join_code"]
    assert info["status"] == "active"
    assert info["hint"] == code[-4:]
    assert code not in str(org.events())  # the code itself is never stored or published

    first, second = org.create_customer(), org.create_customer()
    typed = code.lower().replace("-", " ")
    joined = org.post("/join-codes/redeem", "sales", json={"code": typed, "customer_id": first["id"]})
    assert joined.status_code == 200, joined.text
    assert joined.json()["role"] == "buyer"
    assert joined.json()["join_code_id"] == info["id"]
    assert org.get(f"/customers/{first['id']}").json()["company_id"] == company["id"]

    reused = org.post("/join-codes/redeem", json={"code": code, "customer_id": second["id"]})
    assert reused.status_code == 409
    assert reused.json()["code"] == "company.join_code_used"
    assert org.get(f"/customers/{second['id']}").json()["company_id"] is None
    [listed] = org.get(f"/companies/{company['id']}/join-codes").json()["items"]
    assert listed["status"] == "used"
    assert listed["used_by"] == first["id"]
    assert "code" not in listed
    refused = org.delete(f"/companies/{company['id']}/join-codes/{info['id']}")
    assert refused.status_code == 409


def test_revoked_and_expired_codes_do_not_join(api: Api, monkeypatch: pytest.MonkeyPatch) -> None:
    org = api.create_org()
    company = _company(org)
    customer = org.create_customer()
    made = org.post(f"/companies/{company['id']}/join-codes", json={}).json()
    assert org.delete(f"/companies/{company['id']}/join-codes/{made['join_code']['id']}").status_code == 204
    assert org.delete(f"/companies/{company['id']}/join-codes/{made['join_code']['id']}").status_code == 204
    revoked = org.post("/join-codes/redeem", json={"code": made["code"], "customer_id": customer["id"]})
    assert revoked.status_code == 409
    assert revoked.json()["code"] == "company.join_code_revoked"

    short = org.post(f"/companies/{company['id']}/join-codes", json={"expires_in_hours": 1}).json()
    expires_at = datetime.fromisoformat(short["join_code"]["expires_at"].replace("Z", "+00:00"))
    assert timedelta(minutes=59) < expires_at - datetime.now(UTC) <= timedelta(hours=1)
    with monkeypatch.context() as later:  # the clock is the one seam for time in the service
        later.setattr(clock, "now", lambda: datetime.now(UTC) + timedelta(hours=2))
        expired = org.post("/join-codes/redeem", json={"code": short["code"], "customer_id": customer["id"]})
    assert expired.status_code == 409, expired.text
    assert expired.json()["code"] == "company.join_code_expired"
    assert org.get(f"/customers/{customer['id']}").json()["company_id"] is None


def test_codes_of_another_organization_are_unknown(api: Api) -> None:
    mine = api.create_org()
    theirs = api.create_org()
    company = _company(theirs)
    made = theirs.post(f"/companies/{company['id']}/join-codes", json={}).json()
    customer = mine.create_customer()
    response = mine.post("/join-codes/redeem", json={"code": made["code"], "customer_id": customer["id"]})
    assert response.status_code == 422
    assert [e["field"] for e in response.json()["errors"]] == ["code"]
    assert theirs.get(f"/companies/{company['id']}/join-codes").json()["items"][0]["status"] == "active"


COMPANY_INVALID = [
    ("POST", "/companies", {"name": ""}, "name"),
    ("POST", "/companies", {"name": "  "}, "name"),
    ("POST", "/companies", {}, "name"),
    ("POST", "/companies", {"name": "A", "vat_id": "DE123456789"}, "vat_id"),
    ("POST", "/companies", {"name": "A", "vat_id": "12345"}, "vat_id"),
    ("POST", "/companies", {"name": "A", "account_manager_id": str(uuid.uuid4())}, "account_manager_id"),
    ("POST", "/companies", {"name": "A", "account_manager_id": "x"}, "account_manager_id"),
    ("POST", "/companies", {"name": "A", "id": "x"}, "id"),
    ("PATCH", "/companies/{company}", {"vat_id": "DE1"}, "vat_id"),
    ("PATCH", "/companies/{company}", {"website": "x"}, "website"),
    ("POST", "/companies/{company}/members", {"customer_id": "{stranger}"}, "customer_id"),
    ("POST", "/companies/{company}/members", {"customer_id": "{customer}", "role": "boss"}, "role"),
    ("POST", "/companies/{company}/members", {}, "customer_id"),
    ("POST", "/companies/{company}/join-codes", {"expires_in_hours": 0}, "expires_in_hours"),
    ("POST", "/companies/{company}/join-codes", {"role": "king"}, "role"),
    ("POST", "/join-codes/redeem", {"code": "nope", "customer_id": "{customer}"}, "code"),
    ("POST", "/join-codes/redeem", {"code": "AAAA-BBBB-CCCC-DDDD", "customer_id": "{customer}"}, "code"),
    ("POST", "/join-codes/redeem", {"code": "{code}", "customer_id": "{stranger}"}, "customer_id"),
    ("POST", "/join-codes/redeem", {"code": "{code}"}, "customer_id"),
]


@pytest.mark.parametrize(
    ("method", "path", "body", "field"), COMPANY_INVALID, ids=[f"{m} {p} {f}" for m, p, _, f in COMPANY_INVALID]
)
def test_invalid_company_input_is_422_naming_the_field_and_writes_nothing(
    api: Api, method: str, path: str, body: dict[str, Any], field: str
) -> None:
    org = api.create_org(region="DE")
    company = _company(org)
    customer = org.create_customer()
    code = org.post(f"/companies/{company['id']}/join-codes", json={}).json()["code"]
    stranger = api.create_org().create_customer()
    fill = {"company": company["id"], "customer": customer["id"], "stranger": stranger["id"], "code": code}
    body = {k: v.format(**fill) if isinstance(v, str) else v for k, v in body.items()}
    events_before = len(org.events())
    response = org.request(method, path.format(**fill), json=body)
    assert response.status_code == 422, response.text
    assert field in [e["field"] for e in response.json()["errors"]], response.text
    assert len(org.events()) == events_before


def test_companies_members_and_codes_of_another_organization_answer_404(api: Api) -> None:
    mine = api.create_org()
    theirs = api.create_org()
    company = _company(theirs)
    customer = theirs.create_customer()
    theirs.post(f"/companies/{company['id']}/members", json={"customer_id": customer["id"]})
    code = theirs.post(f"/companies/{company['id']}/join-codes", json={}).json()["join_code"]
    my_company = _company(mine)
    events_before = len(theirs.events())
    path = f"/companies/{company['id']}"
    calls = [
        mine.get(path),
        mine.patch(path, json={"name": "Hijacked"}),
        mine.delete(path),
        mine.get(f"{path}/contacts"),
        mine.get(f"{path}/members"),
        mine.post(f"{path}/members", json={"customer_id": customer["id"]}),
        mine.patch(f"{path}/members/{customer['id']}", json={"role": "admin"}),
        mine.delete(f"{path}/members/{customer['id']}"),
        mine.post(f"{path}/join-codes", json={}),
        mine.get(f"{path}/join-codes"),
        mine.delete(f"{path}/join-codes/{code['id']}"),
    ]
    for response in calls:
        assert response.status_code == 404, response.text
        assert response.json()["code"] == "company.not_found"
    # their member and code ids under my own company are unknown too
    assert mine.delete(f"/companies/{my_company['id']}/members/{customer['id']}").status_code == 404
    code_404 = mine.delete(f"/companies/{my_company['id']}/join-codes/{code['id']}")
    assert code_404.status_code == 404
    assert code_404.json()["code"] == "company.join_code_not_found"
    assert company["id"] not in [c["id"] for c in mine.get("/companies").json()["items"]]
    assert len(theirs.events()) == events_before
    assert theirs.get(path).json() == company
    assert theirs.get(f"{path}/join-codes").json()["items"][0]["status"] == "active"


def test_a_company_with_deals_or_interactions_is_kept(api: Api) -> None:
    org = api.create_org()
    company = _company(org)
    deal = org.post("/deals", json={"title": "T", "value": 1, "currency": "EUR", "company_id": company["id"]}).json()
    call = org.post(f"/companies/{company['id']}/interactions", json={"kind": "call", "summary": "Hi"}).json()
    refused = org.delete(f"/companies/{company['id']}")
    assert refused.status_code == 409
    assert (refused.json()["deals"], refused.json()["interactions"]) == (1, 1)
    org.delete(f"/deals/{deal['id']}")
    org.delete(f"/interactions/{call['id']}")
    assert org.delete(f"/companies/{company['id']}").status_code == 204
