"""`patron export` writes what the API streams, through the same exports service."""

from __future__ import annotations

import io
from pathlib import Path

import openpyxl
import pytest
from typer.testing import CliRunner

from patron.cli.main import app
from patron.exports import service as exports
from tests.factories import Api, unique

runner = CliRunner()


def test_cli_export_writes_the_bytes_the_api_sends(
    api: Api, database_url: str, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("PATRON_DATABASE_URL", database_url)
    monkeypatch.setattr(exports, "BATCH_SIZE", 3)
    org = api.create_org()
    definitions = {"custom_fields": {"card": {"type": "string"}}}
    assert org.patch("/organization", json=definitions).status_code == 200
    for i in range(8):
        tier = "pro" if i % 2 else "free"
        org.create_customer(first_name=f"=N{i}", last_name=f"L{i % 3}", tier=tier, custom_fields={"card": f"c{i}"})
    params = {"filter[tier]": "pro", "sort": "last_name,-first_name", "columns": "id,first_name,tier,custom_fields"}
    from_api = org.get("/exports/customers.csv", params=params)
    assert from_api.status_code == 200

    output = tmp_path / "pro.csv"
    args = ["export", "--org", org.slug, "--filter", "tier=pro", "--sort", params["sort"], "-o", str(output)]
    result = runner.invoke(app, [*args, "--columns", params["columns"]])
    assert result.exit_code == 0, result.output
    assert "wrote 4 customers" in result.output
    assert output.read_bytes() == from_api.content

    whole = tmp_path / "all.csv"
    result = runner.invoke(app, ["export", "--org", org.slug, "-o", str(whole)])
    assert result.exit_code == 0, result.output
    assert whole.read_bytes() == org.get("/exports/customers.csv").content

    workbook_path = tmp_path / "all.xlsx"
    result = runner.invoke(
        app, ["export", "--org", org.slug, "--format", "xlsx", "--sort", "first_name", "-o", str(workbook_path)]
    )
    assert result.exit_code == 0, result.output
    from_api_xlsx = org.get("/exports/customers.xlsx", params={"sort": "first_name"}).content

    def cells(content: bytes) -> list[tuple[object, ...]]:
        return list(openpyxl.load_workbook(io.BytesIO(content))["customers"].iter_rows(values_only=True))

    assert cells(workbook_path.read_bytes()) == cells(from_api_xlsx)
    assert len(cells(from_api_xlsx)) == 9


def test_cli_export_refuses_bad_input(
    api: Api, database_url: str, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("PATRON_DATABASE_URL", database_url)
    org = api.create_org()
    output = tmp_path / "x.csv"
    for args, named in [
        (["--org", unique("nope")], "org"),
        (["--org", org.slug, "--filter", "credit=gt|many"], "filter[credit]"),
        (["--org", org.slug, "--filter", "nonsense"], "--filter"),
        (["--org", org.slug, "--columns", "shoe_size"], "columns"),
        (["--org", org.slug, "--consent", "sms"], "consent"),
    ]:
        result = runner.invoke(app, ["export", *args, "-o", str(output)])
        assert result.exit_code == 2, result.output
        assert named in result.output
    assert not output.exists()
