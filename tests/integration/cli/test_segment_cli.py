"""`patron segment preview` prints the count and the customers POST /segments/preview answers."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from patron.cli.main import app
from tests.factories import Api, unique

runner = CliRunner()


def test_cli_previews_what_the_api_previews(api: Api, database_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PATRON_DATABASE_URL", database_url)
    org = api.create_org()
    vip = org.create_customer(email=f"{unique('v')}@example.com", first_name="Ngọc", tags=["vip"], tier="pro")
    org.create_customer(email=f"{unique('o')}@example.com", first_name="Tom", tier="pro")
    query = "tier = 'pro' AND tags has 'VIP'"
    assert org.post("/segments/preview", json={"query": query}).json()["count"] == 1

    result = runner.invoke(app, ["segment", "preview", "--org", org.slug, query], env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.output
    assert "1 customers match" in result.output
    assert vip["customer_number"] in result.output
    assert "Ngọc" in result.output
    assert "Tom" not in result.output


def test_cli_refuses_a_bad_query_and_an_unknown_org(
    api: Api, database_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PATRON_DATABASE_URL", database_url)
    org = api.create_org()
    result = runner.invoke(app, ["segment", "preview", "--org", org.slug, "credit > 'abc'"])
    assert result.exit_code == 2
    assert "query (at character 9)" in result.output
    assert "credit takes an integer" in result.output
    result = runner.invoke(app, ["segment", "preview", "--org", "no-such-org", "tier = 'pro'"])
    assert result.exit_code == 2
    assert "org" in result.output
