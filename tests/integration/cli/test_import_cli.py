"""`patron import`: the same job as `POST /imports`, run in the command with a progress bar and a closing table."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from patron.cli.main import app
from tests.api.imports.helpers import csv_bytes, customers_by_email
from tests.factories import Api, unique

runner = CliRunner()


def test_import_a_file_dry_run_then_real_then_again(
    api: Api, database_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PATRON_DATABASE_URL", database_url)
    org = api.create_org(region="VN")
    prefix = unique("cli")
    path = tmp_path / "people.csv"
    path.write_bytes(
        csv_bytes(
            [
                ["email", "first_name", "phone"],
                [f"{prefix}.1@example.com", "Lan", "0912 345 678"],
                [f"{prefix}.2@example.com", "Minh", ""],
                ["broken", "X", ""],
            ]
        )
    )
    dry = runner.invoke(app, ["import", str(path), "--org", org.slug, "--dry-run"])
    assert dry.exit_code == 0, dry.output
    assert "dry run" in dry.output
    assert customers_by_email(org) == {}

    real = runner.invoke(app, ["import", str(path), "--org", org.slug, "--match-on", "email,phone"])
    assert real.exit_code == 0, real.output
    jobs = org.get("/imports").json()["items"]
    assert [(j["dry_run"], j["totals"]["created"], j["totals"]["rejected"]) for j in jobs] == [
        (False, 2, 1),
        (True, 2, 1),
    ]
    assert f"GET /api/v1/imports/{jobs[0]['id']}/errors.csv" in real.output
    assert customers_by_email(org)[f"{prefix}.1@example.com"]["phone"] == "+84912345678"
    created = org.events(type="customer.created")
    assert {e["actor"]["id"] for e in created} == {jobs[0]["id"]}

    again = runner.invoke(app, ["import", str(path), "--org", org.slug])
    assert again.exit_code == 0, again.output
    assert org.get("/imports").json()["items"][0]["totals"]["unchanged"] == 2


def test_import_refuses_an_unknown_organization_and_a_bad_option(
    database_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PATRON_DATABASE_URL", database_url)
    path = tmp_path / "people.csv"
    path.write_bytes(b"email\r\na@example.com\r\n")
    unknown = runner.invoke(app, ["import", str(path), "--org", "no-such-org"])
    assert unknown.exit_code == 2
    assert "organization.not_found" in unknown.output
    bad = runner.invoke(app, ["import", str(path), "--org", "x", "--match-on", "shoe"])
    assert bad.exit_code == 2
    assert "match_on" in bad.output
    latin = tmp_path / "latin.csv"
    latin.write_bytes("email,first_name\r\nz@example.com,Zoé\r\n".encode("latin-1"))
    refused = runner.invoke(app, ["import", str(latin), "--org", "x"])
    assert refused.exit_code == 2
