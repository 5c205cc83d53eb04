"""An export imports back unchanged: into an empty organization it recreates the same customers,
into the same organization it changes nothing (SPEC §13.2)."""

from __future__ import annotations

from typing import Any

from patron.db.uow import Database
from tests.api.imports.helpers import customers_by_email, imported
from tests.factories import Api, Org, unique

# What the server keeps or derives for itself: never the same in another organization.
SERVER_OWNED = {"id", "created_at", "updated_at", "version", "points_balance", "loyalty_tier", "user_id"}


def _people(org: Org) -> None:
    prefix = unique("rt")
    samples: list[dict[str, Any]] = [
        {"first_name": "Lan", "last_name": "Nguyễn", "phone": "+84912345678", "tags": ["vip", "gold"], "credit": 1500},
        {"first_name": "=HYPERLINK(x)", "birthday": "1990-04-05", "gender": "female", "locale": "vi"},
        {"company_name": "Müller; Söhne, GmbH", "vat_id": "DE136695976", "is_merchant": True, "tier": "pro"},
        {
            "last_name": "Guest",
            "is_guest": True,
            "other_emails": ["a@example.com", "b@example.com"],
            "status": "prospect",
        },
        {"first_name": 'Quote "Q"', "other_phones": ["+84987654321"], "is_favorite": True, "source": "referral"},
        {"first_name": "-minus", "fax": "+842838221234", "custom_fields": {}},
    ]
    for i, sample in enumerate(samples):
        org.create_customer(email=f"{prefix}.{i}@example.com", **sample)


def _comparable(customer: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in customer.items() if k not in SERVER_OWNED and k != "customer_number"}


def test_a_csv_export_recreates_the_same_customers_in_an_empty_organization(api: Api, database: Database) -> None:
    source = api.create_org(region="VN")
    _people(source)
    exported = source.get("/exports/customers.csv")
    assert exported.status_code == 200, exported.text
    target = api.create_org(region="VN")
    job = imported(target, database, exported.content)
    assert job["status"] == "succeeded"
    assert job["errors"] == []
    assert job["totals"]["created"] == 6
    assert [w["code"] for w in job["warnings"]] == ["import.read_only_columns"]
    before, after = customers_by_email(source), customers_by_email(target)
    assert set(after) == set(before)
    for email, customer in before.items():
        assert _comparable(after[email]) == _comparable(customer), email
        assert after[email]["customer_number"] == customer["customer_number"]

    # And the same file into the organization it came from changes nothing.
    again = imported(source, database, exported.content)
    assert (again["totals"]["unchanged"], again["totals"]["created"], again["totals"]["updated"]) == (6, 0, 0)


def test_an_xlsx_export_imports_back_unchanged(api: Api, database: Database) -> None:
    source = api.create_org(region="VN")
    _people(source)
    exported = source.get("/exports/customers.xlsx")
    assert exported.status_code == 200
    target = api.create_org(region="VN")
    job = imported(target, database, exported.content)
    assert job["errors"] == []
    assert job["totals"]["created"] == 6
    before, after = customers_by_email(source), customers_by_email(target)
    for email, customer in before.items():
        assert _comparable(after[email]) == _comparable(customer), email
