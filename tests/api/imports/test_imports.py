"""Imports through the HTTP API, on SQLite and PostgreSQL (SPEC §13.1)."""

from __future__ import annotations

import io
import random
from typing import Any

import openpyxl
import pytest

from patron.db.uow import Database
from tests.api.imports.helpers import csv_bytes, customers_by_email, imported, run_jobs, upload
from tests.factories import Api, Org, unique

HEADER = ["Customer Number", "EMAIL", "first name", "LAST_NAME", "Phone", "tags", "credit", "birthday"]


def _people(n: int, prefix: str) -> list[list[Any]]:
    return [
        [f"{prefix}-{i:04d}", f"{prefix}.{i}@example.com", f"First{i}", f"Last{i}", "", f"vip;Group{i % 3}", i, ""]
        for i in range(n)
    ]


@pytest.fixture
def org(api: Api) -> Org:
    return api.create_org()


def totals(job: dict[str, Any]) -> dict[str, Any]:
    return dict(job["totals"])


def test_import_creates_customers_with_their_fields_and_events(org: Org, database: Database) -> None:
    prefix = unique("n")
    content = csv_bytes([HEADER, *_people(3, prefix)])
    job = imported(org, database, content)
    assert job["status"] == "succeeded", job
    assert totals(job) == {
        "rows": 3,
        "processed": 3,
        "created": 3,
        "updated": 0,
        "unchanged": 0,
        "merged": 0,
        "rejected": 0,
    }
    assert job["progress"] == 1.0
    assert job["errors"] == []
    assert job["finished_at"]
    people = customers_by_email(org)
    first = people[f"{prefix}.1@example.com"]
    assert first["customer_number"] == f"{prefix}-0001"
    assert (first["first_name"], first["last_name"], first["credit"]) == ("First1", "Last1", 1)
    assert first["tags"] == ["vip", "group1"]
    created = [e for e in org.events(type="customer.created") if e["subject_id"] in {c["id"] for c in people.values()}]
    assert len(created) == 3
    assert {(e["actor"]["type"], e["actor"]["id"]) for e in created} == {("import", job["id"])}
    succeeded = org.events(type="import.succeeded")
    assert [e["subject_id"] for e in succeeded] == [job["id"]]
    assert succeeded[0]["data"]["created"] == 3


def test_reimporting_the_same_file_creates_and_updates_nothing(org: Org, database: Database) -> None:
    content = csv_bytes([HEADER, *_people(40, unique("r"))])
    first = imported(org, database, content, chunk_rows=7)
    before = len(org.events())
    again = imported(org, database, content, chunk_rows=7)
    assert totals(first)["created"] == 40
    assert totals(again) == {
        "rows": 40,
        "processed": 40,
        "created": 0,
        "updated": 0,
        "unchanged": 40,
        "merged": 0,
        "rejected": 0,
    }
    # Nothing but the second job's own import.succeeded was written.
    assert [e["type"] for e in org.events()[before:]] == ["import.succeeded"]


def test_a_dry_run_writes_nothing_and_reports_what_the_real_run_does(org: Org, database: Database) -> None:
    prefix = unique("d")
    existing = org.create_customer(email=f"{prefix}.0@example.com", first_name="Old")
    rows = [*_people(5, prefix), [f"{prefix}-x", "not-an-email", "A", "B", "", "", "", ""]]
    content = csv_bytes([HEADER, *rows])
    events_before = len(org.events())
    dry = imported(org, database, content, dry_run=True, chunk_rows=2)
    assert dry["dry_run"] is True
    assert dry["status"] == "succeeded"
    assert set(customers_by_email(org)) == {existing["email"]}
    assert [e["type"] for e in org.events()[events_before:]] == ["import.succeeded"]
    real = imported(org, database, content, chunk_rows=2)
    assert (
        totals(dry)
        == totals(real)
        == {"rows": 6, "processed": 6, "created": 4, "updated": 1, "unchanged": 0, "merged": 0, "rejected": 1}
    )
    assert [(e["row"], e["field"]) for e in dry["errors"]] == [(e["row"], e["field"]) for e in real["errors"]]
    dry_rows = org.get(f"/imports/{dry['id']}/rows.csv").text.splitlines()
    real_rows = org.get(f"/imports/{real['id']}/rows.csv").text.splitlines()
    assert [line.split(",")[:2] for line in dry_rows] == [line.split(",")[:2] for line in real_rows]
    assert dry_rows[1:3] == [f"2,updated,{existing['id']}", "3,created,"]


def test_bad_rows_are_rejected_naming_row_column_and_field_and_the_rest_imported(org: Org, database: Database) -> None:
    prefix = unique("b")
    rows = [
        [f"{prefix}-1", f"{prefix}.1@example.com", "Ann", "", "", "", "", ""],
        [f"{prefix}-2", "not-an-email", "Bob", "", "", "", "", ""],
        [f"{prefix}-3", f"{prefix}.3@example.com", "Cy", "", "", "", "lots", ""],
        [f"{prefix}-4", f"{prefix}.4@example.com", "", "", "", "", "", ""],
        [f"{prefix}-5", f"{prefix}.5@example.com", "Di", "", "", "", "", "2999-01-01"],
        [f"{prefix}-6", f"{prefix}.6@example.com", "Ed", "", "", "", "", ""],
    ]
    job = imported(org, database, csv_bytes([HEADER, *rows]))
    assert totals(job)["created"] == 2
    assert totals(job)["rejected"] == 4
    found = {(e["row"], e["column"], e["field"]) for e in job["errors"]}
    assert found == {
        (3, "EMAIL", "email"),
        (4, "credit", "credit"),
        (5, "first name", "first_name"),  # no name at all: the name rule of POST /customers
        (6, "birthday", "birthday"),
    }
    assert all(e["code"] and e["message"] for e in job["errors"])
    assert set(customers_by_email(org)) == {f"{prefix}.1@example.com", f"{prefix}.6@example.com"}
    report = org.get(f"/imports/{job['id']}/errors.csv")
    assert report.status_code == 200
    assert report.headers["content-type"].startswith("text/csv")
    lines = report.text.splitlines()
    assert lines[0] == ",".join([*HEADER, "row", "reasons"])
    assert len(lines) == 5
    assert lines[1].startswith(f"{prefix}-2,not-an-email,Bob")


def test_a_file_of_bad_rows_only_succeeds_with_every_row_rejected(org: Org, database: Database) -> None:
    job = imported(org, database, csv_bytes([["email", "first_name"], ["x", "A"], ["y@", "B"]]))
    assert job["status"] == "succeeded"
    assert totals(job)["rejected"] == 2
    assert totals(job)["created"] == 0
    assert [e["row"] for e in job["errors"]] == [2, 3]


def test_an_empty_file_is_refused_and_a_header_only_file_imports_nothing(org: Org, database: Database) -> None:
    empty = upload(org, b"")
    assert empty.status_code == 422
    assert empty.json()["code"] == "import.empty_file"
    job = imported(org, database, b"email,first_name\r\n")
    assert job["status"] == "succeeded"
    assert totals(job)["rows"] == 0
    assert totals(job)["created"] == 0


def test_a_latin_1_file_is_refused_naming_the_encoding(org: Org) -> None:
    response = upload(org, "email,first_name\r\nzoe@example.com,Zoé\r\n".encode("latin-1"))
    assert response.status_code == 422
    problem = response.json()
    assert problem["code"] == "import.not_utf8"
    assert "Latin-1" in problem["detail"]
    assert "UTF-8" in problem["detail"]
    assert org.get("/imports").json()["total"] == 0


def test_a_semicolon_file_with_a_bom_and_unknown_columns(org: Org, database: Database) -> None:
    prefix = unique("s")
    content = csv_bytes(
        [["email", "first_name", "Favourite Colour", "shoe size"], [f"{prefix}@example.com", "Lan", "blue", "38"]],
        delimiter=";",
        bom=True,
    )
    job = imported(org, database, content)
    assert totals(job)["created"] == 1
    assert [(w["code"], w["columns"]) for w in job["warnings"]] == [
        ("import.unknown_columns", ["Favourite Colour", "shoe size"])
    ]
    assert customers_by_email(org)[f"{prefix}@example.com"]["first_name"] == "Lan"


def test_an_xlsx_file_as_a_raw_body(org: Org, database: Database) -> None:
    prefix = unique("x")
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["email", "first_name", "credit", "is_favorite", "birthday"])
    import datetime as dt

    sheet.append([f"{prefix}@example.com", "Minh", 250, True, dt.date(1990, 4, 5)])
    buffer = io.BytesIO()
    book.save(buffer)
    response = org.post(
        "/imports",
        content=buffer.getvalue(),
        headers={"Content-Type": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"},
        params={"file_name": "people.xlsx"},
    )
    assert response.status_code == 202, response.text
    assert response.json()["file_format"] == "xlsx"
    assert response.json()["file_name"] == "people.xlsx"
    run_jobs(database)
    customer = customers_by_email(org)[f"{prefix}@example.com"]
    assert (customer["credit"], customer["is_favorite"], customer["birthday"]) == (250, True, "1990-04-05")


def test_a_raw_csv_body_with_options_in_the_query(org: Org, database: Database) -> None:
    prefix = unique("q")
    response = org.post(
        "/imports",
        content=csv_bytes([["email", "first_name"], [f"{prefix}@example.com", "Q"]]),
        headers={"Content-Type": "text/csv"},
        params={"dry_run": "true", "match_on": "email"},
    )
    assert response.status_code == 202, response.text
    assert response.json()["dry_run"] is True
    assert response.json()["match_on"] == ["email"]
    run_jobs(database)
    assert customers_by_email(org) == {}


@pytest.mark.parametrize("key", ["customer_number", "email", "phone", "vat_id"])
def test_every_match_key_finds_the_existing_customer(api: Api, database: Database, key: str) -> None:
    org = api.create_org(region="VN")
    prefix = unique("m")
    existing = org.create_customer(
        email=f"{prefix}@example.com",
        customer_number=f"{prefix}-1",
        phone="+84912345678",
        vat_id="DE136695976",
        company_name="Old Co",
    )
    # The file writes each key as people do: another letter case, a national phone, a spaced VAT id.
    cells = {
        "customer_number": f"{prefix}-1",
        "email": f"{prefix.upper()}@EXAMPLE.COM",
        "phone": "0912 345 678",
        "vat_id": "de 136 695 976",
    }
    content = csv_bytes([[key, "company_name"], [cells[key], "New Co"]])
    job = imported(org, database, content, match_on=key)
    assert (totals(job)["updated"], totals(job)["created"]) == (1, 0), job
    after = org.get(f"/customers/{existing['id']}").json()
    assert after["company_name"] == "New Co"
    updates = [e for e in org.events(type="customer.updated") if e["subject_id"] == existing["id"]]
    assert updates[-1]["actor"] == {"type": "import", "id": job["id"]}
    assert updates[-1]["data"]["changes"]["company_name"] == {"old": "Old Co", "new": "New Co"}


@pytest.mark.parametrize(("match_on", "winner"), [("vat_id,phone", "by_vat_id"), ("phone,vat_id", "by_phone")])
def test_match_on_order_decides_which_customer_a_row_updates(
    org: Org, database: Database, match_on: str, winner: str
) -> None:
    prefix = unique("o")
    phone = f"+8491{random.randrange(10**7):07d}"
    found = {
        "by_phone": org.create_customer(email=f"{prefix}.a@example.com", phone=phone),
        "by_vat_id": org.create_customer(email=f"{prefix}.b@example.com", vat_id="DE136695976"),
    }
    content = csv_bytes([["vat_id", "phone", "last_name"], ["DE136695976", phone, "X"]])
    job = imported(org, database, content, match_on=match_on)
    assert totals(job)["updated"] == 1, job
    for name, customer in found.items():
        expected = "X" if name == winner else None
        assert org.get(f"/customers/{customer['id']}").json()["last_name"] == expected, name


def test_on_match_skip_leaves_matched_customers_as_they_are(org: Org, database: Database) -> None:
    prefix = unique("k")
    existing = org.create_customer(email=f"{prefix}@example.com", first_name="Keep")
    content = csv_bytes(
        [["email", "first_name"], [f"{prefix}@example.com", "Changed"], [f"{prefix}.n@example.com", "N"]]
    )
    job = imported(org, database, content, on_match="skip")
    assert (totals(job)["unchanged"], totals(job)["created"]) == (1, 1)
    assert org.get(f"/customers/{existing['id']}").json()["first_name"] == "Keep"


def test_rows_with_the_same_key_are_one_customer_later_cells_winning(org: Org, database: Database) -> None:
    prefix = unique("w")
    email = f"{prefix}@example.com"
    content = csv_bytes(
        [
            ["email", "first_name", "last_name", "phone", "company_name"],
            [email, "Early", "Smith", "", "Acme"],
            [f"{prefix}.other@example.com", "Other", "", "", ""],
            [email.upper(), "Late", "", "+84912345678", ""],
        ]
    )
    job = imported(org, database, content)
    assert totals(job) == {
        "rows": 3,
        "processed": 3,
        "created": 2,
        "updated": 0,
        "unchanged": 0,
        "merged": 1,
        "rejected": 0,
    }
    customer = customers_by_email(org)[email]
    assert (customer["first_name"], customer["last_name"], customer["phone"], customer["company_name"]) == (
        "Late",
        "Smith",
        "+84912345678",
        "Acme",
    )
    again = imported(org, database, content)
    assert (totals(again)["unchanged"], totals(again)["merged"]) == (2, 1)


def test_custom_field_columns_and_tags(api: Api, database: Database) -> None:
    org = api.create_org()
    settings = {"custom_fields": {"shoe_size": {"type": "integer"}, "vip_since": {"type": "date"}}}
    assert org.patch("/organization", json=settings).status_code == 200
    prefix = unique("c")
    content = csv_bytes(
        [
            ["email", "first_name", "custom.shoe_size", "Custom.VIP Since", "tags"],
            [f"{prefix}.1@example.com", "A", "38", "2020-01-02", "Gold; gold ;silver"],
            [f"{prefix}.2@example.com", "B", "big", "", ""],
        ]
    )
    job = imported(org, database, content)
    assert totals(job)["created"] == 1
    assert [(e["row"], e["column"], e["field"]) for e in job["errors"]] == [(3, "custom.shoe_size", "custom.shoe_size")]
    customer = customers_by_email(org)[f"{prefix}.1@example.com"]
    assert customer["custom_fields"] == {"shoe_size": 38, "vip_since": "2020-01-02"}
    assert customer["tags"] == ["gold", "silver"]


def test_an_oversized_file_answers_413_and_queues_nothing(api: Api, database: Database) -> None:
    from litestar.testing import TestClient

    from patron.app import create_app
    from patron.config import Settings
    from tests.conftest import ADMIN_TOKEN, SECRET_KEY

    settings = Settings(
        database_url=str(database.engine.url),
        admin_token=ADMIN_TOKEN,
        secret_key=SECRET_KEY,
        embedded_worker=False,
        import_max_bytes=1000,
    )
    with TestClient(create_app(settings, database), raise_server_exceptions=False) as client:
        small = Api(client, admin_token=ADMIN_TOKEN).create_org()
        content = csv_bytes([["email", "first_name"], *([f"{unique('z')}@example.com", "Z"] for _ in range(100))])
        assert len(content) > 1000
        for response in (
            upload(small, content),
            small.post("/imports", content=content, headers={"Content-Type": "text/csv"}),
        ):
            assert response.status_code == 413, response.text
            assert response.json()["code"] == "import.too_large"
        assert small.get("/imports").json()["total"] == 0


@pytest.mark.parametrize("role", ["cashier", "sales"])
def test_roles_without_imports_are_refused_and_nothing_changes(org: Org, database: Database, role: str) -> None:
    content = csv_bytes([["email", "first_name"], [f"{unique('r')}@example.com", "R"]])
    assert upload(org, content, role=role).status_code == 403
    assert org.get("/imports", role).status_code == 403
    run_jobs(database)
    assert org.get("/imports").json()["total"] == 0
    assert customers_by_email(org) == {}


def test_marketing_may_import(org: Org, database: Database) -> None:
    content = csv_bytes([["email", "first_name"], [f"{unique('mk')}@example.com", "M"]])
    response = upload(org, content, role="marketing")
    assert response.status_code == 202
    run_jobs(database)
    assert org.get(f"/imports/{response.json()['id']}", "marketing").json()["totals"]["created"] == 1


def test_another_organizations_job_answers_404(api: Api, org: Org, database: Database) -> None:
    job = imported(org, database, csv_bytes([["email", "first_name"], ["bad", "X"]]))
    other = api.create_org()
    for path in (f"/imports/{job['id']}", f"/imports/{job['id']}/errors.csv", f"/imports/{job['id']}/rows.csv"):
        response = other.get(path)
        assert response.status_code == 404, path
        assert response.json()["code"] == "import.not_found"
    assert other.get("/imports").json()["items"] == []
    assert [j["id"] for j in org.get("/imports").json()["items"]] == [job["id"]]


def test_bad_options_are_422_naming_them(org: Org) -> None:
    content = csv_bytes([["email"], ["a@example.com"]])
    for options, field in (
        ({"match_on": "email,shoe"}, "match_on"),
        ({"on_match": "merge"}, "on_match"),
        ({"mapping": "{not json"}, "mapping"),
        ({"dry_run": "perhaps"}, "dry_run"),
    ):
        response = upload(org, content, **options)
        assert response.status_code == 422, (options, response.text)
        assert [e["field"] for e in response.json()["errors"]] == [field]
    assert org.get("/imports").json()["total"] == 0


def test_a_mapping_names_columns_the_header_does_not(org: Org, database: Database) -> None:
    prefix = unique("p")
    content = csv_bytes([["Mail address", "Vorname"], [f"{prefix}@example.com", "Jan"]])
    job = imported(org, database, content, mapping='{"Mail address": "email", "Vorname": "first_name"}')
    assert totals(job)["created"] == 1
    assert job["warnings"] == []
    assert customers_by_email(org)[f"{prefix}@example.com"]["first_name"] == "Jan"


def test_a_file_broken_further_down_fails_the_job_naming_the_row(org: Org, database: Database) -> None:
    content = b'email,first_name\r\na@example.com,A\r\nb@example.com,"unclosed\r\nc@example.com,C\r\n'
    job = imported(org, database, content)
    assert job["status"] == "failed"
    assert job["failure"]["code"] == "import.malformed_csv"
    assert "3" in job["failure"]["message"]
    assert customers_by_email(org) == {}
    assert [e["data"]["code"] for e in org.events(type="import.failed")] == ["import.malformed_csv"]


def test_a_body_of_another_type_is_415_and_queues_nothing(org: Org) -> None:
    for headers, content in (
        ({"Content-Type": "application/json"}, b'{"email": "a@example.com"}'),
        ({"Content-Type": "application/x-www-form-urlencoded"}, b"dry_run=true"),
    ):
        response = org.post("/imports", content=content, headers=headers)
        assert response.status_code == 415, response.text
        assert response.json()["code"] == "request.unsupported_media_type"
    assert org.get("/imports").json()["total"] == 0
