"""Customer exports through the HTTP API (SPEC §13.2): CSV and XLSX content, parameters, isolation."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime
from typing import Any

import httpx
import openpyxl
import pytest

from patron.exports import service as exports
from patron.exports.columns import DEFAULT_COLUMNS
from tests.factories import Api, Org, unique

CSV = "/exports/customers.csv"
XLSX = "/exports/customers.xlsx"


def csv_rows(response: httpx.Response) -> list[dict[str, str]]:
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "text/csv; charset=utf-8"
    assert not response.content.startswith(b"\xef\xbb\xbf")  # no BOM
    return list(csv.DictReader(io.StringIO(response.content.decode())))


def export_csv(org: Org, role: str = "owner", **params: Any) -> list[dict[str, str]]:
    return csv_rows(org.get(CSV, role, params=params))


def batch(org: Org, customers: list[dict[str, Any]]) -> list[dict[str, Any]]:
    response = org.post("/customers/batch", json={"customers": customers})
    assert response.status_code == 201, response.text
    return list(response.json()["items"])


def field_error(response: httpx.Response) -> str:
    assert response.status_code == 422, response.text
    return str(response.json()["errors"][0]["field"])


def test_csv_holds_every_field_in_its_text_form(api: Api) -> None:
    org = api.create_org()
    made = org.create_customer(
        first_name="Lan",
        last_name='Nguyễn, "Jr"',
        phone="+84912345678",
        birthday="1990-05-17",
        tags=["vip", "hanoi"],
        other_emails=["lan2@example.com", "lan3@example.com"],
        credit=1500,
        is_favorite=True,
    )
    response = org.get(CSV)
    [row] = csv_rows(response)
    today = datetime.now(UTC).date().isoformat()
    assert response.headers["content-disposition"] == f'attachment; filename="customers-{org.slug}-{today}.csv"'
    assert list(row) == list(DEFAULT_COLUMNS)
    assert "custom_fields" not in row
    assert row["id"] == made["id"]
    assert row["last_name"] == 'Nguyễn, "Jr"'
    assert row["phone"] == "+84912345678"  # a phone's + is no formula: no quote
    assert row["birthday"] == "1990-05-17"
    assert row["tags"] == ";".join(made["tags"])
    assert row["other_emails"] == "lan2@example.com;lan3@example.com"
    assert row["credit"] == "1500"
    assert row["is_favorite"] == "true"
    assert row["is_guest"] == "false"
    assert row["fax"] == ""
    assert row["deleted_at"] == ""
    assert row["newsletter_status"] == ""
    assert row["created_at"].endswith("Z")
    created = datetime.fromisoformat(row["created_at"])
    assert created == datetime.fromisoformat(made["created_at"])
    assert row["version"] == str(made["version"])


def test_formula_cells_are_quoted_in_csv_and_stay_text_in_xlsx(api: Api) -> None:
    org = api.create_org()
    for name in ("=HYPERLINK(1)", "@SUM(A1)", "+cmd", "-x", "-5 apples", "Plain"):
        org.create_customer(first_name=name, tags=["=bad"])
    rows = export_csv(org, columns="first_name,tags", sort="first_name")
    firsts = {row["first_name"] for row in rows}
    assert firsts == {"'=HYPERLINK(1)", "'@SUM(A1)", "'+cmd", "'-x", "-5 apples", "Plain"}
    assert {row["tags"] for row in rows} == {"'=bad"}
    response = org.get(XLSX, params={"columns": "first_name", "sort": "first_name"})
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    assert sheet is not None
    values = [cell.value for (cell,) in sheet.iter_rows(min_row=2)]
    assert "=HYPERLINK(1)" in values
    assert all(cell.data_type == "s" for (cell,) in sheet.iter_rows(min_row=2))


def test_xlsx_holds_typed_cells(api: Api) -> None:
    org = api.create_org()
    made = org.create_customer(first_name="Minh", birthday="1985-01-02", credit=7, tags=["a", "b"])
    response = org.get(XLSX)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert response.headers["content-disposition"].endswith('.xlsx"')
    workbook = openpyxl.load_workbook(io.BytesIO(response.content))
    assert workbook.sheetnames == ["customers"]
    header, values = list(workbook["customers"].iter_rows(values_only=True))
    assert list(header) == list(DEFAULT_COLUMNS)
    row = dict(zip(header, values, strict=True))
    assert row["id"] == made["id"]
    assert row["first_name"] == "Minh"
    assert row["credit"] == 7
    assert row["is_guest"] is False
    assert row["tags"] == "a;b"
    assert isinstance(row["birthday"], datetime)
    assert row["birthday"].date().isoformat() == "1985-01-02"
    created = datetime.fromisoformat(made["created_at"]).astimezone(UTC).replace(tzinfo=None)
    assert isinstance(row["created_at"], datetime)
    assert abs((row["created_at"] - created).total_seconds()) < 0.01
    assert row["fax"] is None


def test_filters_search_and_sort_choose_and_order_the_rows(api: Api) -> None:
    org = api.create_org()
    batch(
        org,
        [
            {"email": f"{unique('e')}@example.com", "first_name": name, "last_name": last, "tier": tier}
            for name, last, tier in [
                ("An", "Zed", "pro"),
                ("Binh", "Young", "free"),
                ("Chi", "Xu", "pro"),
                ("Dung", "Nguyen", "pro"),
            ]
        ],
    )
    pros = export_csv(org, **{"filter[tier]": "pro", "sort": "last_name", "columns": "first_name,tier"})
    assert [row["first_name"] for row in pros] == ["Dung", "Chi", "An"]
    assert list(pros[0]) == ["first_name", "tier"]
    found = export_csv(org, q="nguyen", columns="first_name")
    assert [row["first_name"] for row in found] == ["Dung"]
    backwards = export_csv(org, sort="-first_name", columns="first_name")
    assert [row["first_name"] for row in backwards] == ["Dung", "Chi", "Binh", "An"]


def test_custom_columns(api: Api) -> None:
    org = api.create_org()
    definitions = {
        "custom_fields": {"card": {"type": "string"}, "kids": {"type": "integer"}, "vip": {"type": "boolean"}}
    }
    assert org.patch("/organization", json=definitions).status_code == 200
    org.create_customer(first_name="A", custom_fields={"card": "=X1", "kids": 2, "vip": True})
    org.create_customer(first_name="B")
    rows = export_csv(org, columns="first_name,custom_fields", sort="first_name")
    assert rows == [
        {"first_name": "A", "custom.card": "'=X1", "custom.kids": "2", "custom.vip": "true"},
        {"first_name": "B", "custom.card": "", "custom.kids": "", "custom.vip": ""},
    ]
    assert export_csv(org, columns="custom.kids,first_name", sort="first_name")[0] == {
        "custom.kids": "2",
        "first_name": "A",
    }


def test_consent_newsletter_keeps_subscribed_customers(api: Api) -> None:
    org = api.create_org()
    subscribed = org.create_customer(first_name="Sub")
    unsubscribed = org.create_customer(first_name="Never")
    public = f"/api/v1/public/{org.slug}/newsletter/subscriptions"
    assert api.client.post(public, json={"email": subscribed["email"]}).status_code in (200, 201, 202)
    rows = export_csv(org, columns="email,newsletter_status", sort="email")
    statuses = {row["email"]: row["newsletter_status"] for row in rows}
    assert statuses == {subscribed["email"]: "subscribed", unsubscribed["email"]: ""}
    only = export_csv(org, consent="newsletter", columns="email")
    assert only == [{"email": subscribed["email"]}]


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"filter[nope]": "x"}, "filter[nope]"),
        ({"filter[credit]": "gt|many"}, "filter[credit]"),
        ({"sort": "shoe_size"}, "sort"),
        ({"columns": "email,shoe_size"}, "columns"),
        ({"columns": "custom.undefined"}, "columns"),
        ({"columns": "email,email"}, "columns"),
        ({"columns": ""}, "columns"),
        ({"consent": "sms"}, "consent"),
    ],
)
@pytest.mark.parametrize("path", [CSV, XLSX])
def test_bad_parameters_answer_422_naming_them(api: Api, path: str, params: dict[str, str], field: str) -> None:
    org = api.create_org()
    response = org.get(path, params=params)
    assert field_error(response) == field
    assert response.headers["content-type"].startswith("application/problem+json")


@pytest.mark.parametrize("path", [CSV, XLSX])
def test_cashier_and_sales_may_not_export(api: Api, path: str) -> None:
    org = api.create_org()
    org.create_customer()
    for role in ("cashier", "sales"):
        response = org.get(path, role)
        assert response.status_code == 403
        assert response.json()["code"] == "auth.forbidden"
    assert org.get(path, "marketing").status_code == 200


def test_other_organizations_and_deleted_customers_stay_out(api: Api) -> None:
    org, other = api.create_org(), api.create_org()
    kept = org.create_customer(first_name="Kept")
    gone = org.create_customer(first_name="Gone")
    other.create_customer(first_name="Theirs")
    assert org.delete(f"/customers/{gone['id']}").status_code == 204
    assert [row["id"] for row in export_csv(org)] == [kept["id"]]
    assert [row["first_name"] for row in export_csv(other)] == ["Theirs"]


@pytest.mark.parametrize("sort", ["-created_at", "last_name", "-credit,first_name"])
def test_batches_keep_the_order_without_gaps_or_repeats(api: Api, monkeypatch: pytest.MonkeyPatch, sort: str) -> None:
    org = api.create_org()
    made = batch(
        org,
        [
            {
                "email": f"b{i}-{unique('x')}@example.com",
                "first_name": f"F{i % 7}",
                # Ties and NULLs across batch edges.
                "last_name": None if i % 5 == 0 else f"L{i % 4}",
                "credit": i % 3,
            }
            for i in range(53)
        ],
    )
    monkeypatch.setattr(exports, "BATCH_SIZE", 4)
    listed = org.get("/customers", params={"sort": sort, "limit": 100}).json()["items"]
    exported = export_csv(org, sort=sort, columns="id")
    assert [row["id"] for row in exported] == [c["id"] for c in listed]
    assert sorted(row["id"] for row in exported) == sorted(c["id"] for c in made)
    consented = export_csv(org, sort=sort, columns="id", consent="newsletter")
    assert consented == []
    workbook = openpyxl.load_workbook(io.BytesIO(org.get(XLSX, params={"sort": sort, "columns": "id"}).content))
    assert [v for (v,) in workbook["customers"].iter_rows(min_row=2, values_only=True)] == [c["id"] for c in listed]


def test_an_empty_export_is_the_header_row(api: Api) -> None:
    org = api.create_org()
    response = org.get(CSV, params={"columns": "email,first_name"})
    assert response.content == b"email,first_name\r\n"
