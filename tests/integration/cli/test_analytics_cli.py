"""`patron analytics rfm` prints the grid and the segment totals GET /analytics/rfm answers."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from patron.cli.main import app
from tests.factories import Api, unique

runner = CliRunner()


def test_cli_prints_the_rfm_grid_of_the_api(api: Api, database_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PATRON_DATABASE_URL", database_url)
    org = api.create_org()
    for n in range(3):
        customer = org.create_customer()["id"]
        for _ in range(n + 1):
            body = {"external_ref": unique("r"), "total": 10_000, "currency": "USD", "customer_id": customer}
            order = org.post("/orders", json=body).json()
            assert org.post(f"/orders/{order['id']}/pay").status_code == 200
    answer = org.get("/analytics/rfm", params={"as_of": "2030-01-01"}).json()
    assert answer["customers_scored"] == 3

    result = runner.invoke(
        app, ["analytics", "rfm", "--org", org.slug, "--as-of", "2030-01-01"], env={"COLUMNS": "220"}
    )
    assert result.exit_code == 0, result.output
    assert "3 customers with orders scored" in result.output
    for segment in answer["segments"]:
        assert segment["name"] in result.output
    assert "R=5" in result.output
    assert "F=5" in result.output


def test_cli_refuses_an_unknown_org_and_a_bad_date(
    api: Api, database_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PATRON_DATABASE_URL", database_url)
    result = runner.invoke(app, ["analytics", "rfm", "--org", "no-such-org"])
    assert result.exit_code == 2
    assert "org" in result.output
    org = api.create_org()
    result = runner.invoke(app, ["analytics", "rfm", "--org", org.slug, "--as-of", "yesterday"])
    assert result.exit_code == 2
    assert "as_of" in result.output
